"""One file's resources turned into facts, before the database is touched: validation and mapping (the slow
part) hold no lock, and no resource is kept once its facts are made.

Two passes over the file's entries. The first is cheap: it keeps only what references need (the keys, fullUrls
and identifiers of the resources a reference this app follows can name, and practitioners' names and
identifiers). The second counts what the app would not use from the JSON alone (companion.fhir.triage), then
validates each resource it may use, maps it to small facts and lets the resource go.
The facts of a file are kept until it is written, so they can be written in the record's order: patients,
visits, practitioners (who complete the clinicians the visits name), then items oldest first (so the latest value
of a fact wins, and earlier values are its history). Versions of one resource are written oldest first too, by
their meta (lastUpdated, versionId), else in the file's order, which a `history` Bundle gives newest first."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from companion.fhir.answer_map import (
    NOT_SENT,
    AnswersNow,
    CareGoalFacts,
    PriorityFacts,
    goal_facts,
    questionnaire_facts,
)
from companion.fhir.bundle import LABELS_UNKNOWN, LANGUAGE, LATE_LABELS, labelled, own_labels
from companion.fhir.entries import REST, RawEntry
from companion.fhir.fact_map import NoteFacts, Signals, communication_note, flag_note, observation_note
from companion.fhir.parse import REFERENCED, Skip, label, validate
from companion.fhir.patient_map import LANGUAGE_TAG, PatientFacts, patient_facts, spoken_language
from companion.fhir.practitioner_map import PractitionerFacts, PractitionerIndex
from companion.fhir.profile import SUBSETTED, labels_for_reason
from companion.fhir.questionnaire import is_ours
from companion.fhir.questionnaire_answers import PatientAnswerFacts, SkippedAnswer, response_facts
from companion.fhir.refs import (
    LITERAL,
    References,
    address_as_written,
    identifier_keys,
    key_type,
    resource_key,
    server_address,
)
from companion.fhir.story import StoryRules
from companion.fhir.triage import not_used
from companion.fhir.values import DateOutOfRange, status_of
from companion.fhir.visit_map import VisitFacts, appointment_facts, encounter_facts
from companion.storage.models import Scope
from companion.text import FIRST_DAY, LAST_DAY


@dataclass(frozen=True, slots=True)
class Deleted:
    """A resource the record deleted (a DELETE request): what an import made of it is taken off."""

    key: str


Facts = (
    PatientFacts
    | VisitFacts
    | PractitionerFacts
    | PriorityFacts
    | CareGoalFacts
    | NoteFacts
    | PatientAnswerFacts
    | AnswersNow
    | Deleted
)
EARLIEST = datetime.min.replace(tzinfo=UTC)
CLASHING = (
    "another, different Patient in this file has the same address (fullUrl or id) and version: one person or two "
    "cannot be told, so neither is imported, nor anything filed under that address"
)
VISIT_CLASHING = (
    "another {kind} in this file, for another patient, has the same address (fullUrl or id) and version: which one the "
    "record means cannot be told, so neither is imported and the visit here stays as it is"
)
# Resources of which a file must not hold two different copies at one address and version (FHIR's bdl-7): a second
# Encounter there for another patient would read as the server moving the visit, and cancel the first patient's.
ONE_COPY = frozenset({"Patient", "Encounter", "Appointment"})
# An Appointment's participants that are the clinic's people and places, not whom the visit is for
_THE_CLINICS = {"Practitioner", "PractitionerRole", "Location", "HealthcareService", "Device"}


@dataclass(frozen=True, slots=True)
class Step:
    """One row to write, and where it came from (for a report that names the entry, never the person)."""

    entry: int | None
    label: str
    facts: Facts
    aliases: tuple[str, ...]
    version: tuple = ()  # how recent this version of its resource is (_version): the older is written first
    key: str = ""  # its resource's key, when the record says when it last changed it (Writer.older_than_written)
    superseded: bool = False  # a later version of its patient or visit follows in the file (_superseded)


@dataclass
class FilePlan:
    path: str
    size: int
    ndjson: bool
    steps: list[Step] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    unused: Counter[str] = field(default_factory=Counter)  # "Claim", "Encounter (no start time...)"
    labels: list[dict] = field(default_factory=list)  # a Bundle's security labels written after its entries
    # Each patient's own security labels as (system, code) (their Patient's, and those of records merged into
    # theirs), by the key references resolve to: what the file says of a restricted patient carries them, and
    # they are kept on the patient's row even when their Patient cannot be imported itself (invalid elsewhere)
    # or was merged into a record the file does not hold.
    patient_labels: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    language: str = ""  # the Bundle's language: its entries that name none are judged in it
    # Each labelled Encounter's own security labels as (system, code), by key: what is filed under a visit the
    # record restricts (a 42 CFR Part 2 visit) carries them, as a Bundle's entries carry the Bundle's.
    encounter_labels: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # The keys at which the file holds two different Patients (or visits) of one version (FileIndex.clashing): the
    # files read after it in the same import file nothing under such a patient either (Bulk Data sends a patient's
    # records apart).
    clashing: frozenset[str] = frozenset()

    def skip(self, entry: int | None, what: str, reason: str, part: bool = False) -> None:
        one_line = " ".join(reason.split())  # a validator's message may hold line breaks and tabs
        self.skipped.append(Skip(self.path, entry, what, one_line, self.ndjson, part))


@dataclass
class FileIndex:
    """What the first pass keeps: enough to resolve references, nothing of a resource's content."""

    refs: References = field(default_factory=References)
    people: PractitionerIndex = field(default_factory=PractitionerIndex)  # Practitioners and PractitionerRoles
    spoken: dict[str, str] = field(default_factory=dict)  # each patient's preferred language (a BCP-47 code)
    patients: set[str] = field(default_factory=set)  # the keys of the file's own Patient resources
    # Each Condition's codes and words, by key: a message given one as its reason is judged by them too
    # ("Moved Tuesday's group" for a Condition coded F11.20, opioid dependence).
    conditions: dict[str, tuple[tuple[tuple[str, str], ...], str]] = field(default_factory=dict)
    # A digest of what each Patient says, and of whom each Encounter and Appointment is for, by key and version; and
    # the keys at which a Bundle holds two that differ in it at one version (FHIR bdl-7 forbids it): which one is
    # meant cannot be told.
    copies: dict[tuple[str, tuple[str, str]], int] = field(default_factory=dict)
    clashing: set[str] = field(default_factory=set)


def index_entries(entries: Iterable[RawEntry], plan: FilePlan) -> FileIndex:
    """The first pass: keys and aliases of what can be referenced, and the practitioners (names, identifiers)."""
    index = FileIndex()
    for entry in entries:
        data = entry.data
        # Labels after the entries, or never reached: the second pass gives them to every entry
        if entry.problem in (LATE_LABELS, LABELS_UNKNOWN) and data is not None:
            plan.labels = data["meta"]["security"]
        if entry.problem == LANGUAGE:
            plan.language = data["language"]
        if entry.problem or data is None or data["resourceType"] not in REFERENCED:
            continue
        key = resource_key(data, entry.full_url)
        index.refs.add(key, data, entry.full_url)
        if data["resourceType"] in ONE_COPY and not entry.newest_first:
            _note_copy(index, key, data)  # a history Bundle lists versions; a bulk file lists each resource once
        if data["resourceType"] == "Patient":
            index.patients.add(key)
            if spoken := spoken_language(data):
                index.spoken[key] = spoken
            if own := own_labels(data):  # every copy's: two copies that clash (neither imported) still restrict
                pairs = [*plan.patient_labels.get(key, ()), *((c.get("system", ""), c["code"]) for c in own)]
                plan.patient_labels[key] = tuple(dict.fromkeys(pairs))
        if data["resourceType"] == "Encounter":
            covered = labels_for_reason(data.get("meta"))  # this app's export put them there for the reason alone
            own = [(c.get("system", ""), c["code"]) for c in own_labels(data)]
            if kept := tuple(label for label in own if label not in covered):
                plan.encounter_labels[key] = kept
        if data["resourceType"] == "Condition":
            index.conditions[key] = _concept_as_written(data.get("code"))
        if data["resourceType"] in ("Practitioner", "PractitionerRole"):
            model = validate(data)
            if not isinstance(model, str):
                index.people.add(key, model)
            elif data["resourceType"] == "Practitioner":  # a PractitionerRole is only followed, not imported
                plan.skip(entry.index, label(data), model)
    for key in index.clashing:
        index.refs.make_ambiguous(key)
    plan.clashing = frozenset(index.clashing)
    index.refs.settle_links()
    for key, own in list(plan.patient_labels.items()):  # a record merged into another: the survivor's too
        survivor = index.refs.surviving(key)
        if survivor != key:
            plan.patient_labels[survivor] = (*plan.patient_labels.get(survivor, ()), *own)
    return index


def _note_copy(index: FileIndex, key: str, data: dict) -> None:
    """Remember what a Patient says, or whom a visit is for, by key and version; a second copy of the same key and
    version that differs in it makes that key clash. Two copies of one booking for the same patient are two versions,
    the later one read as the newer (a file without meta); for two patients, which one is meant cannot be told. A
    summary copy (tagged SUBSETTED: a search's `_summary`) is the same record, shorter."""
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    tags = meta.get("tag") if isinstance(meta.get("tag"), list) else []
    if any(isinstance(tag, dict) and tag.get("code") == SUBSETTED for tag in tags):
        return
    version = (str(meta.get("versionId", "")), str(meta.get("lastUpdated", "")))
    told = data if data["resourceType"] == "Patient" else _whose(data)
    digest = hash(json.dumps(told, sort_keys=True, default=str))
    if index.copies.setdefault((key, version), digest) != digest:
        index.clashing.add(key)


def _whose(visit: dict) -> object:
    """Whom an Encounter (its subject) or an Appointment (its participants other than the clinic's people and places)
    is for, as written: a new version may change its clinician or room, never its patient."""
    if visit["resourceType"] == "Encounter":
        return visit.get("subject")
    participants = visit.get("participant")
    actors = [p.get("actor") for p in participants if isinstance(p, dict)] if isinstance(participants, list) else []
    references = [str(actor.get("reference")) for actor in actors if isinstance(actor, dict)]
    return sorted(ref for ref in references if not set(ref.split("/")[-2:-1]) & _THE_CLINICS)


def _concept_as_written(concept) -> tuple[tuple[tuple[str, str], ...], str]:
    """A CodeableConcept's (system, code) pairs and words, read from the JSON as written (not yet validated)."""
    if not isinstance(concept, dict):
        return (), ""
    codings = (
        [c for c in concept.get("coding") or [] if isinstance(c, dict)]
        if isinstance(concept.get("coding"), list)
        else []
    )
    pairs = tuple(
        (c["system"] if isinstance(c.get("system"), str) else "", c["code"])
        for c in codings
        if isinstance(c.get("code"), str)
    )
    words = [concept.get("text"), *(c.get("display") for c in codings)]
    return pairs, " ".join(w for w in words if isinstance(w, str))


def _with_reasons(facts, data: dict, index: FileIndex):
    """A message with the codes and words of the Conditions it gives as its reasons (reasonReference)."""
    if data["resourceType"] != "Communication" or not isinstance(data.get("reasonReference"), list):
        return facts
    found = []
    for reference in data["reasonReference"]:
        literal = reference.get("reference") if isinstance(reference, dict) else None
        key = index.refs.resolve(literal) if isinstance(literal, str) else None
        if key in index.conditions:
            found.append(index.conditions[key])
    if not found or not isinstance(getattr(facts, "signals", None), Signals):
        return facts
    signals = facts.signals
    codes = tuple(dict.fromkeys([*signals.codes, *(pair for pairs, _ in found for pair in pairs)]))
    wording = " ".join(w for w in [signals.wording, *(words for _, words in found)] if w)
    return replace(facts, signals=replace(signals, codes=codes, wording=wording))


def _with_visit_labels(facts, data: dict, plan: FilePlan, index: FileIndex):
    """An item filed under a visit whose Encounter in this file is labelled, with that Encounter's labels; so is
    what its resource gives as lasting (a practical need answered in that visit's questionnaire)."""
    visit = getattr(facts, "visit", None)
    if visit is None and isinstance(data.get("encounter"), dict):
        literal = data["encounter"].get("reference")
        visit = index.refs.resolve(literal) if isinstance(literal, str) else None
    if visit not in plan.encounter_labels or not isinstance(getattr(facts, "signals", None), Signals):
        return facts
    labels = tuple(dict.fromkeys([*facts.signals.labels, *plan.encounter_labels[visit]]))
    return replace(facts, signals=replace(facts.signals, labels=labels))


def _patients_labels(data: dict, plan: FilePlan, index: FileIndex) -> tuple[tuple[str, str], ...]:
    """The security labels of the patient a resource is about, when their Patient in this file carries some."""
    if not plan.patient_labels or data["resourceType"] == "Patient":
        return ()
    references = [data.get("subject"), data.get("patient")]
    if isinstance(data.get("participant"), list):  # an Appointment names its patient among its participants
        references += [p.get("actor") for p in data["participant"] if isinstance(p, dict)]
    found: list[tuple[str, str]] = []
    for reference in references:
        literal = reference.get("reference") if isinstance(reference, dict) else None
        key = index.refs.resolve(literal) if isinstance(literal, str) else None
        found += plan.patient_labels.get(key, ()) if key else ()
    return tuple(dict.fromkeys(found))


def map_entries(entries: Iterable[RawEntry], plan: FilePlan, index: FileIndex, story: StoryRules) -> None:
    """The second pass: each resource the app uses validated and mapped, one at a time (answers judged by the
    clinic's story lists); then the facts are put in the order they are written in."""
    for entry in entries:
        data = entry.data
        if entry.deleted:
            _deletion(entry, plan)
            continue
        if entry.unused:  # counted as not used when the file was first read (companion.fhir.triage)
            plan.unused[entry.unused] += 1
            continue
        if entry.problem in (LABELS_UNKNOWN, LANGUAGE):  # told to the first pass; nothing to report
            continue
        if entry.problem or data is None:
            plan.skip(entry.index, label(data) if data is not None else entry.what, entry.problem)
            continue
        if unused := not_used(data, story):  # counted without validation (companion.fhir.triage)
            plan.unused[unused] += 1
            continue
        data = labelled(data, plan.labels)
        kind = data["resourceType"]
        if kind == "Practitioner":  # validated and read in the first pass
            facts = index.people.people.get(resource_key(data, entry.full_url))
            if facts is not None:
                plan.steps.append(Step(entry.index, label(data), facts, ()))
            continue
        if kind in ONE_COPY and resource_key(data, entry.full_url) in index.clashing:
            plan.skip(entry.index, label(data), CLASHING if kind == "Patient" else VISIT_CLASHING.format(kind=kind))
            continue
        model = validate(data)
        if isinstance(model, str):
            plan.skip(entry.index, label(data), model)
            continue
        _map(entry, data, model, plan, index, story)
    plan.skipped.sort(key=lambda skip: (skip.resource == REST, -1 if skip.entry is None else skip.entry))
    plan.steps.sort(key=_order)
    plan.steps = _superseded(_newest_answers(_deletions_still_standing(plan.steps)))


def _patients_own_words(data: dict) -> bool:
    """Whether a resource holds the patient's own words: their answers, or a message they sent (a portal's)."""
    if data["resourceType"] == "QuestionnaireResponse":
        return True
    sender = data.get("sender") if data["resourceType"] == "Communication" else None
    reference = sender.get("reference") if isinstance(sender, dict) else None
    return isinstance(reference, str) and "Patient/" in reference


def _patients_language(data: dict, index: FileIndex) -> str:
    """The language a patient's own words are in when their resource does not say: the one they speak (their
    Patient in this file). A portal in Portuguese sends "Tenho pensado em me matar" with no language of its own."""
    return index.spoken.get(_subject_key(data, index) or "", "") if _patients_own_words(data) else ""


def _subject_key(data: dict, index: FileIndex) -> str | None:
    subject = data.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    return index.refs.resolve(reference) if isinstance(reference, str) else None


def _deletion(entry: RawEntry, plan: FilePlan) -> None:
    """A DELETE request by the resource's address or Type/id (a conditional delete, by search, is not followed:
    it could name anyone)."""
    literal = LITERAL.search(entry.deleted) if "?" not in entry.deleted else None
    if literal is None:
        # Named by its type alone: the search (`Patient?name=...`) may hold the very words it searched for.
        kind = entry.deleted.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        plan.skip(entry.index, f"{label({'resourceType': kind}).removesuffix(' (no id)')} (by search)",
                  "a conditional DELETE (by search) is not followed")  # fmt: skip
        return
    bare = f"{literal.group(1)}/{literal.group(2)}"
    address = server_address(entry.full_url) or server_address(entry.deleted)
    key = address if address is not None and address.endswith(f"/{bare}") else bare
    # A server's deletion takes off only what came from that server (its address, however spelled), never a row
    # keyed by the bare id: that may be another source's resource of the same id, about another patient.
    written = address_as_written(entry.full_url) or address_as_written(entry.deleted)
    aliases = (written,) if key != bare and written not in (None, key) else ()
    version = (EARLIEST, -1, -(entry.index or 0) if entry.newest_first else (entry.index or 0))
    named = label({"resourceType": literal.group(1), "id": literal.group(2)})  # words as a type are not echoed
    plan.steps.append(Step(entry.index, f"{named} (deleted)", Deleted(key), aliases, version))


def _deletions_still_standing(steps: list[Step]) -> list[Step]:
    """A deletion counts unless the file holds a later version of that resource (created again since)."""
    deleted = {step.facts.key: step.version[2] for step in steps if isinstance(step.facts, Deleted)}
    if not deleted:
        return steps
    later = {
        key
        for step in steps
        if not isinstance(step.facts, Deleted)
        and step.version
        and (key := getattr(step.facts, "key", None)) in deleted
        and step.version[2] > deleted[key]
    }
    return [step for step in steps if not (isinstance(step.facts, Deleted) and step.facts.key in later)]


def _superseded(steps: list[Step]) -> list[Step]:
    """Mark each version of a patient or a visit that a later one in the file follows (the steps are oldest first).
    It is still written (it may make the row, and its labels count), but over nothing the clinic corrected: only the
    newest says what the record says now, and a file imported again each night would otherwise undo a correction
    twice a night, once with the older value and once with no news (companion.fhir.record_said)."""
    later: set[str] = set()
    marked: list[Step] = []
    for step in reversed(steps):
        if isinstance(step.facts, PatientFacts | VisitFacts) and step.facts.key:
            if step.facts.key in later:
                step = replace(step, superseded=True)
            later.add(step.facts.key)
        marked.append(step)
    marked.reverse()
    return marked


def _newest_answers(steps: list[Step]) -> list[Step]:
    """One answer per patient and question: the newest (the steps are oldest first). The others are earlier
    states the app never showed: writing each would make as many versions of the item, and audit entries, as a
    file has answers (a feed of 100,000 readings of one question made 100,000)."""
    seen: set[tuple[str | None, str]] = set()
    kept: list[Step] = []
    for step in reversed(steps):
        facts = step.facts
        question = None
        if isinstance(facts, NoteFacts) and facts.key is None and facts.code and not facts.retract:
            question = (facts.patient, facts.code)  # (a voided answer is neither newest nor dropped: write_note)
        elif isinstance(facts, AnswersNow):  # two versions of one response: what the newest still gives counts
            question = (None, facts.key)
        if question is not None:
            if question in seen:
                continue
            seen.add(question)
        kept.append(step)
    kept.reverse()
    return kept


def _map(entry: RawEntry, data: dict, model, plan: FilePlan, index: FileIndex, story: StoryRules) -> None:
    kind = data["resourceType"]
    key = resource_key(data, entry.full_url)
    index.refs.reading(entry.full_url)  # its relative references are on its server
    if kind == "Patient" and index.refs.surviving(key) != key:  # merged: its facts go to the record that replaces it
        plan.unused["Patient (replaced by another record: Patient.link)"] += 1
        return
    aliases = identifier_keys(kind, data.get("identifier")) if "?" not in key and "#" not in key else []
    if kind == "Patient":  # an earlier import's patient of a merged-away record is this person
        aliases += index.refs.replaced_by(key)
    if server_address(key) is not None:  # rows imported before the server's address keyed them: re-keyed now...
        if not index.refs.shared_id(kind, data["id"]):  # ...unless two servers' resources of this id are in the file
            aliases.append(f"{kind}/{data['id']}")
        if (written := address_as_written(entry.full_url)) != key:  # ...or before it was spelled one way
            aliases.append(written)
    try:
        found = _facts(model, key, index.refs, index.people, story)
    except DateOutOfRange as exc:
        plan.skip(entry.index, label(data), str(exc))
        return
    except Exception as exc:  # noqa: BLE001 (valid FHIR this mapping did not foresee: skip it, keep the rest)
        plan.skip(entry.index, label(data), f"could not be mapped ({type(exc).__name__})")
        return
    # What its words are judged in: its own language, else the one its patient speaks (a portal's answers: their
    # Patient in this file, else, when it is not here, as an earlier file recorded it: `answers`), else its
    # Bundle's. Only judged: what the patient "answered in" is the resource's own word alone.
    answers = _patients_own_words(data) and _subject_key(data, index) not in index.patients
    patients_labels = _patients_labels(data, plan, index)  # after reading(): its references are on its server
    declared = getattr(model, "language", None) or ""
    declared = declared if LANGUAGE_TAG.fullmatch(declared) else ""  # words in its `language` name none to read in
    language = declared or _patients_language(data, index) or ("" if answers else plan.language)
    version = _version(model, entry)
    for facts in found:
        if isinstance(facts, SkippedAnswer):  # an answer to a question our questionnaire does not have
            plan.skip(entry.index, label(data), facts, part=True)
        elif isinstance(facts, str):
            plan.unused[f"{kind} ({facts})"] += 1
        else:
            if language or answers:  # its words are judged in the language it declares
                facts = _in_language(facts, language, plan.language if answers else None)
            if patients_labels:
                facts = _signals_with(facts, patient_labels=patients_labels)
            facts = _with_reasons(facts, data, index)
            facts = _with_visit_labels(facts, data, plan, index)
            if isinstance(facts, NoteFacts) and facts.key is None:  # kept per code: which resource said it
                facts = replace(facts, record=key)
            if isinstance(facts, PatientFacts) and key in plan.patient_labels:  # with those of records merged in
                facts = replace(facts, labels=tuple(dict.fromkeys([*facts.labels, *plan.patient_labels[key]])))
            kept = tuple(a for a in aliases if a != key)
            plan.steps.append(
                Step(entry.index, label(data), facts, kept, version, key if version[0] != EARLIEST else "")
            )


def _version(model, entry: RawEntry) -> tuple:
    """How recent the resource is among versions of it: when the server last changed it, its version number,
    then its place in the file (a later entry is newer, except in a `history` Bundle)."""
    meta = getattr(model, "meta", None)
    updated = getattr(meta, "lastUpdated", None) or EARLIEST
    if not FIRST_DAY <= updated.date() <= LAST_DAY:
        # A placeholder (.NET's DateTime.MinValue or MaxValue, in a local offset that UTC cannot even hold): no time
        # of change at all. Kept, it could not be stored and stopped the whole import.
        updated = EARLIEST
    number = getattr(meta, "versionId", None) or ""
    place = entry.index or 0
    return (updated, int(number) if number.isdigit() else -1, -place if entry.newest_first else place)


def _in_language(facts, language: str, file_language: str | None = None):
    """The facts with the record's language on what the privacy rules judge: an item's words, a visit's reason.
    For the patient's own words (`file_language` given, perhaps ""), with none of their own, the writer takes the
    language the patient speaks, else the file's."""
    patients_words = file_language is not None
    return _signals_with(facts, language=language, patients_words=patients_words, file_language=file_language or "")


def _signals_with(facts, **changes):
    """The facts with these changes to what the privacy rules judge: an item's words, a visit's reason."""
    for name in ("signals", "reason_signals"):
        if isinstance(getattr(facts, name, None), Signals):
            facts = replace(facts, **{name: replace(getattr(facts, name), **changes)})
    return facts


def _facts(model, key: str, refs: References, people: PractitionerIndex, story: StoryRules) -> list[Facts | str]:
    kind = model.get_resource_type()
    if kind == "Patient":
        return [patient_facts(model, key)]
    if kind == "Encounter":
        return [encounter_facts(model, key, refs, people)]
    if kind == "Appointment":
        return [appointment_facts(model, key, refs, people)]
    if kind == "Goal":
        return [goal_facts(model, key, refs, people)]
    if kind == "Observation":
        return [observation_note(model, refs, story)]
    if kind == "Flag":
        return [flag_note(model, key, refs)]
    if kind == "Communication":
        return [communication_note(model, key, refs)]
    if kind == "QuestionnaireResponse" and status_of(model.status) == "in-progress":
        return [NOT_SENT]
    if kind == "QuestionnaireResponse" and is_ours(model.questionnaire):  # our own questions: by linkId only
        return response_facts(model, key, refs)
    if kind == "QuestionnaireResponse":
        return questionnaire_facts(model, key, refs, story)
    return [f"type {kind} not used"]


def _order(step: Step) -> tuple:
    """Patients, then visits (so items find them), then practitioners (the clinicians the visits name are there to
    complete), then today's words before lasting goals (the agenda's order when the record gives none), each
    oldest first (so the latest value wins), and versions of one resource oldest first."""
    facts = step.facts
    if isinstance(facts, PatientFacts):
        return (0, EARLIEST, step.version)
    if isinstance(facts, VisitFacts):  # Appointments first: an Encounter may be the visit one booked
        return (1 if key_type(facts.key) == "Appointment" else 2, EARLIEST, step.version)
    if isinstance(facts, PractitionerFacts):
        return (3, EARLIEST, step.version)
    if isinstance(facts, PatientAnswerFacts):
        return (3, facts.when or EARLIEST, step.version)
    if isinstance(facts, NoteFacts):
        return (4, facts.observed_at or EARLIEST, step.version)
    if isinstance(facts, CareGoalFacts):
        return (7, facts.when or EARLIEST, step.version)
    if isinstance(facts, AnswersNow):  # after every item, so that no version's item is written after it
        return (8, facts.when or EARLIEST, step.version)
    if isinstance(facts, Deleted):  # last: what the file's other entries made of it is taken off too
        return (9, EARLIEST, step.version)
    return (5 if facts.scope is Scope.today else 6, facts.when or EARLIEST, step.version)
