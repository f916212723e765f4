"""The patient as they like to be addressed."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import select

from companion.errors import CompanionError
from companion.privacy.name_line import LeftOff, left_off_the_name_line
from companion.read.models import Changed, PatientDetails, PatientFound, PatientView
from companion.services.lookup import get_or_fail
from companion.services.names import shown_name, typed_name
from companion.storage.changes import changed
from companion.storage.models import ContextNote, NoteKind, Patient
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text


def name_to_use(row) -> str:
    """The name they like to be called, else the name as recorded (a Patient row, or a row of its columns)."""
    return row.preferred_name or row.recorded_name


def patient_view(patient_id: int, row) -> PatientView:
    """From a Patient row, or from any row with the patient's columns (a visit record holds the patient's id
    as `patient_id`, its own as `id`: the id is always given apart)."""
    return PatientView(
        id=patient_id,
        preferred_name=name_to_use(row),
        pronouns=row.pronouns,
        language=row.preferred_language,
        interpreter_needed=row.interpreter_needed,
    )


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def get_patient(store: Store, patient_id: int) -> PatientView:
    with store.session() as session:
        return patient_view(patient_id, get_or_fail(session, Patient, patient_id, "patient"))


def patient_details(store: Store, patient_id: int) -> PatientDetails:
    """What the patient-details form shows to be corrected: each field as stored."""
    with store.session() as session:
        row = get_or_fail(session, Patient, patient_id, "patient")
        return PatientDetails(
            id=patient_id,
            recorded_name=row.recorded_name,
            preferred_name=row.preferred_name or "",
            pronouns=row.pronouns or "",
            language=row.preferred_language or "",
            interpreter_needed=row.interpreter_needed,
        )


def _details(store: Store, recorded_name, preferred_name, pronouns, language, as_stored=None) -> dict[str, str]:
    """The patient's words, checked like any other text (one line each, at most MAX_SHORT). Pronouns, language, the
    preferred name (unless it is one of the names the rules' words hold, "Molly") and the recorded name (names.
    shown_name) are shown on every screen: words the privacy rules keep private are refused there. A recorded name
    given as it is stored (`as_stored`) is kept as it is: an imported record's, written before a rule it breaks was
    made, must not stop the pronouns or the interpreter being corrected."""
    unchanged = as_stored is not None and recorded_name == as_stored
    details = {
        "recorded_name": recorded_name if unchanged else shown_name(store, recorded_name, "the recorded name"),
        "preferred_name": typed_name(preferred_name, "the preferred name") if preferred_name.strip() else "",
        "pronouns": clean_text(pronouns, "the pronouns", MAX_SHORT) if pronouns.strip() else "",
        "preferred_language": clean_text(language, "the language", MAX_SHORT) if language.strip() else "",
    }
    # Arabic letters tell nothing beside a name: judged as words beside it
    left_off = left_off_the_name_line(
        details["preferred_name"],
        details["pronouns"],
        details["preferred_language"],
        lambda words: store.content.privacy.judge(words, as_name=True).private,
    )
    for field, what in (
        ("pronouns", "The pronouns"),
        ("preferred_language", "The language"),
        ("preferred_name", "The preferred name"),
    ):
        if left_off.get(field) is LeftOff.PRIVATE:
            raise CompanionError(
                f"{what} would show private words beside the name on every screen; "
                "write them in a note instead, where they stay private"
            )
    if left_off.get("preferred_language") is LeftOff.NOT_A_LANGUAGE:
        raise CompanionError(
            "The language may hold the language (Portuguese, Kreyòl, ASL…) and an interpreter note, not a sentence "
            "in it; it shows beside the name on every screen: write anything more in a note"
        )
    if left_off.get("pronouns") is LeftOff.NOT_PRONOUNS:
        raise CompanionError(
            "The pronouns may hold pronouns only (she/her, they/them, él/ella…); they show beside the name on every "
            "screen: write anything more in a note, where private words stay private"
        )
    return details


def _add_needs(session, store: Store, patient_id: int, needs: str, author: str) -> None:
    """Practical needs told at registration: one lasting practical note, judged like every note."""
    text = clean_text(needs, "the practical needs")
    verdict = store.content.privacy.judge(text)
    session.add(
        ContextNote(
            patient_id=patient_id,
            kind=NoteKind.practical,
            text=text,
            author=clean_text(author, "the author", MAX_SHORT),
            **verdict.columns(),
        )
    )


def add_patient(
    store: Store,
    recorded_name: str,
    *,
    preferred_name: str = "",
    pronouns: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    needs: str = "",
    author: str = "",
    source_key: str | None = None,
) -> Changed[PatientView]:
    """Register a patient with the name as recorded and the name they like to be called; practical needs
    (hearing, mobility...) become a lasting practical note in the same commit."""
    row = Patient(
        **_details(store, recorded_name, preferred_name, pronouns, language),
        interpreter_needed=interpreter_needed,
        source_key=source_key,
    )
    with store.writing() as session:
        session.add(row)
        session.flush()
        if needs.strip():
            _add_needs(session, store, row.id, needs, author or "registration")
        session.commit()
        return changed(session, patient_view(row.id, row))


def edit_patient(
    store: Store,
    patient_id: int,
    *,
    recorded_name: str,
    preferred_name: str = "",
    pronouns: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    needs: str = "",
    author: str = "",
    shown: PatientDetails | None = None,
) -> Changed[PatientView]:
    """Correct how the patient is named and addressed. New practical needs are added as a note (earlier
    notes stay: they are corrected or retracted on their own, with their history). `shown`: the details as a form
    showed them when it opened; a field left as shown there keeps what is stored when the change is written, so a
    correction another desk saved meanwhile (an interpreter found to be needed) is not undone by a save of the form
    for something else."""
    with store.writing() as session:  # what is stored read in the write's own transaction: nothing slips between
        row = get_or_fail(session, Patient, patient_id, "patient")
        if shown is not None:
            stored = (row.recorded_name, row.preferred_name or "", row.pronouns or "", row.preferred_language or "")
            typed = (recorded_name, preferred_name, pronouns, language)
            before = (shown.recorded_name, shown.preferred_name, shown.pronouns, shown.language)
            recorded_name, preferred_name, pronouns, language = (
                now if value == then else value for value, then, now in zip(typed, before, stored, strict=True)
            )
            if interpreter_needed == shown.interpreter_needed:
                interpreter_needed = row.interpreter_needed
        details = _details(store, recorded_name, preferred_name, pronouns, language, row.recorded_name)
        for column, value in details.items():
            setattr(row, column, value)
        row.interpreter_needed = interpreter_needed
        session.add(row)
        if needs.strip():
            _add_needs(session, store, patient_id, needs, author or "registration")
        session.commit()
        return changed(session, patient_view(patient_id, row))


def find_patients(store: Store, typed: str, limit: int = 8) -> list[PatientFound]:
    """Patients whose recorded or preferred name contains what was typed, best first: names that start with it,
    then the rest, alphabetically. For the new-visit form's find-as-you-type: the database searches and stops
    at `limit`, so a clinic of 100,000 patients answers as fast as a small one. Case is ignored for A-Z;
    other letters are compared as typed (SQLite's LIKE, and PostgreSQL's ILIKE under a C locale)."""
    words = " ".join(typed.split())
    if not words:
        return []
    pattern = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    names = (Patient.recorded_name, Patient.preferred_name)
    found: dict[int, Patient] = {}
    with store.session() as session:
        for like in (f"{pattern}%", f"%{pattern}%"):  # starts with it, then contains it
            matches = or_(*(name.ilike(like, escape="\\") for name in names))
            query = select(Patient).where(matches).order_by(Patient.recorded_name, Patient.id).limit(limit)
            for row in session.exec(query):
                found.setdefault(row.id, row)
        return [
            PatientFound(**vars(patient_view(row.id, row)), recorded_name=row.recorded_name)
            for row in list(found.values())[:limit]
        ]
