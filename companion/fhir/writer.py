"""Facts to rows inside one transaction: patients, clinicians and visits found by where they came from, so a
re-import writes nothing and an updated file updates. Clinicians are matched in companion.fhir.clinicians,
priorities, care goals and notes written in companion.fhir.items.

A visit's status only moves forward: scheduled, roomed, prepared, in visit, then cancelled or missed (no-show),
then done. So a re-import of an older file never undoes what happened since; a record that cancels a visit or
says the patient did not come closes it unless it is done already; a cancelled or missed visit stays so unless a
record says it took place after all (done); and the first of cancelled or missed stands."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session, SQLModel, select

from companion.content import Content
from companion.fhir.agenda_words import AgendaWords
from companion.fhir.clinicians import Clinicians
from companion.fhir.fact_map import AS_A_NAME, NO_SIGNALS, Signals
from companion.fhir.keyed_rows import KeyedRows, values_by_key
from companion.fhir.patient_map import DIED_UNDATED, NO_NAME, PatientFacts, given_in_text, language_code
from companion.fhir.practitioner_map import PractitionerFacts
from companion.fhir.profile import RECORD_VISIT_REASON, labels_as_lines, labels_from_lines
from companion.fhir.record_said import ALL, WhatTheRecordSaid
from companion.fhir.refs import ABSOLUTE, is_ambiguous, key_type, server_address
from companion.fhir.visit_map import VisitFacts
from companion.privacy.name_line import left_off_the_name_line
from companion.privacy.rules import Verdict, public_name
from companion.storage.models import (
    NOT_TAKING_PLACE,
    CareGoal,
    ContextNote,
    Patient,
    PatientIdentifier,
    Priority,
    RecordVersion,
    Visit,
    VisitMode,
    VisitStatus,
    stored_utc,
    utcnow,
)
from companion.storage.new_ids import NewIds
from companion.storage.waiting import record_visit_key, take_what_waited, words_wait_for

if TYPE_CHECKING:
    from companion.fhir.plan import Step  # the plan imports this module (through questionnaire_answers)

# How far along a visit is: an import moves a visit forward, never back (see above).
STATUS_RANK = {
    VisitStatus.scheduled: 0,
    VisitStatus.roomed: 1,
    VisitStatus.prepared: 2,
    VisitStatus.in_visit: 3,
    VisitStatus.cancelled: 4,
    VisitStatus.no_show: 4,
    VisitStatus.done: 5,
}


OUTCOME_RANK = {"unchanged": 0, "updated": 1, "new": 2}  # how a row is counted when an import writes it twice


class NotUsed(Exception):
    """The resource is valid but adds nothing here (a completed goal never seen before); not an error."""


class Unusable(Exception):
    """The resource cannot be imported (its patient cannot be found); reported with the reason."""


VERDICTS_KEPT = 4096  # distinct wordings (or names) judged in one transaction before the memo starts again
# Why a resource whose id names another patient's row here is not imported (find_theirs).
BARE_PATIENT = re.compile(r"Patient/[A-Za-z0-9\-.]{1,64}")  # a reference that names no server
ITEM_TABLES = {ContextNote: "notes", Priority: "priorities", CareGoal: "care_goals"}  # as counted in the report
DELETED = "deleted in the health record"
MOVED_AWAY = "moved to another patient in the health record"
ANOTHER_PATIENTS = "its id names another patient's record here (two sources giving the same id?): not imported"
TOO_OLD = "older than the clinic keeps visits"
BOOKED_WITHIN = timedelta(hours=1)  # an Encounter this near a booked visit's start, that day, took place for it


CLOCK_AHEAD = timedelta(days=1)  # a version stamped further ahead than this came from a wrong clock


@dataclass
class Retention:
    """The clinic's retention, for one import (companion.services.retention): it makes no visit a purge removes,
    nor what was filed under one; a nightly import of the whole record would otherwise undo every purge. Shared by
    the files of an import: an answer in one file may name an Encounter left out from another."""

    since: datetime | None  # the clinic's wall-clock time: visits before it are not kept; None: all are
    visits_left_out: set[str] = field(default_factory=set)  # their keys, unless a later version of one was kept

    def too_old(self, when: datetime | None) -> bool:
        """Whether a moment (the clinic's wall-clock time, or aware) is before what the clinic keeps."""
        if self.since is None or when is None:
            return False
        return when < (self.since if when.tzinfo is None else self.since.astimezone())

    def left_out(self, visit_key: str | None, said_at: datetime | None) -> bool:
        """Whether an item filed under this visit, which is not here, belongs to a visit the clinic no longer keeps:
        one this import left out, or one the record does not send again whose item is older than what is kept
        (the purge removed the visit; the item would otherwise come back on a newer one)."""
        return visit_key is not None and (visit_key in self.visits_left_out or self.too_old(said_at))


class Writer:
    """One per transaction. Caches rows by key, so a Bundle of 600 entries asks the database once per row, and an
    export of 50,000 answers to the same few questions once per question."""

    def __init__(
        self,
        session: Session,
        content: Content,
        unsettled: set[str] | None = None,
        retention: Retention | None = None,
        touched: dict[tuple[type, int], str] | None = None,
    ) -> None:
        self.session = session
        self.content = content
        self.retention = retention or Retention(None)
        # Patient keys an earlier file of this import gave to two different people (plan.FilePlan.clashing)
        self.unsettled = unsettled if unsettled is not None else set()
        self.counts: Counter[tuple[str, str]] = Counter()  # (what, "new" | "updated" | "unchanged")
        # How each row the import wrote is counted, by table and id (shared by its files): once, whatever its later
        # versions in the import do ("patients 1 new, 1 updated" for one patient sent in two versions misled)
        self.touched = touched if touched is not None else {}
        self._patients: dict[str, int] = {}
        self._servers: set[str] | None = None  # the servers whose addresses key stored patients (asked once)
        self._versions: dict[str, datetime | None] = {}  # resource key: when the record last changed what was written
        self._visits: dict[str, int] = {}
        self._taken_by_encounters: set[int] = set()  # booked visits an unlinked Encounter took (_booked_visit)
        self._bookings: dict[int, list] = {}  # each patient's visits an Appointment booked (_bookings_of)
        self._died: dict[str, datetime] = {}  # patients of this import the record says have died, and when
        self._rows = KeyedRows(session)
        self._new_ids = NewIds(session)
        self._unwritten_visits = False  # new visits added, not flushed yet (save)
        self.agenda = AgendaWords(session)  # the words of the priorities written, by visit and by question
        self._verdicts: dict[tuple[str, Signals], Verdict] = {}  # the rules are pure: "Never smoker" judged once
        self._public_names: dict[tuple[str, str], str] = {}  # name_publicly's, the doctor of 600 visits once
        self._restricted: dict[int, tuple[tuple[str, str], ...]] = {}  # patient id: their record's own labels
        self._languages: dict[int, str] = {}  # patient id: the code of the language they speak, as stored
        self._restricted_keys: dict[str, tuple[tuple[str, str], ...]] = {}  # by their Patient in the file written
        self._restricted_visits: dict[int, tuple[tuple[str, str], ...]] = {}  # visit id: its record's own labels
        self._waiting: dict[int, bool] = {}  # patient id: whether words wait for a visit (_expect_what_waited)
        self._arrived: dict[int, list[str]] = {}  # visit id: its keys, for what waited for it (give_what_waited)
        self.clinicians = Clinicians(session, self.count)
        self.said = WhatTheRecordSaid(session)

    def judge(self, text: str, signals: Signals, patient_id: int | None = None, visit_id: int | None = None) -> Verdict:
        """Whether an imported fact is private: the record's labels and codes, this app's own mark, the wording.
        A fact about a patient whose own record is restricted, or filed under a visit whose record is, carries that
        record's labels too."""
        if signals.patients_words and not signals.language:  # the language they speak, else the file's
            spoken = self._spoken(patient_id) if patient_id is not None else ""
            # whichever of the two the rules cannot read: "English" stored, a pt-BR Bundle, is not read as English
            unread = [code for code in (signals.file_language, spoken) if code and not self._reads(code)]
            signals = replace(signals, language=(unread or [spoken or signals.file_language])[0])
        restricted = (
            *(self._restricted.get(patient_id, ()) if patient_id is not None else ()),
            *signals.patient_labels,
            *self._visit_labels(visit_id),
        )
        if restricted:
            own = self._verdict(text, signals)
            if own.private:  # its own category first: a safety statement keeps its place ahead of the rest
                return own
            signals = replace(signals, labels=(*signals.labels, *restricted))
        return self._verdict(text, signals)

    def _visit_labels(self, visit_id: int | None) -> tuple[tuple[str, str], ...]:
        """The restricting labels a visit's own record gave it (Visit.record_labels), read once per import."""
        if visit_id is None:
            return ()
        if visit_id not in self._restricted_visits:
            visit = self.session.get(Visit, visit_id)
            self._restricted_visits[visit_id] = labels_from_lines(visit.record_labels) if visit is not None else ()
        return self._restricted_visits[visit_id]

    def _restrict_visit(self, row: Visit, labels: tuple[tuple[str, str], ...]) -> dict:
        """The labels a visit's row keeps (never lifted by an import, as a patient's), as values to save; when they
        are new, what earlier files filed under the visit becomes private."""
        before = labels_from_lines(row.record_labels)
        kept = self._restricted_visits[row.id] = self._kept_labels(before, labels)
        if kept == before:
            return {}
        self._make_private(kept, _imported_on(row.id))
        return {"record_labels": labels_as_lines(kept)}

    def _restrict_what_waited(self, row: Visit, keys: list[str]) -> None:
        """What an earlier import filed under this visit's Encounter while no visit here was that Encounter
        (`filed_under`: a Bulk export's Communication.ndjson imported before its Encounter.ndjson) is private
        now that the visit's record turns out restricted."""
        if labels := labels_from_lines(row.record_labels):
            self._make_private(labels, lambda model: (model.patient_id == row.patient_id, model.filed_under.in_(keys)))

    def _expect_what_waited(self, row: Visit, keys: list[str]) -> None:
        """A visit written: what waited for it is given once the whole file is written (give_what_waited), so that
        the earliest of a patient's new visits takes it whatever order the file lists them in."""
        if row.patient_id not in self._waiting:
            self._waiting[row.patient_id] = words_wait_for(self.session, row.patient_id)
        if self._waiting[row.patient_id]:
            self._arrived[row.id] = keys

    def give_what_waited(self) -> None:
        """Today's words filed before their visit was here become its own (companion.storage.waiting), and private
        when its record is restricted."""
        arrived = [(self.session.get(Visit, visit_id), keys) for visit_id, keys in self._arrived.items()]
        self._arrived.clear()
        moved = take_what_waited(self.session, [(row, keys) for row, keys in arrived if row is not None])
        if moved:
            self.agenda.forget()
        for visit_id in {row.visit_id for row in moved}:
            if labels := self._visit_labels(visit_id):
                self._make_private(labels, _imported_on(visit_id))

    def _make_private(self, labels: tuple[tuple[str, str], ...], where: Callable) -> None:
        """The imported notes and priorities `where(model)` selects, private under these labels."""
        verdict = self.judge("", Signals(labels=labels))
        for model, what in ((ContextNote, "notes"), (Priority, "priorities")):
            public = select(model).where(*where(model), model.sensitive.is_(False))
            for item in self.session.exec(public).all():
                self.save(what, item, verdict.columns(), new=False)

    def _reads(self, language: str) -> bool:
        return self.content.privacy.lexicon.reads(language)

    def _verdict(self, text: str, signals: Signals) -> Verdict:
        if (text, signals) not in self._verdicts:
            if len(self._verdicts) >= VERDICTS_KEPT:
                self._verdicts.clear()
            wording = f"{text} {signals.wording}" if signals.wording else text
            privacy = self.content.privacy
            verdict = privacy.judge(
                wording,
                marked=signals.marked,
                codes=signals.codes,
                labels=signals.labels,
                language=signals.language,
                as_name=signals.as_name,
            )
            self._verdicts[(text, signals)] = verdict
        return self._verdicts[(text, signals)]

    def restricted_in_file(self, labels: dict[str, tuple[tuple[str, str], ...]]) -> None:
        """The patients the next file's own Patient resources label, by key (plan.FilePlan.patient_labels)."""
        self._restricted_keys = labels

    def restrict_the_rest(self) -> None:
        """Patients the file's own Patient labels but nothing written named (their Patient skipped, say as two
        copies that clash): the labels still reach the patient an earlier import made."""
        for key in self._restricted_keys:
            if key not in self._patients and (row := self.find(Patient, [key]) or self._by_identifier(key)):
                self._remember(key, row)

    def expect(self, steps: Iterable[Step]) -> None:
        """The patients and visits a file names, looked up before its rows are written: a few queries, not one or
        two per row (a Synthea record has a visit for every encounter)."""
        patients: list[str | None] = []
        visits: list[str | None] = []
        said: list[str] = []
        for step in steps:
            facts = step.facts
            if isinstance(facts, PatientFacts):
                patients += [facts.key, *step.aliases]
                said.append(facts.key)
            elif isinstance(facts, VisitFacts):
                visits += [facts.key, *step.aliases, facts.same_visit_as]
                said.append(facts.key)
            patients.append(getattr(facts, "patient", None))  # the patient a visit or an item is about
        self._expect_versions([step.key for step in steps if step.key])
        self.said.expect(said)
        self._rows.expect(Patient, patients)
        self._rows.expect(Visit, visits)

    def _expect_versions(self, keys: list[str]) -> None:
        wanted = [key for key in dict.fromkeys(keys) if key not in self._versions]
        found = values_by_key(self.session, RecordVersion.key, RecordVersion.updated_at, wanted)
        self._versions.update({key: stored_utc(found[key]) if key in found else None for key in wanted})

    def older_than_written(self, key: str, updated: datetime) -> bool:
        """Whether the record changed this resource after the version given (an earlier import wrote a newer one).
        A version stamped ahead of this desk's clock by more than a day (a server whose clock ran ahead, a typo's
        2099) outranks nothing: trusted, it would have kept every later update out, a cancellation included."""
        if key not in self._versions:
            self._expect_versions([key])
        written = self._versions[key]
        return written is not None and not _ahead(written) and updated < written

    def written_version(self, key: str, updated: datetime) -> None:
        """Remember when the record last changed a resource now written (over a stamp from a clock ahead, always)."""
        written = self._versions.get(key)  # asked before it was written (older_than_written)
        if written is None:
            self.session.add(RecordVersion(key=key, updated_at=updated))
        elif updated > written or _ahead(written):
            self.session.execute(update(RecordVersion).where(RecordVersion.key == key).values(updated_at=updated))
        self._versions[key] = updated if written is None or _ahead(written) else max(updated, written)

    def _record_changed(self, key: str, record: dict, row, superseded: bool) -> set[str] | None:
        """The values of a patient or visit to import over what is here: ALL for a new row; none from a version a
        later one in the file follows (only the newest says what the record says now); else those the record
        has changed since it was last imported (companion.fhir.record_said)."""
        if row is None:
            return ALL
        return set() if superseded else self.said.changed(key, record)

    def find(self, model: type[SQLModel], keys: list[str]):
        """The row imported from any of these keys (the FHIR id first, then identifiers)."""
        for key in keys:
            row = self._rows.find(model, key)
            if row is not None:
                return row
        return None

    def find_theirs(self, model: type[SQLModel], keys: list[str], patient_id: int):
        """The row imported from these keys (the resource's own first, then its aliases), only ever this
        patient's. Two sources that give their own records the same id (a portal's QuestionnaireResponse/7,
        another's) never put one patient's words on another's record: the resource is reported instead; but one
        server's address is one resource, so a row keyed by it that the record now files on another patient moves
        to them (_moved_away). A row an alias names (an identifier, the bare id of a row imported before
        addresses) is another record when it is another patient's: this one is new."""
        own, *aliases = keys
        row = self.find(model, [own])
        if row is not None:
            if row.patient_id == patient_id:
                return row
            if server_address(own.partition("#")[0]) is None:  # an answer's key: "<its response's key>#<linkId>#<n>"
                raise Unusable(ANOTHER_PATIENTS)
            self._moved_away(row)  # one server's address is one resource: its server moved it to this patient
        row = self.find(model, aliases)
        return row if row is not None and row.patient_id == patient_id else None

    def deleted(self, key: str, aliases: list[str]) -> None:
        """The record deleted a resource: the item made of it is taken off (kept, with the reason), the answers
        of a deleted response with it, and a visit not under way or over is cancelled. A patient is never
        removed by an import."""
        if key_type(key) == "Patient":
            raise NotUsed("deleted in the record: an import never removes a patient")
        found = False
        for model in ITEM_TABLES:
            rows = [row] if (row := self.find(model, [key, *aliases])) is not None else []
            if model is Priority:  # a response's answers are keyed by it: "<its key>#<linkId>#<n>"
                answers = Priority.source_key.startswith(f"{key}#", autoescape=True)
                rows += self.session.exec(select(Priority).where(answers)).all()
            if model is ContextNote:  # items kept per question show the value of the resource that last gave one
                said = ContextNote.record_key.in_([key, *aliases])
                rows += [n for n in self.session.exec(select(ContextNote).where(said)).all() if n not in rows]
            for row in rows:
                found = True
                if row.retracted_at is None:
                    values = {"retracted_at": utcnow(), "retraction_reason": DELETED}
                    self.save(ITEM_TABLES[model], row, values, new=False)
        visit = self.find(Visit, [key, *aliases])
        if visit is not None:
            found = True
            if STATUS_RANK.get(visit.status, 0) < STATUS_RANK[VisitStatus.in_visit]:
                self.save("visits", visit, {"status": VisitStatus.cancelled}, new=False)
        if not found:
            raise NotUsed("deleted in the record, never imported here")

    def moved_from_others(self, record: str, patient_id: int | None) -> None:
        """The story items, kept per patient and question, that show the value of a resource one server now files
        on another patient (or on a patient not here yet): they leave the first patient's story (_moved_away).
        A resource named without its server's address may be another source's: nothing is moved for it."""
        if server_address(record) is None:
            return
        query = select(ContextNote).where(ContextNote.record_key == record)
        if patient_id is not None:
            query = query.where(ContextNote.patient_id != patient_id)
        for row in self.session.exec(query).all():
            self._moved_away(row)

    def _moved_away(self, row) -> None:
        """An item the record has moved to another patient (a flag charted on the wrong person, corrected): it
        leaves the first patient's record, kept and taken off with the reason, and no longer answers to the
        record's id; the record's patient gets it as an item of their own."""
        values: dict = {"source_key": None}
        if isinstance(row, ContextNote):
            values["record_key"] = None
        if row.retracted_at is None:
            values.update(retracted_at=utcnow(), retraction_reason=MOVED_AWAY)
        self.save(ITEM_TABLES[type(row)], row, values, new=False)

    def trade_keys(self, row, other, key: str | None = None) -> None:
        """`row` takes `other`'s source key (or `key`, when there is no other) and `other` takes `row`'s: an answer
        that moved place in an amended response (companion.fhir.items). Source keys are unique, so `other` holds
        none for a moment."""
        earlier = row.source_key
        moves = [(other, None), (row, other.source_key if other is not None else key), (other, earlier)]
        for moved, new_key in moves:
            if moved is not None:
                before, moved.source_key = moved.source_key, new_key
                self.session.add(moved)
                self.session.flush()
                self._rows.saved(moved, before)

    def count(self, what: str, outcome: str) -> None:
        self.counts[(what, outcome)] += 1

    def save(self, what: str, row: SQLModel, values: dict, new: bool) -> bool:
        """Set only the values that differ; returns whether anything changed. A new visit is given its id and
        written at the next flush (with the visits after it); any other row is written at once, after them."""
        new_visit = new and isinstance(row, Visit)
        if not new_visit:
            self.write_new_visits()
        changed = {name: value for name, value in values.items() if not _same(getattr(row, name), value)}
        earlier_key = None if new else getattr(row, "source_key", None)
        for name, value in changed.items():
            setattr(row, name, value)
        if getattr(row, "filed_under", None) or _is_record_visit(row):
            self._waiting[row.patient_id] = True  # filed to wait for a visit not here yet
        if new_visit:
            self._new_ids.give(row)
            self.session.add(row)
            self._unwritten_visits = True
        elif new or changed:
            self.session.add(row)
            self.session.flush()
        self._rows.saved(row, earlier_key)
        self.tally(what, row, "new" if new else "updated" if changed else "unchanged")
        return new or bool(changed)

    def write_new_visits(self) -> None:
        """Write the new visits not written yet. Before any other write: the database checks that what a row
        names exists, and a flush does not order one table's rows before another's (they have no relationship)."""
        if self._unwritten_visits:
            self.session.flush()
            self._unwritten_visits = False

    def tally(self, what: str, row: SQLModel, outcome: str) -> None:
        """Count a row once in the import: new if it made the row, else updated if any version changed it, else
        unchanged."""
        key = (type(row), row.id)
        before = None if outcome == "new" else self.touched.get(key)  # a new row may reuse a deleted row's id
        if before is not None and OUTCOME_RANK[before] >= OUTCOME_RANK[outcome]:
            return
        if before is not None:
            self.counts[(what, before)] -= 1
        self.count(what, outcome)
        self.touched[key] = outcome

    # patients -------------------------------------------------------------------------------------------
    def patient(self, facts: PatientFacts, aliases: list[str], superseded: bool = False) -> None:
        facts = replace(facts, recorded_name=self.name_publicly(facts.recorded_name))  # found and kept by it
        row = self.find(Patient, [facts.key, *(a for a in aliases if "?" in a)])  # its id, else an identifier
        if row is None and ("?identifier=" in facts.key or "#content-" in facts.key):  # no id: perhaps a record
            # an earlier version keyed by its SSN, found again by the record number it kept
            for alias in (a for a in [facts.key, *aliases] if "?identifier=" in a and row is None):
                row = self._by_identifier(alias)
        if row is None:
            # Imported before its server's address keyed rows, by its bare id: the same person only by name, never
            # another server's patient who happens to have that id.
            earlier = self.find(Patient, [a for a in aliases if "?" not in a])
            if earlier is not None and _same_person(earlier, facts):
                row = earlier
        addressed = self._by_its_server(facts, aliases) if row is None else None
        row = row or addressed
        record = {
            "recorded_name": facts.recorded_name,
            "preferred_name": facts.preferred_name,
            "pronouns": facts.pronouns,
            "preferred_language": facts.language,
            "interpreter_needed": facts.interpreter_needed,
        }
        # Only what the record says otherwise than when it was last imported: how the clinic has corrected the
        # patient's name, pronouns, language or interpreter since stays (companion.fhir.record_said).
        said = _carried(record, facts) if row is not None else record
        changed = self._record_changed(facts.key, said, row, superseded)
        if not superseded:
            self.said.remember(facts.key, said, adding=len(said) < len(record))
        values = {column: value for column, value in said.items() if changed is ALL or column in changed}
        if row is not None:
            values = {column: getattr(row, column) for column in record} | values
        values = self._shown_with_the_name(values) | {"source_key": addressed.source_key if addressed else facts.key}
        # A restriction is never lifted by an import: a copy of the record without it may be incomplete
        # (SUBSETTED, a search's summary) or older than it says, and what it kept private stays so (Verdict.keep).
        new = row is None
        before = labels_from_lines(row.record_labels) if row is not None else ()
        kept = self._kept_labels(before, facts.labels)
        values["record_labels"] = labels_as_lines(kept)
        row = row or Patient(**values)
        self.save("patients", row, values, new=new)
        self._patients[facts.key] = row.id
        self._restricted[row.id] = kept
        if kept != before and not new:
            self._restrict_imported_facts(row.id, self.judge("", NO_SIGNALS, row.id))
        self._keep_identifiers(row.id, facts.identifiers)
        if facts.died is not None:
            self._died[facts.key] = facts.died
            if not new:
                self._cancel_after_death(row.id, facts.died)

    def _shown_with_the_name(self, values: dict) -> dict:
        """Pronouns, language and the preferred name show with the name on every screen: words the rules keep private
        there ("she/her (trans woman, not out to family)", "Alex (HIV positive)", "Suicidal") are left out, judged
        on every import (the rules may have learned them since). A name the rules' words hold stays: "Molly"."""
        left_off = left_off_the_name_line(
            values["preferred_name"],
            values["pronouns"],
            values["preferred_language"],
            lambda words: self.judge(words, AS_A_NAME).private,
        )
        return values | dict.fromkeys(left_off, "")

    def _by_its_server(self, facts: PatientFacts, aliases: list[str]) -> Patient | None:
        """The patient a Bulk Data file's bare `Patient/x` is, imported before by its server's address: that
        server's Patient/x when every patient here came from one server and it is the same person by name (a
        portal's own Patient/1 is someone else), else the one a record number of theirs names, when that one is
        keyed by a server's address. They keep that address (the bare id names no server)."""
        if server_address(facts.key) is not None:
            return None
        found = self._on_the_one_server(facts.key)
        found = found if found is not None and _same_person(found, facts) else None
        for alias in (a for a in aliases if "?identifier=" in a and found is None):
            found = self._by_identifier(alias)
        return found if found is not None and server_address(found.source_key or "") is not None else None

    def _spoken(self, patient_id: int) -> str:
        """The language code of the one a patient speaks, as an earlier file recorded it ("Portuguese", "pt-BR");
        "" when it is not one this app can name."""
        if patient_id not in self._languages:
            row = self.session.get(Patient, patient_id)
            self._languages[patient_id] = language_code(row.preferred_language) if row is not None else ""
        return self._languages[patient_id]

    def _restrict(self, row: Patient, labels: tuple[tuple[str, str], ...]) -> None:
        """Labels the file's own Patient gave a patient whose Patient could not be written (patient() does the
        same for one that is): they join those kept, and what earlier imports brought becomes private."""
        before = labels_from_lines(row.record_labels)
        kept = self._restricted[row.id] = self._kept_labels(before, labels)
        if kept != before:
            self.save("patients", row, {"record_labels": labels_as_lines(kept)}, new=False)
            self._restrict_imported_facts(row.id, self.judge("", NO_SIGNALS, row.id))

    def _kept_labels(self, before: tuple[tuple[str, str], ...], labels: tuple[tuple[str, str], ...]):
        """The labels a patient's row keeps: those it had, and the new ones that restrict."""
        return tuple(dict.fromkeys([*before, *self._restricting(labels)]))

    def _restricting(self, labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        """A patient's own labels when they make what is said of them private (restricted, a sensitivity), else
        none: "normal" or "moderate" confidentiality restricts nothing."""
        return labels if labels and self.judge("", Signals(labels=labels)).private else ()

    def _restrict_imported_facts(self, patient_id: int, verdict: Verdict) -> None:
        """What earlier imports brought about a patient whose record is now restricted becomes private (never
        public again: Verdict.keep). What the clinic wrote is judged by its words, as always."""
        for model, what in ITEM_TABLES.items():
            public = select(model).where(model.patient_id == patient_id, model.source_key.is_not(None))
            for row in self.session.exec(public.where(model.sensitive.is_(False))).all():
                self.save(what, row, verdict.columns(), new=False)
        reasons = select(Visit).where(Visit.patient_id == patient_id, Visit.reason != "", Visit.source_key.is_not(None))
        for visit in self.session.exec(reasons.where(Visit.reason_private.is_(False))).all():
            self.save("visits", visit, {"reason_private": True, "reason_category": verdict.category}, new=False)

    def _cancel_after_death(self, patient_id: int, died: datetime) -> None:
        """A death the record tells after the patient's visits were booked (a later file): the visits booked for
        after it and not under way are cancelled, as a booking the same import brings is (visit). Nobody calls
        their name in the waiting room; each visit stays, cancelled, so the day's list accounts for the slot."""
        # A death with no date: from today on (a visit in the past left open took place, or was missed, in life)
        since = datetime.combine(date.today(), time.min) if died == DIED_UNDATED else died
        booked = select(Visit).where(Visit.patient_id == patient_id, Visit.scheduled_at >= since)
        for visit in self.session.exec(booked).all():
            if STATUS_RANK.get(visit.status, 0) < STATUS_RANK[VisitStatus.in_visit]:
                self.save("visits", visit, {"status": VisitStatus.cancelled}, new=False)

    def _keep_identifiers(self, patient_id: int, keys: tuple[str, ...]) -> None:
        """Record numbers to find the patient by in later files; one another patient was given names no one."""
        if not keys:
            return
        stored = self.session.exec(select(PatientIdentifier).where(PatientIdentifier.key.in_(keys))).all()
        known = {row.key: row for row in stored}
        for key in keys:
            row = known.get(key)
            if row is None:
                self.session.add(PatientIdentifier(key=key, patient_id=patient_id))
            elif row.patient_id not in (patient_id, None):
                row.patient_id = None
                self.session.add(row)
        self.session.flush()

    def _by_identifier(self, key: str) -> Patient | None:
        """The patient a stored record number names (a reference by identifier alone, in a later file)."""
        if "?identifier=" not in key:
            return None
        found = self.session.exec(select(PatientIdentifier.patient_id).where(PatientIdentifier.key == key)).first()
        return self.session.get(Patient, found) if found is not None else None

    def publicly(self, text: str) -> str:
        """Words shown beside the patient's name on every screen: none the privacy rules keep private."""
        return "" if self.judge(text, AS_A_NAME).private else text

    def name_publicly(self, name: str, otherwise: str = NO_NAME) -> str:
        """A name as a record writes it (a patient's, a clinician's, an author's) shows on every screen: what the
        record added that the rules keep private ("Jane Roe (HIV clinic pt)", "Dr. Kim, Methadone Maintenance
        Program") is left out, the name kept; `otherwise` when nothing of it may show. Names are never refused
        here (companion.services.names refuses typed ones): nobody is there to ask. Judged as the record's words."""
        if (name, otherwise) not in self._public_names:
            if len(self._public_names) >= VERDICTS_KEPT:
                self._public_names.clear()
            judged = public_name(name, lambda words: self.judge(words, AS_A_NAME).private, otherwise)
            self._public_names[(name, otherwise)] = judged
        return self._public_names[(name, otherwise)]

    def patient_id(self, key: str | None, display: str) -> int:
        """The patient a resource is about. One not imported yet is created from the reference's display
        name and completed when their Patient resource arrives (files may come in any order)."""
        if not key or key_type(key) != "Patient":
            raise Unusable("its patient cannot be found (no reference to a Patient this file or a later one holds)")
        if is_ambiguous(key):
            raise Unusable("its patient is named by an id or identifier that more than one patient in the file has")
        if key in self.unsettled:
            raise Unusable(
                "its patient's id names two different people in a file of this import: one or two cannot be told"
            )
        if key not in self._patients:
            row = self.find(Patient, [key]) or self._by_identifier(key) or self._on_the_one_server(key)
            if row is None:
                display = self.name_publicly(display)
                row = Patient(source_key=key, recorded_name=display or NO_NAME, preferred_name=given_in_text(display))
                self.save("patients", row, {}, new=True)
            self._remember(key, row)
        return self._patients[key]

    def _on_the_one_server(self, key: str) -> Patient | None:
        """The patient a bare `Patient/x` names (a Bulk Data file names its server nowhere) when every patient
        this database holds by a server's address came from one server: that server's Patient/x. With patients
        of two servers it could be either, so it is none."""
        if self._servers is None:
            keys = self.session.exec(select(Patient.source_key).where(Patient.source_key.like("http%"))).all()
            self._servers = {found.group(1) for key in keys if key and (found := ABSOLUTE.match(key))}
        if len(self._servers) != 1 or not BARE_PATIENT.fullmatch(key):
            return None
        return self.find(Patient, [f"{next(iter(self._servers))}/{key}"])

    def known_patient_id(self, key: str | None) -> int | None:
        """The patient a resource is about when they are already here; never adds one (for a fact that adds
        nothing, such as an answer left out of the story)."""
        if not key or key_type(key) != "Patient" or is_ambiguous(key) or key in self.unsettled:
            return None
        if key not in self._patients:
            row = self.find(Patient, [key]) or self._by_identifier(key)
            if row is None:
                return None
            self._remember(key, row)
        return self._patients[key]

    def _remember(self, key: str, row: Patient) -> None:
        """The row a patient key names in this transaction, and the labels of their restricted record."""
        self._patients[key] = row.id
        self._restricted.setdefault(row.id, labels_from_lines(row.record_labels))
        if labels := self._restricted_keys.get(key):  # restricted by their Patient in the file, which cannot be
            self._restrict(row, labels)  # imported itself (invalid elsewhere, or merged away)

    # clinicians and visits ------------------------------------------------------------------------------
    def clinician_id(self, practitioner: PractitionerFacts | None) -> int | None:
        """The clinician the record names, found or added; None (unassigned) when it names nobody."""
        if practitioner is not None and practitioner.name:
            practitioner = replace(practitioner, name=self.name_publicly(practitioner.name, ""))
        return self.clinicians.for_visit(practitioner)

    def practitioner(self, facts: PractitionerFacts) -> None:
        """A Practitioner resource completes the clinician it names (companion.fhir.clinicians)."""
        if facts.name:
            facts = replace(facts, name=self.name_publicly(facts.name, ""))
        if not self.clinicians.from_resource(facts):
            raise NotUsed("no visit names them")

    def visit(self, facts: VisitFacts, aliases: list[str], superseded: bool = False) -> None:
        if facts.only_update:
            self._void(facts, aliases)
            return
        patient_id = self.patient_id(facts.patient, facts.patient_display)
        died = self._died.get(facts.patient or "")
        if (
            died is not None
            and facts.when >= died
            and STATUS_RANK.get(facts.status, 0) < STATUS_RANK[VisitStatus.cancelled]
        ):
            # Booked for after the patient's death (the record has not cancelled it yet): nobody calls their name
            # in the waiting room; the visit stays, cancelled, so the day's list accounts for the slot.
            facts = replace(facts, status=VisitStatus.cancelled)
        row = self.find(Visit, [facts.key])
        if row is not None and row.patient_id != patient_id:
            if server_address(facts.key) is None:  # a bare id: perhaps another source's, never another's visit
                raise Unusable(ANOTHER_PATIENTS)
            self._let_go_of(row)  # one server's address is one booking: that server now books it for another
            row = None
        if row is None:  # by an alias: another patient's is another visit (another source's id)
            row = self.find(Visit, aliases)
            row = row if row is not None and row.patient_id == patient_id else None
        own_key = row is not None  # else it may be the visit booked by the Appointment this Encounter names
        verdict = self.judge(facts.reason, facts.reason_signals, patient_id)
        if row is None and facts.same_visit_as:
            row = self.find(Visit, [facts.same_visit_as])
            if row is not None and row.patient_id != patient_id:
                row = None  # an Appointment of another patient (another source's id): not this visit
            if row is not None:
                self._taken_by_encounters.add(row.id)
        if row is None and key_type(facts.key) == "Encounter":
            row = self._booked_visit(patient_id, facts)
        record = {
            "scheduled_at": facts.when,
            "reason": facts.reason,
            "status": facts.status,
            "clinician": facts.practitioner,
            "mode": facts.mode,
            "agenda_agreed_at": facts.agenda_agreed_at,
        }
        changed = self._record_changed(facts.key, record, row, superseded)
        if row is None and self.retention.too_old(facts.when):
            self.retention.visits_left_out.add(facts.key)  # a purge removed it, or would: not made again
            raise NotUsed(TOO_OLD)
        self.retention.visits_left_out.discard(facts.key)  # a later version moved it into what is kept
        if row is None:
            values = {
                "source_key": facts.key,
                "patient_id": patient_id,
                "clinician_id": self.clinician_id(facts.practitioner),
                "mode": facts.mode or VisitMode.in_person,
                "scheduled_at": facts.when,
                "reason": facts.reason,
                "reason_private": verdict.private,
                "reason_category": verdict.category,
                "status": facts.status,
                "agenda_agreed_at": facts.agenda_agreed_at,
                "record_labels": labels_as_lines(self._restricting(facts.record_labels)),
            }
            row = Visit(**values)
            self.save("visits", row, values, new=True)
        else:
            verdict = verdict.keep(row.reason_private, row.reason_category)
            values = {
                "scheduled_at": facts.when,
                "reason": facts.reason,
                "reason_private": verdict.private,
                "reason_category": verdict.category,
            }
            if key_type(facts.key) == "Appointment" and STATUS_RANK.get(row.status, 0) > 0:
                values = {}  # under way or over: when and why it took place is the Encounter's, not the booking's
            if own_key:
                values["source_key"] = facts.key  # found by identifier: from now on, by id
            if _moves_forward(row.status, facts.status):
                values["status"] = facts.status
            # A record that names nobody leaves the visit's clinician alone: a nurse may have assigned one here.
            if (clinician := self.clinician_id(facts.practitioner)) is not None:
                values["clinician_id"] = clinician
            if facts.mode is not None:
                values["mode"] = facts.mode
            if row.agenda_agreed_at is None and facts.agenda_agreed_at is not None:
                values["agenda_agreed_at"] = facts.agenda_agreed_at
            if changed is not ALL:  # what the record still says leaves a visit moved or assigned here as it is
                values = {column: value for column, value in values.items() if _said(column) in changed | {None}}
            if self.retention.too_old(row.scheduled_at):  # kept by a purge to anchor a lasting goal, or not purged yet:
                # its labels and status follow the record, its reason (which a purge empties) is not written again
                values = {column: value for column, value in values.items() if not column.startswith("reason")}
            values |= self._restrict_visit(row, facts.record_labels)
            self.save("visits", row, values, new=False)
        if not superseded and not self.retention.too_old(row.scheduled_at):  # of an old visit: a purge removes it
            self.said.remember(facts.key, record, visit_id=row.id)
        self._visits[facts.key] = row.id
        self._restrict_what_waited(row, [facts.key, *aliases])
        self._expect_what_waited(row, [facts.key, *aliases])
        if key_type(facts.key) == "Appointment":
            self._bookings.pop(patient_id, None)  # its time or status may have changed: read again when needed

    def _void(self, facts: VisitFacts, aliases: list[str]) -> None:
        """The record sent this Appointment or Encounter by mistake: the visit an earlier import made of it leaves
        the day (cancelled, unless it took place); none is made, and another patient's is never touched."""
        row = self.find(Visit, [facts.key])
        by_alias = row is None  # found by an identifier or a bare id: it may be another source's resource
        row = row or self.find(Visit, aliases)
        theirs = row is not None and self.known_patient_id(facts.patient) == row.patient_id
        if row is None or (not theirs and (by_alias or facts.patient)):  # a patient not here is not theirs either
            raise NotUsed("not a visit (status entered-in-error)")
        if _moves_forward(row.status, VisitStatus.cancelled):
            self.save("visits", row, {"status": VisitStatus.cancelled}, new=False)
        else:
            self.count("visits", "unchanged")

    def _let_go_of(self, row: Visit) -> None:
        """A visit the record has moved to another patient (the front desk booked the father, then corrected it to
        the son): it stays with its first patient's record, cancelled unless under way or over, and no longer
        answers to the record's id; the record's patient gets a visit of their own. Nothing typed for the first
        patient (their priorities, notes) moves to another person."""
        values: dict = {"source_key": None}
        if STATUS_RANK.get(row.status, 0) < STATUS_RANK[VisitStatus.in_visit]:
            values["status"] = VisitStatus.cancelled
        self.save("visits", row, values, new=False)

    def _booked_visit(self, patient_id: int, facts: VisitFacts) -> Visit | None:
        """The visit an Appointment booked for this Encounter when the record does not link them: the patient's
        booked visit nearest its start on the same day, within BOOKED_WITHIN (a patient checks in early or late),
        not one cancelled or missed, not one another Encounter of this import took, and not one with another
        clinician. Many systems send both without `Encounter.appointment`; two visits would split the day."""
        clinician = self.clinician_id(facts.practitioner) if facts.practitioner else None
        booked = [
            visit
            for visit in self._bookings_of(patient_id)
            if abs(visit.scheduled_at - facts.when) <= BOOKED_WITHIN
            and visit.scheduled_at.date() == facts.when.date()
            and visit.status not in NOT_TAKING_PLACE
            and visit.id not in self._taken_by_encounters
            and (clinician is None or visit.clinician_id in (None, clinician))
        ]
        if not booked:
            return None
        nearest = min(booked, key=lambda visit: abs(visit.scheduled_at - facts.when))
        self._taken_by_encounters.add(nearest.id)
        return self.session.get(Visit, nearest.id)

    def _bookings_of(self, patient_id: int) -> list:
        """The patient's visits an Appointment booked, read once per import (a Synthea record holds hundreds of
        Encounters and no Appointment: one query, not one per Encounter); read again after one is written."""
        if patient_id not in self._bookings:
            columns = (Visit.id, Visit.scheduled_at, Visit.status, Visit.clinician_id, Visit.source_key)
            rows = self.session.exec(select(*columns).where(Visit.patient_id == patient_id)).all()
            self._bookings[patient_id] = [r for r in rows if key_type(r.source_key or "") == "Appointment"]
        return self._bookings[patient_id]

    def visit_id(self, key: str | None, patient_id: int) -> int | None:
        """The visit a reference names, if it is this patient's."""
        if not key:
            return None
        if key not in self._visits:
            row = self.find(Visit, [key])
            if row is None:
                return None
            self._visits[key] = row.id
        visit = self.session.get(Visit, self._visits[key])
        return visit.id if visit is not None and visit.patient_id == patient_id else None

    def anchor(self, patient_id: int, when: datetime | None, upcoming: bool) -> int:
        """The visit an item without one belongs to: for today's priorities the first visit on or after the
        day they were said (else the latest); for goals the latest on or before their day (else the first).
        A patient with no visit gets one clearly named record visit to hold them."""
        visits = self.session.exec(
            select(Visit.id, Visit.scheduled_at).where(Visit.patient_id == patient_id).order_by(Visit.scheduled_at)
        ).all()
        said = _local_day(when)
        # Undated (a portal form without `authored`): today, as if said now; never the furthest booking ahead.
        day = said or date.today()
        if visits:
            start = datetime.combine(day, time.min)
            if upcoming and (later := [v for v, at in visits if at >= start]):
                return later[0]
            if not upcoming and (earlier := [v for v, at in visits if at < start + timedelta(days=1)]):
                return earlier[-1]
            return visits[-1][0] if upcoming else visits[0][0]
        key = record_visit_key(patient_id)  # given away when a real visit comes (companion.storage.waiting)
        row = self.find(Visit, [key])
        if row is None:
            at = datetime.combine(said, time(9)) if said else datetime.now().replace(second=0, microsecond=0)
            row = Visit(
                source_key=key,
                patient_id=patient_id,
                clinician_id=None,  # the record names nobody for it
                scheduled_at=at,
                reason=RECORD_VISIT_REASON,
                status=VisitStatus.done,
            )
            self.save("visits", row, {}, new=True)
        return row.id


def _imported_on(visit_id: int) -> Callable:
    """Writer._make_private's `where`: what an import filed under this visit."""
    return lambda model: (model.visit_id == visit_id, model.source_key.is_not(None))


def _is_record_visit(row: SQLModel) -> bool:
    return isinstance(row, Visit) and row.source_key == record_visit_key(row.patient_id)


def _carried(record: dict, facts: PatientFacts) -> dict:
    """The values a Patient resource says of someone already here. A record with no name has not renamed them "no
    name" (a name is left out, not taken away); a summary copy (SUBSETTED) says nothing of what it leaves out, so
    only what it carries counts: a language, pronouns, an interpreter it names."""
    if facts.summary:
        return {column: value for column, value in record.items() if value not in ("", NO_NAME, False)}
    if record["recorded_name"] != NO_NAME:
        return record
    # the name they like comes from the names too: none sent, none said
    return {column: value for column, value in record.items() if column not in ("recorded_name", "preferred_name")}


def _same_person(row: Patient, facts: PatientFacts) -> bool:
    """The row is this patient's by name: the name recorded, or a placeholder named by a reference's display."""
    return row.recorded_name == NO_NAME or row.recorded_name.casefold() == facts.recorded_name.casefold()


def _ahead(stamp: datetime) -> bool:
    """A record's version stamped more than a day ahead of this desk's clock."""
    return stamp > utcnow() + CLOCK_AHEAD


# The value of the record (Writer.visit's `record`) each of a visit's columns is written from.
_SAID_IN = {
    "scheduled_at": "scheduled_at",
    "reason": "reason",
    "reason_private": "reason",
    "reason_category": "reason",
    "status": "status",
    "clinician_id": "clinician",
    "mode": "mode",
    "agenda_agreed_at": "agenda_agreed_at",
}


def _said(column: str) -> str | None:
    """The value of the record a visit's column is written from; None: not the record's."""
    return _SAID_IN.get(column)


def _moves_forward(stored: VisitStatus, recorded: VisitStatus) -> bool:
    """Whether the record's status is further along than the visit's (a status this import does not know: no)."""
    return STATUS_RANK.get(recorded, -1) > STATUS_RANK.get(stored, len(STATUS_RANK))


def _local_day(when: datetime | None):
    return when.astimezone().date() if when is not None else None


def _same(stored: object, new: object) -> bool:
    """Equal values, reading times as UTC whether the database kept their zone or not."""
    if isinstance(stored, datetime) and isinstance(new, datetime):
        if stored.tzinfo is None and new.tzinfo is None:
            return stored == new
        return stored_utc(stored) == stored_utc(new)
    return stored == new
