"""This app's own FHIR vocabulary, shared by the exporter and the importer so an export imports back the same:
what FHIR has no element for (a priority's rank, a ticked NURSE step) travels in extensions under one base."""

from __future__ import annotations

from companion.privacy.rules import LABEL_SYSTEMS, canonical_system

BASE = "https://encounter-companion.example/fhir"
EXT_RANK = f"{BASE}/StructureDefinition/priority-rank"  # valueInteger: the agreed order of the agenda
EXT_STATE = f"{BASE}/StructureDefinition/priority-state"  # valueCode: open, addressed, deferred
EXT_SOURCE = f"{BASE}/StructureDefinition/priority-source"  # valueCode: patient, nurse, clinician
EXT_SENSITIVE = f"{BASE}/StructureDefinition/sensitive"  # valueBoolean, where meta.security cannot go
EXT_NURSE_STEP = f"{BASE}/StructureDefinition/nurse-step"  # valueCode per NURSE step ticked for a cue
EXT_AGENDA_AGREED = f"{BASE}/StructureDefinition/agenda-agreed"  # valueDateTime on the Encounter
# valueCode "no_show" on a cancelled Encounter: the patient did not come (FHIR's Encounter status cannot say so).
EXT_VISIT_STATUS = f"{BASE}/StructureDefinition/visit-status"
NOTE_KIND_SYSTEM = f"{BASE}/CodeSystem/note-kind"  # social, practical, emotion
# A tag on an exported Encounter naming the security labels put there for its reason alone (a private reason), one
# "system|code" each, in its display: what is filed under that visit is not restricted by those, so an export
# imports back to the same glance; any other label on it (one a receiving system added) still restricts the visit.
LABELS_FOR_REASON = {"system": f"{BASE}/CodeSystem/label-scope", "code": "reason"}
NOTE_TOPIC_SYSTEM = f"{BASE}/CodeSystem/note-topic"  # family, work, home, ... (companion.services.notes)
# The Communication category of the handout the patient took home (companion.read.handout): not a note about them.
HANDOUT_CATEGORY = {"system": f"{BASE}/CodeSystem/communication-purpose", "code": "patient-handout"}
WHAT_MATTERS_LINK = "what-matters-today"
WHAT_MATTERS_QUESTION = "What matters to you today?"
WHAT_MATTERS_QUESTIONNAIRE = f"{BASE}/Questionnaire/what-matters-today"
EXPORTED_WHAT_MATTERS = "companion-what-matters-"  # the id this app's export gives its response, then the visit's

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
# meta.tag of a copy with parts left out (a search's _summary): what it does not carry, it does not say is gone
SUBSETTED = "SUBSETTED"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RECORD_VISIT_REASON = "Imported from the health record"
IMPORTED_AUTHOR = "Health record (imported)"


def security_labels(resource) -> tuple[tuple[str, str], ...]:
    """The record's own security labels on a resource, as (system, code): companion.privacy reads them. Some
    systems file a confidentiality label under meta.tag: a tag of a label's code system counts as one."""
    meta = getattr(resource, "meta", None)
    tags = [tag for tag in getattr(meta, "tag", None) or [] if canonical_system(tag.system or "") in LABEL_SYSTEMS]
    labels = [*(getattr(meta, "security", None) or []), *tags]
    return tuple((label.system or "", label.code) for label in labels if label.code)


def labels_for_reason(meta) -> frozenset[tuple[str, str]]:
    """The (system, code) labels this app's export tagged as being for a visit's reason alone (LABELS_FOR_REASON),
    from a model's meta or the JSON's."""
    tags = meta.get("tag") if isinstance(meta, dict) else getattr(meta, "tag", None)
    covered: set[tuple[str, str]] = set()
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict):
            system, code, display = tag.get("system"), tag.get("code"), tag.get("display")
        else:
            system, code, display = tag.system, tag.code, tag.display
        if (system, code) == (LABELS_FOR_REASON["system"], LABELS_FOR_REASON["code"]) and isinstance(display, str):
            covered |= set(labels_from_lines(display.replace(" ", "\n")))
    return frozenset(covered)


def labels_as_display(labels) -> str:
    """Labels as the LABELS_FOR_REASON tag's display names them."""
    return " ".join(f"{system}|{code}" for system, code in labels)


def labels_as_lines(labels: tuple[tuple[str, str], ...]) -> str:
    """Security labels as a patient's row keeps them (Patient.record_labels): one "system|code" per line."""
    return "\n".join(f"{system}|{code}" for system, code in labels)


def labels_from_lines(stored: str) -> tuple[tuple[str, str], ...]:
    return tuple((system, code) for system, _, code in (line.rpartition("|") for line in stored.splitlines()) if code)


def ext_value(element, url: str, kind: str):
    """The value[x] of this app's extension on an element, or None."""
    for extension in getattr(element, "extension", None) or []:
        if extension.url == url:
            return getattr(extension, f"value{kind}")
    return None
