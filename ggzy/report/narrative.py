"""The report's narrative paragraph (概况): the sentences of ``ggzy/report/report.toml`` filled with the
month's figures, as a statistician would write them, in Chinese or English.

A placeholder ``{metric.position}`` is a declared metric: ``value`` (the month) or ``ytd`` (本年累计)
shown in its unit, or ``mom``, ``yoy``, ``ytd_yoy`` as a phrase ("，同比增长12.34%") left out
where there is no base or the base is too weak to be news (``Figures.weak``). A sentence whose
``needs`` figure is missing or 0 is left out, and one whose ``unless`` figure exists; a last
sentence names the kinds of file nobody sent for the month.
"""

import re
from datetime import date
from decimal import Decimal

import pandas as pd

from ggzy.common.contract import KINDS
from ggzy.ingest.validate import subject_words
from ggzy.report.format import LANGUAGES, month_name, rounded, spec, word

PLACEHOLDER = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
POSITIONS = {"value": "value", "ytd": "value_ytd", "mom": "change_mom", "yoy": "change_yoy",
             "ytd_yoy": "change_ytd_yoy"}
CHANGE_NAMES = {"mom": "change_mom", "yoy": "change_yoy", "ytd_yoy": "change_yoy"}


def amount_unit(yuan: Decimal, lang: str) -> tuple[Decimal, str]:
    """The unit an amount reads in (``narrative_amounts``): its divisor and words with {value}."""
    for start, divisor, words in spec()["narrative_amounts"][lang]:
        if abs(yuan) >= start:
            return Decimal(divisor), words
    raise AssertionError("narrative_amounts ends with a rule from 0")


def amount(yuan: Decimal, lang: str) -> str:
    """12,345.53万元 / 227.09亿元; CNY 123.46 million."""
    divisor, words = amount_unit(yuan, lang)
    return words.format(value=rounded(yuan / divisor, 2))


def change(value, kind: str, name: str, lang: str) -> str:
    """The change as a phrase: up, down or level, in percent or percentage points."""
    if value is None:
        return ""
    if value == 0:
        return word("level", lang, name=word(name, lang))
    direction = "up" if value > 0 else "down"
    return word(f"{direction}_{kind}", lang, name=word(name, lang), change=rounded(abs(Decimal(value)), 2))


def figure(figures, metric: str, position: str, key: str, lang: str) -> str:
    cell = figures.cell(metric, POSITIONS[position], key)
    if position in CHANGE_NAMES:
        if position != "mom" and figures.weak(metric, POSITIONS[position], key):
            return ""
        return change(cell.value, cell.kind, CHANGE_NAMES[position], lang)
    if cell.value is None:
        return "—"
    if cell.kind == "amount":
        return amount(Decimal(cell.value), lang)
    if cell.kind == "rate":
        return rounded(Decimal(cell.value) * 100, 2) + "%"
    return rounded(Decimal(cell.value), 1 if cell.kind == "days" else 0)


def fill(template: str, figures, key: str, names: dict[str, str], lang: str) -> str:
    def replace(match: re.Match) -> str:
        name, position = match.groups()
        return names[name] if position is None else figure(figures, name, position, key, lang)
    return PLACEHOLDER.sub(replace, template)


def _has(figures, placeholder: str, key: str) -> bool:
    metric, position = placeholder.split(".")
    return figures.has(metric, POSITIONS[position], key)


def needed(figures, sentence: dict, key: str = "all") -> bool:
    """Its ``needs`` figure exists and is not 0, and its ``unless`` figure (if any) does not."""
    return _has(figures, sentence["needs"], key) and not (
        "unless" in sentence and _has(figures, sentence["unless"], key))


def paragraph(figures, categories: pd.DataFrame, month: date, region: str, lang: str, risk: str = "") -> str:
    """The paragraph for ``figures`` (``ggzy.report.report.Figures``) of ``month`` and ``region`` (empty
    for all regions), with the risk flags' sentence ``risk`` (if any) before the note of kinds not
    sent, or a sentence saying there are no figures."""
    names = {"month": month_name(month, lang), "ytd": month_name(month, lang, "ytd_name"),
             "month_short": month_name(month, lang, "month_short"),
             "region": word("region_phrase", lang, name=region) if region else ""}
    sentences = []
    for sentence in spec()["sentence"]:
        if not needed(figures, sentence):
            continue
        if sentence.get("each") == "category":
            items = [fill(sentence[f"item_{lang}"], figures, c.code,
                          {**names, "category": c.name_zh if lang == "zh" else c.name_en}, lang)
                     for c in categories.itertuples() if needed(figures, sentence, c.code)]
            names_with_items = {**names, "items": sentence["join"][lang == "en"].join(items)}
            sentences.append(fill(sentence[lang], figures, "all", names_with_items, lang))
        else:
            text = sentence.get(f"january_{lang}", sentence[lang]) if month.month == 1 else sentence[lang]
            sentences.append(fill(text, figures, "all", names, lang))
    if sentences and risk:
        sentences.append(risk)
    if sentences and figures.month.unsent:
        kinds = subject_words()
        sentences.append(word("unsent_kinds", lang, kinds=word("kinds_join", lang).join(
            kinds[k][LANGUAGES.index(lang)] for k in KINDS if k in figures.month.unsent)))
    return ("" if lang == "zh" else " ").join(sentences) or word("no_data", lang)
