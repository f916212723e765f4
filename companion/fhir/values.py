"""Reading FHIR values as plain words and times: the glance shows words a person says, not codes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from companion.privacy.rules import canonical_system
from companion.text import BIDI_CONTROLS, DIRECTION_MARKS, INVISIBLE, LINE_BREAKS, MAX_TEXT, with_references_read

NULL_SYSTEMS = (
    "http://terminology.hl7.org/CodeSystem/v3-NullFlavor",
    "http://terminology.hl7.org/CodeSystem/data-absent-reason",
)
# SNOMED's "(finding)", "(disorder)"... and LOINC's "[PRAPARE]", "[#]": classification marks, not words.
SNOMED_TAGS = (
    "disorder", "finding", "procedure", "qualifier value", "observable entity", "situation", "regime/therapy", "event",
    "person", "environment", "morphologic abnormality", "record artifact", "social concept", "navigational concept",
    "occupation", "substance", "physical object", "life style", "religion/philosophy", "ethnic group", "racial group",
    "attribute", "organism", "body structure", "specimen", "product", "medicinal product", "medicinal product form",
    "clinical drug", "cell", "cell structure", "staging scale", "assessment scale", "tumor staging", "special concept",
    "linkage concept", "namespace concept", "inactive concept", "geographic location", "physical force", "disposition",
    "role", "biological function", "environment / location", "administration method", "basic dose form", "dose form",
    "unit of presentation", "intended site", "release characteristic", "state of matter", "transformation",
)  # fmt: skip
SEMANTIC_TAG = re.compile(r"\s*\((?:" + "|".join(re.escape(tag) for tag in SNOMED_TAGS) + r")\)\s*$", re.IGNORECASE)
BRACKETED = re.compile(r"\s*\[[^\]]*\]\s*$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
YEAR_OR_MONTH = re.compile(r"\d{4}(?:-\d{2})?")
# A leap second (FHIR's dateTime allows second 60: "2016-12-31T23:59:60Z"), which Python's datetime cannot hold;
# fhir.resources then leaves the text as it is.
LEAP_SECOND = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):60(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LONG_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d{4,}(?![\w.])")  # float noise: 0.30000000000000004
ANNOTATION_ONLY = re.compile(r"\{[^{}]*\}")
# What `plain` does to each character, as one table (str.translate runs in C; a record's texts are many): line
# breaks and tabs become spaces; direction overrides and marks, characters that show nothing and control
# characters (all of them below U+00A0) go. A direction mark reorders the numbers beside it ("10\u200f mg"), and a
# name holding one could not be edited here, where typed text may hold none (companion.text.clean_text): the window
# shows each text in its own direction without them.
_PLAIN: dict[int, str | None] = dict.fromkeys(
    [*range(0x20), *range(0x7F, 0xA0), *map(ord, BIDI_CONTROLS + DIRECTION_MARKS), *INVISIBLE]
) | dict.fromkeys(map(ord, LINE_BREAKS + "\t"), " ")


# The texts `plain` shortened while an import counts them (companion.fhir.importer), each once however often it is
# read: the import's report says how many, so nothing is cut without a word. A ContextVar: an import on another
# thread counts its own.
_shortened: ContextVar[set[int] | None] = ContextVar("companion_shortened_texts", default=None)


@contextmanager
def counting_shortened() -> Iterator[set[int]]:
    """Inside, every text `plain` shortens is added to the set it yields (by its hash)."""
    found: set[int] = set()  # hashes: a long text is not kept twice in memory
    token = _shortened.set(found)
    try:
        yield found
    finally:
        _shortened.reset(token)


def plain(text: object, limit: int = MAX_TEXT) -> str:
    """One line of text as the record wrote it (letters, accents and apostrophes untouched), without line
    breaks, control or direction-override characters, or characters that show nothing ("Jo\u200bhn" is John, not a
    second John), cut to the app's limit (an import counts what it cut: counting_shortened). HTML character
    references some systems put in plain text ("Teacher&#39;s aide", "golpe&oacute;") are the letters they stand
    for; markup is words like any other: shown as typed, never interpreted."""
    if not isinstance(text, str):
        return ""
    cleaned = " ".join(with_references_read(text).translate(_PLAIN).split())
    if len(cleaned) <= limit:
        return cleaned
    if (counted := _shortened.get()) is not None:
        counted.add(hash(cleaned))
    return cleaned[: limit - 1].rstrip() + "…"


def status_of(value: object) -> str:
    """A resource's status as FHIR writes its codes, in lower case: a converter that upper-cases them ("INACTIVE",
    "Entered-In-Error") means the same. "" when there is none."""
    return value.strip().lower() if isinstance(value, str) else ""


def status_said(status: str, known: Iterable[str]) -> str:
    """A status for the report: a code FHIR has, as it is; anything else unnamed (a status field can hold any words
    the sender wrote, a patient's name among them)."""
    return status if status in known else ("missing" if not status else "a code FHIR does not have")


def words(text: str) -> str:
    """A display without its classification marks: "Never smoked (finding)" -> "Never smoked"."""
    return BRACKETED.sub("", SEMANTIC_TAG.sub("", text)).strip()


def number(value) -> str:
    """A number as a person says it: 2, not 2.0 or 2.0000000000000004; 7.5; at most two decimals (two significant
    digits below one: 0.004), never an exponent."""
    try:
        exact = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return plain(str(value))
    if not exact.is_finite():
        return plain(str(value))
    if exact == exact.to_integral_value():
        return str(int(exact))
    # Two decimals from one up; below one, two significant digits (0.004 is not 0).
    rounded = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if abs(exact) >= 1 else Decimal(f"{exact:.2g}")
    text = format(rounded.normalize(), "f")
    return text if text not in ("-0", "") else "0"


def tidy_numbers(text: str) -> str:
    """Long decimals written out in a text ("2.0000000000000004 times") as a person says them ("2 times")."""
    return LONG_DECIMAL.sub(lambda match: number(match.group(0)), text)


# UCUM's units of time and count as a person says them: "3 d/wk" is "3 days a week", "1.5 [pk_y]" "1.5 pack-years".
UNIT_WORDS = {"d": "days", "wk": "weeks", "mo": "months", "a": "years", "h": "hours", "min": "minutes",
              "s": "seconds", "[pk_y]": "pack-years", "[drp]": "drops", "[ft_i]": "feet", "[in_i]": "inches",
              "[lb_av]": "lb", "[oz_av]": "oz", "[mi_i]": "miles"}  # fmt: skip
PER_WORDS = {"d": "a day", "wk": "a week", "mo": "a month", "a": "a year", "h": "an hour", "min": "a minute"}


def unit_words(unit: str | None, counted: bool = False) -> str:
    """A quantity's unit as words: a UCUM annotation alone ("{score}", "{#}") or the unit one says nothing, unless
    it names what a ratio counts ("{cups}" per day); units of time said as words ("d/wk": "days a week", "/d": "a
    day", "{drinks}/d": "drinks a day")."""
    text = (unit or "").strip()
    if counted and ANNOTATION_ONLY.fullmatch(text):
        return _unit_word(text)
    if not text or text == "1" or ANNOTATION_ONLY.fullmatch(text):
        return ""
    if text.count("/") == 1:
        above, below = text.split("/")
        if below in PER_WORDS:
            return " ".join(part for part in (_unit_word(above), PER_WORDS[below]) if part)
    return _unit_word(text)


def _unit_word(unit: str) -> str:
    if unit in ("", "1") or ANNOTATION_ONLY.fullmatch(unit):
        return unit.strip("{}") if unit.startswith("{") and unit.strip("{}#") else ""
    return UNIT_WORDS.get(unit) or plain(unit.replace("{", "").replace("}", ""))


# Words for answer codes some systems send with no display. A code is never shown as words ("LA33-6" is not what
# the patient said): one not listed here is an answer with no words. The LOINC answers are those of the screeners
# this app reads (PRAPARE, AHC HRSN, Hunger Vital Sign, PHQ), as LOINC displays them.
ANSWER_WORDS = {
    ("http://loinc.org", code): text
    for code, text in {
        "LA33-6": "Yes",
        "LA32-8": "No",
        "LA28397-0": "Often true",
        "LA6729-3": "Sometimes true",
        "LA28398-8": "Never true",
        "LA19952-3": "At risk",
        "LA19983-8": "No risk",
        "LA30983-3": "High food security",
        "LA30189-7": "I have housing",
        "LA30190-5": "I do not have housing (staying with others, in a hotel, in a shelter, living outside on the "
        "street, on a beach, in a car, or in a park)",
        "LA31993-1": "I have a steady place to live",
        "LA30122-8": "I choose not to answer this question",
        "LA30134-3": "Yes, it has kept me from non-medical meetings, appointments, work, or from getting things that "
        "I need",
        "LA30126-9": "Clothing",
        "LA30127-7": "Child care",
        "LA17956-6": "Unemployed",
        "LA6270-8": "Never",
        "LA13909-9": "Somewhat",
        "LA6568-5": "Not at all",
        "LA6569-3": "Several days",
        "LA6570-1": "More than half the days",
        "LA6571-9": "Nearly every day",
        "LA6573-5": "Somewhat difficult",
        "LA9-3": "None of the above",
    }.items()
} | {
    ("http://terminology.hl7.org/CodeSystem/v2-0136", "Y"): "Yes",
    ("http://terminology.hl7.org/CodeSystem/v2-0136", "N"): "No",
    ("http://snomed.info/sct", "373066001"): "Yes",
    ("http://snomed.info/sct", "373067005"): "No",
}


def coded_words(coding) -> str:
    """The words of one coded answer: its display, else the words its code is known by, else none."""
    if coding.display:
        return plain(words(coding.display))
    return ANSWER_WORDS.get((canonical_system(coding.system or ""), coding.code or ""), "")  # LOINC by its OID too


def is_null(concept) -> bool:
    """A value that says "unknown" or "asked but declined" in code: nothing to show."""
    codings = getattr(concept, "coding", None) or []
    return bool(codings) and all((c.system or "") in NULL_SYSTEMS for c in codings)


def concept_text(concept) -> str:
    """The words of a CodeableConcept: its text, else the first display."""
    if concept is None or is_null(concept):
        return ""
    if concept.text:
        return plain(words(concept.text))
    return next((text for coding in concept.coding or [] if (text := coded_words(coding))), "")


def record_wording(concept) -> str:
    """Every word a CodeableConcept carries, classification marks included ("Total score [AUDIT-C]")."""
    if concept is None:
        return ""
    displays = [c.display for c in concept.coding or [] if c.display]
    return " ".join(plain(text) for text in [concept.text, *displays] if text)


def codings(concept) -> list[tuple[str, str]]:
    """(system, code) pairs of a CodeableConcept."""
    return [(c.system or "", c.code or "") for c in (getattr(concept, "coding", None) or []) if c.code]


def has_code(concepts, *wanted: str) -> bool:
    """Whether any of the concepts carries one of the codes (any system)."""
    return any(code in wanted for concept in concepts or [] for _system, code in codings(concept))


def extensions(element, url: str) -> list:
    return [e for e in (getattr(element, "extension", None) or []) if e.url == url]


class DateOutOfRange(ValueError):
    """A date in the year 1 or 9999, or one this computer's clock cannot show at all. Feeds send .NET's
    DateTime.MinValue and MaxValue as placeholders for "no date"; the entry is skipped and named, not guessed at,
    in every time zone (the year 1 can be shown east of UTC, and was then kept as a visit on "1-01-01")."""

    def __init__(self, value: object) -> None:
        super().__init__(f"its date {value} is out of range (a placeholder for no date?)")


def _not_a_placeholder(value: object, when: date) -> None:
    if when.year <= 1 or when.year >= 9999:
        raise DateOutOfRange(value)


def _leap_read(value: object) -> object:
    """A leap second as the second before it (the visit, the end, the death happen then all the same); any other
    value as it is."""
    if isinstance(value, str) and (leap := LEAP_SECOND.match(value)):
        try:
            return datetime.fromisoformat(f"{leap[1]}:59{leap[2].replace('Z', '+00:00')}")
        except ValueError:  # no such day ("2016-02-31"): read as before, as no time
            return value
    return value


def as_utc(value: object) -> datetime | None:
    """A FHIR date, partial date or dateTime as an aware UTC time. A date alone is that day on the clinic's calendar
    (its midnight on this computer's clock): "2026-11-30" said in Chicago is not the evening of the 29th there."""
    value = _leap_read(value)
    try:
        if isinstance(value, datetime):
            _not_a_placeholder(value, value)
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            aware.astimezone()  # it is shown, and filed under a day, on this computer's clock
            return aware.astimezone(UTC)
        day = _day(value)
        if day is None:
            return None
        _not_a_placeholder(value, day)
        return datetime.combine(day, time.min).astimezone(UTC)
    except OverflowError:
        raise DateOutOfRange(value) from None


def period_end(period) -> datetime | None:
    """The moment a Period ends, in UTC; None for no end. A day, or a partial date ("2026", "2026-11"), lasts to
    its last moment on the clinic's calendar; an end no clock can show (a placeholder for "no end") never comes."""
    end = _leap_read(getattr(period, "end", None))
    year = getattr(end, "year", None) or (int(end[:4]) if isinstance(end, str) and end[:4].isdigit() else None)
    if year is None or year <= 1 or year >= 9999:  # .NET's MinValue and MaxValue stand for "no end"
        return None
    try:
        if isinstance(end, datetime):
            return as_utc(end)
        first = _day(end)
        if first is None:
            return None
        precision = len(end) if isinstance(end, str) else 10  # "2026", "2026-11" or a whole day
        after = (
            first.replace(year=first.year + 1)
            if precision == 4
            else (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            if precision == 7
            else first + timedelta(days=1)
        )
        return as_utc(after)
    except (DateOutOfRange, ValueError, OverflowError):
        return None


def names_no_day(value: object) -> bool:
    """A partial date: a year or a month alone ("2025", "2025-03"), as R4's date and dateTime allow."""
    return isinstance(value, str) and YEAR_OR_MONTH.fullmatch(value) is not None


def _day(value: object) -> date | None:
    """A date, or a partial date ("2026", "2026-11") at its first day."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and (match := PARTIAL_DATE.match(value)):
        year, month, day = match.groups()
        return date(int(year), int(month or 1), int(day or 1))
    return None


def wall_clock(value: object) -> datetime | None:
    """A FHIR time as the clinic's clock shows it (this computer's zone), naive like Visit.scheduled_at."""
    value = _leap_read(value)
    if isinstance(value, datetime):
        _not_a_placeholder(value, value)
        try:
            return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
        except OverflowError:
            raise DateOutOfRange(value) from None
    day = _day(value)
    if day is None:
        return None
    _not_a_placeholder(value, day)
    return datetime.combine(day, time.min)
