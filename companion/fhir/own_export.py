"""A file this database exported, imported back into it. What the app made itself it exports under its own ids
(`companion-patient-7`, companion.fhir.exporter), which no import has given a row here: read as a record's, each
patient, visit and note would be added a second time (a second chart of the same person, a double booking). The
file is left out whole, the report saying why; a file of another clinic's Encounter Companion, numbered alike,
names other people and other words, so it is imported as any record is."""

from __future__ import annotations

import re
from collections.abc import Iterable

from companion.fhir.fact_map import NoteFacts
from companion.fhir.patient_map import PatientFacts
from companion.fhir.plan import Step
from companion.fhir.visit_map import VisitFacts
from companion.storage.models import ContextNote, Patient, Visit
from companion.storage.store import Store

OWN_ID = re.compile(r"(?:^|/)(?:Patient|Encounter|Communication)/companion-(?:patient|visit|note)-(\d+)$")
LEFT_OUT = (
    "this database's own export ({row} is here already): importing it here would add its patient, visits and "
    "notes a second time; nothing of the file was imported"
)


def exported_from_here(store: Store, steps: Iterable[Step]) -> str | None:
    """The first row of this database the file's own ids name with the same content ("patient 7"), or None. A
    patient or visit counts only if it was made here (an imported one is exported under the record's own id); a
    note by its words."""
    with store.session() as session:
        for step in steps:
            facts = step.facts
            found = OWN_ID.search(getattr(facts, "key", None) or "")
            if found is None:
                continue
            number = int(found[1])
            if isinstance(facts, PatientFacts):
                patient = session.get(Patient, number)
                if patient and patient.source_key is None and patient.recorded_name == facts.recorded_name:
                    return f"patient {number}"
            elif isinstance(facts, VisitFacts):
                visit = session.get(Visit, number)
                if visit and visit.source_key is None and visit.scheduled_at == facts.when:
                    return f"visit {number}"
            elif isinstance(facts, NoteFacts):
                note = session.get(ContextNote, number)
                if note and note.text == facts.text:
                    return f"note {number}"
    return None


def leave_out_if_exported_here(store: Store, plan) -> None:
    """Empty the plan of a file this database exported, saying why on the report."""
    row = exported_from_here(store, plan.steps)
    if row is not None:
        plan.steps.clear()
        plan.patient_labels.clear()
        plan.skip(None, "every resource", LEFT_OUT.format(row=row))
