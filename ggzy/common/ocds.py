"""The OCDS 1.1 release schema shipped inside ggzy (Apache-2.0, see ocds_schema/NOTICE.md): the
merge rules for compiling releases, the currency code list, and the schema exports are validated
against. Nothing is fetched at run time: ocdsmerge goes online only when it is given no schema."""

import json
from functools import cache
from typing import Any

from ggzy.common.paths import ROOT

SCHEMA_DIR = ROOT / "ggzy" / "common" / "ocds_schema"
EXTENSIONS = ("lots-extension.json", "bid-extension.json")  # what ggzy reads and writes beyond the core
REGION_BUYER = "CN-REGION-"  # ggzy's export names a region as the buyer so: no tenderer (招标人) code


def _read(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: how an OCDS extension's release-schema.json applies to the core."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge_patch(merged.get(key), value)
    return merged


@cache
def release_schema() -> dict[str, Any]:
    """The OCDS 1.1.5 release schema with the lots and bids extensions applied."""
    schema = _read("release-schema.json")
    for extension in EXTENSIONS:
        schema = _merge_patch(schema, _read(extension))
    return schema


@cache
def currencies() -> frozenset[str]:
    """ISO 4217 codes, as the schema's closed ``currency`` code list gives them."""
    return frozenset(release_schema()["definitions"]["Value"]["properties"]["currency"]["enum"]) - {None}


@cache
def merger():
    """ocdsmerge's Merger with the shipped schema's merge rules (identifier merge of lots, awards, …)."""
    import ocdsmerge

    return ocdsmerge.Merger(schema=json.loads(json.dumps(release_schema())))
