"""One file's resources turned into facts, before the database is touched: validation and mapping (the slow
part) hold no lock, and a file that is not FHIR is refused before anything is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from companion.fhir.answer_map import PriorityFacts, goal_facts, questionnaire_facts
from companion.fhir.fact_map import NoteFacts, communication_note, flag_note, observation_note
from companion.fhir.files import RawFile
from companion.fhir.parse import USED_TYPES, Skip, label, validate
from companion.fhir.patient_map import PatientFacts, patient_facts, practitioner_name
from companion.fhir.refs import References, identifier_keys, resource_key
from companion.fhir.visit_map import VisitFacts, appointment_facts, encounter_facts
from companion.models import Scope

Facts = PatientFacts | VisitFacts | PriorityFacts | NoteFacts
EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    """One row to write, and where it came from (for a report that names the entry, never the person)."""

    entry: int | None
    label: str
    facts: Facts
    aliases: list[str]


@dataclass
class FilePlan:
    path: str
    size: int
    ndjson: bool
    steps: list[Step] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    unused: Counter[str] = field(default_factory=Counter)  # "Claim", "Encounter (no start time...)"

    def skip(self, entry: int | None, what: str, reason: str) -> None:
        one_line = " ".join(reason.split())  # a validator's message may hold line breaks and tabs
        self.skipped.append(Skip(self.path, entry, what, one_line, self.ndjson))


def plan_file(raw: RawFile, sensitive: Callable[[str], bool]) -> FilePlan:
    plan = FilePlan(str(raw.path), raw.size, raw.ndjson)
    for entry, reason in raw.broken:
        plan.skip(entry, "no resource", reason)
    refs = References()
    keyed = []
    for resource in raw.resources:
        key = resource_key(resource.data)
        refs.add(key, resource.data, resource.full_url)
        keyed.append((resource, key))
    models, names = [], {}
    for resource, key in keyed:
        kind = resource.data["resourceType"]
        if kind not in USED_TYPES:
            plan.unused[kind] += 1
            continue
        model = validate(resource.data)
        if isinstance(model, str):
            plan.skip(resource.index, label(resource.data), model)
            continue
        if kind == "Practitioner":
            names[key] = practitioner_name(model)
            continue
        aliases = identifier_keys(kind, resource.data.get("identifier")) if key.startswith(f"{kind}/") else []
        models.append((resource, key, model, [a for a in aliases if a != key]))
    for resource, key, model, aliases in models:
        try:
            found = _facts(model, key, refs, names, sensitive)
        except Exception as exc:  # noqa: BLE001 (valid FHIR this mapping did not foresee: skip it, keep the rest)
            plan.skip(resource.index, label(resource.data), f"could not be mapped ({type(exc).__name__})")
            continue
        for facts in found:
            if isinstance(facts, str):
                plan.unused[f"{model.get_resource_type()} ({facts})"] += 1
            else:
                plan.steps.append(Step(resource.index, label(resource.data), facts, aliases))
    plan.steps.sort(key=_order)
    return plan


def _facts(model, key: str, refs: References, names: dict[str, str], sensitive) -> list[Facts | str]:
    kind = model.get_resource_type()
    if kind == "Patient":
        return [patient_facts(model, key)]
    if kind == "Encounter":
        return [encounter_facts(model, key, refs, names, sensitive)]
    if kind == "Appointment":
        return [appointment_facts(model, key, refs, names, sensitive)]
    if kind == "Goal":
        return [goal_facts(model, key, refs)]
    if kind == "Observation":
        return [observation_note(model, refs, sensitive)]
    if kind == "Flag":
        return [flag_note(model, key, refs)]
    if kind == "Communication":
        return [communication_note(model, key, refs)]
    if kind == "QuestionnaireResponse":
        found = questionnaire_facts(model, key, refs)
        return [found] if isinstance(found, str) else list(found)
    return [f"type {kind} not used"]


def _order(step: Step) -> tuple:
    """Patients, then visits (so items find them), then today's words before lasting goals (the agenda's order
    when the record gives none), each oldest first (so the latest value wins)."""
    facts = step.facts
    if isinstance(facts, PatientFacts):
        return (0, EARLIEST)
    if isinstance(facts, VisitFacts):
        return (1, EARLIEST)
    if isinstance(facts, NoteFacts):
        return (2, facts.observed_at or EARLIEST)
    return (3 if facts.scope is Scope.today else 4, facts.when or EARLIEST)
