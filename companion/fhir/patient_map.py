"""A FHIR Patient as the app greets them: the recorded name, the name they like, pronouns, language, interpreter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from companion.fhir.profile import SUBSETTED, security_labels
from companion.fhir.refs import identifier_keys
from companion.fhir.values import (
    DateOutOfRange,
    concept_text,
    extensions,
    is_null,
    period_end,
    plain,
    wall_clock,
)
from companion.privacy.rules import NO_NAME
from companion.text import MAX_SHORT

PRONOUNS_URL = "http://hl7.org/fhir/StructureDefinition/individual-pronouns"
INTERPRETER_NEEDED_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-interpreter-needed"
INTERPRETER_REQUIRED_URL = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
SNOMED_YES, SNOMED_NO = "373066001", "373067005"
# Languages a record may send as a bare code (BCP-47) without a display; anything else shows its code.
# fmt: off
LANGUAGES = {
    "ar": "Arabic", "bn": "Bengali", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "fa": "Persian", "fr": "French", "hi": "Hindi", "ht": "Haitian Creole", "hy": "Armenian", "it": "Italian",
    "ja": "Japanese", "km": "Khmer", "ko": "Korean", "lo": "Lao", "nl": "Dutch", "pa": "Punjabi", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "so": "Somali", "sv": "Swedish", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "yi": "Yiddish", "zh": "Chinese",
    "ase": "American Sign Language", "sgn": "Sign language", "hmn": "Hmong", "am": "Amharic", "ti": "Tigrinya",
}
# fmt: on


@dataclass(frozen=True, slots=True)
class PatientFacts:
    key: str
    recorded_name: str
    preferred_name: str
    pronouns: str
    language: str
    interpreter_needed: bool
    died: datetime | None = None  # the clinic's wall-clock time the record says they died (DIED_UNDATED: no date)
    identifiers: tuple[str, ...] = ()  # record numbers to find them by later (refs.identifier_keys)
    labels: tuple[tuple[str, str], ...] = ()  # the security labels of their own record (a restricted patient)
    summary: bool = False  # a copy with parts left out (SUBSETTED): a value it lacks is not known to be gone


DIED_UNDATED = datetime.min  # deceasedBoolean true: every booking still open is after it


def patient_facts(patient, key: str) -> PatientFacts:
    names = list(patient.name or [])
    recorded = _recorded(names)
    return PatientFacts(
        key=key,
        recorded_name=full_name(recorded) or NO_NAME,
        preferred_name=_preferred(names, recorded),
        pronouns=pronouns(patient),
        language=language(patient),
        interpreter_needed=interpreter_needed(patient),
        died=_died(patient),
        identifiers=tuple(identifier_keys("Patient", patient.identifier)),
        labels=security_labels(patient),
        summary=any(tag.code == SUBSETTED for tag in (patient.meta.tag or [] if patient.meta else [])),
    )


def full_name(name) -> str:
    """The name as written: its text, else given names then family, exactly (no case or accent changes)."""
    if name is None:
        return ""
    if name.text:
        return plain(name.text, MAX_SHORT)
    return plain(" ".join(present(*(name.given or []), name.family)), MAX_SHORT)


def _died(patient) -> datetime | None:
    """When the record says they died. A placeholder date (.NET's "no date", which a system whose field cannot be
    empty writes for everyone) says nothing: the patient is imported, not skipped nor taken for dead."""
    try:
        return wall_clock(patient.deceasedDateTime) or (DIED_UNDATED if patient.deceasedBoolean else None)
    except DateOutOfRange:
        return None


def _current(name) -> bool:
    """Not marked old and not ended: a maiden or former name is not the one to use."""
    if name.use in ("old", "maiden"):
        return False
    end = period_end(name.period)  # None for no end, or a placeholder for one (companion.fhir.values)
    return end is None or end > datetime.now(UTC)


def _recorded(names: list):
    """use=official, else the first current name (names without `use` count), else the first name at all."""
    current = [n for n in names if _current(n) and full_name(n)]
    return (
        next((n for n in current if n.use == "official"), None) or next(iter(current), None) or next(iter(names), None)
    )


def _preferred(names: list, recorded) -> str:
    """The name they like to be called: a usual name or nickname, else the recorded name's first given name."""
    for use in ("nickname", "usual"):
        for name in names:
            if name.use == use and _current(name):
                given = _first_given(name)
                if given or name.text:
                    return given or plain(name.text, MAX_SHORT)
    if recorded is None:
        return ""
    return _first_given(recorded) or given_in_text(recorded.text or "")


def given_in_text(text: str) -> str:
    """The first given name of a name written "Family, Given" (as schedules and older systems write them), in the
    case a person writes it: "NGUYEN, THANH VAN" is greeted as Thanh. "" for a name not written that way."""
    family, comma, given = plain(text, MAX_SHORT).partition(",")
    first = given.split()[0] if comma and family.strip() and given.split() else ""
    return first.capitalize() if first.isupper() else first


def _first_given(name) -> str:
    given = present(*(name.given or []))
    return plain(given[0], MAX_SHORT) if given else ""


def pronouns(patient) -> str:
    """From the individual-pronouns extension (its `value`, without an ended period); "she/her" for LOINC's
    "she/her/her/hers/herself"; nothing for "unknown"."""
    for extension in extensions(patient, PRONOUNS_URL):
        parts = {e.url: e for e in extension.extension or []}
        period = parts.get("period")
        if period is not None and period.valuePeriod:
            end = period_end(period.valuePeriod)
            if end is not None and end <= datetime.now(UTC):
                continue
        value = parts.get("value")
        concept = value.valueCodeableConcept if value is not None else extension.valueCodeableConcept
        if concept is None or is_null(concept):
            continue
        text = concept.text or next((c.display for c in concept.coding or [] if c.display), "")
        forms = text.split("/")
        return plain("/".join(forms[:2]) if len(forms) == 5 else text, MAX_SHORT)
    return ""


def language(patient) -> str:
    """The preferred communication language, else the first one listed."""
    entries = list(patient.communication or [])
    chosen = next((c for c in entries if c.preferred), None) or next(iter(entries), None)
    if chosen is None or chosen.language is None:
        return ""
    text = concept_text(chosen.language)
    if text:
        return plain(text, MAX_SHORT)
    code = next((c.code for c in chosen.language.coding or [] if c.code), "")
    return LANGUAGES.get(code.split("-")[0].lower(), code)[:MAX_SHORT]


_CODE_OF = {name.casefold(): code for code, name in LANGUAGES.items()}
# A language tag as BCP-47 shapes one ("es", "es-MX", "zh-Hant-TW"); a FHIR code may hold words ("HIV positive").
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def language_code(stored: str) -> str:
    """The BCP-47 code of a language as a patient's row keeps it (its English name, or a code no name was known
    for); "" for words this app cannot name."""
    stored = stored.strip()
    named = _CODE_OF.get(stored.casefold(), "")  # first: "Lao" is a name, not a code
    return named or (stored if LANGUAGE_TAG.fullmatch(stored) else "")


def spoken_language(data: dict) -> str:
    """The BCP-47 code of the language a Patient resource (as parsed JSON) prefers, else its first one; "" if none."""
    communication = data.get("communication")
    entries = [c for c in communication if isinstance(c, dict)] if isinstance(communication, list) else []
    chosen = next((c for c in entries if c.get("preferred") is True), None) or next(iter(entries), {})
    concept = chosen.get("language")
    codings = concept.get("coding") if isinstance(concept, dict) else None
    codes = [c.get("code") for c in codings if isinstance(c, dict)] if isinstance(codings, list) else []
    return next((code for code in codes if isinstance(code, str) and code), "")


def interpreter_needed(patient) -> bool:
    """US Core's interpreter-needed (SNOMED yes/no) or the core patient-interpreterRequired boolean."""
    for extension in extensions(patient, INTERPRETER_REQUIRED_URL):
        if extension.valueBoolean is not None:
            return bool(extension.valueBoolean)
    for extension in extensions(patient, INTERPRETER_NEEDED_URL):
        codes = [extension.valueCoding] if extension.valueCoding else []
        codes += list(extension.valueCodeableConcept.coding or []) if extension.valueCodeableConcept else []
        if any(c.code == SNOMED_YES for c in codes):
            return True
    return False


def practitioner_name(practitioner) -> str:
    """How a clinician is named on the schedule: "Dr. Aubrey Corkery"."""
    names = list(practitioner.name or [])
    name = _recorded(names)
    if name is None:
        return ""
    if name.text:
        return plain(name.text, MAX_SHORT)
    return plain(" ".join(present(*(name.prefix or []), *(name.given or []), name.family)), MAX_SHORT)


def present(*parts: str | None) -> list[str]:
    """The name parts that are there: a part may be null, its absence explained by an extension
    (`"given": [null, "Ada"]` with a data-absent-reason)."""
    return [part for part in parts if part]
