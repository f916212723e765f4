"""`companion export VISIT --fhir FILE`: what the app learned about the patient, for the clinic's record, as a
FHIR R4 Bundle: Communication for context notes, Goal for lasting priorities, a QuestionnaireResponse for
today's priorities in the patient's words. Importing it into an empty database gives the same glance, the same
clinician (by name and identifier; none for an unassigned visit), status and mode (a video visit's class is VR)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError
from sqlmodel import select

from companion.errors import CompanionError
from companion.fhir import profile as p
from companion.fhir.clinicians import is_unnamed
from companion.fhir.patient_map import INTERPRETER_NEEDED_URL, NO_NAME, PRONOUNS_URL, SNOMED_NO, SNOMED_YES
from companion.fhir.refs import LITERAL, server_address
from companion.privacy.rules import CATEGORY_SYSTEM
from companion.read.handout import build_handout, handout_text
from companion.services import emotions, notes, priorities
from companion.services.audit_trail import record_view
from companion.services.lookup import get_visit
from companion.services.output_files import check_target, write_file
from companion.storage.models import Clinician, Patient, PatientIdentifier, Visit, VisitMode, VisitStatus, stored_utc
from companion.storage.read_scope import in_one_scope
from companion.storage.store import Store

ENCOUNTER_STATUS = {
    "scheduled": "planned",
    "roomed": "arrived",
    "prepared": "triaged",
    "in_visit": "in-progress",
    "done": "finished",
    "cancelled": "cancelled",
    "no_show": "cancelled",  # with this app's visit-status extension: FHIR's Encounter has no "no-show"
}
VIRTUAL = {"system": p.ACT_CODE, "code": "VR", "display": "virtual"}
AMBULATORY = {"system": p.ACT_CODE, "code": "AMB", "display": "ambulatory"}


class _Bundle:
    """Entries with urn:uuid fullUrls, and references to them."""

    def __init__(self) -> None:
        self.entries: list[dict] = []

    def add(self, resource: dict) -> dict:
        name = f"{p.BASE}/{resource['resourceType']}/{resource['id']}"
        full_url = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return {"reference": full_url}


@in_one_scope
def export_visit(store: Store, visit_id: int, include_sensitive: bool = False) -> dict:
    """The Bundle as JSON-ready data, checked against the R4B models. Sensitive facts are left out unless
    asked for, and then labelled restricted (meta.security R) so the receiving record protects them too."""
    with store.session() as session:
        visit = get_visit(session, visit_id)
        patient = session.get(Patient, visit.patient_id)
        clinician = session.get(Clinician, visit.clinician_id) if visit.clinician_id is not None else None
        query = select(Visit.id, Visit.scheduled_at).where(Visit.patient_id == patient.id)
        raised = dict(session.exec(query).all())
        numbers = select(PatientIdentifier.key).where(PatientIdentifier.patient_id == patient.id)
        identifiers = [patient.source_key or "", *session.exec(numbers.order_by(PatientIdentifier.id)).all()]
    kept = (lambda item: True) if include_sensitive else (lambda item: not item.sensitive)
    mark = partial(_marked_private, store.content)
    bundle = _Bundle()
    patient_ref = bundle.add(_patient(patient, identifiers, include_sensitive))
    practitioner_ref = _practitioner(bundle, clinician) if clinician is not None else None
    reason_shown = include_sensitive or not visit.reason_private
    encounter = _encounter(visit, patient_ref, practitioner_ref, reason_shown)
    private_reason = visit.reason_private and reason_shown
    labels = p.labels_from_lines(visit.record_labels)
    if sent := _restriction(labels, include_sensitive):  # the visit's record is restricted: it stays so
        encounter["meta"] = {"security": _codings(sent)}
    for_reason = [(c["system"], c["code"]) for c in _private_labels(store.content, [visit.reason_category])]
    if private_reason and (only_reasons := [label for label in for_reason if label not in labels]):
        # named as the reason's alone: they restrict nothing filed under the visit when the file comes back
        named = {"display": p.labels_as_display(only_reasons)}
        encounter["meta"] = encounter.get("meta", {}) | {"tag": [p.LABELS_FOR_REASON | named]}
    encounter_ref = bundle.add(mark(encounter, [visit.reason_category]) if private_reason else encounter)
    ticks = {cue.id: [s.key for s in cue.steps if s.ticked] for cue in emotions.cues_for_visit(store, visit_id)}
    for note in filter(kept, notes.notes_for_visit(store, visit_id)):
        communication = _communication(note, patient_ref, encounter_ref, ticks.get(note.id, []))
        bundle.add(mark(communication, [note.category]) if note.sensitive else communication)
    for note in filter(kept, notes.withdrawn_notes_for_visit(store, visit_id)):
        withdrawn = _withdrawn(note, patient_ref, encounter_ref)
        bundle.add(mark(withdrawn, [note.category]) if note.sensitive else withdrawn)
    own = priorities.priorities_of_visit(store, visit_id)
    carried = [x for x in priorities.agenda(store, visit_id) if x.scope == "lasting" and x.visit_id != visit_id]
    for item in filter(kept, [x for x in own if x.scope == "lasting"] + carried):
        goal = _goal(item, patient_ref, practitioner_ref, raised.get(item.visit_id))
        bundle.add(mark(goal, [item.category]) if item.sensitive else goal)
    today = [x for x in own if x.scope == "today" and kept(x)]
    # The private answers go in a response of their own: a label on a response covers every answer in it.
    shared, private = [x for x in today if not x.sensitive], [x for x in today if x.sensitive]
    if shared:
        bundle.add(_what_matters(visit, shared, patient_ref, encounter_ref))
    if private:
        answers = _what_matters(visit, private, patient_ref, encounter_ref, suffix="-private")
        bundle.add(mark(answers, [x.category for x in private]))
    if visit.status == VisitStatus.done:  # the handout the patient took home: never a private fact
        bundle.add(_handout(store, visit, patient_ref, encounter_ref))
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "entry": bundle.entries,
    }
    try:
        Bundle.model_validate(data)
    except ValidationError as exc:  # a bug here, not the user's doing; still one clear line, no content
        raise CompanionError(f"the export does not validate as FHIR R4 ({exc.error_count()} problems)") from None
    return data


def write_export(
    store: Store, visit_id: int, target: Path, include_sensitive: bool = False, force: bool = False
) -> dict:
    """Write the Bundle owner-only and whole (a half-written file never replaces a good one), never over the
    database, its backups or an existing file unless `force` (companion.services.output_files)."""
    check_target(target, force=force, database=store.sqlite_file)  # before the work, so a refusal is quick
    data = export_visit(store, visit_id, include_sensitive)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    # A copy of the patient's facts leaves the app: who, when, and whether private facts went with it.
    action = "export fhir" + (" including sensitive" if include_sensitive else "")
    write_file(
        target,
        text.encode("utf-8"),
        force=force,
        database=store.sqlite_file,
        recorded=lambda: record_view(store, action, visit_id),
    )
    return data


def exported_id(source_key: str | None, kind: str, fallback: str) -> str:
    """The record's own id when the row came from that record's resource of this type; else the app's own
    (`fallback`: a row made here, by a schedule, or found by an identifier alone)."""
    address = server_address(source_key)  # a server's own address for it: its id is the last part
    key = address.rsplit("/", 2)[-2] + "/" + address.rsplit("/", 1)[-1] if address else source_key
    match = LITERAL.fullmatch(key or "") if key and key.startswith(f"{kind}/") else None
    return match.group(2) if match else fallback


def _restriction(labels: list[tuple[str, str]], include_sensitive: bool) -> list[tuple[str, str]]:
    """A restricted record's labels as they leave the app: all of them with the private facts, else the restriction
    alone (confidentiality R, or V), as the kind ("HIV", "ETH") would name what the export leaves out."""
    if include_sensitive or not labels:
        return labels
    very = any(code.strip().upper() == "V" for _system, code in labels)  # very restricted stays so
    return [(p.CONFIDENTIALITY, "V" if very else "R")]


def _patient(row: Patient, keys: list[str], include_sensitive: bool) -> dict:
    """The patient, with the record numbers their records gave them (`keys`, "Patient?identifier=system|value"),
    so a health record that receives the export knows whose it is."""
    names = [{"use": "official", "text": row.recorded_name}] if row.recorded_name != NO_NAME else []
    if row.preferred_name and row.preferred_name != row.recorded_name:
        names.append({"use": "usual", "given": [row.preferred_name]})
    extensions = [
        {"url": PRONOUNS_URL, "extension": [{"url": "value", "valueCodeableConcept": {"text": row.pronouns}}]}
    ]
    yes_no = (SNOMED_YES, "Yes") if row.interpreter_needed else (SNOMED_NO, "No")
    extensions = (extensions if row.pronouns else []) + [
        {"url": INTERPRETER_NEEDED_URL, "valueCoding": {"system": p.SNOMED, "code": yes_no[0], "display": yes_no[1]}}
    ]
    resource = {"resourceType": "Patient", "id": exported_id(row.source_key, "Patient", f"companion-patient-{row.id}")}
    # their record is restricted: the receiving one keeps it so
    if labels := _restriction(p.labels_from_lines(row.record_labels), include_sensitive):
        resource["meta"] = {"security": _codings(labels)}
    identifiers = []
    for key in dict.fromkeys(k for k in keys if k.startswith("Patient?identifier=")):
        system, _, value = key.partition("=")[2].rpartition("|")
        identifiers.append({"system": system, "value": value} if system else {"value": value})
    if identifiers:
        resource["identifier"] = identifiers
    resource |= {"extension": extensions, "name": names}
    if row.preferred_language:
        resource["communication"] = [{"language": {"text": row.preferred_language}, "preferred": True}]
    return resource


def _codings(labels) -> list[dict]:
    """Stored (system, code) labels as meta.security codings (a label kept without a system is written without one)."""
    return [{"system": system, "code": code} if system else {"code": code} for system, code in labels]


def _private_labels(content, categories: list[str]) -> list[dict]:
    """Restricted, and each category's ActInformationSensitivityPolicy code (this app's own code where HL7 has none)."""
    codings = [{"system": p.CONFIDENTIALITY, "code": "R", "display": "restricted"}]
    for key in dict.fromkeys(c for c in categories if c):
        hl7 = content.category_hl7(key)
        codings.append({"system": p.ACT_CODE, "code": hl7} if hl7 else {"system": CATEGORY_SYSTEM, "code": key})
    return codings


def _marked_private(content, resource: dict, categories: list[str]) -> dict:
    """The resource with meta.security for its private facts, so the receiving record protects them too."""
    codings = _private_labels(content, categories)
    meta = dict(resource.get("meta", {}))  # labels or a tag of its own (a visit's) are kept beside these
    meta["security"] = [*codings, *meta.get("security", [])]
    head = {"resourceType": resource["resourceType"], "id": resource["id"], "meta": meta}
    return head | {key: value for key, value in resource.items() if key != "meta"}


def _practitioner(bundle: _Bundle, clinician: Clinician) -> dict:
    """The visit's clinician as a Practitioner, and the reference that names them: their name (unless the import
    never learned it) and identifier, so the export imports back to the same clinician."""
    key = clinician.identifier or ""
    resource = {
        "resourceType": "Practitioner",
        "id": exported_id(key, "Practitioner", f"companion-clinician-{clinician.id}"),
    }
    reference: dict = {}
    if "|" in key:
        system, _, value = key.rpartition("|")
        resource["identifier"] = [{"system": system, "value": value}]
        reference["identifier"] = {"system": system, "value": value}
    if not is_unnamed(clinician.name):
        resource["name"] = [{"text": clinician.name}]
        reference["display"] = clinician.name
    return bundle.add(resource) | reference


def _exported_time(when: datetime) -> str:
    """A visit's time as FHIR's dateTime writes it: on the clinic's clock, with its offset; in UTC when that offset
    has seconds (a zone's local mean time before standard time: Amsterdam's +00:19:32 in 1900, Monrovia's
    -00:44:30 until 1972), which FHIR's pattern does not allow and the export would fail to validate on."""
    local = when.astimezone()
    offset = local.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return local.astimezone(UTC).isoformat()
    return local.isoformat()


def _encounter(visit: Visit, patient_ref: dict, practitioner_ref: dict | None, reason_shown: bool) -> dict:
    resource = {
        "resourceType": "Encounter",
        "id": exported_id(visit.source_key, "Encounter", f"companion-visit-{visit.id}"),
        "status": ENCOUNTER_STATUS.get(visit.status.value, "unknown"),
        "class": VIRTUAL if visit.mode == VisitMode.video else AMBULATORY,
        "subject": patient_ref,
        "period": {"start": _exported_time(visit.scheduled_at)},
    }
    if practitioner_ref is not None:
        attender = [{"coding": [{"system": p.PARTICIPATION_TYPE, "code": "ATND"}]}]
        resource["participant"] = [{"type": attender, "individual": practitioner_ref}]
    if visit.reason and reason_shown:
        resource["reasonCode"] = [{"text": visit.reason}]
    extensions = []
    if visit.agenda_agreed_at is not None:
        agreed = stored_utc(visit.agenda_agreed_at).isoformat()
        extensions.append({"url": p.EXT_AGENDA_AGREED, "valueDateTime": agreed})
    if visit.status == VisitStatus.no_show:
        extensions.append({"url": p.EXT_VISIT_STATUS, "valueCode": VisitStatus.no_show.value})
    if extensions:
        resource["extension"] = extensions
    return resource


def _communication(note, patient_ref: dict, encounter_ref: dict, ticked: list[str]) -> dict:
    categories = [{"coding": [{"system": p.NOTE_KIND_SYSTEM, "code": note.kind}]}]
    if note.topic:
        categories.append({"coding": [{"system": p.NOTE_TOPIC_SYSTEM, "code": note.topic}]})
    resource = {
        "resourceType": "Communication",
        "id": f"companion-note-{note.id}",
        "status": "completed",
        "category": categories,
        "subject": patient_ref,
        "sent": stored_utc(note.created_at).isoformat(),
        "sender": {"display": note.author},
        "payload": [{"contentString": note.text}],
    }
    if not note.lasting:
        resource["encounter"] = encounter_ref
    if ticked:
        resource["extension"] = [{"url": p.EXT_NURSE_STEP, "valueCode": step} for step in ticked]
    return resource


def _withdrawn(note, patient_ref: dict, encounter_ref: dict) -> dict:
    """A note retracted here, under the id an earlier export gave it, so the record that took that export takes
    it off: entered-in-error is the one status FHIR gives a message nobody should act on. Without its words (often
    written about the wrong patient) or its author: the retraction's history stays here."""
    resource = _communication(note, patient_ref, encounter_ref, [])
    for element in ("payload", "sender"):
        del resource[element]
    return resource | {"status": "entered-in-error"}


def _priority_extensions(item) -> list[dict]:
    extensions = [
        {"url": p.EXT_RANK, "valueInteger": item.rank},
        {"url": p.EXT_STATE, "valueCode": item.state},
        {"url": p.EXT_SOURCE, "valueCode": item.source},
    ]
    return extensions + ([{"url": p.EXT_SENSITIVE, "valueBoolean": True}] if item.sensitive else [])


def _goal(item, patient_ref: dict, practitioner_ref: dict | None, raised_at: datetime | None) -> dict:
    resource = {
        "resourceType": "Goal",
        "id": f"companion-priority-{item.id}",
        "extension": _priority_extensions(item),
        "lifecycleStatus": "completed" if item.state == "addressed" else "active",
        "description": {"text": item.text},
        "subject": patient_ref,
    }
    expressed_by = patient_ref if item.source == "patient" else practitioner_ref
    if expressed_by is not None:  # an unassigned visit's clinician's goal: its source extension tells who
        resource["expressedBy"] = expressed_by
    if raised_at is not None:
        resource["startDate"] = raised_at.date().isoformat()
    return resource


def _what_matters(visit: Visit, items: list, patient_ref: dict, encounter_ref: dict, suffix: str = "") -> dict:
    """Today's priorities as the patient's answers to "What matters to you today?"."""
    answers = [{"extension": _priority_extensions(item), "valueString": item.text} for item in items]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"{p.EXPORTED_WHAT_MATTERS}{visit.id}{suffix}",
        "questionnaire": p.WHAT_MATTERS_QUESTIONNAIRE,
        "status": "completed",
        "subject": patient_ref,
        "encounter": encounter_ref,
        "authored": _exported_time(visit.scheduled_at),
        "item": [{"linkId": p.WHAT_MATTERS_LINK, "text": p.WHAT_MATTERS_QUESTION, "answer": answers}],
    }


def _handout(store: Store, visit: Visit, patient_ref: dict, encounter_ref: dict) -> dict:
    """The summary the patient took home (companion.read.handout), in their language, for the clinic's portal."""
    handout = build_handout(store, visit.id)  # without private facts, whatever the export includes
    return {
        "resourceType": "Communication",
        "id": f"companion-handout-{visit.id}",
        "language": handout.language,
        "status": "completed",
        "category": [{"coding": [p.HANDOUT_CATEGORY | {"display": "Visit summary for the patient"}]}],
        "medium": [{"coding": [{"system": p.PARTICIPATION_MODE, "code": "WRITTEN", "display": "written"}]}],
        "subject": patient_ref,
        "encounter": encounter_ref,
        "recipient": [patient_ref],
        "sent": datetime.now(UTC).isoformat(timespec="seconds"),
        "payload": [{"contentString": handout_text(handout)}],
    }
