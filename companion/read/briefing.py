"""What each moment shows: the prep card at the door and the glance in the visit.

The window and `companion show` both read these, so the CLI prints exactly what the glance shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.content import Practice
from companion.read.models import CueView, NoteView, PatientView, PriorityView, VisitRow
from companion.services import emotions, encounter, notes, priorities, visits
from companion.storage.read_scope import in_one_scope
from companion.storage.store import Store

GLANCE_LIMIT = 3


@dataclass(frozen=True)
class Glance:
    visit: VisitRow
    patient: PatientView
    needs: tuple[NoteView, ...]
    stage: str  # arrive, listening, agenda, visit, done (companion.services.encounter)
    prep_cue: Practice
    priorities: tuple[PriorityView, ...]
    more_priorities: int
    story: tuple[NoteView, ...]
    more_story: int
    cues: tuple[CueView, ...]
    private_count: int = 0  # held back from the glance: it says so, without a category word

    def to_json(self) -> dict:
        """The glance as plain data; every item carries a `text`."""
        return {
            "visit_id": self.visit.id,
            "patient": {
                "text": patient_line(self.patient),
                "preferred_name": self.patient.preferred_name,
                "pronouns": self.patient.pronouns,
                "language": self.patient.language,
                "interpreter_needed": self.patient.interpreter_needed,
                "needs": [{"text": n.text, "topic": n.topic} for n in self.needs],
            },
            "stage": self.stage,
            "prep_cue": {"text": self.prep_cue.cue, "practice": self.prep_cue.title},
            "priorities": [
                {"text": p.text, "scope": p.scope, "source": p.source, "state": p.state} for p in self.priorities
            ],
            "social_context": [{"text": n.text, "topic": n.topic, "lasting": n.lasting} for n in self.story],
            "emotion_checklist": [
                {
                    "text": cue.text,
                    "steps": [
                        {"text": s.phrase, "step": s.key, "label": s.label, "ticked": s.ticked} for s in cue.steps
                    ],
                }
                for cue in self.cues
            ],
            "more": {"priorities": self.more_priorities, "social_context": self.more_story},
            "private_count": self.private_count,
        }


@dataclass(frozen=True)
class PrepCard:
    visit: VisitRow
    patient: PatientView
    needs: tuple[NoteView, ...]
    priorities: tuple[PriorityView, ...]
    more_priorities: int
    story_line: str
    open_from_last_visit: tuple[PriorityView, ...]
    from_earlier: tuple[PriorityView, ...]  # lasting priorities: ask about them, acknowledge, celebrate
    sensitive: tuple[PriorityView | NoteView, ...]  # private items, safety ones (suicide, self-harm, abuse) first


def private_marker(count: int) -> str:
    """What the glance says of what it holds back: how many, never what kind (others can see the screen)."""
    return (
        f"{count} private item: read it at the door" if count == 1 else f"{count} private items: read them at the door"
    )


def name_line(patient: PatientView) -> str:
    """ "Ana (she/her)": how to greet them."""
    return patient.preferred_name + (f" ({patient.pronouns})" if patient.pronouns else "")


def language_line(patient: PatientView) -> str:
    """ "Spanish, interpreter": how to be understood."""
    if patient.interpreter_needed:
        return f"{patient.language}, interpreter" if patient.language else "interpreter needed"
    return patient.language


def patient_line(patient: PatientView) -> str:
    """ "Ana (she/her) · Spanish, interpreter": both in one line, for the command line and the prep card."""
    return " · ".join(part for part in (name_line(patient), language_line(patient)) if part)


@dataclass(frozen=True)
class _Facts:
    """What both the glance and the prep card start from, read once."""

    visit: VisitRow
    patient: PatientView
    notes: tuple[NoteView, ...]  # sensitive ones included
    agenda: tuple[PriorityView, ...]  # not yet addressed; sensitive ones included

    @property
    def visible_notes(self) -> list[NoteView]:
        return [n for n in self.notes if not n.sensitive]

    @property
    def visible_agenda(self) -> list[PriorityView]:
        return [p for p in self.agenda if not p.sensitive]

    @property
    def needs(self) -> tuple[NoteView, ...]:
        return tuple(n for n in self.visible_notes if n.kind == "practical")

    @property
    def private_count(self) -> int:
        """What the glance holds back: private priorities still open and private notes (cues included)."""
        return sum(1 for p in self.agenda if p.sensitive) + sum(1 for n in self.notes if n.sensitive)

    @property
    def story(self) -> list[NoteView]:
        """This visit's social notes first, then the lasting ones; newest first within each."""
        social = [n for n in self.visible_notes if n.kind == "social"]
        return sorted(social, key=lambda n: (n.lasting, -n.created_at.timestamp(), -n.id))


def _facts(store: Store, visit_id: int) -> _Facts:
    return _Facts(
        visit=visits.visit_row(store, visit_id),
        patient=visits.patient_of_visit(store, visit_id),
        notes=tuple(notes.notes_for_visit(store, visit_id)),
        agenda=tuple(p for p in priorities.agenda(store, visit_id) if p.state != "addressed"),
    )


@in_one_scope
def build_glance(store: Store, visit_id: int) -> Glance:
    """The in-visit view: never a sensitive fact, at most three of each list."""
    facts = _facts(store, visit_id)
    agenda, story = facts.visible_agenda, facts.story
    cues = emotions.cues_for_visit(store, visit_id, include_sensitive=False)
    stage = encounter.conversation(store, visit_id).stage
    return Glance(
        visit=facts.visit,
        patient=facts.patient,
        needs=facts.needs,
        stage=stage,
        prep_cue=_cue_for_moment(store, stage, agenda, cues),
        priorities=tuple(agenda[:GLANCE_LIMIT]),
        more_priorities=max(0, len(agenda) - GLANCE_LIMIT),
        story=tuple(story[:GLANCE_LIMIT]),
        more_story=max(0, len(story) - GLANCE_LIMIT),
        cues=tuple(cues),
        private_count=facts.private_count,
    )


@in_one_scope
def build_prep_card(store: Store, visit_id: int) -> PrepCard:
    """The card read at the door; sensitive facts are included but kept apart for an explicit reveal."""
    facts = _facts(store, visit_id)
    agenda, story = facts.visible_agenda, facts.story
    previous = visits.previous_visit_id(store, visit_id)
    open_items = []
    if previous is not None:
        open_items = [
            p for p in priorities.priorities_of_visit(store, previous) if p.scope == "today" and p.state != "addressed"
        ]
    return PrepCard(
        visit=facts.visit,
        patient=facts.patient,
        needs=facts.needs,
        priorities=tuple(agenda[:GLANCE_LIMIT]),
        more_priorities=max(0, len(agenda) - GLANCE_LIMIT),
        story_line=story[0].text if story else "",
        open_from_last_visit=tuple(p for p in open_items if not p.sensitive),
        from_earlier=tuple(p for p in agenda if p.scope == "lasting" and p.visit_id != visit_id),
        sensitive=safety_first(
            store,
            [
                *(p for p in facts.agenda if p.sensitive),
                *(p for p in open_items if p.sensitive),  # deferred last time: kept behind the reveal, never dropped
                *(n for n in facts.notes if n.sensitive),
            ],
        ),
    )


def safety_first(store: Store, items: list) -> tuple:
    """Suicide, self-harm and abuse before the rest, each group in its own order."""
    safety = store.content.safety_categories
    return tuple(sorted(items, key=lambda item: item.category not in safety))


def _cue_for_moment(store: Store, stage: str, agenda: list[PriorityView], cues: list[CueView]) -> Practice:
    """Point to the Presence practice the visit most needs now."""
    content = store.content
    if stage == "listening":
        return content.practice("listen")
    if any(not any(step.ticked for step in cue.steps) for cue in cues):
        return content.practice("explore")
    if stage == "agenda":
        return content.practice("agree")
    if stage in ("visit", "done"):
        return content.practice("connect")
    return content.practice("listen" if agenda else "agree")
