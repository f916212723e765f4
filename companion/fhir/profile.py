"""This app's own FHIR vocabulary, shared by the exporter and the importer so an export imports back the same:
what FHIR has no element for (a priority's rank, a ticked NURSE step) travels in extensions under one base."""

from __future__ import annotations

BASE = "https://encounter-companion.example/fhir"
EXT_RANK = f"{BASE}/StructureDefinition/priority-rank"  # valueInteger: the agreed order of the agenda
EXT_STATE = f"{BASE}/StructureDefinition/priority-state"  # valueCode: open, addressed, deferred
EXT_SOURCE = f"{BASE}/StructureDefinition/priority-source"  # valueCode: patient, nurse, clinician
EXT_SENSITIVE = f"{BASE}/StructureDefinition/sensitive"  # valueBoolean, where meta.security cannot go
EXT_NURSE_STEP = f"{BASE}/StructureDefinition/nurse-step"  # valueCode per NURSE step ticked for a cue
EXT_AGENDA_AGREED = f"{BASE}/StructureDefinition/agenda-agreed"  # valueDateTime on the Encounter
NOTE_KIND_SYSTEM = f"{BASE}/CodeSystem/note-kind"  # social, practical, emotion
NOTE_TOPIC_SYSTEM = f"{BASE}/CodeSystem/note-topic"  # family, work, home, ... (companion.services.notes)
WHAT_MATTERS_LINK = "what-matters-today"
WHAT_MATTERS_QUESTION = "What matters to you today?"
WHAT_MATTERS_QUESTIONNAIRE = f"{BASE}/Questionnaire/what-matters-today"

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# Security labels that keep a fact off the glance: restricted or very restricted, and the sensitivity kinds
# of HL7's ActCode (HIV, substance use, psychiatry, sexual or domestic violence, sexuality, STD, taboo).
SENSITIVE_LABELS = frozenset({"R", "V", "HIV", "ETH", "PSY", "SDV", "SEX", "STD", "TBOO", "SUD", "BH"})
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
PLACEHOLDER_CLINICIAN = "Unassigned (imported)"
RECORD_VISIT_REASON = "Imported from the health record"
IMPORTED_AUTHOR = "Health record (imported)"


def restricted(resource) -> bool:
    """Whether the record itself labels the resource confidential or sensitive."""
    labels = getattr(getattr(resource, "meta", None), "security", None) or []
    return any((label.code or "") in SENSITIVE_LABELS for label in labels)


def ext_value(element, url: str, kind: str):
    """The value[x] of this app's extension on an element, or None."""
    for extension in getattr(element, "extension", None) or []:
        if extension.url == url:
            return getattr(extension, f"value{kind}")
    return None
