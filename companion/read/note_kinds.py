"""The kinds of context note, declared once: every place that writes, shows, imports or exports a note reads here.

A new kind is one entry in NOTE_KINDS (and a value in storage.models.NoteKind, which a migration adds to the
column's type): the Rooming view grows a section, the command line a choice, FHIR a category, without other edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.storage.models import NoteKind


@dataclass(frozen=True)
class NoteKindSpec:
    kind: NoteKind
    title: str  # the Rooming section's heading
    placeholder: str  # what the nurse is invited to type
    topics: tuple[str, ...] = ()  # the topics a note of this kind may carry
    can_last: bool = True  # a lasting note is about the patient and shows at later visits; a cue is of one visit


NOTE_KINDS: tuple[NoteKindSpec, ...] = (
    NoteKindSpec(
        NoteKind.social,
        "Their story and social context",
        "Family, work, home, beliefs, joy, needs… Enter",
        ("family", "work", "home", "culture", "joy", "needs"),
    ),
    NoteKindSpec(
        NoteKind.practical,
        "Practical needs",
        "Hearing, vision, mobility, interpreter… Enter",
        ("hearing", "vision", "mobility", "interpreter"),
    ),
    NoteKindSpec(
        NoteKind.emotion,
        "Emotional cues observed",
        "e.g. tearful talking about her husband… Enter",
        can_last=False,
    ),
)

BY_KIND: dict[str, NoteKindSpec] = {spec.kind.value: spec for spec in NOTE_KINDS}
TOPICS: dict[str, tuple[str, ...]] = {spec.kind.value: spec.topics for spec in NOTE_KINDS}


def can_last(kind: NoteKind | str) -> bool:
    return BY_KIND[NoteKind(kind).value].can_last
