"""Encounters and Appointments as visits: when, why (in plain words; a private reason is marked so, never shown on
the day's list), with whom (companion.fhir.practitioner_map), in person or by video, and whether it was cancelled
or missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.fhir.fact_map import NO_SIGNALS, Signals
from companion.fhir.practitioner_map import CLINICIAN_TYPES, PractitionerFacts, PractitionerIndex
from companion.fhir.profile import (
    ACT_CODE,
    EXT_AGENDA_AGREED,
    EXT_VISIT_STATUS,
    SNOMED,
    ext_value,
    labels_for_reason,
    security_labels,
)
from companion.fhir.refs import References, key_type
from companion.fhir.values import (
    as_utc,
    codings,
    concept_text,
    names_no_day,
    plain,
    record_wording,
    status_of,
    status_said,
    wall_clock,
)
from companion.storage.models import VisitMode, VisitStatus
from companion.text import FIRST_DAY, LAST_DAY, MAX_SHORT

ENCOUNTER_STATUS = {
    "planned": VisitStatus.scheduled,
    "arrived": VisitStatus.roomed,
    "triaged": VisitStatus.roomed,
    "in-progress": VisitStatus.in_visit,
    "onleave": VisitStatus.in_visit,
    "finished": VisitStatus.done,
    "cancelled": VisitStatus.cancelled,
}
APPOINTMENT_STATUS = {
    "proposed": VisitStatus.scheduled,  # a visit once the patient has accepted it (Da Vinci's example), else no
    "pending": VisitStatus.scheduled,
    "booked": VisitStatus.scheduled,
    "arrived": VisitStatus.roomed,
    "checked-in": VisitStatus.roomed,
    "fulfilled": VisitStatus.done,
    "cancelled": VisitStatus.cancelled,
    "noshow": VisitStatus.no_show,
}
# Every code FHIR R4 has for each (a report names these; any other words a sender wrote there stay unnamed).
ENCOUNTER_KNOWN = {*ENCOUNTER_STATUS, "entered-in-error", "unknown"}
APPOINTMENT_KNOWN = {*APPOINTMENT_STATUS, "waitlist", "entered-in-error"}
NOT_A_VISIT = {"entered-in-error"}  # sent by mistake: a visit an earlier import made of it is cancelled
NOT_BOOKED = {"waitlist"}  # a place on a waiting list: no visit (yet)
LEAD_ROLES = {"PPRF", "ATND"}  # the primary performer, the attender: the visit's practitioner
# How R4 records mark a visit as virtual: Encounter.class VR (v3 ActCode "virtual"); SNOMED's "Telemedicine
# consultation with patient" as a type or service type (US Core's telehealth Appointment); R5's
# Appointment.virtualService carried back to R4 as an extension.
VIRTUAL_CODES = {(ACT_CODE, "VR"), ("", "VR"), (SNOMED, "448337001")}
VIRTUAL_SERVICE = "Appointment.virtualService"  # the end of the cross-version extension's url
DEFAULT_REASON = "Visit"


@dataclass(frozen=True, slots=True)
class VisitFacts:
    key: str
    patient: str | None
    patient_display: str
    when: datetime  # the clinic's wall-clock time
    reason: str
    status: VisitStatus
    practitioner: PractitionerFacts | None  # None when the record names nobody: the visit is unassigned
    mode: VisitMode | None = None  # None when the record does not say (an R4 Appointment rarely does)
    agenda_agreed_at: datetime | None = None
    same_visit_as: str | None = None  # the Appointment this Encounter took place for
    only_update: bool = False  # voided in the record: it cancels the visit an earlier import made, adds none
    reason_signals: Signals = NO_SIGNALS  # judged when written: "HIV follow-up" is a private reason
    # The record's labels on the visit itself (a 42 CFR Part 2 visit): what is filed under it carries them
    record_labels: tuple[tuple[str, str], ...] = ()


def encounter_facts(encounter, key: str, refs: References, people: PractitionerIndex) -> VisitFacts | str:
    """The visit of an Encounter, or why it makes none."""
    status = status_of(encounter.status)
    if status in NOT_A_VISIT:
        return _voided(encounter, key, refs)
    if status not in ENCOUNTER_STATUS:
        return f"not a visit (status {status_said(status, ENCOUNTER_KNOWN)})"
    start = encounter.period.start if encounter.period else None
    # A year or a month alone ("2025", "2025-03", as R4 allows) names no day: read as its first day at 00:00, it
    # made a visit on 1 January that nobody booked.
    when = wall_clock(start) if start and not names_no_day(start) else None
    if when is None and status == "cancelled":  # a cancellation need not say when: it still closes the visit
        return _voided(encounter, key, refs)
    if when is None and start:
        return f"its start ({start}) names a year or a month, not a day: a visit needs its day"
    if when is None:
        return "no start time (period.start): a visit needs one"
    if outside := _outside_the_days(when):
        return outside
    reasons = [concept_text(c) for c in encounter.reasonCode or []]
    reasons += [plain(r.display) for r in encounter.reasonReference or [] if r.display]
    reasons += [concept_text(c) for c in [*(encounter.type or []), encounter.serviceType]]
    leads = [(p.individual, _roles(p.type)) for p in encounter.participant or [] if p.individual]
    subject = encounter.subject
    appointments = [refs.follow(a, "Appointment") for a in encounter.appointment or []]
    visit_status = ENCOUNTER_STATUS[status]
    if status == "cancelled" and ext_value(encounter, EXT_VISIT_STATUS, "Code") == VisitStatus.no_show.value:
        visit_status = VisitStatus.no_show  # this app's export: FHIR's Encounter has no "no-show"
    kind = encounter.class_fhir
    virtual = _virtual([kind] if kind else [], [*(encounter.type or []), encounter.serviceType])
    return VisitFacts(
        key=key,
        patient=refs.follow(subject, "Patient"),
        patient_display=plain(subject.display, MAX_SHORT) if subject else "",
        when=when,
        reason=_reason(reasons),
        reason_signals=_reason_signals(
            encounter, [*(encounter.reasonCode or []), *(encounter.type or []), encounter.serviceType]
        ),
        record_labels=_record_labels(encounter),
        status=visit_status,
        practitioner=_practitioner(leads, refs, people),
        mode=VisitMode.video if virtual else VisitMode.in_person if kind else None,
        agenda_agreed_at=as_utc(ext_value(encounter, EXT_AGENDA_AGREED, "DateTime")),
        same_visit_as=next((a for a in appointments if a), None),
    )


def _outside_the_days(when: datetime) -> str:
    """Why a start in the year 1066 or 2205 (a typing slip in the record) makes no visit: no day's list could show
    it, nor could the visit be moved from the window or the command line, yet it would take the words that wait."""
    if FIRST_DAY <= when.date() <= LAST_DAY:
        return ""
    return f"its start is outside {FIRST_DAY} to {LAST_DAY}: no day's list could show the visit"


def appointment_facts(appointment, key: str, refs: References, people: PractitionerIndex) -> VisitFacts | str:
    """The visit of an Appointment (its patient is one of its participants), or why it makes none."""
    status = status_of(appointment.status)
    if status in NOT_A_VISIT or (status == "cancelled" and appointment.start is None):  # FHIR lets either omit it
        return _voided(appointment, key, refs, [p.actor for p in appointment.participant or [] if p.actor])
    patient_said = [p.status for p in appointment.participant or [] if p.actor and _type_of(p.actor, refs) == "Patient"]
    if status in NOT_BOOKED or (status == "proposed" and "accepted" not in patient_said):
        return f"not booked (status {status})"  # a slot only offered to the patient, a waiting list
    if status not in APPOINTMENT_STATUS:
        return f"not a visit (status {status_said(status, APPOINTMENT_KNOWN)})"
    when = wall_clock(appointment.start)
    if when is None:
        return "no start time: a visit needs one"
    if outside := _outside_the_days(when):
        return outside
    taking_part = [p for p in appointment.participant or [] if p.actor]
    actors = [(p.actor, _roles(p.type)) for p in taking_part]
    patients = [a for a, _ in actors if _type_of(a, refs) == "Patient"]
    if len({refs.follow(a) or a.reference or a.display for a in patients}) > 1:
        return "it names more than one patient: booked for none of them, whose visit it is cannot be told"
    patient = next(iter(patients), None)
    reasons = [concept_text(c) for c in appointment.reasonCode or []]
    reasons += [plain(appointment.description)] if appointment.description else []
    reasons += [plain(r.display) for r in appointment.reasonReference or [] if r.display]
    reasons += [concept_text(c) for c in [*(appointment.serviceType or []), appointment.appointmentType]]
    services = [*(appointment.serviceType or []), *(appointment.serviceCategory or []), appointment.appointmentType]
    virtual = _virtual([], services) or any(
        (e.url or "").endswith(VIRTUAL_SERVICE) for e in appointment.extension or []
    )
    attending = [(p.actor, _roles(p.type)) for p in taking_part if p.status != "declined"]
    declined = any(p.status == "declined" and _type_of(p.actor, refs) == "Patient" for p in taking_part)
    return VisitFacts(
        key=key,
        patient=refs.follow(patient),
        patient_display=plain(patient.display, MAX_SHORT) if patient else "",
        when=when,
        reason=_reason(reasons),
        reason_signals=_reason_signals(appointment, [*(appointment.reasonCode or []), *services]),
        record_labels=_record_labels(appointment),
        status=VisitStatus.cancelled if declined else APPOINTMENT_STATUS[status],  # the patient said no
        practitioner=_practitioner(attending, refs, people),
        mode=VisitMode.video if virtual else None,
    )


def _voided(resource, key: str, refs: References, actors: list | None = None) -> VisitFacts:
    """An Appointment or Encounter sent by mistake, or cancelled without a time (FHIR allows it): the visit an
    earlier import made of it is cancelled (unless it took place), and none is made."""
    subject = getattr(resource, "subject", None) or next(
        (a for a in actors or [] if _type_of(a, refs) == "Patient"), None
    )
    return VisitFacts(
        key=key,
        patient=refs.follow(subject, "Patient"),
        patient_display=plain(subject.display, MAX_SHORT) if subject is not None and subject.display else "",
        when=datetime.min,
        reason="",
        status=VisitStatus.cancelled,
        practitioner=None,
        only_update=True,
    )


def _roles(types) -> set[str]:
    return {code for concept in types or [] for _system, code in codings(concept)}


def _type_of(reference, refs: References) -> str:
    key = refs.follow(reference)
    return key_type(key) if key else (reference.type or "")


def _practitioner(people: list, refs: References, index: PractitionerIndex) -> PractitionerFacts | None:
    """The primary performer or the attender (PPRF, ATND) first, else the first practitioner named; None when
    the record names nobody."""
    named = [(ref, roles) for ref, roles in people if _type_of(ref, refs) in CLINICIAN_TYPES]
    named.sort(key=lambda item: not (item[1] & LEAD_ROLES))
    for reference, _roles_of in named:
        facts = index.named_by(reference, refs)
        if facts is not None:
            return facts
    return None


def _virtual(classes: list, concepts: list) -> bool:
    """Whether a class (a Coding) or a concept marks the visit as virtual."""
    coded = {((c.system or ""), c.code or "") for c in classes}
    coded |= {pair for concept in concepts if concept is not None for pair in codings(concept)}
    return bool(coded & VIRTUAL_CODES)


def _reason(candidates: list[str]) -> str:
    """The first reason the record gives, in plain words."""
    return next((plain(text, MAX_SHORT) for text in candidates if text), DEFAULT_REASON)


def _record_labels(resource) -> tuple[tuple[str, str], ...]:
    """The labels on the visit's record, unless this app's export put them there for its reason alone."""
    covered = labels_for_reason(getattr(resource, "meta", None))
    return tuple(label for label in security_labels(resource) if label not in covered)


def _reason_signals(resource, concepts) -> Signals:
    """The resource's security labels and the codes and words of every concept its reason may be shown from (a
    CPT psychotherapy code as the appointment's type): the writer judges whether the reason is private."""
    concepts = [concept for concept in concepts if concept is not None]
    codes = tuple(pair for concept in concepts for pair in codings(concept))
    wording = " ".join(filter(None, (record_wording(concept) for concept in concepts)))
    return Signals(labels=security_labels(resource), codes=codes, wording=wording)
