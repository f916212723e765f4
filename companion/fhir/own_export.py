"""A visit this database exported, imported back into it. What the app holds under no record's id of its own (a
patient or visit made here, booked from a schedule, or found by an identifier alone; every note) it exports under
its own ids (`companion-patient-7`, companion.fhir.exporter), which no import has given a row here: read as a
record's, the patient would get a second chart, the visit a double booking, each note a copy beside itself. What
the file holds of such a patient is left out, the report saying why; the rest of the file (other patients) is
imported as usual. Another clinic's Encounter Companion numbers its rows alike, but under the same number names
another person, another time or other words (and a note imported from it keeps that clinic's key), so its export
is imported as any record is."""

from __future__ import annotations

import re

from companion.fhir.exporter import exported_id
from companion.fhir.fact_map import NoteFacts
from companion.fhir.patient_map import PatientFacts
from companion.fhir.plan import FilePlan
from companion.fhir.practitioner_map import PractitionerFacts
from companion.fhir.visit_map import VisitFacts
from companion.storage.models import ContextNote, Patient, Visit
from companion.storage.store import Store

OWN_ID = re.compile(r"(?:^|/)(Patient|Encounter|Communication)/companion-(patient|visit|note)-(\d+)$")
OWN_CLINICIAN = re.compile(r"(?:^|/)Practitioner/companion-clinician-\d+$")
LEFT_OUT = (
    "this database's own export ({row} is here already): importing it here would add the patient, visits and notes "
    "a second time; nothing of this patient was imported"
)


def leave_out_what_was_exported_here(store: Store, plan: FilePlan) -> None:
    """Take out of the plan what the file holds of each patient it shows was exported from here, saying why."""
    own = _patients_exported_here(store, plan)
    if not own:
        return
    plan.steps[:] = [step for step in plan.steps if _patient_of(step.facts) not in own and not _our_clinician(step)]
    for key in own:
        plan.patient_labels.pop(key, None)
    for row in dict.fromkeys(own.values()):
        plan.skip(None, "every resource of one patient", LEFT_OUT.format(row=row))


def _patients_exported_here(store: Store, plan: FilePlan) -> dict[str, str]:
    """The file's patient keys whose patient, a visit or a note is a row of this database under the app's own id
    with the same content, each with the first such row ("patient 7")."""
    own: dict[str, str] = {}
    with store.session() as session:
        for step in plan.steps:
            facts = step.facts
            found = OWN_ID.search(getattr(facts, "key", None) or "")
            patient = _patient_of(facts)
            if found is None or patient is None or patient in own:
                continue
            kind, number = found[1], int(found[3])
            if isinstance(facts, PatientFacts):
                row = session.get(Patient, number)
                if row and _under_own_id(row.source_key, kind) and row.recorded_name == facts.recorded_name:
                    own[patient] = f"patient {number}"
            elif isinstance(facts, VisitFacts):
                row = session.get(Visit, number)
                if row and _under_own_id(row.source_key, kind) and row.scheduled_at == facts.when:
                    own[patient] = f"visit {number}"
            elif isinstance(facts, NoteFacts):
                row = session.get(ContextNote, number)
                if row and row.source_key != facts.key and row.text == facts.text:
                    own[patient] = f"note {number}"
    return own


def _our_clinician(step) -> bool:
    """A Practitioner the exporter wrote for a clinician of ours (who sees the patient left out): already here."""
    return isinstance(step.facts, PractitionerFacts) and OWN_CLINICIAN.search(step.facts.reference or "") is not None


def _under_own_id(source_key: str | None, kind: str) -> bool:
    """Whether the exporter writes the row under the app's own id, having no record's id of this type for it."""
    return exported_id(source_key, kind, "") == ""


def _patient_of(facts) -> str | None:
    """The key of the patient a step writes or files under."""
    return facts.key if isinstance(facts, PatientFacts) else getattr(facts, "patient", None)
