"""Plain, frozen data the services return: the window and the CLI show these, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ClinicianView:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class VisitRow:
    id: int
    scheduled_at: datetime
    patient_id: int
    patient_name: str
    clinician_id: int | None  # None: unassigned, waiting for a nurse to assign it
    clinician_name: str  # "" when unassigned
    reason: str
    status: str
    reason_private: bool = False  # never shown where others see the screen (the day's list)
    video: bool = False  # a video visit: the in-room cues take their video form

    @property
    def assigned(self) -> bool:
        return self.clinician_id is not None

    @property
    def open(self) -> bool:
        """Still to happen or happening: not done, cancelled or missed."""
        return self.status not in ("done", "cancelled", "no_show")


@dataclass(frozen=True)
class PriorityView:
    id: int
    text: str
    rank: int
    scope: str
    source: str
    state: str
    visit_id: int
    sensitive: bool = False
    category: str = ""  # the sensitivity category of a private one (companion.privacy)
    conflict: bool = False  # a correction that met someone else's newer words (both kept: theirs in the history)


@dataclass(frozen=True)
class NoteView:
    id: int
    kind: str
    topic: str
    text: str
    lasting: bool
    sensitive: bool
    author: str
    created_at: datetime
    updated_at: datetime
    edited: bool
    conflict: bool = False  # an edit that met someone else's newer save (both texts kept)
    category: str = ""  # the sensitivity category of a private one (companion.privacy)


@dataclass(frozen=True)
class Stamp:
    """Who wrote an item's words as they stand, and when (Rooming shows it beside each item)."""

    who: str  # "" when no one is recorded (written before the audit trail, or by no named actor)
    at: datetime | None  # aware, UTC
    edited: bool = False  # these words replaced earlier ones (kept in its history)


@dataclass(frozen=True)
class HistoryEntry:
    """One moment in an item's history, from its rows and the audit trail."""

    at: datetime | None  # aware, UTC
    who: str
    action: str  # "added", "edited", "retracted" or "changed" (a change the audit trail names without words)
    text: str = ""  # the words from then on (added, edited) or the reason (retracted); "" when hidden
    hidden: bool = False  # words held back: private, and the reader has not revealed private items


@dataclass(frozen=True)
class ItemHistory:
    """Every version of a priority or a note, with who and when, oldest first."""

    kind: str  # "priority" or "note"
    id: int
    entries: tuple[HistoryEntry, ...]
    private: bool = False  # the item is private: its words are shown only when revealed
    private_reason: str = ""  # why (companion.privacy: marked, label, code, wording, topic), when revealed
    retracted: bool = False


@dataclass(frozen=True)
class StepView:
    key: str
    label: str
    phrase: str
    ticked: bool


@dataclass(frozen=True)
class CueView:
    """An emotional cue with its NURSE steps, whose phrases fit the emotion it names (companion.read.emotion_family)."""

    id: int
    text: str
    steps: tuple[StepView, ...]
    sensitive: bool = False
    family: str = ""  # the emotion family the cue names ("sadness"); "" when none is known: neutral phrases
    family_label: str = ""  # "sadness and grief"
    language: str = ""  # the phrases' language ("en", "es"): the cue's own
    wish: str = ""  # VitalTalk's "I wish ..." statement for it
    more: str = ""  # "Tell me more ..."


@dataclass(frozen=True)
class PatientView:
    id: int
    preferred_name: str
    pronouns: str
    language: str
    interpreter_needed: bool


@dataclass(frozen=True)
class PatientFound(PatientView):
    """A patient found by name where a record is chosen (booking a visit): with the name as recorded, so two who
    go by the same name are told apart. Never shown where others can see the screen."""

    recorded_name: str = ""


@dataclass(frozen=True)
class PatientDetails:
    """Everything the patient-details form edits: the name as recorded beside the name they like."""

    id: int
    recorded_name: str
    preferred_name: str  # empty when none was given (PatientView falls back to the recorded name)
    pronouns: str
    language: str
    interpreter_needed: bool


# What a write can change, named after what the views show (companion.storage.changes maps tables to these).
KINDS = frozenset(
    (
        "patient",
        "clinician",
        "visit",
        "priority",
        "note",
        "tick",
        "next_step",
        "ritual",
        "ritual_run",
        "setting",
        "care_goal",
    )
)


@dataclass(frozen=True)
class Changed(Generic[T]):
    """What one write changed, so each view decides whether to read again (Anki's OpChanges). Every service
    write returns one, made from the rows it saved (companion.storage.changes), never by hand; a change saved
    at another workstation arrives as the same (companion.services.live).

    `patient_ids` are the patients whose facts changed (a glance shows one patient); `visit_ids` the visits.
    `everywhere`: rows changed whose patient is not known one by one (a purge, a large import)."""

    kinds: frozenset[str] = frozenset()
    visit_ids: frozenset[int] = frozenset()
    patient_ids: frozenset[int] = frozenset()
    everywhere: bool = False
    result: T | None = None  # what the write made or became (the saved note, the visit's new row)

    def touches(self, kinds: frozenset[str], patient_id: int | None = None) -> bool:
        """Whether a view showing these kinds (of this patient, when it shows one) must read again."""
        if self.kinds.isdisjoint(kinds):
            return False
        return patient_id is None or self.everywhere or patient_id in self.patient_ids


# After an outage nobody knows what changed meanwhile: every view reads again.
EVERYTHING: Changed = Changed(kinds=KINDS, everywhere=True)
