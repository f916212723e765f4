"""Encounters and Appointments as visits: when, why (in plain words; a private reason is marked so, never shown on
the day's list), with whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.fhir.fact_map import NO_SIGNALS, Signals
from companion.fhir.profile import EXT_AGENDA_AGREED, ext_value, security_labels
from companion.fhir.refs import References, key_type
from companion.fhir.values import as_utc, codings, concept_text, plain, wall_clock
from companion.storage.models import Role, VisitStatus
from companion.text import MAX_SHORT

ENCOUNTER_STATUS = {
    "planned": VisitStatus.scheduled,
    "arrived": VisitStatus.roomed,
    "triaged": VisitStatus.roomed,
    "in-progress": VisitStatus.in_visit,
    "onleave": VisitStatus.in_visit,
    "finished": VisitStatus.done,
}
APPOINTMENT_STATUS = {
    "proposed": VisitStatus.scheduled,
    "pending": VisitStatus.scheduled,
    "booked": VisitStatus.scheduled,
    "waitlist": VisitStatus.scheduled,
    "arrived": VisitStatus.roomed,
    "checked-in": VisitStatus.roomed,
    "fulfilled": VisitStatus.done,
}
NOT_A_VISIT = {"cancelled", "noshow", "entered-in-error"}
LEAD_ROLES = {"ATND", "PPRF", "PART", "PRF", "SPRF", "CON", "ADM", "DIS"}  # attender, performers, consultant...
CLINICIAN_TYPES = {"Practitioner", "PractitionerRole"}
DEFAULT_REASON = "Visit"


@dataclass(frozen=True, slots=True)
class VisitFacts:
    key: str
    patient: str | None
    patient_display: str
    when: datetime  # the clinic's wall-clock time
    reason: str
    status: VisitStatus
    clinician: str  # "" when the record names nobody: the writer uses a clearly named placeholder
    clinician_role: Role
    agenda_agreed_at: datetime | None = None
    same_visit_as: str | None = None  # the Appointment this Encounter took place for
    reason_signals: Signals = NO_SIGNALS  # judged when written: "HIV follow-up" is a private reason


def encounter_facts(encounter, key: str, refs: References, names: dict[str, str]) -> VisitFacts | str:
    """The visit of an Encounter, or why it makes none."""
    status = encounter.status or ""
    if status in NOT_A_VISIT or status not in ENCOUNTER_STATUS:
        return f"not a visit (status {status or 'missing'})"
    when = wall_clock(encounter.period.start) if encounter.period and encounter.period.start else None
    if when is None:
        return "no start time (period.start): a visit needs one"
    reasons = [concept_text(c) for c in encounter.reasonCode or []]
    reasons += [plain(r.display) for r in encounter.reasonReference or [] if r.display]
    reasons += [concept_text(c) for c in [*(encounter.type or []), encounter.serviceType]]
    leads = [(p.individual, _roles(p.type)) for p in encounter.participant or [] if p.individual]
    clinician, role = _clinician(leads, refs, names)
    subject = encounter.subject
    appointments = [refs.resolve(a.reference) for a in encounter.appointment or []]
    return VisitFacts(
        key=key,
        patient=refs.resolve(subject.reference) if subject else None,
        patient_display=plain(subject.display, MAX_SHORT) if subject else "",
        when=when,
        reason=_reason(reasons),
        reason_signals=_reason_signals(encounter, [*(encounter.reasonCode or []), *(encounter.type or [])]),
        status=ENCOUNTER_STATUS[status],
        clinician=clinician,
        clinician_role=role,
        agenda_agreed_at=as_utc(ext_value(encounter, EXT_AGENDA_AGREED, "DateTime")),
        same_visit_as=next((a for a in appointments if a), None),
    )


def appointment_facts(appointment, key: str, refs: References, names: dict[str, str]) -> VisitFacts | str:
    """The visit of an Appointment (its patient is one of its participants), or why it makes none."""
    status = appointment.status or ""
    if status in NOT_A_VISIT or status not in APPOINTMENT_STATUS:
        return f"not a visit (status {status or 'missing'})"
    when = wall_clock(appointment.start)
    if when is None:
        return "no start time: a visit needs one"
    actors = [(p.actor, _roles(p.type)) for p in appointment.participant or [] if p.actor]
    patient = next((a for a, _ in actors if _type_of(a, refs) == "Patient"), None)
    reasons = [concept_text(c) for c in appointment.reasonCode or []]
    reasons += [plain(appointment.description)] if appointment.description else []
    reasons += [plain(r.display) for r in appointment.reasonReference or [] if r.display]
    reasons += [concept_text(c) for c in [*(appointment.serviceType or []), appointment.appointmentType]]
    clinician, role = _clinician(actors, refs, names)
    return VisitFacts(
        key=key,
        patient=refs.resolve(patient.reference) if patient else None,
        patient_display=plain(patient.display, MAX_SHORT) if patient else "",
        when=when,
        reason=_reason(reasons),
        reason_signals=_reason_signals(
            appointment, [*(appointment.reasonCode or []), *(appointment.serviceType or [])]
        ),
        status=APPOINTMENT_STATUS[status],
        clinician=clinician,
        clinician_role=role,
    )


def _roles(types) -> set[str]:
    return {code for concept in types or [] for _system, code in codings(concept)}


def _type_of(reference, refs: References) -> str:
    key = refs.resolve(reference.reference)
    return key_type(key) if key else (reference.type or "")


def _clinician(people: list, refs: References, names: dict[str, str]) -> tuple[str, Role]:
    """The attending or performing practitioner first, else the first practitioner named; by the name on
    their Practitioner resource in this file, else the reference's display."""
    clinicians = [(ref, roles) for ref, roles in people if _type_of(ref, refs) in CLINICIAN_TYPES]
    clinicians.sort(key=lambda item: not (item[1] & LEAD_ROLES))
    for reference, roles in clinicians:
        name = names.get(refs.resolve(reference.reference) or "", "") or plain(reference.display, MAX_SHORT)
        if name:
            doctor = name.lower().startswith(("dr ", "dr.")) or bool(roles & {"ATND", "PPRF"})
            return name, Role.physician if doctor else Role.other
    return "", Role.other


def _reason(candidates: list[str]) -> str:
    """The first reason the record gives, in plain words."""
    return next((plain(text, MAX_SHORT) for text in candidates if text), DEFAULT_REASON)


def _reason_signals(resource, concepts) -> Signals:
    """The resource's security labels and the codes of its reasons: the writer judges whether the reason is private."""
    return Signals(labels=security_labels(resource), codes=tuple(pair for c in concepts for pair in codings(c)))
