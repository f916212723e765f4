"""All tables in one module (SQLModel's advice), so the schema reads in one place."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Record times are aware and stored in UTC; the window converts them for display."""
    return datetime.now(UTC)


def stored_utc(value: datetime | None) -> datetime | None:
    """A time read back from the database, aware: SQLite returns it naive, and the app stores UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(StrEnum):
    nurse = "nurse"
    physician = "physician"
    other = "other"
    admin = "admin"


class VisitStatus(StrEnum):
    scheduled = "scheduled"
    roomed = "roomed"
    prepared = "prepared"
    in_visit = "in_visit"
    done = "done"
    cancelled = "cancelled"  # kept, with all it holds: nothing a clinician wrote is deleted
    no_show = "no_show"


# Called off: it did not, and will not, take place (nothing starts in it, nothing is booked over it).
NOT_TAKING_PLACE = (VisitStatus.cancelled, VisitStatus.no_show)
# A visit that will not happen (again): no "next patient", no reschedule.
CLOSED_STATUSES = (VisitStatus.done, *NOT_TAKING_PLACE)


class VisitMode(StrEnum):
    in_person = "in_person"
    video = "video"


class Scope(StrEnum):
    today = "today"
    lasting = "lasting"


class Source(StrEnum):
    patient = "patient"
    nurse = "nurse"
    clinician = "clinician"


class PriorityState(StrEnum):
    open = "open"
    addressed = "addressed"
    deferred = "deferred"


class NoteKind(StrEnum):
    social = "social"
    practical = "practical"
    emotion = "emotion"


class NurseStep(StrEnum):
    name = "name"
    understand = "understand"
    respect = "respect"
    support = "support"
    explore = "explore"


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Where an imported record came from ("Patient/123" or "identifier system|value"), to update, not duplicate.
    source_key: str | None = Field(default=None, unique=True, index=True)
    recorded_name: str
    preferred_name: str = ""
    pronouns: str = ""
    preferred_language: str = ""
    interpreter_needed: bool = False
    # The health record's security labels on the patient's own record (restricted, a sensitivity), one
    # "system|code" per line: everything imported about them is private, as if each fact carried them.
    record_labels: str = ""


class PatientIdentifier(SQLModel, table=True):
    """A record number a health record gives a patient, as "Patient?identifier=system|value": a later file that
    names the patient by it alone finds them. Never a national number (an SSN, a passport): not needed to find
    anyone here. patient_id None: two patients were given it, so it names no one."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    patient_id: int | None = Field(default=None, foreign_key="patient.id", index=True)


class RecordVersion(SQLModel, table=True):
    """When the health record last changed a resource an import wrote (its meta.lastUpdated), by the resource's
    key: an older version of it, imported after, changes nothing (yesterday's export run again after today's)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    updated_at: datetime


class RecordSaid(SQLModel, table=True):
    """What the health record said of a patient or a visit when an import last wrote it (a digest of each value it
    gives, as JSON), by the resource's key: a value the record still says leaves what the clinic corrected here."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    digest: str
    visit_id: int | None = Field(default=None, index=True)  # the visit it is of: a purge of the visit removes it


class Clinician(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    role: Role
    # How records name this clinician ("system|value", e.g. the NPI): an imported practitioner is matched by it.
    identifier: str | None = Field(default=None, unique=True, index=True)
    # Private reflection on one's own practice is opt-in and only ever shown to this clinician.
    reflection_enabled: bool = False
    # Sign-in: an argon2id hash of the PIN (never the PIN), and the count of wrong PINs in a row.
    pin_hash: str = ""
    failed_pins: int = 0
    locked_until: datetime | None = None


class Visit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_key: str | None = Field(default=None, unique=True, index=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    # None: nobody is assigned yet (a schedule or a record that names no one); a nurse assigns it.
    clinician_id: int | None = Field(default=None, foreign_key="clinician.id", index=True)
    mode: VisitMode = VisitMode.in_person
    # The clinic's wall-clock time, as the schedule shows it: deliberately naive.
    scheduled_at: NaiveDatetime = Field(index=True)
    reason: str = ""
    # A reason such as "HIV follow-up" never shows on the day's list (others see it): companion.privacy.
    reason_private: bool = False
    reason_category: str = ""
    # The security labels of the visit's own record that restrict (an Encounter labelled as a 42 CFR Part 2
    # visit), one "system|code" a line: what is filed under it is private, in any file (companion.fhir.writer).
    record_labels: str = ""
    status: VisitStatus = VisitStatus.scheduled
    # The conversation, as the Presence 5 practices describe it (issue: in the visit).
    listen_started_at: datetime | None = None
    listen_seconds: float | None = None  # how long the patient spoke before the clinician stopped the cue
    something_else_asked_at: datetime | None = None
    agenda_agreed_at: datetime | None = None
    teach_back_at: datetime | None = None
    ask_tell_ask_at: datetime | None = None
    done_at: datetime | None = None
    # When a clinician first read the visit's private items behind the prep card's reveal: finishing the visit
    # never defers a private priority nobody has read without asking.
    private_read_at: datetime | None = None


class Priority(SQLModel, table=True):
    """A priority in the patient's own words; lasting ones follow the patient to later visits."""

    id: int | None = Field(default=None, primary_key=True)
    source_key: str | None = Field(default=None, unique=True, index=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    text: str
    rank: int = 0
    scope: Scope = Scope.today
    source: Source = Source.patient
    state: PriorityState = PriorityState.open
    sensitive: bool = False  # private: never where others can see the screen (companion.privacy)
    private_category: str = ""  # the sensitivity category, for labels and the order behind the reveal
    private_reason: str = ""  # marked, label, code, wording or topic
    created_at: datetime = Field(default_factory=utcnow)
    retracted_at: datetime | None = None
    retraction_reason: str = ""
    language: str = ""  # the language the patient typed or answered in (BCP-47, "es"), when known
    # The Encounter an imported item's record filed it under, by its key, when no visit here was that Encounter yet:
    # a restricted Encounter that comes in a later file makes the item private (companion.fhir.writer).
    filed_under: str | None = Field(default=None, index=True)


class PriorityRevision(SQLModel, table=True):
    """The words a priority had before an edit."""

    id: int | None = Field(default=None, primary_key=True)
    priority_id: int = Field(foreign_key="priority.id", index=True)
    text: str
    saved_at: datetime = Field(default_factory=utcnow)


class CareGoal(SQLModel, table=True):
    """A goal the care team set, imported from a health record (a Goal the patient did not express: a clinician's
    target such as a lab value, a relative's wish, or one that names nobody). It belongs to the patient, shows on
    the prep card under its own heading, and is never one of the patient's priorities or in their words."""

    id: int | None = Field(default=None, primary_key=True)
    source_key: str | None = Field(default=None, unique=True, index=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    text: str
    set_by: str = ""  # who expressed it, as the record names them; "" when it does not say
    sensitive: bool = False  # private: never where others can see the screen (companion.privacy)
    private_category: str = ""
    private_reason: str = ""
    created_at: datetime = Field(default_factory=utcnow)  # when it was set (the record's start date), else imported
    updated_at: datetime = Field(default_factory=utcnow)
    retracted_at: datetime | None = None  # completed or withdrawn in the record: off the prep card, kept
    retraction_reason: str = ""


class ContextNote(SQLModel, table=True):
    """A social, practical or emotional fact; visit_id is None when it is lasting (about the patient)."""

    id: int | None = Field(default=None, primary_key=True)
    source_key: str | None = Field(default=None, unique=True, index=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", index=True)
    kind: NoteKind
    topic: str = ""
    # For imported facts: the code they answer (one item per code, the latest) and when they were true.
    code: str = ""
    observed_at: datetime | None = None
    # ...and the record's resource whose value it shows now, so that deleting that resource, or its server moving
    # it to another patient, takes the item off (an item per code outlives the resources that gave it values).
    record_key: str | None = Field(default=None, index=True)
    text: str
    sensitive: bool = False  # private: never where others can see the screen (companion.privacy)
    private_category: str = ""
    private_reason: str = ""
    author: str
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    retracted_at: datetime | None = None
    retraction_reason: str = ""
    # The end of an alert's period in the record, still to come when it was imported: not current after it.
    ends_at: datetime | None = None
    # The Encounter an imported item's record filed it under, by its key, when no visit here was that Encounter yet:
    # a restricted Encounter that comes in a later file makes the item private (companion.fhir.writer).
    filed_under: str | None = Field(default=None, index=True)


class NoteRevision(SQLModel, table=True):
    """The text a note had before an edit; notes never lose what they once said."""

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="contextnote.id", index=True)
    text: str
    author: str
    saved_at: datetime


class NurseTick(SQLModel, table=True):
    """A NURSE step the clinician ticked for an emotion cue (a note of kind emotion)."""

    __table_args__ = (UniqueConstraint("note_id", "step"),)
    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="contextnote.id", index=True)
    step: NurseStep
    ticked_at: datetime = Field(default_factory=utcnow)


class FocusRitual(SQLModel, table=True):
    """A clinician's own steps before entering the room, and how long they pause."""

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", unique=True)
    steps: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pause_seconds: int = 20


class RitualRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    clinician_id: int = Field(foreign_key="clinician.id")
    pause_seconds: int
    completed: bool
    finished_at: datetime = Field(default_factory=utcnow)


class NextStep(SQLModel, table=True):
    """A next step agreed with the patient at the close of the visit."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    text: str
    sensitive: bool = False
    private_category: str = ""
    private_reason: str = ""
    author: str
    created_at: datetime = Field(default_factory=utcnow)


class NextStepRevision(SQLModel, table=True):
    """The words a next step had before the patient corrected them ("That's not what I meant")."""

    id: int | None = Field(default=None, primary_key=True)
    next_step_id: int = Field(foreign_key="nextstep.id", index=True)
    text: str
    saved_at: datetime = Field(default_factory=utcnow)


class Draft(SQLModel, table=True):
    """Text typed but not yet entered, saved as it is typed so a crash loses nothing."""

    __table_args__ = (UniqueConstraint("visit_id", "field"),)
    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    field: str
    text: str
    updated_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who opened or changed what, and when. The app only ever appends to this table. It names ids and
    actions, never the patient's words; no foreign keys, so retention purges never touch it."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    clinician_id: int | None = None
    clinician_name: str = ""
    action: str
    patient_id: int | None = Field(default=None, index=True)
    visit_id: int | None = None
    detail: str = ""


class Setting(SQLModel, table=True):
    """Clinic-wide settings an admin sets (retention, auto-lock)."""

    key: str = Field(primary_key=True)
    value: str


class ChangeLog(SQLModel, table=True):
    """What each saved transaction changed: kinds and ids, never anyone's words. Other workstations read it
    (SQLite) or are sent it (PostgreSQL NOTIFY) to refresh only the views it concerns (companion.storage.changes).
    The newest few thousand entries are kept."""

    id: int | None = Field(default=None, primary_key=True)
    origin: str = ""  # the window (Store) that saved it: that window has refreshed already
    payload: str  # {"k": kinds, "v": visit ids, "p": patient ids, "all": true when too many to list}
