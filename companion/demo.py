"""A realistic demo clinic day: varied patients, names with non-ASCII letters, an interpreter need,
a tearful cue, a lasting priority from an earlier visit. Running it again the same day adds nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import select

from companion.services import emotions, notes, priorities, visits
from companion.services.auth import set_pin
from companion.services.booking import add_visit
from companion.services.clinicians import add_clinician
from companion.services.patients import add_patient
from companion.storage.models import Clinician, Patient, Role, Visit
from companion.storage.store import Store

CLINICIANS = [
    ("Dr. Amara Okafor", Role.physician),
    ("Jonas Lindqvist", Role.nurse),
    ("Dr. Priya Raman", Role.physician),
]

# (recorded name, preferred name, pronouns, language, interpreter, time, clinician, reason, status)
PATIENTS = [
    ("María José Hernández López", "Majo", "she/her", "Spanish", True, "08:30", 0, "Diabetes follow-up", "roomed"),
    ("Søren Østergård", "Søren", "he/him", "English", False, "09:00", 0, "Trouble sleeping", "roomed"),
    ("Zoë O'Brien-Adeyemi", "Zoë", "they/them", "English", False, "09:30", 0, "Knee pain follow-up", "scheduled"),
    ("Nguyễn Thị Lan", "Lan", "she/her", "Vietnamese", True, "10:00", 0, "New patient visit", "scheduled"),
    ('Francisco "Frank" Delgado', "Frank", "he/him", "English", False, "10:30", 0, "Blood pressure check", "scheduled"),
    ("Aïcha Benali", "Aïcha", "she/her", "Arabic", False, "11:00", 0, "Test results", "scheduled"),
    ("Wei Zhang", "Wei", "he/him", "Mandarin", True, "11:30", 2, "Cough for three weeks", "scheduled"),
]

NURSE = "Jonas Lindqvist"
DEMO_PIN = "1234"


def seed_demo(store: Store, day: date | None = None) -> int:
    """Create the demo clinic day; returns how many visits were added (0 when already there)."""
    day = day or date.today()
    clinician_ids = [_clinician(store, name, role) for name, role in CLINICIANS]
    added = 0
    for recorded, preferred, pronouns, language, interpreter, at, who, reason, status in PATIENTS:
        patient_id = _existing_patient(store, recorded)
        first_time = patient_id is None
        if first_time:
            patient_id = add_patient(
                store,
                recorded,
                preferred_name=preferred,
                pronouns=pronouns,
                language=language,
                interpreter_needed=interpreter,
            ).result.id
        when = datetime.combine(day, time.fromisoformat(at))
        if _visit_exists(store, patient_id, when):
            continue
        visit_id = add_visit(store, patient_id, clinician_ids[who], when, reason, status).result.id
        _fill(store, preferred, clinician_ids[who], visit_id, when, first_time)
        added += 1
    return added


def _fill(store: Store, preferred: str, clinician_id: int, visit_id: int, when: datetime, first_time: bool) -> None:
    """The human details of each demo visit, as a nurse would have typed them while rooming. What is
    lasting (about the patient, or from an earlier visit) is added only the first time the patient is seen."""
    add_p = priorities.add_priority

    def add_n(store, visit_id, kind, text, author, lasting=False, topic=""):
        if first_time or not lasting:
            notes.add_note(store, visit_id, kind, text, author, lasting=lasting, topic=topic)

    if preferred == "Majo":
        add_p(store, visit_id, "Quiero entender por qué cambiaron mi pastilla")
        add_p(store, visit_id, "My feet tingle at night")
        add_n(
            store,
            visit_id,
            "social",
            "Looks after her two grandchildren after school",
            NURSE,
            lasting=True,
            topic="family",
        )
        add_n(
            store,
            visit_id,
            "social",
            "Cooks for her church on Sundays; it brings her joy",
            NURSE,
            lasting=True,
            topic="joy",
        )
        add_n(store, visit_id, "practical", "Spanish interpreter by video, booked", NURSE, topic="interpreter")
    elif preferred == "Søren":
        add_p(store, visit_id, "I can't sleep since Karin died")
        add_p(store, visit_id, "Refill of my heart pills")
        add_n(
            store,
            visit_id,
            "social",
            "Widowed in the spring; daughter lives nearby",
            NURSE,
            lasting=True,
            topic="family",
        )
        add_n(
            store,
            visit_id,
            "social",
            "Retired ferry engineer; walks the dog every morning",
            NURSE,
            lasting=True,
            topic="work",
        )
        emotions.add_cue(store, visit_id, "Tearful talking about his wife", NURSE)
    elif preferred == "Zoë":
        if first_time:
            _earlier_visit_of_zoe(store, visit_id, clinician_id, when)
        add_p(store, visit_id, "Is the physio working?")
        add_n(store, visit_id, "social", "Started physio twice a week", NURSE, topic="needs")
    elif preferred == "Lan":
        add_n(store, visit_id, "practical", "Vietnamese interpreter by phone", NURSE, topic="interpreter")
        add_n(
            store,
            visit_id,
            "practical",
            "Hard of hearing on the left; sit on her right",
            NURSE,
            lasting=True,
            topic="hearing",
        )
    elif preferred == "Frank":
        add_p(store, visit_id, "Dizzy when I stand up")
        add_n(
            store,
            visit_id,
            "practical",
            "Uses a walker; needs the wide exam room",
            NURSE,
            lasting=True,
            topic="mobility",
        )
        add_n(store, visit_id, "social", "Drinks 4-5 beers most nights", NURSE, topic="needs")
        add_n(store, visit_id, "social", "Plays dominoes at the community centre", NURSE, lasting=True, topic="joy")
    elif preferred == "Aïcha":
        add_p(store, visit_id, "أريد أن أفهم نتائج التحاليل")
        add_p(store, visit_id, "What do the results mean for my pregnancy plans?")
        add_n(
            store,
            visit_id,
            "social",
            "Teaches <b>primary school</b>; exams this week",
            NURSE,
            lasting=True,
            topic="work",
        )
        emotions.add_cue(store, visit_id, "Worried, wringing hands about the results", NURSE)


def _earlier_visit_of_zoe(store: Store, visit_id: int, clinician_id: int, when: datetime) -> None:
    """Three months ago: a lasting priority, and a topic there was no time for."""
    patient_id = visits.visit_row(store, visit_id).patient_id
    earlier = add_visit(store, patient_id, clinician_id, when - timedelta(days=91), "Knee pain", "done").result.id
    priorities.add_priority(store, earlier, "I want to run with my kids again", lasting=True)
    deferred = priorities.add_priority(store, earlier, "Talk about my sleep").result
    priorities.set_state(store, deferred.id, "deferred")
    text = "Two kids, 6 and 9; coaches their football team"
    notes.add_note(store, earlier, "social", text, NURSE, lasting=True, topic="family")


def _clinician(store: Store, name: str, role: Role) -> int:
    with store.session() as session:
        found = session.exec(select(Clinician.id).where(Clinician.name == name)).first()
    if found is not None:
        return found
    clinician = add_clinician(store, name, role.value).result
    set_pin(store, clinician.id, DEMO_PIN)  # invented people, a published PIN: never for real clinicians
    return clinician.id


def _existing_patient(store: Store, recorded: str) -> int | None:
    with store.session() as session:
        return session.exec(select(Patient.id).where(Patient.recorded_name == recorded)).first()


def _visit_exists(store: Store, patient_id: int, when: datetime) -> bool:
    with store.session() as session:
        query = select(Visit.id).where(Visit.patient_id == patient_id, Visit.scheduled_at == when)
        return session.exec(query).first() is not None
