"""Answers to this app's own questionnaire (companion.fhir.questionnaire), imported exactly by linkId: a
QuestionnaireResponse naming its url (with or without |version) is never read by the words of its questions.

- what-matters-today: today's priorities in the patient's words, in the order given (each answer its own item,
  keyed by the response's key, linkId and position among that question's answers, whether a portal sends them in
  one item or one item each, so a re-import changes nothing). They are the patient's, open, in their order, and a
  practical need is written by the patient, whatever the portal's extensions or `author` say;
- anything-else: one more of today's priorities, after them;
- practical-needs: a lasting practical note about the patient;
- interpreter true: the patient needs an interpreter (false leaves what the record says);
- language: the patient's preferred language. The language the patient answered in (QuestionnaireResponse.language)
  has no column on priorities or notes, so it is kept on the patient: their preferred language, when neither an
  answer nor an earlier record gave one.

An answer to a text question that is not text (a number, a date, a yes) is reported, not made into words. A
response the record later marks entered-in-error or stopped takes the priorities it gave off the agenda.

The priorities go to the response's `encounter`, else the patient's visit on or after the day they answered (else
the latest), as any "what matters today" answer does. Every text is judged by the clinic's privacy rules when it is
written (companion.fhir.writer.judge). An answer to a linkId the questionnaire does not have is reported, never
guessed at.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from companion.fhir.answer_map import (
    WITHDRAWN_RESPONSE,
    PriorityFacts,
    _items,
    _said_today,
    answers_now,
    with_places,
)
from companion.fhir.fact_map import NoteFacts, Signals, display_of, kind_and_topic, patient_of, value_text
from companion.fhir.parse import FHIR_ID
from companion.fhir.patient_map import LANGUAGE_TAG, LANGUAGES
from companion.fhir.profile import EXPORTED_WHAT_MATTERS, security_labels
from companion.fhir.questionnaire import (
    LINK_ANYTHING_ELSE,
    LINK_IDS,
    LINK_INTERPRETER,
    LINK_LANGUAGE,
    LINK_PRACTICAL_NEEDS,
    LINK_WHAT_MATTERS,
)
from companion.fhir.record_said import ALL
from companion.fhir.refs import References
from companion.fhir.values import as_utc, plain, status_of
from companion.fhir.writer import NotUsed, Writer
from companion.storage.models import NoteKind, Patient
from companion.text import MAX_SHORT

PORTAL_AUTHOR = "the patient, on the portal"
TEXT_LINKS = (LINK_WHAT_MATTERS, LINK_ANYTHING_ELSE, LINK_PRACTICAL_NEEDS)  # answered in the patient's own words


class SkippedAnswer(str):
    """An answer that is reported as skipped (file, entry, resource, reason), not only counted as not used."""


@dataclass(frozen=True, slots=True)
class PatientAnswerFacts:
    """What the patient said about themselves: an interpreter, their language."""

    key: str
    patient: str | None
    patient_display: str
    interpreter: bool | None = None
    language: str = ""  # their answer to "which language": replaces the one kept
    answered_in: str = ""  # the response's language: fills an empty one
    when: datetime | None = None


def response_facts(response, key: str, refs: References) -> list:
    """The facts of one response to this app's questionnaire, and a SkippedAnswer for each unknown linkId."""
    # Withdrawn in the record (sent by mistake, or stopped): the priorities it gave are taken off the agenda.
    status = status_of(response.status)
    withdrawn = f"{status} in the health record" if status in WITHDRAWN_RESPONSE else ""
    patient = patient_of(response.subject, refs)
    common = {"patient": patient, "patient_display": display_of(response.subject)}
    when = as_utc(response.authored)
    visit = refs.follow(response.encounter, "Encounter")
    signals = Signals(labels=security_labels(response))
    priorities: list[PriorityFacts] = []
    later: list = []
    notes: list[NoteFacts] = []
    interpreter: bool | None = None
    language = ""
    found: list = []
    given: Counter[str] = Counter()  # answers to each question so far: a portal may send each box as its own item
    # This app's own export names the same questionnaire, with the care team's items and their states and order
    # (companion.fhir.exporter): read back whole. A portal's response is the patient's alone.
    patients_own = not (response.id or "").startswith(EXPORTED_WHAT_MATTERS)
    for item in _items(response.item):
        link = item.linkId or ""
        answers = list(item.answer or [])
        if link not in LINK_IDS:
            if answers or item.item:
                found.append(SkippedAnswer(f"answer to question {_named(link)} not used: not in the questionnaire"))
            continue
        for answer in answers:
            part = f"{key}#{link}#{given[link]}"
            given[link] += 1
            if link in TEXT_LINKS and answer.valueString is None and answer.valueCoding is None:  # a number, a date
                found.append(SkippedAnswer(f"answer to question {link!r} not used: it is not text"))
            elif link in (LINK_WHAT_MATTERS, LINK_ANYTHING_ELSE) and (text := value_text(answer)):
                facts = _said_today(answer, part, text, visit, when, response, common, patients_own=patients_own)
                if withdrawn:
                    facts = replace(facts, retract=withdrawn)
                (priorities if link == LINK_WHAT_MATTERS else later).append(facts)
            elif withdrawn:
                continue  # nothing else a withdrawn response said is taken in
            elif link == LINK_PRACTICAL_NEEDS and (text := value_text(answer)):
                kind, topic = kind_and_topic(text)
                notes.append(
                    NoteFacts(
                        **common,
                        kind=NoteKind.practical,
                        topic=topic if kind is NoteKind.practical else "",
                        text=text,
                        author=PORTAL_AUTHOR,  # the patient's answer, whoever the portal names
                        key=part,
                        observed_at=when,
                        signals=signals,
                    )
                )
            elif link == LINK_INTERPRETER and answer.valueBoolean is not None:
                interpreter = bool(answer.valueBoolean)
            elif link == LINK_LANGUAGE:
                language = language or _language(answer)
    found.extend(with_places(priorities + later) + notes)
    answered_in = "" if withdrawn else _language_name(response.language or "")
    if interpreter or language or answered_in:
        found.append(
            PatientAnswerFacts(
                key=f"{key}#patient",
                **common,
                interpreter=interpreter,
                language=language,
                answered_in=answered_in,
                when=when,
            )
        )
    given = priorities + later + notes
    return [*found, answers_now(response, key, refs, given, unused="" if found else "no answers")]


def write_patient_answers(writer: Writer, facts: PatientAnswerFacts) -> None:
    """The patient's own answers about an interpreter and their language, on the patient."""
    patient_id = writer.patient_id(facts.patient, facts.patient_display)
    row = writer.session.get(Patient, patient_id)
    # Only what the answers say otherwise than when they were last imported: an interpreter or a language the
    # clinic has corrected since stays (companion.fhir.record_said).
    record = {"interpreter": facts.interpreter, "language": facts.language, "answered_in": facts.answered_in}
    changed = writer.said.changed(facts.key, record)
    writer.said.remember(facts.key, record)
    new = {name for name in record if changed is ALL or name in changed}
    values: dict = {}
    if facts.interpreter and "interpreter" in new:
        values["interpreter_needed"] = True
    if facts.language and writer.publicly(facts.language):
        if "language" in new:
            values["preferred_language"] = facts.language
    elif facts.answered_in and "answered_in" in new and not row.preferred_language:
        values["preferred_language"] = writer.publicly(facts.answered_in)
    if not values:
        raise NotUsed("nothing new about the patient")
    writer.save("patients", row, values, new=False)


def _named(link: str) -> str:
    """How the report names a question the questionnaire does not have: its linkId when that is a plain id ('mood',
    '2.1'), else not at all. A linkId is any text the sender chose, a question's words or the patient's name among
    them, and the report is shown where others see the screen (as a resource's id is, companion.fhir.parse.label)."""
    return repr(link) if FHIR_ID.fullmatch(link) else "(its linkId is not a plain id)"


def _language(answer) -> str:
    """A language answered as a code (BCP-47, from the languages value set) or in words."""
    coding = answer.valueCoding
    if coding is not None:
        return plain(coding.display, MAX_SHORT) if coding.display else _language_name(coding.code or "")
    return plain(answer.valueString, MAX_SHORT) if answer.valueString else ""


def _language_name(code: str) -> str:
    """ "es", "es-MX": Spanish; what is no tag of a language the app can name is none ("HIV-positive" has the
    shape of a tag)."""
    code = plain(code, MAX_SHORT)
    if not LANGUAGE_TAG.fullmatch(code):
        return ""
    return LANGUAGES.get(code.split("-")[0].lower(), "")
