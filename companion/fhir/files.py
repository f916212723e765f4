"""Reading FHIR JSON files (a Bundle, a single resource, or NDJSON) into raw resources, refusing anything else
clearly before a single row is written."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from companion.errors import CompanionError

SUFFIXES = (".json", ".ndjson", ".jsonl")
NDJSON_SUFFIXES = (".ndjson", ".jsonl")


@dataclass(frozen=True)
class RawResource:
    """One resource as found in a file; `index` is the Bundle entry or NDJSON line it came from."""

    index: int | None
    data: dict
    full_url: str | None = None


@dataclass(frozen=True)
class RawFile:
    path: Path
    size: int
    resources: tuple[RawResource, ...]
    broken: tuple[tuple[int, str], ...] = ()  # (entry or line, reason): entries that are not resources at all
    ndjson: bool = False  # then an index is a line number, not a Bundle entry


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched for FHIR files (sorted, so every run reads them in the same order)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not inside:
                raise CompanionError(f"no FHIR files (*.json, *.ndjson) in the folder {path}")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise CompanionError(f"no such file or folder: {path}")
    if not found:
        raise CompanionError("no files to import")
    return list(dict.fromkeys(found))  # a file named twice is read once


def read_file(path: Path) -> RawFile:
    """The resources in one file; a file that is not FHIR JSON is an error (its content is never quoted)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CompanionError(f"{path} is not FHIR JSON: it is not UTF-8 text") from None
    if path.suffix.lower() in NDJSON_SUFFIXES:
        return _ndjson(path, len(raw), text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and "\n" in text.strip():  # NDJSON with a .json name
            return _ndjson(path, len(raw), text)
        raise CompanionError(f"{path} is not FHIR JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    _require_resource(path, data)
    if data["resourceType"] != "Bundle":
        return RawFile(path, len(raw), (RawResource(None, data),))
    return _bundle(path, len(raw), data)


def _require_resource(path: Path, data: object) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str) or not data["resourceType"]:
        raise CompanionError(f"{path} is not FHIR JSON: expected an object with a resourceType")


def _bundle(path: Path, size: int, data: dict) -> RawFile:
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise CompanionError(f"{path} is not a valid FHIR Bundle: its entry is not a list")
    resources, broken = [], []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            broken.append((index, "the entry is not a JSON object"))
            continue
        resource = entry.get("resource")
        if resource is None:  # e.g. a DELETE request in a transaction: nothing to import
            continue
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            broken.append((index, "the entry's resource has no resourceType"))
            continue
        full_url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
        resources.append(RawResource(index, resource, full_url))
    return RawFile(path, size, tuple(resources), tuple(broken))


def _ndjson(path: Path, size: int, text: str) -> RawFile:
    """One resource per line (FHIR bulk data); a line that is not a resource is reported, the rest imports."""
    resources, broken = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            broken.append((number, f"not JSON ({exc.msg})"))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
            broken.append((number, "not a FHIR resource"))
            continue
        resources.append(RawResource(number, data))
    if not resources:
        raise CompanionError(f"{path} is not FHIR JSON: no line holds a FHIR resource")
    return RawFile(path, size, tuple(resources), tuple(broken), ndjson=True)
