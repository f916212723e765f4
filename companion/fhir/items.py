"""Priorities, care goals and context notes from imported facts: new ones added; changed ones updated with their
earlier words kept as history, as an edit in the window would; ones the record withdrew retracted, never deleted.
An answer left out of the story adds nothing, and takes the item an earlier answer to its question made out of the
story (the newest answer decides; a later answer that is story again brings it back)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from companion.fhir.answer_map import (
    NO_LONGER_ANSWERED,
    AnswersNow,
    CareGoalFacts,
    PriorityFacts,
    answer_place,
    question_of,
)
from companion.fhir.fact_map import VOIDED, NoteFacts
from companion.fhir.profile import IMPORTED_AUTHOR
from companion.fhir.story import LEFT_STORY
from companion.fhir.writer import TOO_OLD, NotUsed, Writer
from companion.read.note_kinds import can_last
from companion.storage.models import (
    CareGoal,
    ContextNote,
    NoteKind,
    NoteRevision,
    NurseStep,
    NurseTick,
    Priority,
    PriorityRevision,
    PriorityState,
    Scope,
    stored_utc,
    utcnow,
)


def write_priority(writer: Writer, facts: PriorityFacts, aliases: list[str]) -> None:
    patient_id = writer.patient_id(facts.patient, facts.patient_display)
    row = writer.find_theirs(Priority, [facts.key, *aliases], patient_id)
    if facts.places:
        row = _answer_in_its_place(writer, facts, row, patient_id)
    if row is None:
        if facts.only_update or facts.retract:
            raise NotUsed("closed in the record before it was ever imported")
        named = writer.visit_id(facts.visit, patient_id)
        # Today's words of a visit the clinic no longer keeps, whether they name it or not (anchored, they would
        # come back on a newer visit); a lasting goal stays, as a purge keeps it.
        gone = writer.retention.too_old(facts.when) or facts.visit in writer.retention.visits_left_out
        if named is None and facts.scope is Scope.today and gone:
            raise NotUsed(f"filed under a visit {TOO_OLD}")
        visit_id = named or writer.anchor(patient_id, facts.when, upcoming=facts.scope is Scope.today)
        # Judged under the visit it is on, as one an earlier import put there is when that visit's record
        # turns out restricted (Writer._restrict_visit)
        verdict = writer.judge(facts.text, facts.signals, patient_id, visit_id)
        if writer.agenda.on_the_agenda(visit_id, facts.text):  # the same answers sent again under another id
            writer.count("priorities", "unchanged")
            return
        values = {
            "source_key": facts.key,
            "patient_id": patient_id,
            "visit_id": visit_id,
            "text": facts.text,
            "rank": facts.rank if facts.rank is not None else writer.agenda.next_rank(visit_id),
            "scope": facts.scope,
            "source": facts.source,
            "state": facts.state or PriorityState.open,
            "language": facts.language,
            "filed_under": facts.visit if named is None else None,
            **verdict.columns(),
        }
        row = Priority(**values)
        writer.save("priorities", row, values, new=True)
        writer.agenda.saved(row)
        return
    verdict = writer.judge(facts.text, facts.signals, patient_id, row.visit_id)
    answered_again = row.retraction_reason == NO_LONGER_ANSWERED and not facts.retract
    if row.retracted_at is not None and not answered_again:  # taken off here: the record does not put it back
        writer.count("priorities", "unchanged")
        return
    values: dict = {"source_key": facts.key, "source": facts.source}
    if answered_again:  # an amended response dropped it, and a later version gives it again
        values.update(retracted_at=None, retraction_reason="")
    if facts.retract:
        values.update(retracted_at=utcnow(), retraction_reason=facts.retract)
    if facts.state is not None:
        values["state"] = facts.state
    if facts.rank is not None:
        values["rank"] = facts.rank
    values |= verdict.keep(row.sensitive, row.private_category, row.private_reason).columns()  # never made public
    earlier_text = row.text
    if row.text != facts.text and not _said_before(writer, row.id, facts.text):
        writer.session.add(PriorityRevision(priority_id=row.id, text=row.text))
        values["text"] = facts.text
    writer.save("priorities", row, values, new=False)
    writer.agenda.saved(row, earlier_text)


def _answer_in_its_place(writer: Writer, facts: PriorityFacts, holder: Priority | None, patient_id: int):
    """A response's answers are keyed by their place ("<response>#<linkId>#<n>"), so an answer the patient dropped
    or moved in an amended response shifts the others. Words are matched first: the item of these words takes this
    place (the item that held it takes its old one), so what the nurse did with an answer, and its history, stay
    with it. The item at this place is edited into these words only when its own words are no longer given; when
    they are given at another place, or it was taken off, it steps aside, and this answer is a new item."""
    words = facts.text.casefold()
    if holder is not None and holder.text.casefold() == words:
        return holder
    given = writer.agenda.given_to(patient_id, question_of(facts.key), facts.text)
    same = next((row for row in given if _astray(row, facts)), None)
    if same is not None:
        writer.trade_keys(same, holder)
        return same
    if holder is not None and (holder.retracted_at is not None or holder.text.casefold() in facts.said):
        # Its words come at another place later in the response, or it was taken off: it steps aside, under a
        # key of its own that its words can still be found by.
        writer.trade_keys(holder, None, f"{facts.key}~{holder.id}")
        return None
    return holder


def _astray(row: Priority, facts: PriorityFacts) -> bool:
    """Whether an item of this response is not where this version puts its words (so it may move)."""
    place = answer_place(row.source_key or "")
    return place is None or place >= len(facts.places) or facts.places[place] != row.text.casefold()


def retract_unsaid(writer: Writer, facts: AnswersNow) -> None:
    """The items an earlier version of this response gave that it no longer gives leave the agenda (and a
    practical need the notes), retracted with the reason: never deleted, their history kept. Only the patient's
    own rows are looked at (an indexed few), never a scan of every item."""
    patient_id = writer.known_patient_id(facts.patient)
    taken = 0
    for model, what in ((Priority, "priorities"), (ContextNote, "notes")):
        if patient_id is None:
            break
        given = select(model).where(
            model.patient_id == patient_id,
            model.source_key.startswith(f"{facts.key}#", autoescape=True),
            model.retracted_at.is_(None),
        )
        for row in writer.session.exec(given).all():
            if row.source_key not in facts.kept:
                writer.save(what, row, {"retracted_at": utcnow(), "retraction_reason": facts.reason}, new=False)
                taken += 1
    if not taken and facts.unused:
        raise NotUsed(facts.unused)


def _said_before(writer: Writer, priority_id: int, text: str) -> bool:
    """The record still has words this item had before it was corrected here (by the patient, on their screen, or
    by the care team): the record has not changed, and the correction stands."""
    revision = PriorityRevision
    earlier = select(revision.id).where(revision.priority_id == priority_id, revision.text == text).limit(1)
    return writer.session.exec(earlier).first() is not None


# Why a priority an earlier import made from a Goal is retracted when the record shows the goal is not the patient's.
NOT_THEIR_WORDS = "a care goal from the health record, not the patient's words"
IN_THE_RECORD = "in the health record"  # how a care goal the record closed is retracted ("completed in the ...")


def write_care_goal(writer: Writer, facts: CareGoalFacts, aliases: list[str]) -> None:
    """A goal the patient did not express: a care goal of theirs, never a priority in their words."""
    patient_id = writer.patient_id(facts.patient, facts.patient_display)
    keys = [facts.key, *aliases]
    # An earlier import made it a priority: it leaves their words.
    earlier = writer.find_theirs(Priority, keys, patient_id)
    if earlier is not None and earlier.retracted_at is None:
        writer.save("priorities", earlier, {"retracted_at": utcnow(), "retraction_reason": NOT_THEIR_WORDS}, new=False)
    row = writer.find_theirs(CareGoal, keys, patient_id)
    verdict = writer.judge(facts.text, facts.signals, patient_id)
    if row is None:
        if facts.only_update or facts.retract:
            raise NotUsed("closed in the record before it was ever imported")
        at = facts.when or utcnow()
        values = {
            "source_key": facts.key,
            "patient_id": patient_id,
            "text": facts.text,
            "set_by": facts.set_by,
            **verdict.columns(),
            "created_at": at,
            "updated_at": at,
        }
        writer.save("care_goals", CareGoal(**values), values, new=True)
        return
    values: dict = {"source_key": facts.key, "set_by": facts.set_by or row.set_by}
    values |= verdict.keep(row.sensitive, row.private_category, row.private_reason).columns()  # never made public
    if facts.retract and row.retracted_at is None:
        values.update(retracted_at=utcnow(), retraction_reason=facts.retract)
    elif not facts.retract and row.retracted_at is not None and row.retraction_reason.endswith(IN_THE_RECORD):
        values.update(retracted_at=None, retraction_reason="")  # the record made it active again
    if row.text != facts.text:
        values.update(text=facts.text, updated_at=utcnow())
    writer.save("care_goals", row, values, new=False)


def write_note(writer: Writer, facts: NoteFacts, aliases: list[str]) -> None:
    if facts.left_out:
        _leave_story(writer, facts, aliases)
        return
    patient_id = writer.patient_id(facts.patient, facts.patient_display)
    if facts.record:
        writer.moved_from_others(facts.record, patient_id)
    key = facts.key or f"fact:{patient_id}:{facts.code}"  # one note per patient and code: the latest value
    row = writer.find_theirs(ContextNote, [key, *aliases], patient_id)
    visit_id = writer.visit_id(facts.visit, patient_id)
    if row is None and visit_id is None and writer.retention.left_out(facts.visit, facts.observed_at):
        raise NotUsed(f"filed under a visit {TOO_OLD}")  # a purge removes every note of a visit it removes
    verdict = writer.judge(facts.text, facts.signals, patient_id, visit_id if row is None else row.visit_id)
    if row is None:
        if facts.retract:
            raise NotUsed("withdrawn in the record before it was ever imported")
        kind = facts.kind if visit_id is not None or can_last(facts.kind) else NoteKind.social
        at = facts.observed_at or utcnow()
        values = {
            "source_key": key,
            "patient_id": patient_id,
            "visit_id": visit_id,
            "kind": kind,
            "topic": facts.topic if kind is facts.kind else "",
            "code": facts.code,
            "observed_at": facts.observed_at,
            "record_key": facts.record or None,
            "text": facts.text,
            "ends_at": facts.ends_at,
            "filed_under": facts.visit if visit_id is None else None,
            **verdict.columns(),
            "author": writer.name_publicly(facts.author, IMPORTED_AUTHOR),
            "created_at": at,  # when it was true in the record: the story lists the newest first
            "updated_at": at,
        }
        row = ContextNote(**values)
        writer.save("notes", row, values, new=True)
        _tick(writer, row.id, facts.ticks)
        return
    if facts.code and _older(facts.observed_at, row.observed_at):
        writer.count("notes", "unchanged")
        return
    if facts.retract == VOIDED and not _same_moment(facts.observed_at, row.observed_at):
        writer.count("notes", "unchanged")  # a voided answer that is not the one shown takes nothing off
        return
    if facts.retract and row.retracted_at is not None:
        writer.count("notes", "unchanged")  # taken off already: the same file again changes nothing
        return
    came_back = row.retraction_reason.startswith(LEFT_STORY) or row.retraction_reason == VOIDED
    if row.retracted_at is not None and not came_back:
        writer.count("notes", "unchanged")  # someone took it off here (or the record withdrew it): it stays off
        return
    values: dict = {"source_key": key, "observed_at": facts.observed_at, "ends_at": facts.ends_at}
    if row.visit_id is None and visit_id is None:  # a newer value filed under a visit not here yet (filed_under)
        values["filed_under"] = facts.visit
    if row.record_key is None or row.text != facts.text or not _same_moment(facts.observed_at, row.observed_at):
        # Two resources giving the same answer at one moment (a response and the Observation made of it): the
        # first to be imported stays the one that says it, so importing both again changes nothing.
        values["record_key"] = facts.record or None
    if row.retracted_at is not None:  # a newer answer is story again: the item comes back
        values.update(retracted_at=None, retraction_reason="")
    if row.kind is facts.kind:
        values["topic"] = facts.topic
    if facts.retract:
        values.update(retracted_at=utcnow(), retraction_reason=facts.retract)
    values |= verdict.keep(row.sensitive, row.private_category, row.private_reason).columns()
    if facts.text and row.text != facts.text:  # a withdrawal without its words leaves the words as they were
        writer.session.add(NoteRevision(note_id=row.id, text=row.text, author=row.author, saved_at=row.updated_at))
        values.update(text=facts.text, author=writer.name_publicly(facts.author, IMPORTED_AUTHOR), updated_at=utcnow())
    ticked = _tick(writer, row.id, facts.ticks)
    if not writer.save("notes", row, values, new=False) and ticked:
        writer.tally("notes", row, "updated")


def _leave_story(writer: Writer, facts: NoteFacts, aliases: list[str]) -> None:
    """An answer that is not the patient's story adds nothing; when it is newer than the item an earlier answer to
    the same question made, that item leaves the story (retracted, with the reason)."""
    patient_id = writer.known_patient_id(facts.patient)
    if facts.record:
        writer.moved_from_others(facts.record, patient_id)
    row = None
    if patient_id is not None:
        row = writer.find_theirs(ContextNote, [facts.key or f"fact:{patient_id}:{facts.code}", *aliases], patient_id)
    if row is None or row.retracted_at is not None or not facts.code or _older(facts.observed_at, row.observed_at):
        raise NotUsed(facts.left_out)
    values = {"retracted_at": utcnow(), "retraction_reason": LEFT_STORY + facts.left_out}
    writer.save("notes", row, {**values, "observed_at": facts.observed_at}, new=False)


def _same_moment(new: datetime | None, stored: datetime | None) -> bool:
    return (new is None) == (stored is None) and (new is None or stored_utc(new) == stored_utc(stored))


def _older(new: datetime | None, stored: datetime | None) -> bool:
    """Whether a value is older than the one kept (an undated value never replaces a dated one)."""
    if stored is None:
        return False
    return new is None or stored_utc(new) < stored_utc(stored)


def _tick(writer: Writer, note_id: int, steps: tuple[str, ...]) -> bool:
    """Add the NURSE steps an export says were ticked (never untick: ticks are made here, in the visit)."""
    wanted = {step for step in steps if step in {s.value for s in NurseStep}}
    if not wanted:
        return False
    have = set(writer.session.exec(select(NurseTick.step).where(NurseTick.note_id == note_id)).all())
    missing = wanted - {s.value if isinstance(s, NurseStep) else s for s in have}
    for step in sorted(missing):
        writer.session.add(NurseTick(note_id=note_id, step=NurseStep(step)))
    return bool(missing)
