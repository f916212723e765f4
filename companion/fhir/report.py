"""What an import tells as it goes (a fraction and plain words) and what it reports at the end: rows new,
updated and unchanged, resources skipped with the reason, resources not used."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from companion.fhir.limits import NOT_UTF8
from companion.fhir.parse import Skip

KINDS = ("patients", "visits", "clinicians", "priorities", "care_goals", "notes")


@dataclass(frozen=True)
class ImportProgress:
    fraction: float  # 0..1 over the whole import
    stage: str  # "reading" or "saving"
    file_number: int
    file_count: int

    def message(self) -> str:
        """Plain words with no file name (Synthea names files after the patient)."""
        doing = "Reading" if self.stage == "reading" else "Saving"
        return f"{doing} file {self.file_number} of {self.file_count}"


@dataclass
class ImportReport:
    files: int = 0  # files written (all of them, unless cancelled)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: list[Skip] = field(default_factory=list)
    unused: Counter[str] = field(default_factory=Counter)
    cancelled: bool = False
    paths: list[str] = field(default_factory=list)  # the files read, in order: file 1, 2... as the window names them
    shortened: int = 0  # texts longer than the app keeps (companion.fhir.values.plain), each counted once

    def file_number(self, path: str) -> int:
        return self.paths.index(path) + 1

    def count(self, what: str, outcome: str) -> int:
        return self.counts[(what, outcome)]

    def changes(self) -> list[str]:
        """ "patients 6 new, 1 updated" for each kind of row the import touched."""
        lines = []
        for what in KINDS:
            new, updated, same = (self.count(what, o) for o in ("new", "updated", "unchanged"))
            if new or updated:
                words = what.replace("_", " ")
                lines.append(f"{words} {new} new, {updated} updated" + (f", {same} unchanged" if same else ""))
        return lines

    def headline(self) -> str:
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        if self.cancelled:
            return f"import cancelled: nothing from the file in progress was saved ({files} saved before)"
        return (
            f"imported {files}" + ("" if self.changes() else ": nothing changed") + self._skipped() + self._shortened()
        )

    def _skipped(self) -> str:
        """Resources skipped, and apart from them answers left out of a response that was imported: counted as
        resources, the portal's response read as lost when the patient's other answers were in."""
        whole = sum(not skip.part for skip in self.skipped)
        parts = len(self.skipped) - whole
        return (f"; {whole} resource{'s' if whole != 1 else ''} skipped" if whole else "") + (
            f"; {parts} answer{'s' if parts != 1 else ''} not used" if parts else ""
        )

    def _shortened(self) -> str:
        """What was cut, said at once: the glance and the prep card show such a text ending in "…"."""
        if not self.shortened:
            return ""
        return f"; {self.shortened} text{'s' if self.shortened != 1 else ''} too long, shortened (ending in …)"

    def advice(self, name: Callable[[str], str] = str) -> list[str]:
        """What to do where one cause explains the skipped lines: in a file saved in another encoding (a Latin-1 or
        Windows-1252 export) each entry with an accented letter is not UTF-8, so a patient named Müller is skipped
        and what needs them may be too. `name` names a file (the window names it by its number)."""
        files = dict.fromkeys(s.file for s in self.skipped if s.reason == NOT_UTF8)
        return [
            f"{name(file)} holds text that is not UTF-8 (saved as Latin-1 or Windows-1252, perhaps): save it as "
            "UTF-8 and import it again (nothing is imported twice)"
            for file in files
        ]

    def summary(self) -> str:
        """One line for the command line."""
        return self.headline() + ("; " + "; ".join(self.changes()) if self.changes() else "")

    def to_json(self) -> dict:
        return {
            "files": self.files,
            "cancelled": self.cancelled,
            **{w: {o: self.count(w, o) for o in ("new", "updated", "unchanged")} for w in KINDS},
            "skipped": [s.to_json() for s in self.skipped],
            "not_used": dict(sorted(self.unused.items())),
            "shortened": self.shortened,
        }
