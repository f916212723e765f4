"""A demo clinic day that reads like a real one: a Spanish-speaking grandmother with her interpreter booked, a
widower who cannot sleep, a lasting wish carried from a visit three months ago, a video visit, a wound check waiting
for a nurse to assign it, a cancelled check-up. Names keep their accents; every word is written as a nurse or a
clinician would type it (the tests bring their own odd input: markup, emoji, right-to-left text).
Running it again the same day adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from companion.errors import CompanionError
from companion.services import audit_trail, emotions, notes, priorities, visits
from companion.services.auth import set_pin
from companion.services.booking import add_visit
from companion.services.clinicians import add_clinician
from companion.services.patients import add_patient
from companion.services.settings import get_setting, put_setting
from companion.storage.models import Clinician, Patient, Role, Visit
from companion.storage.store import Store

CLINICIANS = [
    ("Dr. Amara Okafor", Role.physician),
    ("Jonas Lindqvist", Role.nurse),
    ("Dr. Priya Raman", Role.physician),
]
DOCTOR, NURSE = "Dr. Amara Okafor", "Jonas Lindqvist"
DEMO_PIN = "1234"
DEMO_KEY = "demo_database"  # set in a database the demo made: it may run there again


@dataclass(frozen=True)
class Note:
    kind: str  # social, practical or emotion
    text: str
    topic: str = ""
    lasting: bool = False  # about the patient: written the first time they are seen


@dataclass(frozen=True)
class DemoVisit:
    patient: tuple[str, str, str, str, bool]  # recorded name, the name they like, pronouns, language, interpreter
    visit: tuple[str, str | None, str, str]  # time, clinician (None: unassigned), reason, status
    video: bool = False
    priorities: tuple[str, ...] = ()  # in the patient's words, as the nurse heard them
    notes: tuple[Note, ...] = ()
    cues: tuple[str, ...] = ()
    own_items: tuple[str, ...] = ()  # the clinician's own agenda items, added while preparing


PATIENTS = [
    DemoVisit(
        ("María José Hernández López", "Majo", "she/her", "Spanish", True),
        ("08:30", DOCTOR, "Diabetes follow-up", "roomed"),
        priorities=("Quiero entender por qué cambiaron mi pastilla", "My feet tingle at night"),
        notes=(
            Note("social", "Looks after her two grandchildren after school", "family", lasting=True),
            Note("social", "Cooks for her church on Sundays; it brings her joy", "joy", lasting=True),
            Note("practical", "Spanish interpreter by video, booked", "interpreter"),
        ),
    ),
    DemoVisit(
        ("Søren Østergård", "Søren", "he/him", "English", False),
        ("09:00", DOCTOR, "Trouble sleeping", "roomed"),
        priorities=("I can't sleep since Karin died", "Refill of my heart pills"),
        notes=(
            Note("social", "Widowed in the spring; daughter lives nearby", "family", lasting=True),
            Note("social", "Retired ferry engineer; walks the dog every morning", "work", lasting=True),
        ),
        cues=("Tearful talking about his wife",),
    ),
    DemoVisit(
        ("Zoë O'Brien-Adeyemi", "Zoë", "they/them", "English", False),
        ("09:30", DOCTOR, "Knee pain follow-up", "scheduled"),
        priorities=("Is the physio working?",),
        notes=(Note("social", "Started physio twice a week", "needs"),),
    ),
    DemoVisit(
        ("Nguyễn Thị Lan", "Lan", "she/her", "Vietnamese", True),
        ("10:00", DOCTOR, "New patient visit", "scheduled"),
        notes=(
            Note("practical", "Vietnamese interpreter by phone", "interpreter"),
            Note("practical", "Hard of hearing on the left; sit on her right", "hearing", lasting=True),
        ),
    ),
    DemoVisit(
        ('Francisco "Frank" Delgado', "Frank", "he/him", "English", False),
        ("10:30", DOCTOR, "Blood pressure check", "scheduled"),
        priorities=("Dizzy when I stand up",),
        notes=(
            Note("practical", "Uses a walker; needs the wide exam room", "mobility", lasting=True),
            Note("social", "Drinks 4-5 beers most nights", "needs"),
            Note("social", "Plays dominoes at the community centre", "joy", lasting=True),
        ),
    ),
    DemoVisit(
        ("Aïcha Benali", "Aïcha", "she/her", "Arabic", False),
        ("11:00", DOCTOR, "Test results", "scheduled"),
        priorities=("أريد أن أفهم نتائج التحاليل", "What do the results mean for my pregnancy plans?"),
        notes=(Note("social", "Teaches year 3 at the primary school; report cards are due this week", "work", True),),
        cues=("Worried, wringing hands about the results",),
    ),
    DemoVisit(
        ("Wei Zhang", "Wei", "he/him", "Mandarin", True),
        ("11:30", "Dr. Priya Raman", "Cough for three weeks", "scheduled"),
        notes=(
            Note(
                "practical", "Mandarin interpreter by phone; Wei would rather not have his son translate", "interpreter"
            ),
            Note("social", "Runs a noodle shop with his wife; on his feet twelve hours a day", "work", lasting=True),
        ),
    ),
    DemoVisit(
        ("Ruth Okello", "Ruth", "she/her", "English", False),
        ("13:30", DOCTOR, "Medication review", "scheduled"),
        video=True,
        priorities=("Can I stop the water tablet before my daughter's wedding?", "My ankles swell by the evening"),
        notes=(
            Note("practical", "On her phone from work; free until 14:00"),
            Note("social", "Sings in her church choir; sewing her daughter's wedding dress", "joy", lasting=True),
        ),
        own_items=("Go over last week's kidney blood test",),
    ),
    DemoVisit(
        ("Dmitri Volkov", "Dima", "he/him", "Russian", False),
        ("14:00", None, "Wound check after a fall", "scheduled"),  # no one yet: a nurse assigns it
        notes=(
            Note("practical", "Walks with a cane since he fell in his garden", "mobility", lasting=True),
            Note("social", "Lives alone; his neighbour drives him to appointments", "home", lasting=True),
        ),
    ),
    DemoVisit(
        ("Esther Boateng", "Esther", "she/her", "English", False),
        ("15:00", DOCTOR, "Annual check-up", "cancelled"),  # she called: her mother is in hospital
    ),
]


def seed_demo(store: Store, day: date | None = None) -> int:
    """Create the demo clinic day; returns how many visits were added (0 when already there). Refused in a
    database that holds anyone else: the demo's clinicians have a published PIN, and a nurse among them sees every
    visit of the day."""
    _refuse_a_clinics_own(store)
    day = day or date.today()
    clinician_ids = {name: _clinician(store, name, role) for name, role in CLINICIANS}
    added = 0
    for demo in PATIENTS:
        recorded, preferred, pronouns, language, interpreter = demo.patient
        at, clinician, reason, status = demo.visit
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
        clinician_id = clinician_ids[clinician] if clinician else None
        visit_id = add_visit(store, patient_id, clinician_id, when, reason, status, video=demo.video).result.id
        with audit_trail.acting_as(NURSE, clinician_ids[NURSE]):  # what the nurse typed while rooming
            if first_time and preferred == "Zoë":
                _earlier_visit_of_zoe(store, visit_id, clinician_id, when)
            _room(store, demo, visit_id, first_time)
        for text in demo.own_items:  # the clinician's own agenda, added while preparing
            with audit_trail.acting_as(clinician or "", clinician_id):
                priorities.add_priority(store, visit_id, text, source="clinician")
        added += 1
    return added


def _room(store: Store, demo: DemoVisit, visit_id: int, first_time: bool) -> None:
    """The human details of a visit, as the nurse typed them. What is lasting (about the patient) is written
    only the first time the patient is seen."""
    for text in demo.priorities:
        priorities.add_priority(store, visit_id, text)
    for note in demo.notes:
        if first_time or not note.lasting:
            notes.add_note(store, visit_id, note.kind, note.text, NURSE, lasting=note.lasting, topic=note.topic)
    for cue in demo.cues:
        emotions.add_cue(store, visit_id, cue, NURSE)


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
    set_pin(store, clinician.id, DEMO_PIN, published=True)  # invented people: never for real clinicians
    return clinician.id


def _refuse_a_clinics_own(store: Store) -> None:
    """A database the demo made is marked so: whoever is added to it later (an admin, a patient to try the window
    with) does not stop the next day's demo. Any other database must hold no one but the demo's people."""
    if get_setting(store, DEMO_KEY) == "yes":
        return
    with store.writing() as session:
        clinician = session.exec(select(Clinician.id).where(Clinician.name.not_in([n for n, _ in CLINICIANS])))
        patient = session.exec(select(Patient.id).where(Patient.recorded_name.not_in([d.patient[0] for d in PATIENTS])))
        if clinician.first() is not None or patient.first() is not None:
            raise CompanionError(
                "this database holds a clinic's own clinicians or patients: the demo, whose PIN is published, goes "
                "into a database of its own (companion --db demo.sqlite3 demo)"
            )
        put_setting(session, DEMO_KEY, "yes")
        session.commit()


def _existing_patient(store: Store, recorded: str) -> int | None:
    with store.session() as session:
        return session.exec(select(Patient.id).where(Patient.recorded_name == recorded)).first()


def _visit_exists(store: Store, patient_id: int, when: datetime) -> bool:
    with store.session() as session:
        query = select(Visit.id).where(Visit.patient_id == patient_id, Visit.scheduled_at == when)
        return session.exec(query).first() is not None
