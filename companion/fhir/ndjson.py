"""NDJSON (FHIR bulk data): one resource per line, read a line at a time, so a file of any size needs only its
longest line in memory, and a line longer than the limit not even that. A bad line costs only itself. A line that
holds a Bundle hands on the Bundle's entries, numbered by the line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from companion.fhir.bundle import entries_of_bundle
from companion.fhir.entries import NOT_READ, NotFhir, RawEntry, checked
from companion.fhir.limits import MAX_ENTRY_BYTES, NOT_UTF8, LimitError, loads

BOM = b"\xef\xbb\xbf"
SKIP_CHUNK = 1 << 20


def lines(handle: BinaryIO, limit: int = MAX_ENTRY_BYTES) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, its bytes or None when longer than `limit`, bytes read so far) for each line."""
    number, read = 0, 0
    while line := handle.readline(limit + 1):
        number += 1
        read += len(line)
        if number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(SKIP_CHUNK)) and not rest.endswith(b"\n"):  # let it go a piece at a time
                read += len(rest)
            read += len(rest)
            yield number, None, read
        else:
            yield number, line, read


def parse_line(line: bytes) -> object:
    """One line as JSON (raises UnicodeDecodeError, json.JSONDecodeError or LimitError)."""
    return loads(line.decode("utf-8"))


def sniff_ndjson(path: Path) -> None:
    """Refuse a file whose first non-empty line is not a FHIR resource: it is not NDJSON of FHIR at all."""
    with path.open("rb") as handle:
        for number, line, _read in lines(handle):
            if line is None:
                return  # too long to judge here: that line is reported, the others import
            if not line.strip():
                continue
            try:
                data = parse_line(line)
            except UnicodeDecodeError:
                raise NotFhir(f"it is {NOT_UTF8}") from None
            except json.JSONDecodeError as exc:
                raise NotFhir(f"{exc.msg} at line {number}, column {exc.colno}") from None
            except LimitError:
                return  # JSON, perhaps a resource: that line is reported, the others import
            if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str) or not data["resourceType"]:
                raise NotFhir(f"line {number} is not a FHIR resource (an object with a resourceType)")
            return
    raise NotFhir("no line holds a FHIR resource")


def ndjson_entries(path: Path, read: Callable[[int], None]) -> Iterator[RawEntry]:
    """Every non-empty line as an entry, numbered by line; `read` hears how many bytes are behind."""
    with path.open("rb") as handle:
        for number, line, done in lines(handle):
            read(done)
            if line is None:
                yield RawEntry(number, None, problem=f"longer than {MAX_ENTRY_BYTES // 1_000_000} MB", what=NOT_READ)
                continue
            if not line.strip():
                continue
            try:
                data = parse_line(line)
            except UnicodeDecodeError:
                yield RawEntry(number, None, problem=NOT_UTF8, what=NOT_READ)
                continue
            except json.JSONDecodeError as exc:
                yield RawEntry(number, None, problem=f"not JSON ({exc.msg})")
                continue
            except LimitError as exc:
                yield RawEntry(number, None, problem=str(exc), what=NOT_READ)
                continue
            if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
                yield RawEntry(number, None, problem="not a FHIR resource")
                continue
            shape = (line.count(b"{") + line.count(b"["), len(line))
            inner = entries_of_bundle(number, data, shape) if data["resourceType"] == "Bundle" else None
            yield from [checked(number, data, *shape)] if inner is None else inner
