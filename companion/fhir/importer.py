"""`companion import`: FHIR files into the database, in bounded memory whatever their size.

Every file is sniffed first, so a file that is not FHIR JSON stops the import before anything is written. Then
each file is read in two passes (companion.fhir.plan) and written in one transaction; with `atomic` (the
window's import) every file is read first and all are written in a single transaction. A cancel is heard
between resources and rolls back the transaction in progress. Limits on what one entry may hold are in
companion.fhir.limits; a file that breaks off half-way keeps the entries before the break (one line says so)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from companion.fhir.answer_map import AnswersNow, CareGoalFacts
from companion.fhir.entries import RawEntry
from companion.fhir.files import FhirFile, expand_paths, sniff_all
from companion.fhir.items import retract_unsaid, write_care_goal, write_note, write_priority
from companion.fhir.own_export import leave_out_what_was_exported_here
from companion.fhir.patient_map import PatientFacts
from companion.fhir.plan import Deleted, FilePlan, Step, index_entries, map_entries
from companion.fhir.practitioner_map import PractitionerFacts
from companion.fhir.questionnaire_answers import PatientAnswerFacts, write_patient_answers
from companion.fhir.report import ImportProgress, ImportReport
from companion.fhir.story import StoryRules
from companion.fhir.triage import kept_for_second_pass
from companion.fhir.values import counting_shortened
from companion.fhir.visit_map import VisitFacts
from companion.fhir.writer import NotUsed, Retention, Unusable, Writer
from companion.read.models import Changed
from companion.services.retention import kept_since
from companion.storage.changes import Tally, changed
from companion.storage.store import Store

__all__ = ["ImportProgress", "ImportReport", "import_paths"]

# Each file's share of the progress bar, split by what takes the time: validation and mapping in the second pass.
INDEX_SHARE, MAP_SHARE, SAVE_SHARE = 0.1, 0.6, 0.3
CANCEL_EVERY = 500  # entries read between two questions to `cancel` (each written row asks too)
IN_MEMORY_BYTES = 4_000_000  # a file this small is parsed once, the entries the app may use kept for the second pass


class Cancelled(Exception):
    """`cancel` said yes: leave the transaction in progress without committing it."""


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    atomic: bool = False,
) -> Changed[ImportReport]:
    """Import FHIR R4 JSON files and folders; the change's result is the report. `progress` is called now and
    then; `cancel` is asked between resources and, once it says True, the transaction in progress is rolled back.
    With `atomic`, all files share one transaction, so a cancel leaves the database exactly as it was (the
    window's import dialog)."""
    files = sniff_all(expand_paths(paths, store.sqlite_file))  # all of them, before anything is written
    report = ImportReport(paths=[str(file.path) for file in files])
    meter = _Meter(progress, files)
    asked = cancel or (lambda: False)
    tally = Tally()
    story = StoryRules.from_content(store.content)  # what of a record is the patient's story (story_codes.toml)
    unsettled: set[str] = set()  # patient keys a file gave to two different people: later files file nothing there
    touched: dict[tuple[type, int], str] = {}  # how each row written is counted: once (Writer.tally)
    retention = Retention(kept_since(store))  # older visits, and what is filed under them, are left out
    with counting_shortened() as shortened:  # texts longer than the app keeps: the report counts them
        try:
            if atomic:
                plans = [_plan(file, number, meter, asked, story) for number, file in enumerate(files, start=1)]
                for plan in plans:
                    leave_out_what_was_exported_here(store, plan)
                with store.writing() as session:
                    writer = Writer(session, store.content, unsettled, retention, touched)
                    for number, plan in enumerate(plans, start=1):
                        _write(writer, plan, number, meter, asked)
                    session.commit()
                    tally.merge(changed(session))
                report.counts.update(writer.counts)
                report.files = len(plans)
                _collect(report, plans)
            else:
                for number, file in enumerate(files, start=1):
                    plan = _plan(file, number, meter, asked, story)
                    leave_out_what_was_exported_here(store, plan)
                    with store.writing() as session:
                        writer = Writer(session, store.content, unsettled, retention, touched)
                        _write(writer, plan, number, meter, asked)
                        session.commit()
                        tally.merge(changed(session))
                    report.counts.update(writer.counts)
                    report.files += 1
                    _collect(report, [plan])
        except Cancelled:  # leaving the session without commit rolled its transaction back
            report.cancelled = True
            if atomic:
                report.skipped.clear()
            return tally.changed(report)
        report.shortened = len(shortened)
    meter.finish()
    return tally.changed(report)


def _plan(file: FhirFile, number: int, meter: _Meter, asked: Callable[[], bool], story: StoryRules) -> FilePlan:
    """Both passes over one file. A small file is parsed once: the first pass keeps its entries for the second,
    except the resources the app will not use, kept as their count alone (companion.fhir.triage)."""
    if asked():
        raise Cancelled
    meter.tell("reading", number)
    plan = FilePlan(str(file.path), file.size, file.ndjson)
    kept: list[RawEntry] | None = [] if file.size <= IN_MEMORY_BYTES else None

    def reading(share: float) -> Iterator[RawEntry]:
        for entry in file.entries(lambda done: meter.tell("reading", number, share, done)):
            if kept is not None:
                kept.append(kept_for_second_pass(entry, story))
            yield entry

    def passing(entries: Iterable[RawEntry], share: float) -> Iterator[RawEntry]:
        for count, entry in enumerate(entries, start=1):
            if count % CANCEL_EVERY == 0:
                if asked():
                    raise Cancelled
                if entries is kept:
                    meter.tell("reading", number, share, file.size * count / len(kept))
            yield entry
        meter.done(share * file.size)

    index = index_entries(passing(reading(INDEX_SHARE), INDEX_SHARE), plan)
    map_entries(passing(reading(MAP_SHARE) if kept is None else kept, MAP_SHARE), plan, index, story)
    return plan


def _write(writer: Writer, plan: FilePlan, number: int, meter: _Meter, asked: Callable[[], bool]) -> None:
    """The plan's rows in order, `cancel` asked before each and once after the last."""
    meter.tell("saving", number)
    writer.restricted_in_file(plan.patient_labels)
    writer.unsettled.update(plan.clashing)
    writer.expect(plan.steps)
    total = max(len(plan.steps), 1)
    for written, step in enumerate(plan.steps):
        if asked():
            raise Cancelled
        _write_step(writer, plan, step)
        if written % 50 == 49:
            meter.tell("saving", number, SAVE_SHARE, plan.size * (written + 1) / total)
    writer.write_new_visits()
    writer.give_what_waited()
    writer.restrict_the_rest()
    if asked():
        raise Cancelled
    meter.done(SAVE_SHARE * plan.size)


def _write_step(writer: Writer, plan: FilePlan, step: Step) -> None:
    facts = step.facts
    if not isinstance(facts, VisitFacts):
        writer.write_new_visits()  # the visits of the steps before, which this one may name
    if step.key and writer.older_than_written(step.key, step.version[0]):
        plan.unused[f"{_kind(step)} (older than the version imported before)"] += 1
        return
    try:
        if isinstance(facts, PatientFacts):
            writer.patient(facts, step.aliases, step.superseded)
        elif isinstance(facts, VisitFacts):
            writer.visit(facts, step.aliases, step.superseded)
        elif isinstance(facts, PractitionerFacts):
            writer.practitioner(facts)
        elif isinstance(facts, PatientAnswerFacts):
            write_patient_answers(writer, facts)
        elif isinstance(facts, CareGoalFacts):
            write_care_goal(writer, facts, step.aliases)
        elif isinstance(facts, AnswersNow):
            retract_unsaid(writer, facts)
        elif isinstance(facts, Deleted):
            writer.deleted(facts.key, list(step.aliases))
        elif hasattr(facts, "scope"):
            write_priority(writer, facts, step.aliases)
        else:
            write_note(writer, facts, step.aliases)
    except Unusable as problem:
        plan.skip(step.entry, step.label, str(problem))
        return
    except NotUsed as quiet:
        plan.unused[f"{_kind(step)} ({quiet})"] += 1
        return
    if step.key:
        writer.written_version(step.key, step.version[0])


def _kind(step: Step) -> str:
    """The resource type of a step, as the report counts what was not used ("Flag/f1" is a Flag)."""
    return step.label.split("/")[0].split(" ")[0]


def _collect(report: ImportReport, plans: list[FilePlan]) -> None:
    for plan in plans:
        report.skipped.extend(plan.skipped)
        report.unused.update(plan.unused)


class _Meter:
    """Progress as a fraction of all the work: each file weighs its size, shared out between its two reading
    passes (told by bytes read) and its saving (told by rows written). Told at most once per thousandth."""

    def __init__(self, progress: Callable[[ImportProgress], None] | None, files: list[FhirFile]) -> None:
        self._progress = progress
        self._count = len(files)
        self._total = max(sum(file.size for file in files), 1)
        self._done = 0.0  # the work of finished passes, in bytes
        self._told: tuple[float, str, int] = (-1.0, "", 0)

    def done(self, work: float) -> None:
        self._done += work

    def tell(self, stage: str, number: int, share: float = 0.0, within: float = 0.0, end: bool = False) -> None:
        if self._progress is None:
            return
        fraction = 1.0 if end else min((self._done + share * within) / self._total, 1.0)
        last, *where = self._told
        if where == [stage, number] and fraction < last + 0.001 and not end:
            return
        self._told = (max(fraction, last), stage, number)
        self._progress(ImportProgress(max(fraction, last), stage, number, self._count))

    def finish(self) -> None:
        self.tell("saving", self._count, end=True)
