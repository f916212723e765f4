"""FHIR JSON files (a Bundle, a single resource, or NDJSON): found, sniffed, and read an entry at a time.

Every file is sniffed before anything is written (its start, or its first non-empty line), so a file that is not
FHIR JSON at all (not UTF-8, not JSON, no resourceType) stops the import with one clear line. What passes is
read in pieces: an NDJSON file a line at a time, a Bundle an entry at a time, never the whole file at once.
An entry that is not JSON, not a resource or breaks a limit of companion.fhir.limits is reported and the rest
goes on; a Bundle that breaks off half-way keeps the entries before the break (companion.fhir.bundle)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from companion.errors import CompanionError
from companion.fhir.bundle import BundleReader, refuse_packed, sniff_json
from companion.fhir.entries import NotFhir, RawEntry
from companion.fhir.ndjson import ndjson_entries, sniff_ndjson
from companion.storage.paths import expanded, followed
from companion.storage.sqlite_file import is_database_or_side_file

SUFFIXES = (".json", ".ndjson", ".jsonl")
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
PACKED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zip", ".7z")  # as a Bulk export's files are often sent


@dataclass(frozen=True)
class FhirFile:
    """A file that looks like FHIR JSON: `kind` is "ndjson", "Bundle" or the resourceType of its one resource."""

    path: Path
    size: int
    kind: str

    @property
    def ndjson(self) -> bool:
        """Then an entry's index is a line number, not a Bundle entry."""
        return self.kind == "ndjson"

    def entries(self, read: Callable[[int], None] = lambda done: None) -> Iterator[RawEntry]:
        """Each entry in turn; `read` hears now and then how many bytes of the file are behind."""
        if self.ndjson:
            return ndjson_entries(self.path, read)
        return BundleReader(self.path, self.kind).entries(read)


# A Bulk Data export's files are named by the type they hold ("Encounter.ndjson", "Encounter_2.ndjson"): the
# people and visits are read before what is filed under them, so a message finds its visit (and a restricted
# visit's label) in the same import, whatever the alphabet says.
READ_FIRST = {"patient", "relatedperson", "practitioner", "practitionerrole", "organization", "location"}
READ_NEXT = {"appointment", "encounter"}
TYPE_IN_NAME = re.compile(r"[A-Za-z]+")


def _read_order(path: Path) -> tuple[int, str]:
    """People first, then visits, then the rest; by name within each. The type is a word of the name
    ("Encounter.000.ndjson", "encounter_2.ndjson", "1.Encounter.ndjson")."""
    words = {word.casefold() for word in TYPE_IN_NAME.findall(path.name)}  # "output-Encounter-000.ndjson" too
    rank = 0 if words & READ_FIRST else 1 if words & READ_NEXT else 2
    return rank, str(path)


def _fhir_name(path: Path) -> bool:
    """Whether a file in a folder is named as FHIR JSON: "Encounter.ndjson", and "Encounter.ndjson.gz" too, which
    the sniff then refuses with what to do (left out unread, its visits would be missing without a word)."""
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    if suffixes and suffixes[-1] in PACKED_SUFFIXES:
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in SUFFIXES


def expand_paths(paths: Iterable[str | Path], database: Path | None = None) -> list[Path]:
    """Files as given, folders searched for FHIR files (in the same order every run: a Bulk export's people and
    visits before the rest, then by name). The database in use (`database`) and its side files are refused
    before anything is opened: reading them here would drop this process's locks on them (storage.sqlite_file)."""
    found: list[Path] = []
    for given in paths:
        if not str(given).strip():  # Path("") is the current folder: a script's unset variable would import it
            raise CompanionError("a file or folder name is empty; nothing was imported")
        path = expanded(given)
        if path.is_dir():
            _refuse_unreadable_folders(path)
            named = [p for p in path.rglob("*") if _fhir_name(p)]
            for link in (p for p in named if p.is_symlink() and not p.exists()):
                # A file of the export that is not there: imported without it, the clinic would not know.
                raise CompanionError(f"{link} is a link to a file that does not exist; nothing was imported")
            inside = sorted((p for p in named if p.is_file()), key=_read_order)
            if not inside:
                raise CompanionError(f"no FHIR files (*.json, *.ndjson) in the folder {path}")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        elif path.exists():  # a pipe, a device: reading it could wait for ever or never end
            raise CompanionError(f"{path} is not a file or a folder: import a FHIR file, or a folder of them")
        elif path.is_symlink():
            followed(path)  # a loop of links is named as one
            raise CompanionError(f"{path} is a link to a file that does not exist; nothing was imported")
        else:
            raise CompanionError(f"no such file or folder: {path}")
    if not found:
        raise CompanionError("no files to import")
    for path in found if database is not None else ():
        if is_database_or_side_file(path, database):
            raise CompanionError(f"{path} is the database or one of its own files, not FHIR JSON; nothing was imported")
    # A file named twice is read once; files named one by one are read people and visits first too (a stable sort)
    return sorted(dict.fromkeys(found), key=lambda path: _read_order(path)[0])


def _refuse_unreadable_folders(folder: Path) -> None:
    """A folder (or one inside it) the user may not read is skipped by a search without a word: the import would
    say "no FHIR files", or leave that part of an export out."""

    def refuse(error: OSError) -> None:
        raise CompanionError(
            f"the folder {error.filename} cannot be read ({error.strerror}); nothing was imported"
        ) from None

    for _ in os.walk(folder, onerror=refuse):
        pass


class NotFhirFile(CompanionError):
    """A file that cannot be imported, with its path and its place among the import's files apart from the words:
    the window names it by number (Synthea names files after the patient), the command line by its path."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path} {problem}")
        self.path, self.problem = path, problem
        self.number = self.count = 0


def sniff_all(paths: list[Path]) -> list[FhirFile]:
    """Every file's kind (sniff); the first that is not FHIR JSON stops the import, numbered among them all."""
    files = []
    for number, path in enumerate(paths, start=1):
        try:
            files.append(sniff(path))
        except NotFhirFile as problem:
            problem.number, problem.count = number, len(paths)
            raise
    return files


def sniff(path: Path) -> FhirFile:
    """The file's kind, from its start; a file that is not FHIR JSON is an error (its content is never quoted)."""
    try:
        size = path.stat().st_size
        if size == 0:  # an export cut off before its first byte, or the wrong file: said so, not as a JSON error
            raise NotFhirFile(path, "is empty (0 bytes): nothing to import")
        refuse_packed(path)
        kind = "ndjson" if path.suffix.lower() in NDJSON_SUFFIXES else sniff_json(path)
        if kind == "ndjson":
            sniff_ndjson(path)
    except NotFhir as exc:
        what = "a valid FHIR Bundle" if str(exc) == "its entry is not a list" else "FHIR JSON"
        raise NotFhirFile(path, f"is not {what}: {exc}") from None
    except OSError as exc:  # unreadable (permissions), or gone since the folder was read: named as the others are
        raise NotFhirFile(path, f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    return FhirFile(path, size, kind)
