"""`companion import`: FHIR files into the database. Every file is read and mapped first (so a file that is
not FHIR stops the import before anything is written), then each file is written in one transaction; a
cancel rolls back the transaction in progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from companion.fhir.files import expand_paths, read_file
from companion.fhir.items import write_note, write_priority
from companion.fhir.parse import Skip
from companion.fhir.patient_map import PatientFacts
from companion.fhir.plan import FilePlan, Step, plan_file
from companion.fhir.visit_map import VisitFacts
from companion.fhir.writer import NotUsed, Unusable, Writer
from companion.store import Store

READING_SHARE = 0.7  # of the progress bar: parsing is most of the work, writing the rest
KINDS = ("patients", "visits", "clinicians", "priorities", "notes")


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

    def count(self, what: str, outcome: str) -> int:
        return self.counts[(what, outcome)]

    def changes(self) -> list[str]:
        """ "patients 6 new, 1 updated" for each kind of row the import touched."""
        lines = []
        for what in KINDS:
            new, updated, same = (self.count(what, o) for o in ("new", "updated", "unchanged"))
            if new or updated:
                lines.append(f"{what} {new} new, {updated} updated" + (f", {same} unchanged" if same else ""))
        return lines

    def headline(self) -> str:
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        if self.cancelled:
            return f"import cancelled: nothing from the file in progress was saved ({files} saved before)"
        return (
            f"imported {files}"
            + ("" if self.changes() else ": nothing changed")
            + (f"; {len(self.skipped)} resource{'s' if len(self.skipped) != 1 else ''} skipped" if self.skipped else "")
        )

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
        }


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    atomic: bool = False,
) -> ImportReport:
    """Import FHIR R4 JSON files and folders. `progress` is called now and then; `cancel` is asked between
    resources and, once it says True, the transaction in progress is rolled back. With `atomic`, all files
    share one transaction, so a cancel leaves the database exactly as it was (the window's import dialog)."""
    files = expand_paths(paths)
    report = ImportReport()
    sizes = [path.stat().st_size for path in files]
    total, done = max(sum(sizes), 1), 0
    sensitive = lambda text: store.content.sensitive_category(text) is not None  # noqa: E731
    plans: list[FilePlan] = []
    for number, (path, size) in enumerate(zip(files, sizes, strict=True), start=1):
        if cancel and cancel():
            report.cancelled = True
            return report
        _tell(progress, READING_SHARE * done / total, "reading", number, len(files))
        plans.append(plan_file(read_file(path), sensitive))
        done += size
    steps_total, steps_done = max(sum(len(p.steps) for p in plans), 1), 0

    def write(plan: FilePlan, writer: Writer, number: int) -> bool:
        nonlocal steps_done
        _tell(progress, READING_SHARE + (1 - READING_SHARE) * steps_done / steps_total, "saving", number, len(plans))
        for step in plan.steps:
            if cancel and cancel():
                return False
            _write_step(writer, plan, step, report)
            steps_done += 1
            if progress and steps_done % 50 == 0:
                fraction = READING_SHARE + (1 - READING_SHARE) * steps_done / steps_total
                _tell(progress, fraction, "saving", number, len(plans))
        return not (cancel and cancel())

    if atomic:
        with store.session() as session:
            writer = Writer(session, store.content)
            for number, plan in enumerate(plans, start=1):
                if not write(plan, writer, number):
                    report.cancelled = True
                    report.skipped.clear()
                    return report  # leaving the session without commit rolls everything back
            session.commit()
            report.counts.update(writer.counts)
        report.files = len(plans)
        _collect(report, plans)
    else:
        for number, plan in enumerate(plans, start=1):
            with store.session() as session:
                writer = Writer(session, store.content)
                if not write(plan, writer, number):
                    report.cancelled = True
                    return report
                session.commit()
            report.counts.update(writer.counts)
            report.files += 1
            _collect(report, [plan])
    _tell(progress, 1.0, "saving", len(plans), len(plans))
    return report


def _write_step(writer: Writer, plan: FilePlan, step: Step, report: ImportReport) -> None:
    facts = step.facts
    try:
        if isinstance(facts, PatientFacts):
            writer.patient(facts, step.aliases)
        elif isinstance(facts, VisitFacts):
            writer.visit(facts, step.aliases)
        elif hasattr(facts, "scope"):
            write_priority(writer, facts, step.aliases)
        else:
            write_note(writer, facts, step.aliases)
    except Unusable as problem:
        plan.skip(step.entry, step.label, str(problem))
    except NotUsed as quiet:
        plan.unused[f"{step.label.split('/')[0].split(' ')[0]} ({quiet})"] += 1


def _collect(report: ImportReport, plans: list[FilePlan]) -> None:
    for plan in plans:
        report.skipped.extend(plan.skipped)
        report.unused.update(plan.unused)


def _tell(progress, fraction: float, stage: str, number: int, count: int) -> None:
    if progress is not None:
        progress(ImportProgress(min(max(fraction, 0.0), 1.0), stage, number, count))
