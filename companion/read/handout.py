"""The summary a patient takes home, in their language and plain words (`companion handout VISIT`, Ctrl+P on the
glance, a Communication in the FHIR export), and the reminder file for their calendar.

What it holds: what they said matters (their own priorities, in their words: the care team's agenda items are not
theirs), the next steps agreed, when to come back (their next visit still to happen), and who to call (the
clinic's "clinic_phone" setting). What it never holds: private facts unless asked for (the same rule as
companion.read.summary, item by item), emotional cues, notes, the clinician's reflection, or another patient's
words.

Next steps have no date of their own: a step carries one when its words hold a date written YYYY-MM-DD ("Blood
test on 2025-03-28"). The handout spells that date out in the patient's language, and the reminder file (.ics)
holds one all-day event per dated step, with the next visit as a timed event.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import select

from companion.errors import CompanionError
from companion.read.left_out import PrivateFilter
from companion.read.patient_facing import clinic_content_dir, language_for
from companion.read.patient_language import PatientLanguage, patient_language
from companion.services import encounter, priorities, visits
from companion.services.settings import get_setting
from companion.storage.models import CLOSED_STATUSES, Visit
from companion.storage.read_scope import in_one_scope
from companion.storage.store import Store
from companion.text import MAX_DAYS

PHONE_KEY = "clinic_phone"  # the clinic's number, printed under "Who to call"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# The English names of the shipped languages, as a patient's language is often recorded ("Spanish").
CALENDAR_NAMESPACE = uuid.UUID("6f1d3c52-4d0e-4a51-9c1b-7c0a4b1f2e11")


@dataclass(frozen=True)
class HandoutSection:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class DatedStep:
    text: str  # as the handout words it (the date spelled out)
    on: date
    private: bool = False  # only with --include-sensitive: marked confidential in the reminder file


@dataclass(frozen=True)
class Handout:
    visit_id: int
    language: str  # "en", "es": the language of every word the app wrote
    title: str
    intro: tuple[str, ...]
    sections: tuple[HandoutSection, ...]
    closing: str
    dated_steps: tuple[DatedStep, ...] = ()
    next_visit: datetime | None = None
    next_visit_title: str = ""
    alarm_words: str = ""
    left_out: int = 0  # private items not printed (told to the clinician, never printed on the paper)


def spell_date(words: PatientLanguage, day: date) -> str:
    weekday = words["handout.weekdays"].split(",")[day.weekday()].strip()
    month = words["handout.months"].split(",")[day.month - 1].strip()
    return words.say("handout.date", weekday=weekday, month=month, day=day.day, year=day.year)


def spell_time(words: PatientLanguage, moment: datetime) -> str:
    half = words["handout.morning"] if moment.hour < 12 else words["handout.afternoon"]
    hour = moment.hour % 12 or 12
    return words.say("handout.time", hour=hour, minute=f"{moment.minute:02d}", half=half)


def date_in(text: str) -> date | None:
    """The first real date written YYYY-MM-DD in a step's words, within a hundred years of today (a reminder for
    the year 1 or 9999 is a typing slip, and the last day of 9999 has no day after it), or None."""
    for match in ISO_DATE.finditer(text):
        try:
            found = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if abs((found - date.today()).days) <= MAX_DAYS:
            return found
    return None


NOT_HELD = {"cancelled": "cancelled", "no_show": "missed (no-show)"}


@in_one_scope
def build_handout(store: Store, visit_id: int, language: str | None = None, include_sensitive: bool = False) -> Handout:
    """The visit's take-home summary in `language` (None: the patient's own, if shipped, else English), for a visit
    that takes place: a cancelled or missed one, or one on a day still to come, would tell the patient whom they
    saw and what they came for when they did not."""
    row = visits.visit_row(store, visit_id)
    if row.status in ("cancelled", "no_show"):
        raise CompanionError(f"visit {visit_id} was {NOT_HELD[row.status]}: a handout is for a visit that took place")
    if row.status != "done" and row.scheduled_at.date() > date.today():  # a done one took place, whatever its date
        raise CompanionError(
            f"visit {visit_id} is on {row.scheduled_at:%Y-%m-%d}, still to come: its handout is printed on the day"
        )
    patient = visits.patient_of_visit(store, visit_id)
    # The clinic's own languages and wording too (<data folder>/content/patient/), as the check-in's.
    words = patient_language(language, clinic_content_dir()) if language else language_for(patient.language)
    private = PrivateFilter(include_sensitive)
    keep = private.keep

    visit_day = spell_date(words, row.scheduled_at.date())
    intro = [words.say("handout.for_whom", name=patient.preferred_name)]
    if row.clinician_name:
        intro.append(words.say("handout.visit_on", clinician=row.clinician_name, date=visit_day))
    else:
        intro.append(words.say("handout.visit_on_no_clinician", date=visit_day))
    if reason := private.reason(row):
        intro.append(words.say("handout.came_for", reason=reason))

    # Their own words only: the clinician's and the nurse's agenda items are not what the patient said.
    theirs = [p for p in priorities.agenda(store, visit_id) if p.source == "patient" and keep(p)]
    state_words = {"addressed": words["handout.talked_about"], "deferred": words["handout.next_time"]}
    matters = [f"{_stopped(p.text)} {state_words[p.state]}" if p.state in state_words else p.text for p in theirs]

    steps, dated = [], []
    for step in encounter.next_steps(store, visit_id):
        if not keep(step):
            continue
        on = date_in(step.text)
        if on is None:
            steps.append(step.text)
            continue
        text = ISO_DATE.sub(lambda m, on=on: spell_date(words, on) if m[0] == on.isoformat() else m[0], step.text)
        steps.append(text)
        dated.append(DatedStep(text, on, step.sensitive))

    now = datetime.now()  # visits keep the clinic's wall-clock time
    after = max(row.scheduled_at, now) if row.scheduled_at.date() == now.date() else row.scheduled_at
    coming = _next_visit(store, row.patient_id, after, visit_id)
    come_back = words["handout.come_back_none"]
    if coming is not None:
        when = {"date": spell_date(words, coming.date()), "time": spell_time(words, coming)}
        come_back = _one_stop(words.say("handout.come_back_on", **when))
    phone = get_setting(store, PHONE_KEY).strip()
    sections = (
        HandoutSection(words["handout.matters_heading"], tuple(matters) or (words["handout.matters_none"],)),
        HandoutSection(words["handout.steps_heading"], tuple(steps) or (words["handout.steps_none"],)),
        HandoutSection(
            words["handout.come_back_heading"],
            (come_back,),
        ),
        HandoutSection(
            words["handout.call_heading"],
            (words.say("handout.call_number", phone=phone) if phone else words["handout.call_clinic"],),
        ),
    )
    return Handout(
        visit_id=visit_id,
        language=words.code,
        # A handout printed on another day (a reprint, a visit entered late) names its day, not "today".
        title=words["handout.title"]
        if row.scheduled_at.date() == now.date()
        else words.say("handout.title_on", date=visit_day),
        intro=tuple(intro),
        sections=sections,
        closing=words["handout.closing"],
        dated_steps=tuple(dated),
        next_visit=coming,
        next_visit_title=words["handout.reminder_visit"],
        alarm_words=words["handout.reminder_alarm"],
        left_out=private.left_out,
    )


def _stopped(sentence: str) -> str:
    """The patient's words as a sentence, for another to follow: one full stop, never two."""
    return sentence if sentence.endswith((".", "!", "?", "…")) else f"{sentence}."


def _one_stop(sentence: str) -> str:
    """ "at 9:30 a.m.." reads as a typing slip: the time's own stop ends the sentence."""
    return sentence[:-1] if sentence.endswith("..") else sentence


def _next_visit(store: Store, patient_id: int, after: datetime, visit_id: int) -> datetime | None:
    """When this patient's next visit is scheduled (any clinician), or None: the first after `after` (on the day of
    the visit, after now: a handout printed in the afternoon never names the morning's visit as the next one)."""
    query = (
        select(Visit.scheduled_at)
        .where(Visit.patient_id == patient_id, Visit.id != visit_id, Visit.scheduled_at > after)
        .where(Visit.status.not_in(CLOSED_STATUSES))
        .order_by(Visit.scheduled_at)
    )
    with store.session() as session:
        return session.exec(query).first()


def handout_text(handout: Handout) -> str:
    """The handout as plain text: headings, then one item a line."""
    lines = [handout.title, "", *handout.intro]
    for section in handout.sections:
        lines += ["", section.heading, *(f"- {line}" for line in section.lines)]
    lines += ["", handout.closing]
    return "\n".join(lines) + "\n"


def handout_calendar(handout: Handout) -> bytes:
    """The reminder file (iCalendar): an all-day event for each dated next step and a timed one for the next
    visit (floating local time, as the clinic scheduled it), each with a reminder the day before."""
    from icalendar import Alarm, Calendar, Event  # only the reminder needs it

    calendar = Calendar()
    calendar.add("prodid", "-//Encounter Companion//handout//EN")
    calendar.add("version", "2.0")
    stamp = datetime.now().astimezone()
    events = [(step.text, step.on, None, step.private) for step in handout.dated_steps]
    if handout.next_visit is not None:
        next_visit = handout.next_visit
        events.append((handout.next_visit_title, next_visit, next_visit + timedelta(minutes=30), False))
    for number, (summary, start, end, private) in enumerate(events):
        event = Event()
        event.add("uid", f"{uuid.uuid5(CALENDAR_NAMESPACE, f'{handout.visit_id}/{number}/{summary}')}@companion")
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        event.add("dtstart", start)
        event.add("dtend", end if end is not None else start + timedelta(days=1))
        if private:  # the receiving calendar shows it to its owner only, where it can (RFC 5545 CLASS)
            event.add("class", "CONFIDENTIAL")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{handout.alarm_words}: {summary}")
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
