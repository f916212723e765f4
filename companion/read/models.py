"""Plain, frozen data the services return: the window and the CLI show these, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
    clinician_id: int
    clinician_name: str
    reason: str
    status: str
    reason_private: bool = False  # never shown where others see the screen (the day's list)


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
class StepView:
    key: str
    label: str
    phrase: str
    ticked: bool


@dataclass(frozen=True)
class CueView:
    id: int
    text: str
    steps: tuple[StepView, ...]
    sensitive: bool = False


@dataclass(frozen=True)
class PatientView:
    id: int
    preferred_name: str
    pronouns: str
    language: str
    interpreter_needed: bool


@dataclass(frozen=True)
class Changed:
    """What a write touched, so each view decides whether to reload (Anki's pattern)."""

    visit_id: int | None = None
    patient_id: int | None = None
    what: tuple[str, ...] = field(default_factory=tuple)
    item_id: int | None = None
