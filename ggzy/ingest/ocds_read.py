"""Read OCDS releases out of a file, streamed: release packages, record packages, bare releases or
records, one JSON value, an array of them, or JSON Lines of any of them, plain or gzipped.

A file is OCDS when its first non-blank byte opens a JSON object or array (``is_ocds``). It is
parsed event by event (ijson): a package's releases or records are built one at a time, never
the whole package, so a file of any size is read in the memory of its largest release or record.
Numbers are read as ``Decimal`` from the JSON text, never through a float, and written back as
the same digits (``release_text``). A record gives its ``compiledRelease``, else its releases.
"""

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from ggzy.common.errors import whole_file_problem

SUFFIXES = (".json", ".jsonl", ".gz")
GZIP_MAGIC = b"\x1f\x8b"
CONTAINERS = ("releases", "records")  # a package's lists
VERSION_WITHOUT_FIELD = "1.0"  # a package that does not say its version is OCDS 1.0
_DECIMAL = re.compile(r'"\\u0000(-?[0-9.eE+-]+)\\u0000"')


@dataclass(frozen=True)
class Release:
    ocid: str
    release_id: str  # the release's id; a release without one is known by a digest of its text
    date: str | None
    version: str  # the OCDS version its package states (VERSION_WITHOUT_FIELD if none)
    text: str  # the release as JSON, numbers with their digits as written


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as f:
        gzipped = f.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def is_ocds(path: Path) -> bool:
    """Whether the file looks like JSON (its first non-blank byte is ``{`` or ``[``)."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    try:
        with _open(path) as f:
            head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head[:1] in (b"{", b"[")


def release_text(value: Any) -> str:
    """JSON text of a release read with Decimal numbers, each number written as its digits."""
    marked = json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                        default=lambda d: f"\0{d}\0" if isinstance(d, Decimal) else str(d))
    return _DECIMAL.sub(r"\1", marked)


def _release(value: dict, version: str) -> Release | None:
    """A release as stored; None for a linked release (a record's pointer: no ocid)."""
    if not isinstance(value, dict) or not isinstance(value.get("ocid"), str):
        return None
    text = release_text(value)
    release_id = value.get("id")
    if not isinstance(release_id, str | int) or release_id == "":
        release_id = "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    date = value.get("date") if isinstance(value.get("date"), str) else None
    return Release(value["ocid"], str(release_id), date, version, text)


def _of_record(record: dict, version: str) -> Iterator[Release]:
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        compiled.setdefault("ocid", record.get("ocid"))
        if (release := _release(compiled, version)) is not None:
            yield release
        return
    for value in record.get("releases") or []:
        if (release := _release(value, version)) is not None:
            yield release


def _of_value(value: Any, version: str) -> Iterator[Release]:
    """The releases of a top-level value or a package's item: a release, or a record."""
    if isinstance(value, dict) and ("compiledRelease" in value or "releases" in value) and "ocid" in value:
        yield from _of_record(value, version)
    elif (release := _release(value, version)) is not None:
        yield release


def _releases(stream: IO[bytes]) -> Iterator[Release]:
    """Walk the parse events; a package's list items are built and given one by one, everything
    else of a top-level value is built whole (it is a release or a record, or a package's head)."""
    top = item = None  # the top-level value being built (a package without its list), the item
    top_prefix = ""  # "" or, for a top-level array, "item"
    item_prefix = None
    for prefix, event, value in ijson.parse(stream, multiple_values=True, use_float=False):
        if item is not None:
            item.event(event, value)
            if prefix == item_prefix and event == "end_map":
                version = top.value.get("version", VERSION_WITHOUT_FIELD) if top else VERSION_WITHOUT_FIELD
                yield from _of_value(item.value, str(version))
                item = None
            continue
        if prefix == "" and event in ("start_array", "end_array") and top is None:
            top_prefix = "item" if event == "start_array" else ""
            continue
        if prefix == top_prefix and event in ("start_map", "start_array") and top is None:
            top = ObjectBuilder()
        in_list = any(prefix == f"{top_prefix}.{c}.item".lstrip(".") for c in CONTAINERS)
        if in_list and event == "start_map":
            item, item_prefix = ObjectBuilder(), prefix
            item.event(event, value)
            continue
        if top is None:  # a scalar where a release should be
            raise whole_file_problem("ocds_not_releases", "不是 OCDS 数据包、记录或发布",
                                     "not an OCDS package, record or release")
        top.event(event, value)
        if prefix == top_prefix and event in ("end_map", "end_array"):
            if not any(c in (top.value or {}) for c in CONTAINERS) or "ocid" in top.value:
                yield from _of_value(top.value, VERSION_WITHOUT_FIELD)
            top = None


def read_releases(path: Path) -> Iterator[Release]:
    """Every release in the file, streamed; a file that is not well-formed JSON is one message."""
    with _open(path) as stream:
        try:
            yield from _releases(stream)
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, EOFError, OSError) as e:
            raise whole_file_problem("json_malformed", f"JSON 格式错误：{e}", f"malformed JSON: {e}") from e
