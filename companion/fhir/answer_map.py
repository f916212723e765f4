"""What the patient said: a pre-visit "what matters to you today" answer becomes today's priority in their
words, screening answers (PRAPARE, AHC HRSN, Hunger Vital Sign) become their story as far as they are
(companion.fhir.story), and an active Goal the patient expressed becomes a lasting priority; a goal someone else set
(a clinician's target, or one that names nobody) is a care goal, shown on the prep card under its own heading."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from companion.fhir.fact_map import (
    NO_SIGNALS,
    NoteFacts,
    Signals,
    answer_of,
    author_of,
    display_of,
    patient_of,
    statement,
    value_text,
)
from companion.fhir.practitioner_map import PractitionerIndex
from companion.fhir.profile import (
    EXT_RANK,
    EXT_SENSITIVE,
    EXT_SOURCE,
    EXT_STATE,
    LOINC,
    WHAT_MATTERS_LINK,
    ext_value,
    security_labels,
)
from companion.fhir.refs import References, key_type
from companion.fhir.story import StoryRules
from companion.fhir.values import as_utc, codings, concept_text, plain, status_of, status_said, words
from companion.privacy.rules import canonical_system
from companion.storage.models import NoteKind, PriorityState, Scope, Source

WHAT_MATTERS = re.compile(  # as portals ask it, in English and Spanish
    r"\bwhat (?:matters|is (?:most )?important)(?: most)? to you\b"
    r"|\bwhat (?:would|do) you (?:like|want|hope) to (?:talk about|discuss|address|focus on)\b"
    r"|\b(?:top|main|most important|biggest) (?:concerns?|issues?|questions?|priorities)\b"
    r".{0,40}\b(?:discuss|talk|address)"
    r"|\bqu[eé] es lo (?:m[aá]s )?importante para usted\b|\bqu[eé] (?:es lo que )?m[aá]s le (?:importa|preocupa)\b"
    r"|\bde qu[eé] (?:le gustar[ií]a|quiere|quisiera) (?:hablar|platicar|conversar)\b"
    r"|\b(?:principales|mayores) (?:preocupaciones|inquietudes)\b",
    re.IGNORECASE,
)
# PRAPARE (93025-5), Hunger Vital Sign (88121-9), AHC HRSN (96777-8) and SDOH questionnaires by name.
SCREENING = re.compile(r"prapare|hunger|\bhvs\b|sdoh|hrsn|93025-5|88121-9|96777-8", re.IGNORECASE)
SCREENING_ITEMS = {"88122-7", "88123-5", "88124-3", "71802-3", "93033-9", "93030-5", "93031-3", "93038-8"}
# A LOINC code at the end of a linkId or definition, however the questionnaire's author joined it on:
# "95618-5", "/95618-5", "#95618-5", "hrsn-95618-5", "item_95618-5".
LOINC_LINK = re.compile(r"(?:^|\D)(\d{3,6}-\d)$")
GOAL_STATES = {"active": None, "accepted": None, "completed": PriorityState.addressed}
GOAL_WITHDRAWN = {"cancelled", "entered-in-error", "rejected"}
GOAL_KNOWN = {*GOAL_STATES, *GOAL_WITHDRAWN, "proposed", "planned", "on-hold"}  # every code R4 has


@dataclass(frozen=True, slots=True)
class PriorityFacts:
    key: str
    patient: str | None
    patient_display: str
    text: str
    scope: Scope
    source: Source
    visit: str | None = None  # an Encounter's key, when the record says which visit
    when: datetime | None = None  # else the visit nearest this time is chosen
    state: PriorityState | None = None
    rank: int | None = None
    signals: Signals = NO_SIGNALS
    retract: str = ""
    only_update: bool = False  # a completed goal closes an item already here; it adds nothing new
    language: str = ""  # the language the patient answered in (QuestionnaireResponse.language)
    # A response's answer: the words (casefolded) this version gives at each place of its question, "" where it
    # gives none (with_places); an item whose answer moved place is found by them (companion.fhir.items).
    places: tuple[str, ...] = ()
    said: frozenset[str] = frozenset()  # the same words as a set, asked of each answer


@dataclass(frozen=True, slots=True)
class AnswersNow:
    """Which of a response's items it still gives. A response the record amends (the same id sent again) may
    no longer say what an earlier version said, and one withdrawn says nothing: the items it gave that it no
    longer gives leave the agenda (retracted, with the reason), as the patient would expect of their corrected
    form. Written after the response's items, once per response (its newest version)."""

    key: str
    patient: str | None
    kept: frozenset[str]
    reason: str
    when: datetime | None
    unused: str = ""  # why the response adds nothing, reported when it took nothing off either


NO_LONGER_ANSWERED = "no longer in the answers in the health record"
# A "what matters" answer the app cannot show as the patient's words: a voice memo, a link to a record entry.
NOT_WORDS = "an answer given as an attachment or a reference, not in words"
WITHDRAWN_RESPONSE = ("entered-in-error", "stopped")
# A form the patient (or whoever fills it in) has not sent yet: its answers are a draft, theirs to change or to
# never send. It adds nothing and takes nothing away; the version they send arrives in a later export.
NOT_SENT = "status in-progress: a draft, not sent yet"


def answers_now(response, key: str, refs: References, given: list, unused: str = "") -> AnswersNow:
    """What `response` still gives (the keys of `given`), or nothing when the record withdrew it."""
    status = status_of(response.status)
    withdrawn = status in WITHDRAWN_RESPONSE
    return AnswersNow(
        key=key,
        patient=patient_of(response.subject, refs),
        kept=frozenset() if withdrawn else frozenset(k for f in given if (k := getattr(f, "key", None))),
        reason=f"{status} in the health record" if withdrawn else NO_LONGER_ANSWERED,
        when=as_utc(response.authored),
        unused=unused,
    )


def questionnaire_facts(
    response, key: str, refs: References, story: StoryRules
) -> list[PriorityFacts | NoteFacts | AnswersNow]:
    """Today's priorities and screening answers of one QuestionnaireResponse, then what it no longer gives (with
    why it adds nothing, if so). A screening answer that is not the patient's story comes back as a fact that
    says why (companion.fhir.story)."""
    if (status := status_of(response.status)) in WITHDRAWN_RESPONSE:
        return [answers_now(response, key, refs, [], unused=f"status {status}")]
    patient = patient_of(response.subject, refs)
    asked = _asked(response)

    def loinc(item) -> str:
        return _loinc(item) or asked.codes.get(item.linkId or "", "")

    def question_text(item) -> str:
        return item.text or asked.texts.get(item.linkId or "", "")

    screening = bool(SCREENING.search(f"{response.questionnaire or ''} {asked.names}")) or any(
        loinc(item) in SCREENING_ITEMS or story.is_story_question(loinc(item)) for item in _items(response.item)
    )
    author = response.author or response.source
    common = {"patient": patient, "patient_display": display_of(response.subject)}
    when = as_utc(response.authored)
    visit = refs.follow(response.encounter, "Encounter")
    facts: list[PriorityFacts | NoteFacts | str] = []
    for item in _items(response.item):
        answers = list(item.answer or [])
        if (item.linkId == WHAT_MATTERS_LINK or WHAT_MATTERS.search(question_text(item))) and answers:
            for number, answer in enumerate(answers):
                if text := value_text(answer):
                    facts.append(
                        _said_today(answer, f"{key}#{item.linkId}#{number}", text, visit, when, response, common)
                    )
                elif answer.valueAttachment is not None or answer.valueReference is not None:
                    facts.append(NOT_WORDS)  # counted in the report: a clinician may ask for it
        elif screening and answers:
            said = ", ".join(t for a in answers if (t := value_text(a)))
            question = words(plain(question_text(item)))
            if said and question:
                code = f"{LOINC}|{loinc(item)}" if loinc(item) else f"{response.questionnaire or key}#{item.linkId}"
                told = [a for answer in answers if (a := answer_of(answer))]
                choice = story.choose(loinc(item), (), plain(question_text(item)), told)
                facts.append(
                    NoteFacts(
                        **common,
                        kind=NoteKind.social,
                        topic=choice.topic,
                        text=plain(statement(question, said)),
                        author=author_of(author),
                        code=code,
                        observed_at=when,
                        signals=Signals(
                            labels=security_labels(response),
                            codes=_item_codes(loinc(item), answers),
                        ),
                        left_out=choice.left_out,
                    )
                )
    # Story notes are written last to first: notes of one moment are listed newest first, so the first question
    # shows first. Priorities keep the order the patient gave them.
    ordered = [f for f in facts if isinstance(f, PriorityFacts)] + [f for f in facts if isinstance(f, NoteFacts)][::-1]
    unread = [f for f in facts if isinstance(f, str)]
    unused = "" if ordered or unread else "no answer this app uses (not a screening or a 'what matters today' question)"
    return [*with_places(ordered), *unread, answers_now(response, key, refs, ordered, unused)]


def with_places(found: list) -> list:
    """A response's answers, each told the words of every answer its version gives to the same question, by place
    (their keys end "#<linkId>#<place>")."""
    places: dict[str, dict[int, str]] = defaultdict(dict)
    for facts in found:
        if isinstance(facts, PriorityFacts) and (place := answer_place(facts.key)) is not None:
            places[question_of(facts.key)][place] = facts.text.casefold()
    # One tuple and one set per question, shared by its answers: a response of 10,000 answers holds 10,000 words,
    # not 10,000², and asks a set whether words are given rather than reading them all.
    shared = {
        question: (tuple(given.get(n, "") for n in range(max(given) + 1)), frozenset(given.values()))
        for question, given in places.items()
    }
    return [
        replace(facts, places=shared[question_of(facts.key)][0], said=shared[question_of(facts.key)][1])
        if isinstance(facts, PriorityFacts) and question_of(facts.key) in shared
        else facts
        for facts in found
    ]


def question_of(key: str) -> str:
    """The response and question of an answer's key ("<response>#<linkId>#<place>"), with its last "#"."""
    return key.rpartition("#")[0] + "#"


def answer_place(key: str) -> int | None:
    place = key.rpartition("#")[2]
    return int(place) if "#" in key and place.isdigit() else None


def _said_today(answer, key, text, visit, when, response, common, *, patients_own: bool = False) -> PriorityFacts:
    """One of today's priorities. This app's own extensions (who said it, its state, its rank: an export of this
    app read back) are read unless it is `patients_own`: an answer the patient gave on a portal is theirs, open, and
    in the order they gave, whatever the portal adds."""
    exported = not patients_own
    return PriorityFacts(
        key=key,
        **common,
        text=text,
        scope=Scope.today,
        source=(exported and _choice(Source, ext_value(answer, EXT_SOURCE, "Code"))) or Source.patient,
        visit=visit,
        when=when,
        state=_choice(PriorityState, ext_value(answer, EXT_STATE, "Code")) if exported else None,
        rank=ext_value(answer, EXT_RANK, "Integer") if exported else None,
        language=plain(response.language or "", 35),  # a BCP-47 tag is at most 35 characters in practice
        signals=Signals(
            marked=bool(ext_value(answer, EXT_SENSITIVE, "Boolean")),
            labels=security_labels(response),
            codes=_answer_codes([answer]),
        ),
    )


@dataclass(frozen=True, slots=True)
class CareGoalFacts:
    """A goal someone other than the patient set (a clinician's target, a relative's wish) or one whose record
    names nobody: the prep card shows it as a care goal, never in the patient's words."""

    key: str
    patient: str | None
    patient_display: str
    text: str
    set_by: str  # who expressed it, as the record names them; "" when it does not say
    when: datetime | None = None
    signals: Signals = NO_SIGNALS
    retract: str = ""  # completed, cancelled...: it leaves the prep card, with this reason
    only_update: bool = False  # closed in the record: it changes an item already here, adds nothing new


def goal_facts(goal, key: str, refs: References, people: PractitionerIndex) -> PriorityFacts | CareGoalFacts | str:
    """An active or accepted Goal: a lasting priority in the patient's words when the patient expressed it (or this
    app's own export says whose it is), else a care goal. A completed goal closes the item; a cancelled one
    retracts it."""
    status = status_of(goal.lifecycleStatus)
    if status not in GOAL_STATES and status not in GOAL_WITHDRAWN:
        return f"not active (status {status_said(status, GOAL_KNOWN)})"
    text = concept_text(goal.description)
    if not text:
        return "no description"
    expressed = refs.follow(goal.expressedBy)
    source = _choice(Source, ext_value(goal, EXT_SOURCE, "Code"))
    signals = Signals(
        marked=bool(ext_value(goal, EXT_SENSITIVE, "Boolean")),
        labels=security_labels(goal),
        codes=tuple(codings(goal.description)),
    )
    retract = f"{status} in the health record" if status in GOAL_WITHDRAWN else ""
    only_update = status != "active" and status != "accepted"
    when = as_utc(goal.startDate or goal.statusDate)
    if source is None and not (expressed and key_type(expressed) == "Patient"):
        return CareGoalFacts(
            key=key,
            patient=patient_of(goal.subject, refs),
            patient_display=display_of(goal.subject),
            text=text,
            set_by=_set_by(goal.expressedBy, refs, people),
            when=when,
            signals=signals,
            retract=retract or (f"{status} in the health record" if status == "completed" else ""),
            only_update=only_update,
        )
    state = _choice(PriorityState, ext_value(goal, EXT_STATE, "Code")) or GOAL_STATES.get(status)
    return PriorityFacts(
        key=key,
        patient=patient_of(goal.subject, refs),
        patient_display=display_of(goal.subject),
        text=text,
        scope=Scope.lasting,
        source=source or Source.patient,
        when=when,
        state=state,
        rank=ext_value(goal, EXT_RANK, "Integer"),
        signals=signals,
        retract=retract,
        only_update=only_update,
    )


def _set_by(reference, refs: References, people: PractitionerIndex) -> str:
    """Who expressed a goal, by the reference's display or the Practitioner this file holds."""
    if reference is None:
        return ""
    if name := display_of(reference):
        return name
    named = people.named_by(reference, refs) if reference.reference else None
    return named.name if named is not None else ""


def _item_codes(question_code: str, answers) -> tuple[tuple[str, str], ...]:
    """A screening answer's codes: its question's LOINC code and the codes of the answers given."""
    question = ((LOINC, question_code),) if question_code else ()
    return question + _answer_codes(answers)


def _answer_codes(answers) -> tuple[tuple[str, str], ...]:
    return tuple((coding.system or "", coding.code) for a in answers if (coding := a.valueCoding) and coding.code)


def _items(items) -> list:
    """Every question, depth first, including those nested in groups and under answers."""
    found = []
    for item in items or []:
        found.append(item)
        found.extend(_items(item.item))
        for answer in item.answer or []:
            found.extend(_items(answer.item))
    return found


@dataclass(frozen=True, slots=True)
class _Asked:
    """What a Questionnaire the response carries inside (`"questionnaire": "#q1"`, as Epic sends one) says of
    its questions: the LOINC code and words of each linkId, and its own names and codes."""

    codes: dict[str, str]
    texts: dict[str, str]
    names: str


def _asked(response) -> _Asked:
    reference = response.questionnaire or ""
    form = next(
        (
            resource
            for resource in (response.contained or [])
            if reference.startswith("#")
            if resource.get_resource_type() == "Questionnaire" and resource.id == reference[1:]
        ),
        None,
    )
    if form is None:
        return _Asked({}, {}, "")
    codes, texts = {}, {}
    for question in _questions(form.item):
        link = question.linkId or ""
        # LOINC however the form names it: its address, https, or its OID (as Epic's contained forms do)
        loinc = [c.code for c in question.code or [] if c.code and canonical_system(c.system or "") == LOINC]
        if found := (loinc[0] if loinc else _loinc(question)):
            codes[link] = found
        if question.text:
            texts[link] = question.text
    own_codes = [c.code or "" for c in form.code or []]
    return _Asked(codes, texts, " ".join([form.title or "", form.name or "", form.url or "", *own_codes]))


def _questions(items) -> list:
    """A Questionnaire's questions, depth first, those in groups included."""
    return [found for item in items or [] for found in (item, *_questions(item.item))]


def _loinc(item) -> str:
    match = LOINC_LINK.search(item.linkId or "") or LOINC_LINK.search(item.definition or "")
    return match.group(1) if match else ""


def _choice(kind, value):
    try:
        return kind(value) if value else None
    except ValueError:
        return None
