"""Booking a clinic's day: add a visit, move it, assign it, cancel it or mark it missed.

Nothing here deletes: a cancelled or missed visit keeps everything written for it. Every change is audited
by the store's flush hook (companion.storage.audit) and announced by the Changed it returns.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed, VisitRow
from companion.services.lookup import get_or_fail, get_visit
from companion.services.retention import kept_since, purged_before
from companion.services.visits import status_words, visit_row
from companion.storage import audit
from companion.storage.changes import changed
from companion.storage.models import (
    CLOSED_STATUSES,
    NOT_TAKING_PLACE,
    Clinician,
    Patient,
    Role,
    Visit,
    VisitMode,
    VisitStatus,
)
from companion.storage.store import Store
from companion.storage.waiting import take_what_waited
from companion.text import MAX_SHORT, clean_text, parse_choice

# The wall-clock form a schedule and the command line use: "2026-12-01 09:30".
WHEN_FORMAT = "%Y-%m-%d %H:%M"
WRITTEN_WHEN = re.compile(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}", re.ASCII)  # "10:3" is a slip, not 10:03
# Who sees patients and so may be given a visit: never an admin (they see no patient information).
SEES_PATIENTS = (Role.physician, Role.nurse, Role.other)
# The patient has come: the visit is under way, so it is no missed appointment.
ARRIVED = (VisitStatus.roomed, VisitStatus.prepared, VisitStatus.in_visit)
NO_SHOW_ON_ITS_DAY = "a visit is marked no-show on its day or later (cancel it if the patient will not come)"


def before_its_day(scheduled_at: datetime) -> bool:
    """Whether a visit is still to come on a later day: it cannot be a no-show yet (NO_SHOW_ON_ITS_DAY)."""
    return scheduled_at.date() > datetime.now().date()


def _kept(store: Store, scheduled_at: datetime) -> None:
    """A visit booked or moved to before what the clinic keeps (a year typed wrong) would be removed, with all
    written for it, by the next purge, as a schedule row doing the same is refused (companion.services.
    schedule_import)."""
    since = kept_since(store)
    if since is None or scheduled_at >= since:
        return
    if since == purged_before(store):  # no retention keeps it out: a purge by hand removed what was before it
        raise CompanionError(
            f"{scheduled_at:%Y-%m-%d %H:%M} is before the last purge's cut-off ({since:%Y-%m-%d}): visits before it "
            "were removed and are kept out; check the date, or an admin lets older visits back "
            "(companion retention --forget-purges)"
        )
    raise CompanionError(
        f"{scheduled_at:%Y-%m-%d %H:%M} is before what the clinic keeps (visits since {since:%Y-%m-%d}): the next "
        "purge would remove the visit and everything written for it; check the date"
    )


def parse_when(text: str, *, echo: bool = True) -> datetime:
    """ "YYYY-MM-DD HH:MM" as a naive wall-clock time, or a one-line error saying what is expected. `echo=False`:
    the error never repeats the value (a schedule's shifted columns may put a birth date or a name there)."""
    try:
        if not WRITTEN_WHEN.fullmatch(text.strip()):  # strptime takes "9:5" for 09:05
            raise ValueError
        moment = datetime.strptime(text.strip(), WHEN_FORMAT)
    except ValueError:
        given = text.strip()[:40]
        # Echoed only when it holds no letters: a schedule's shifted columns put a patient's name where the time goes.
        what = repr(given) if echo and not any(char.isalpha() for char in given) else "the value given"
        raise CompanionError(f"{what} is not a date and time; use YYYY-MM-DD HH:MM") from None
    return happening(moment)


def happening(moment: datetime) -> datetime:
    """A wall-clock time that happens on this computer's clock: the hour skipped when the clocks go forward does not
    (a visit booked at 02:30 that night would be kept, and shown, an hour off)."""
    if in_the_skipped_hour(moment):
        raise CompanionError(f"{moment:%Y-%m-%d %H:%M} does not happen here: the clocks go forward then")
    return moment


def in_the_skipped_hour(moment: datetime) -> bool:
    """Whether a wall-clock time lies in the hour this computer's clock skips when it goes forward."""
    try:
        return datetime.fromtimestamp(moment.timestamp()) != moment
    except (OverflowError, OSError, ValueError):  # beyond the platform's clock: nothing to tell
        return False


def _assignable(session, clinician_id: int) -> Clinician:
    clinician = get_or_fail(session, Clinician, clinician_id, "clinician")
    if clinician.role not in SEES_PATIENTS:
        raise CompanionError(f"clinician {clinician_id} is an administrator and sees no patients")
    return clinician


def add_visit(
    store: Store,
    patient_id: int,
    clinician_id: int | None,
    scheduled_at: datetime,
    reason: str = "",
    status: str = "scheduled",
    *,
    video: bool = False,
    source_key: str | None = None,
) -> Changed[VisitRow]:
    """Book a visit at the clinic's wall-clock time; without a clinician it waits, unassigned, for a nurse."""
    visit_status = parse_choice(VisitStatus, status, "visit status")
    happening(scheduled_at)
    _kept(store, scheduled_at)
    reason = clean_text(reason, "the reason", MAX_SHORT) if reason.strip() else ""
    verdict = store.content.privacy.judge(reason)
    with store.writing() as session:
        get_or_fail(session, Patient, patient_id, "patient")
        if clinician_id is not None:
            _assignable(session, clinician_id)
        if visit_status not in NOT_TAKING_PLACE:
            _not_booked_yet(session, patient_id, clinician_id, scheduled_at)
        row = Visit(
            source_key=source_key,
            patient_id=patient_id,
            clinician_id=clinician_id,
            scheduled_at=scheduled_at,
            reason=reason,
            reason_private=verdict.private,
            reason_category=verdict.category,
            status=visit_status,
            mode=VisitMode.video if video else VisitMode.in_person,
        )
        session.add(row)
        session.flush()
        take_what_waited(session, [(row, ())])  # the patient's words for it the portal sent before it was booked
        session.commit()
        return changed(session, visit_row(store, row.id))


def slot_minute(scheduled_at: datetime) -> datetime:
    """The minute a visit holds on the day's list: a record's 10:00:30 is the 10:00 a desk types."""
    return scheduled_at.replace(second=0, microsecond=0)


def _not_booked_yet(
    session, patient_id: int, clinician_id: int | None, scheduled_at: datetime, moving: int | None = None
) -> None:
    """Refuses a second visit of the patient at the time they already have one with the same clinician (a booking
    typed twice, or typed here and sent by the desk's schedule too; a visit moved or assigned onto that slot), as a
    schedule's repeated row is refused: the day's list would show the patient twice and split what is written for
    the visit. `moving`: the visit being moved or assigned, which does not stand in its own way."""
    minute = slot_minute(scheduled_at)
    same = select(Visit.id).where(
        Visit.patient_id == patient_id,
        Visit.scheduled_at >= minute,
        Visit.scheduled_at < minute + timedelta(minutes=1),
        Visit.clinician_id == clinician_id,  # IS NULL for one not assigned yet
        Visit.status.not_in(NOT_TAKING_PLACE),
        Visit.id != moving,  # NULL for a new booking: no row is left out
    )
    if (booked := session.exec(same).first()) is not None:
        who = "with that clinician" if clinician_id is not None else "not assigned to anyone yet either"
        kept = "the visit stays as it was" if moving else "it was not booked twice"
        raise CompanionError(f"the patient already has visit {booked} at that time {who}; {kept}")


def assign_visit(store: Store, visit_id: int, clinician_id: int | None) -> Changed[VisitRow]:
    """Give the visit to a clinician (None: back to unassigned), until it is closed: who saw the patient is part
    of the record of a visit that took place (its summary names them)."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.status in CLOSED_STATUSES:
            raise CompanionError(f"visit {visit_id} is {status_words(visit.status)}; its clinician stays as it is")
        if clinician_id is not None:
            _assignable(session, clinician_id)
        if visit.clinician_id != clinician_id:
            _not_booked_yet(session, visit.patient_id, clinician_id, visit.scheduled_at, moving=visit_id)
            _says(session, visit, "assign visit", f"clinician {visit.clinician_id} -> {clinician_id}")
        visit.clinician_id = clinician_id
        session.add(visit)
        session.commit()
        return changed(session, visit_row(store, visit_id))


def move_visit(store: Store, visit_id: int, scheduled_at: datetime) -> Changed[VisitRow]:
    """Reschedule a visit that has not happened yet."""
    happening(scheduled_at)
    _kept(store, scheduled_at)
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.status in CLOSED_STATUSES:
            raise CompanionError(f"visit {visit_id} is {status_words(visit.status)}; book a new one instead")
        if visit.scheduled_at != scheduled_at:
            _not_booked_yet(session, visit.patient_id, visit.clinician_id, scheduled_at, moving=visit_id)
            _says(session, visit, "move visit", f"{visit.scheduled_at:%Y-%m-%d %H:%M} -> {scheduled_at:%Y-%m-%d %H:%M}")
        visit.scheduled_at = scheduled_at
        session.add(visit)
        session.commit()
        return changed(session, visit_row(store, visit_id))


def close_visit(store: Store, visit_id: int, status: str) -> Changed[VisitRow]:
    """Cancel a visit or mark it missed ("cancelled", "no_show"); what was written for it stays."""
    new_status = parse_choice(VisitStatus, status, "visit status")
    if new_status not in NOT_TAKING_PLACE:
        raise CompanionError("a visit is closed as cancelled or no_show")
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.status is VisitStatus.done:
            raise CompanionError(f"visit {visit_id} is done; it cannot be {status_words(new_status)}")
        if visit.status in CLOSED_STATUSES and visit.status is not new_status:  # one closing, not a second story
            raise CompanionError(f"visit {visit_id} is {status_words(visit.status)} already; that stays as it is")
        if new_status is VisitStatus.no_show and visit.status in ARRIVED:
            raise CompanionError(
                f"visit {visit_id} is {status_words(visit.status)}: the patient came, so it is not a no-show "
                "(cancel it if the visit will not take place)"
            )
        # A mistyped id must not mark next month's booking missed for good (statuses only move forward).
        if new_status is VisitStatus.no_show and before_its_day(visit.scheduled_at):
            raise CompanionError(f"visit {visit_id} is booked for {visit.scheduled_at:%Y-%m-%d}; {NO_SHOW_ON_ITS_DAY}")
        if visit.status is not new_status:  # the same closing again changes nothing
            _says(session, visit, f"{'cancel' if new_status is VisitStatus.cancelled else 'no-show'} visit", "")
        visit.status = new_status
        session.add(visit)
        session.commit()
        return changed(session, visit_row(store, visit_id))


def _says(session, visit: Visit, action: str, what: str) -> None:
    """What the change was, beside the flush hook's "change visit": who cancelled a visit, or marked it missed,
    is what an auditor asks (times and clinician ids only, never a name)."""
    session.add(audit.entry(action, visit.patient_id, visit.id, f"visit {visit.id}" + (f": {what}" if what else "")))


def set_video(store: Store, visit_id: int, video: bool) -> Changed[VisitRow]:
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        visit.mode = VisitMode.video if video else VisitMode.in_person
        session.add(visit)
        session.commit()
        return changed(session, visit_row(store, visit_id))
