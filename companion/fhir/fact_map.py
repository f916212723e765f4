"""Observations (social history, SDOH), Flags and Communications as context notes: the patient's story and
practical needs in plain words, one note per code with the latest value for what is measured over and over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time

from companion.fhir.profile import (
    EXT_NURSE_STEP,
    HANDOUT_CATEGORY,
    IMPORTED_AUTHOR,
    LOINC,
    NOTE_KIND_SYSTEM,
    NOTE_TOPIC_SYSTEM,
    security_labels,
)
from companion.fhir.refs import References, key_type
from companion.fhir.story import Answer, StoryRules, said
from companion.fhir.values import (
    PER_WORDS,
    as_utc,
    coded_words,
    codings,
    concept_text,
    has_code,
    is_null,
    number,
    period_end,
    plain,
    record_wording,
    status_of,
    tidy_numbers,
    unit_words,
    wall_clock,
    words,
)
from companion.read.note_kinds import TOPICS, can_last
from companion.storage.models import NoteKind
from companion.text import MAX_SHORT

SOCIAL_CATEGORIES = ("social-history", "sdoh")
VOIDED = "entered in error in the health record"  # an Observation the record voided: its story item leaves
NOT_SOCIAL = "not social history"  # also decided before validation, from the JSON (companion.fhir.triage)
# A flag's or a message's topic, from its words (an answer's topic comes from companion.fhir.story).
TOPIC_WORDS = (
    ("home", re.compile(r"\b(housing|homeless\w*|shelter|eviction|rent|landlord|lives? (alone|with))\b", re.I)),
    ("work", re.compile(r"\b(employ\w*|unemploy\w*|occupation|job|work\w*|retired|school)\b", re.I)),
    ("needs", re.compile(r"\b(food|hunger|meals?|transport\w*|utilit\w*|afford\w*)\b", re.I)),
    (
        "family",
        re.compile(
            r"\b(family|child(ren)?|kids?|partner|spouse|husband|wife|caregiver|grand\w+|daughters?|sons?|"
            r"mother|father|parents?|brothers?|sisters?|widow\w*)\b",
            re.I,
        ),
    ),
)
# A question written without its question mark ("Are you a refugee", as PRAPARE's displays are).
ASKED = re.compile(
    r"^(are|is|was|were|do|does|did|have|has|had|can|could|will|would)\b",
    re.IGNORECASE,
)
PRACTICAL_WORDS = tuple(  # in English and Spanish, the languages the app ships
    (topic, re.compile(rf"\b({words})\b", re.I))
    for topic, words in (
        ("interpreter", r"interpret\w*|translat\w*|sign language|int[ée]rprete\w*|traduc\w*|lengua de señas"),
        ("hearing", r"hearing|deaf\w*|hard of hearing|sord[oa]s?|audici[óo]n|aud[íi]fonos?|oye poco"),
        ("vision", r"vision|visual\w*|blind\w*|sight|visi[óo]n|ceguera|cieg[oa]s?"),
        (
            "mobility",
            r"wheelchair|walker|mobility|cane|crutch\w*|fall risk|falls?|silla de ruedas|andadera|andador|"
            r"bast[óo]n|muletas?|movilidad|riesgo de ca[íi]das?|ca[íi]das? (?:frecuentes|recientes|en casa)|se cae|"
            r"sala accesible",
        ),
    )
)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the record says of a fact's privacy; the clinic's rules judge it when it is written (companion.privacy)."""

    marked: bool = False  # this app's own export marked it private
    labels: tuple[tuple[str, str], ...] = ()  # the resource's security labels
    codes: tuple[tuple[str, str], ...] = ()  # the fact's codes: its question, its answer, its condition
    wording: str = ""  # words the record carries beyond the text shown ("Total score [AUDIT-C]")
    language: str = ""  # the language the resource declares its text is in (Resource.language)
    # The patient's own words (their answers) with no language of their own and no Patient in the file to say
    # one: judged in the language the patient speaks as an earlier file recorded it, else in the file's
    # (file_language, a Bundle's) (companion.fhir.writer).
    patients_words: bool = False
    file_language: str = ""
    # The labels of the patient's own record, when their Patient in the same file carries some (a restricted
    # patient): they make the fact private when its own words, codes and labels do not (companion.fhir.writer).
    patient_labels: tuple[tuple[str, str], ...] = ()
    as_name: bool = False  # words shown beside a name (a name, pronouns, a language): their letters tell nothing


NO_SIGNALS = Signals()
AS_A_NAME = Signals(as_name=True)


@dataclass(frozen=True, slots=True)
class NoteFacts:
    patient: str | None
    patient_display: str
    kind: NoteKind
    topic: str
    text: str
    author: str
    key: str | None = None  # one note per resource (Flag, Communication)...
    code: str = ""  # ...or one per patient and code, the latest (Observation, screening answer)
    record: str = ""  # the key of the resource that says it (set by the plan; a per-code note keeps it)
    observed_at: datetime | None = None
    visit: str | None = None  # an Encounter's key: a note of that visit; None: lasting, about the patient
    signals: Signals = NO_SIGNALS
    ticks: tuple[str, ...] = ()
    retract: str = ""  # the record withdrew it: retract the note, with this reason
    ends_at: datetime | None = None  # an alert active till then (its period's end): not current after it
    # Not the patient's story (companion.fhir.story), and why: nothing is added, and the item an earlier answer to
    # the same question made leaves the story, as the newest answer decides.
    left_out: str = ""


def topic_for(text: str) -> str:
    """A flag's or a message's topic, from its words."""
    return next((topic for topic, pattern in TOPIC_WORDS if pattern.search(text)), "")


def kind_and_topic(text: str) -> tuple[NoteKind, str]:
    """Hearing, vision, mobility and interpreter needs are practical; the rest is the patient's story."""
    for topic, pattern in PRACTICAL_WORDS:
        if pattern.search(text):
            return NoteKind.practical, topic
    return NoteKind.social, topic_for(text)


def statement(question: str, answer: str) -> str:
    """ "Housing status: I do not have housing", "Are you worried about losing your housing? Yes" (a question keeps
    its question mark, even when the record dropped it), or "Transport too expensive" for a finding that is true."""
    question = words(question).rstrip(".:")
    if not question:
        return answer
    if ASKED.match(question) and not question.endswith("?"):
        question += "?"
    if answer.lower() in ("yes", "true"):
        return question if not question.endswith("?") else f"{question} Yes"
    return f"{question} {answer}" if question.endswith("?") else f"{question}: {answer}"


def value_text(element) -> str:
    """The value[x] of an Observation, a component or an answer, in words."""
    concept = getattr(element, "valueCodeableConcept", None)
    if concept is not None:
        return "" if is_null(concept) else concept_text(concept)
    coding = getattr(element, "valueCoding", None)
    if coding is not None:
        nulls = ("NullFlavor", "data-absent-reason")
        if any(n in (coding.system or "") for n in nulls):
            return ""
        return coded_words(coding)  # a code alone is not words
    quantity = getattr(element, "valueQuantity", None)
    if quantity is not None and quantity.value is not None:
        return f"{number(quantity.value)} {unit_words(quantity.unit)}".strip()
    for name in ("valueString", "valueInteger", "valueDecimal", "valueTime"):
        value = getattr(element, name, None)
        if value is not None:
            return number(value) if name in ("valueInteger", "valueDecimal") else tidy_numbers(plain(str(value)))
    for name in ("valueDateTime", "valueDate"):
        if (moment := getattr(element, name, None)) is not None:
            return said_date(moment)
    if (span := _span(element)) is not None:
        return span
    boolean = getattr(element, "valueBoolean", None)
    return "" if boolean is None else ("yes" if boolean else "no")


def said_date(value) -> str:
    """A date as the clinic's calendar has it ("2015-07-04"; with its time, on this clinic's clock, when it has one)."""
    if isinstance(value, str):
        return plain(value)  # a partial date ("2019", "2019-05") as written: no day made up
    if isinstance(value, datetime) and value.time() == time.min:
        return value.date().isoformat()  # midnight in the record's own zone: a day, as EHRs write one
    moment = wall_clock(value)
    if moment is None:
        return plain(str(value))
    has_time = isinstance(value, datetime) and (moment.hour, moment.minute) != (0, 0)
    return moment.strftime("%Y-%m-%d %H:%M") if has_time else moment.date().isoformat()


def _span(element) -> str | None:
    """A period ("1998-01-01 to 2004-06-30", "since 2019-05-01"), a range ("5 to 6 hours") or a ratio ("3 cups a
    day"), in words; None when the element has none of them."""
    period = getattr(element, "valuePeriod", None)
    if period is not None and (period.start or period.end):
        start, end = (said_date(p) if p else "" for p in (period.start, period.end))
        return f"{start} to {end}" if start and end else f"since {start}" if start else f"until {end}"
    found = getattr(element, "valueRange", None)
    if found is not None and (found.low or found.high):
        ends = [q for q in (found.low, found.high) if q is not None and q.value is not None]
        if not ends:
            return None
        unit = next((unit_words(q.unit, counted=True) for q in ends if q.unit), "")
        low = number(found.low.value) if found.low is not None and found.low.value is not None else ""
        high = number(found.high.value) if found.high is not None and found.high.value is not None else ""
        said = f"{low} to {high}" if low and high else f"at least {low}" if low else f"up to {high}"
        return f"{said} {unit}".strip()
    ratio = getattr(element, "valueRatio", None)
    if ratio is not None and ratio.numerator is not None and ratio.numerator.value is not None:
        above = f"{number(ratio.numerator.value)} {unit_words(ratio.numerator.unit, counted=True)}".strip()
        below = ratio.denominator
        if below is None or below.value is None:
            return above
        per = PER_WORDS.get(below.code or below.unit or "") if below.value == 1 else None
        if per is None and below.value == 1 and not below.unit:
            return above  # "3 per 1": the count alone
        return f"{above} {per or f'per {number(below.value)} {unit_words(below.unit)}'.strip()}"
    return None


def answer_of(element) -> Answer | None:
    """A value[x] as the story judges it: its code (a coded answer's) and its words (a code alone is no words);
    None when it has neither."""
    text = value_text(element)
    concept = getattr(element, "valueCodeableConcept", None)
    coding = getattr(element, "valueCoding", None)
    code = next((c for _s, c in codings(concept)), "") if concept is not None else ""
    if coding is not None and coding.code:
        code = code or coding.code
        text = "" if not coding.display else text
    return Answer(code, text) if text or code else None


def code_key(concept, fallback: str) -> str:
    pairs = codings(concept)
    if pairs:
        system, code = next(((s, c) for s, c in pairs if s == LOINC), pairs[0])
        return f"{system}|{code}"
    return f"text|{fallback.lower()}"


def observation_note(observation, refs: References, story: StoryRules) -> NoteFacts | str:
    """A social-history or SDOH observation as a fact of the patient's story, or why it is not one (then a fact
    that says so, so the item of an earlier answer leaves the story). Its privacy is judged on its codes (question,
    answer, components) and the record's whole wording: "Total score: 7" hides an "[AUDIT-C]"."""
    categories = [code for concept in observation.category or [] for _system, code in codings(concept)]
    question = concept_text(observation.code)
    code = code_key(observation.code, question)
    bare = code.rpartition("|")[2]
    if not has_code(observation.category, *SOCIAL_CATEGORIES) and not story.concerns(bare, categories):
        return NOT_SOCIAL
    status = status_of(observation.status)
    if status == "cancelled":
        return "status cancelled"
    if _about_someone_else(observation, refs):
        return "about someone other than the patient (its focus)"
    voided = status == "entered-in-error"  # charted by mistake (often on the wrong patient)
    if observation.hasMember:
        return "a panel: its answers are imported one by one"
    parts = [answer] if (answer := value_text(observation)) else []
    for component in observation.component or []:
        if answer := value_text(component):
            parts.append(statement(concept_text(component.code), answer))
    if not parts or observation.dataAbsentReason is not None:
        return "no value"
    if said(parts[0]) == said(question) and len(parts) == 1:  # "Care experience preference: Care experience..."
        return "no value (its answer repeats the question)"
    if not words(question) and len(parts) == 1 and parts[0].lower() in ("yes", "no", "true", "false"):
        return "no words (a yes or no to a question the record does not name)"  # a bare "yes" on the glance
    main = answer_of(observation)
    answers = [main] if main else [a for c in observation.component or [] if (a := answer_of(c))]
    wording = f"{question} {record_wording(observation.code)}"
    choice = story.choose(bare, categories, wording, answers, ruled_out=has_code(observation.interpretation, "NEG"))
    effective = observation.effectivePeriod.start if observation.effectivePeriod else None
    performer = next((p.display for p in observation.performer or [] if p.display), "")
    return NoteFacts(
        patient=patient_of(observation.subject, refs),
        patient_display=display_of(observation.subject),
        kind=NoteKind.social,
        topic=choice.topic,
        text=plain("; ".join([statement(question, parts[0]), *parts[1:]])),
        author=plain(performer, MAX_SHORT) or IMPORTED_AUTHOR,
        code=code,
        observed_at=as_utc(
            observation.effectiveDateTime or effective or observation.effectiveInstant or observation.issued
        ),
        signals=Signals(
            labels=security_labels(observation),
            codes=tuple(
                pair
                for concept in (
                    observation.code,
                    observation.valueCodeableConcept,
                    *(c.code for c in observation.component or []),
                    *(c.valueCodeableConcept for c in observation.component or []),
                )
                for pair in codings(concept)
            ),
            wording=record_wording(observation.code),
        ),
        left_out="" if voided else choice.left_out,
        retract=VOIDED if voided else "",
    )


# What a focus names when an observation is about another person than its subject: a parent's job on a child's
# record, a donor, a fetus. A focus on a Condition or a Goal is still about the patient.
PEOPLE = ("Patient", "RelatedPerson", "Person", "Practitioner", "Group")


def _about_someone_else(observation, refs: References) -> bool:
    subject = refs.follow(observation.subject, "Patient")
    for focus in observation.focus or []:
        key = refs.follow(focus)
        named = key_type(key) if key else (focus.type or "").rstrip("/").rsplit("/", 1)[-1]
        if key != subject and (named in PEOPLE or (not named and focus.display)):  # "Mother", with no reference
            return True
    return False


FLAG_ENDED = "its period in the health record has ended"
# A status FHIR does not have (a typo, a converter's own word) leaves the fact off: it could mean it was voided.
UNKNOWN_STATUS = "its status is not one FHIR has: read as no longer current"
SENT = {"preparation", "in-progress", "on-hold", "completed", "unknown"}  # a message's other codes (R4)
# A message the record says was never sent, or stopped before it was complete, is not a fact (nor one charted by
# mistake).
NOT_SENT = {
    "entered-in-error": "entered in error",
    "not-done": "not sent (not-done in the health record)",
    "stopped": "stopped in the health record before it was complete",
}


def flag_note(flag, key: str, refs: References) -> NoteFacts | str:
    """An alert about the patient (a hearing aid, a dog at home) as a lasting note, or one of its visit."""
    text = concept_text(flag.code)
    if not text:
        return "no text"
    kind, topic = kind_and_topic(text)
    status = status_of(flag.status)
    withdrawn = {"inactive": "no longer active in the health record", "entered-in-error": "entered in error"}
    retract = "" if status == "active" else withdrawn.get(status, UNKNOWN_STATUS)
    ends = period_end(flag.period)
    if not retract and ends is not None and ends <= datetime.now(UTC):  # "active" till a day that has passed
        retract = FLAG_ENDED
    return NoteFacts(
        key=key,
        patient=patient_of(flag.subject, refs),
        patient_display=display_of(flag.subject),
        kind=kind,
        topic=topic,
        text=text,
        author=author_of(flag.author),
        observed_at=as_utc(flag.period.start) if flag.period else None,
        visit=refs.follow(flag.encounter, "Encounter"),
        # Its category too: a "behavioral" flag (drug-seeking, violence risk) is for staff, whatever its words
        signals=Signals(
            labels=security_labels(flag),
            codes=tuple(pair for concept in [flag.code, *(flag.category or [])] for pair in codings(concept)),
            wording=_words_of([*(flag.category or [])]),  # "Behavioral health" written with no code
        ),
        retract=retract,
        ends_at=ends,
    )


def communication_note(communication, key: str, refs: References) -> NoteFacts | str:
    """A message about the patient as a note; this app's own exports say its kind, topic and NURSE ticks."""
    text = plain(" ".join(p.contentString for p in communication.payload or [] if p.contentString))
    status = status_of(communication.status)
    retract = "" if status in SENT else NOT_SENT.get(status, UNKNOWN_STATUS)
    if not text and not retract:  # a withdrawn message may leave its words out (this app's exports do)
        return "no text"
    ours = {system: code for concept in communication.category or [] for system, code in codings(concept)}
    if ours.get(HANDOUT_CATEGORY["system"]) == HANDOUT_CATEGORY["code"]:
        return "a handout for the patient (not a note)"
    visit = refs.follow(communication.encounter, "Encounter")
    kind, topic = kind_and_topic(text)
    if ours.get(NOTE_KIND_SYSTEM) in {k.value for k in NoteKind}:
        kind = NoteKind(ours[NOTE_KIND_SYSTEM])
        topic = ours.get(NOTE_TOPIC_SYSTEM, "") if ours.get(NOTE_TOPIC_SYSTEM) in TOPICS[kind.value] else ""
    if visit is None and not can_last(kind):
        kind, topic = NoteKind.social, topic_for(text)  # a cue belongs to a visit; without one it is story
    about = [*(communication.reasonCode or []), *(communication.category or []), communication.topic]
    return NoteFacts(
        key=key,
        patient=patient_of(communication.subject, refs),
        patient_display=display_of(communication.subject),
        kind=kind,
        topic=topic,
        text=text,
        author=author_of(communication.sender),
        observed_at=as_utc(communication.sent),
        visit=visit,
        signals=Signals(
            labels=security_labels(communication),
            # Why it was sent and what about: a message to move "Tuesday's group" for opioid dependence (F11.20),
            # coded, written in words only, or named by a reference to the condition
            codes=tuple(pair for concept in about for pair in codings(concept)),
            wording=_words_of(about, communication.reasonReference or []),
        ),
        ticks=tuple(e.valueCode for e in communication.extension or [] if e.url == EXT_NURSE_STEP and e.valueCode),
        retract=retract,
    )


def _words_of(concepts, references=()) -> str:
    """The words of concepts and the names references give (a reason's display): the privacy rules read them as
    they read the text, so "Opioid use disorder" written without a code is heard."""
    words = [record_wording(c) for c in concepts if c is not None] + [display_of(r) for r in references]
    return " ".join(w for w in words if w)


def patient_of(reference, refs: References) -> str | None:
    """The key of the patient a subject reference names; None when it names something else."""
    key = refs.follow(reference, "Patient")
    return key if key and key_type(key) == "Patient" else None


def display_of(reference) -> str:
    """The name a reference shows: a patient not yet imported, or an author (never logged)."""
    return plain(reference.display, MAX_SHORT) if reference is not None and reference.display else ""


def author_of(reference) -> str:
    """Who wrote it, as the record names them; else the record itself."""
    return display_of(reference) or IMPORTED_AUTHOR
