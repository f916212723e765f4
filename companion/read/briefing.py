"""What each moment shows: the prep card at the door and the glance in the visit, each read once.

The glance view and its panels (the agenda, the closing checks, the emotion checklist) only display a Glance;
`companion show --json` and `show --patient` print the same object; the prep card is a PrepCard. The rule that
keeps private facts off the glance is applied here and nowhere else (`shown`, `held_back`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from companion.content import Practice
from companion.read.access import needs_to_show
from companion.read.models import CueView, NoteView, PatientView, PriorityView, VisitRow
from companion.services import care_goals, emotions, encounter, notes, priorities, visits
from companion.services.care_goals import CareGoalView
from companion.services.encounter import Conversation, NextStepView
from companion.services.patients import get_patient
from companion.services.rules_update import judged_as_read
from companion.services.visits import current_visit_id
from companion.storage.read_scope import in_one_scope
from companion.storage.store import Store
from companion.text import shorten_keeping_answer

GLANCE_LIMIT = 3
# A story item on the glance: about two lines of its 16 pt type at the default width. A longer one is shortened at a
# word boundary (its answer kept whole); the prep card shows it whole.
STORY_GLANCE_CHARS = 80


def shown(items):
    """What may be on a screen others can see: never a private item."""
    return [item for item in items if not item.sensitive]


def held_back(items):
    """The private items, kept for the prep card's reveal and counted on the glance."""
    return [item for item in items if item.sensitive]


@dataclass(frozen=True)
class Glance:
    """Everything the glance shows, private items already left out. `visit` and `talk` are None for a patient
    with no visit yet (`show --patient`): their lasting story and needs alone."""

    visit: VisitRow | None
    patient: PatientView
    needs: tuple[NoteView, ...]
    stage: str  # arrive, listening, agenda, visit, done (companion.services.encounter)
    prep_cue: Practice
    priorities: tuple[PriorityView, ...]  # the first open ones, up to GLANCE_LIMIT
    more_priorities: int
    story: tuple[NoteView, ...]
    more_story: int
    cues: tuple[CueView, ...]
    private_count: int = 0  # held back from the glance: it says so, without a category word
    talk: Conversation | None = None
    agenda: tuple[PriorityView, ...] = ()  # the whole agenda, addressed items too (the agenda, the closing checks)
    next_steps: tuple[NextStepView, ...] = ()

    def to_json(self) -> dict:
        """The glance as plain data; every item carries a `text`."""
        return {
            "visit_id": self.visit.id if self.visit else None,
            "video": bool(self.visit and self.visit.video),
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
    open_from_last_visit: tuple[PriorityView, ...]
    from_earlier: tuple[PriorityView, ...]  # lasting priorities: ask about them, acknowledge, celebrate
    # private items, safety ones (suicide, ...) first
    sensitive: tuple[PriorityView | NoteView | NextStepView | CareGoalView, ...]
    story: tuple[NoteView, ...] = ()  # their whole story, each item whole (the glance shortens long ones)
    care_goals: tuple[CareGoalView, ...] = ()  # goals the care team set: never the patient's words


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
    """What both the glance and the prep card start from, read once; private items included."""

    visit: VisitRow
    patient: PatientView
    notes: tuple[NoteView, ...]
    agenda: tuple[PriorityView, ...]  # every item, addressed ones too
    next_steps: tuple[NextStepView, ...]

    @property
    def open_agenda(self) -> list[PriorityView]:
        return [p for p in self.agenda if p.state != "addressed"]


def _facts(store: Store, visit_id: int) -> _Facts:
    return _Facts(
        visit=visits.visit_row(store, visit_id),
        patient=visits.patient_of_visit(store, visit_id),
        # Judged as read while a window judges what was stored before today's rules (companion.services.rules_update)
        notes=judged_as_read(store, tuple(notes.notes_for_visit(store, visit_id))),
        agenda=judged_as_read(store, tuple(priorities.agenda(store, visit_id))),
        next_steps=judged_as_read(store, tuple(encounter.next_steps(store, visit_id))),
    )


def _needs(notes_shown: list[NoteView], patient: PatientView) -> tuple[NoteView, ...]:
    """Practical needs, less those that only repeat the language line (companion.read.access)."""
    return needs_to_show(patient, tuple(n for n in notes_shown if n.kind == "practical"))


def _story(notes_shown: list[NoteView]) -> list[NoteView]:
    """This visit's social notes first, then the lasting ones; newest first within each."""
    social = [n for n in notes_shown if n.kind == "social"]
    return sorted(social, key=lambda n: (n.lasting, -n.created_at.timestamp(), -n.id))


def _at_a_glance(story: list[NoteView]) -> tuple[NoteView, ...]:
    """The first story items as the glance shows them: a long one shortened at a word boundary, its answer whole
    (the stored words are untouched: the prep card shows them)."""
    return tuple(replace(n, text=shorten_keeping_answer(n.text, STORY_GLANCE_CHARS)) for n in story[:GLANCE_LIMIT])


@in_one_scope
def build_glance(store: Store, visit_id: int) -> Glance:
    """The in-visit view: never a private fact, at most three of each list."""
    facts = _facts(store, visit_id)
    notes_shown, agenda_open = shown(facts.notes), shown(facts.open_agenda)
    story = _story(notes_shown)
    cues = shown(judged_as_read(store, emotions.cues_for_visit(store, visit_id)))
    talk = encounter.conversation(store, visit_id)
    return Glance(
        visit=facts.visit,
        patient=facts.patient,
        needs=_needs(notes_shown, facts.patient),
        stage=talk.stage,
        prep_cue=_cue_for_moment(store, talk.stage, agenda_open, cues, video=facts.visit.video),
        priorities=tuple(agenda_open[:GLANCE_LIMIT]),
        more_priorities=max(0, len(agenda_open) - GLANCE_LIMIT),
        story=_at_a_glance(story),
        more_story=max(0, len(story) - GLANCE_LIMIT),
        cues=tuple(cues),
        private_count=sum(len(held_back(items)) for items in (facts.open_agenda, facts.notes, facts.next_steps)),
        talk=talk,
        agenda=tuple(shown(facts.agenda)),
        next_steps=tuple(shown(facts.next_steps)),
    )


@in_one_scope
def build_patient_glance(store: Store, patient_id: int) -> Glance:
    """The glance of the patient's current or latest visit; with no visit, the patient alone: their lasting story
    and needs (never a private fact), in the same shape."""
    visit_id = current_visit_id(store, patient_id)
    if visit_id is not None:
        return build_glance(store, visit_id)
    lasting = notes.lasting_notes(store, patient_id)
    notes_shown = shown(lasting)
    story = _story(notes_shown)
    patient = get_patient(store, patient_id)
    return Glance(
        visit=None,
        patient=patient,
        needs=_needs(notes_shown, patient),
        stage="arrive",
        prep_cue=store.content.practice("prepare"),
        priorities=(),
        more_priorities=0,
        story=_at_a_glance(story),
        more_story=max(0, len(story) - GLANCE_LIMIT),
        cues=(),
        private_count=len(held_back(lasting)),
    )


@in_one_scope
def build_prep_card(store: Store, visit_id: int) -> PrepCard:
    """The card read at the door; private facts are included but kept apart for an explicit reveal. Their story is
    whole here, and the care team's goals have their own place, apart from the patient's words."""
    facts = _facts(store, visit_id)
    goals = care_goals.care_goals(store, facts.visit.patient_id)
    agenda_open = facts.open_agenda
    agenda_shown = shown(agenda_open)
    story = _story(shown(facts.notes))
    previous = visits.previous_visit_id(store, visit_id)
    still_open = []
    if previous is not None:
        still_open = [
            p for p in priorities.priorities_of_visit(store, previous) if p.scope == "today" and p.state != "addressed"
        ]
    return PrepCard(
        visit=facts.visit,
        patient=facts.patient,
        needs=_needs(shown(facts.notes), facts.patient),
        priorities=tuple(agenda_shown[:GLANCE_LIMIT]),
        more_priorities=max(0, len(agenda_shown) - GLANCE_LIMIT),
        story=tuple(story),
        care_goals=tuple(shown(goals)),
        open_from_last_visit=tuple(shown(still_open)),
        from_earlier=tuple(p for p in agenda_shown if p.scope == "lasting" and p.visit_id != visit_id),
        sensitive=safety_first(
            store,
            [
                *held_back(agenda_open),
                *held_back(still_open),  # deferred last time: kept behind the reveal, never dropped
                *held_back(facts.notes),
                *held_back(facts.next_steps),
                *held_back(goals),
            ],
        ),
    )


def safety_first(store: Store, items: list) -> tuple:
    """Suicide, self-harm and abuse before the rest, each group in its own order."""
    safety = store.content.safety_categories
    return tuple(sorted(items, key=lambda item: item.category not in safety))


def _cue_for_moment(
    store: Store, stage: str, agenda: list[PriorityView], cues: list[CueView], *, video: bool
) -> Practice:
    """Point to the Presence practice the visit most needs now, in its video form for a video visit."""
    practice = store.content.practice(_practice_for_moment(stage, agenda, cues))
    return practice.for_video() if video else practice


def _practice_for_moment(stage: str, agenda: list[PriorityView], cues: list[CueView]) -> str:
    if stage == "listening":
        return "listen"
    if any(not any(step.ticked for step in cue.steps) for cue in cues):
        return "explore"
    if stage == "agenda":
        return "agree"
    if stage in ("visit", "done"):
        return "connect"
    return "listen" if agenda else "agree"
