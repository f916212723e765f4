"""Validating resources with fhir.resources' R4B models one at a time, so one bad entry never sinks its file,
and reporting a bad one by file, entry and id, never by what it says (it may name the patient)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from fhir.resources.R4B import fhirtypes, get_fhir_model_class
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from companion.services.booking import in_the_skipped_hour

# The types this app reads; others (Claim, Immunization...) are counted as not used, and not validated.
USED_TYPES = frozenset(
    {
        "Patient",
        "Practitioner",
        "Encounter",
        "Appointment",
        "QuestionnaireResponse",
        "Goal",
        "Observation",
        "Flag",
        "Communication",
    }
)
_USED_FOLDED = frozenset(kind.casefold() for kind in USED_TYPES)  # a type it uses, written in another case
# Elements of a used type that nothing here reads, left out before validating (never a modifier element): a visit
# is not refused for a malformed Location or billing organisation the app would never show, and a record's hundreds
# of Encounters validate in less time.
UNREAD_ELEMENTS = {
    "Encounter": frozenset(
        {
            "location",
            "serviceProvider",
            "hospitalization",
            "account",
            "episodeOfCare",
            "basedOn",
            "partOf",
            "length",
            "priority",
            "statusHistory",
            "classHistory",
            "diagnosis",
        }
    ),
}
# What a reference this app follows can name (a subject, an encounter, a participant, who expressed a goal):
# only these are indexed in the first pass, not the thousands of Observations a bulk export holds.
REFERENCED = frozenset(
    {
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "RelatedPerson",
        "Encounter",
        "Appointment",
        "Group",
        "Device",
        "Location",
        "Organization",
        "HealthcareService",
        "Condition",  # a message's reasonReference: its codes and words say what the message is about
    }
)
# R4 resources R4B took out (the models here are R4B's): a record may still send them, and they are FHIR types.
R4_ONLY_TYPES = frozenset(
    [
        "EffectEvidenceSynthesis",
        "MedicinalProduct",
        "MedicinalProductAuthorization",
        "MedicinalProductContraindication",
        "MedicinalProductIndication",
        "MedicinalProductIngredient",
        "MedicinalProductInteraction",
        "MedicinalProductManufactured",
        "MedicinalProductPackaged",
        "MedicinalProductPharmaceutical",
        "MedicinalProductUndesirableEffect",
        "RiskEvidenceSynthesis",
        "SubstanceNucleicAcid",
        "SubstancePolymer",
        "SubstanceProtein",
        "SubstanceReferenceInformation",
        "SubstanceSourceMaterial",
        "SubstanceSpecification",
    ]
)
MAX_REASON = 240
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR R4's id datatype
# A time of day with no zone: FHIR requires one (a dateTime with a time, an instant), some systems leave it out.
ZONE_LESS_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?")


@dataclass(frozen=True)
class Skip:
    """A resource that was not imported, and why: file, entry (or NDJSON line), resource id, reason. `part`: only
    a part of it was not (an answer to a question the app's questionnaire does not have); the rest was."""

    file: str
    entry: int | None
    resource: str
    reason: str
    ndjson: bool = False
    part: bool = False

    @property
    def number(self) -> int | None:
        """The entry counted from 1, as NDJSON lines are (a Bundle's entries are indexed from 0 when read)."""
        if self.entry is None:
            return None
        return self.entry if self.ndjson else self.entry + 1

    def where(self, file: str | None = None) -> str:
        """Where it was: the file (or `file`, how the window names it: by number, never by its name) and entry."""
        file = self.file if file is None else file
        if self.entry is None:
            return file
        return f"{file}, {'line' if self.ndjson else 'entry'} {self.number}"

    def line(self, file: str | None = None) -> str:
        return f"{self.where(file)} ({self.resource}): {self.reason}"

    def to_json(self) -> dict:
        return {"file": self.file, "entry": self.number, "resource": self.resource, "reason": self.reason}


def label(data: dict) -> str:
    """`Observation/abc`, or `Observation (no id)`: how a report names a resource. A type or id that is not one
    FHIR allows is not echoed: a sender's typing there could be anything, a name or a diagnosis."""
    kind = data.get("resourceType")
    if not (isinstance(kind, str) and kind.casefold() in _types_folded()):  # a type in another case is named
        kind = "resource of no FHIR R4 type"
    rid = data.get("id")
    if rid is None or rid == "":
        return f"{kind} (no id)"
    return f"{kind}/{rid}" if isinstance(rid, str) and FHIR_ID.fullmatch(rid) else f"{kind} (its id is not a FHIR id)"


@cache
def _type_names() -> frozenset[str]:
    """Every FHIR R4 type's name: R4B's type declarations (so telling a Claim costs no import of Claim's model),
    and R4's that R4B dropped."""
    declared = (name.removesuffix("Type") for name in dir(fhirtypes) if name.endswith("Type"))
    return frozenset((*declared, *R4_ONLY_TYPES))


@cache
def _types_folded() -> frozenset[str]:
    """The same in small letters ("communication" names a type, in the wrong case)."""
    return frozenset(name.casefold() for name in _type_names())


def fhir_type(kind: object) -> str | None:
    """`kind` when it names a FHIR R4 type (Claim, Patient...), else None."""
    return kind if isinstance(kind, str) and kind in _type_names() else None


def unused_type(kind: str) -> bool:
    """A FHIR type this app never validates (a Claim, an Immunization): counted as not used from its type alone.
    Not "communication" (a type it uses, in the wrong case) nor words that are no type (they could be a name):
    those are validated, and reported as skipped."""
    return kind not in USED_TYPES and fhir_type(kind) is not None and kind.casefold() not in _USED_FOLDED


def validate(data: dict) -> Resource | str:
    """The R4B model of the resource, or the reason it cannot be used."""
    try:
        model_class = get_fhir_model_class(data["resourceType"])
    except (KeyError, ValueError):
        return "not a FHIR resource type"
    modifier = modifier_extension(data)
    if modifier:
        # FHIR: a modifier extension may change the meaning of everything else; one we do not know must not be
        # read as if it were absent.
        return f"it carries a modifier extension this app does not understand ({modifier[:120]})"
    if data.get("implicitRules"):
        # FHIR: rules the resource was written under that change how it must be read; unknown ones, the same
        return f"it was written under rules this app does not know (implicitRules {str(data['implicitRules'])[:120]})"
    if data.get("resourceType") == "QuestionnaireResponse":
        data = _blank_answers_left_out(data)
    if unread := UNREAD_ELEMENTS.get(data["resourceType"]):
        data = {element: value for element, value in data.items() if element not in unread}
    try:
        return model_class.model_validate(data)
    except ValidationError as exc:
        zoned = _in_the_clinics_zone(data, exc)
        if zoned is None:
            return _reason(exc, data)
        try:
            return model_class.model_validate(zoned)
        except ValidationError as still:
            return _reason(still, data)
    except (TypeError, ValueError) as exc:  # fhir.resources raises these for some malformed values
        return f"not valid FHIR R4 ({type(exc).__name__})"
    except KeyError:  # fhir_core looks a contained resource's type up in a table and lets a missing one escape
        return "not valid FHIR R4: contained: a resource of a type FHIR R4 does not have"


def _blank_answers_left_out(data: dict) -> dict:
    """A response whose boxes left empty a portal sent as "" (FHIR forbids an empty string, portals send it): those
    answers are left out, as the check-in screen leaves an empty box out, rather than every answer of the response
    refused with them."""
    items = data.get("item")
    if not isinstance(items, list):
        return data
    kept = _items_without_blanks(items)
    return data if kept == items else {**data, "item": kept}


def _is_blank_answer(answer) -> bool:
    if not isinstance(answer, dict):
        return False
    values = [value for key, value in answer.items() if key.startswith("value")]
    return len(values) == 1 and isinstance(values[0], str) and not values[0].strip() and not answer.get("item")


def _items_without_blanks(items: list) -> list:
    kept = []
    for item in items:
        if not isinstance(item, dict):
            kept.append(item)
            continue
        item = dict(item)
        if isinstance(item.get("item"), list):
            item["item"] = _items_without_blanks(item["item"])
        if isinstance(item.get("answer"), list):
            answers = [
                {**a, "item": _items_without_blanks(a["item"])}
                if isinstance(a, dict) and isinstance(a.get("item"), list)
                else a
                for a in item["answer"]
                if not _is_blank_answer(a)
            ]
            if answers:
                item["answer"] = answers
            else:
                del item["answer"]  # FHIR: an item answered with nothing has no answer, not an empty list
        kept.append(item)
    return kept


def _in_the_clinics_zone(data: dict, exc: ValidationError) -> dict | None:
    """The resource with each time refused only for lacking its zone read on the clinic's clock (this computer's
    zone, whose offset that day it is given), as a schedule exported with local times means it; None when
    anything else is wrong with it (then the first reason is reported)."""
    fixed = copy.deepcopy(data)
    for error in exc.errors(include_url=False, include_context=False):
        *path, name = error["loc"] or (None,)
        value = error.get("input")
        if not isinstance(value, str) or not ZONE_LESS_TIME.fullmatch(value):
            return None
        node = fixed
        try:
            for step in path:
                node = node[step]
            if node[name] != value:
                return None
            node[name] = _on_the_clinics_clock(datetime.fromisoformat(value)).isoformat()
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return fixed


def _on_the_clinics_clock(naive: datetime) -> datetime:
    """A time without its zone, with this computer's offset that day. One in the hour the clocks skip in spring
    (02:30 where 02:00 becomes 03:00) moves on past the gap, as calendars do, to 03:30: Python's own reading
    takes it back to 01:30, which near midnight is the day before (Santiago skips 00:00 to 01:00)."""
    return naive.replace(fold=1).astimezone() if in_the_skipped_hour(naive) else naive.astimezone()


def modifier_extension(node: object) -> str:
    """The url of the first modifierExtension anywhere in the resource, or "". Only objects and lists are looked
    into: a resource holds a few thousand texts and numbers, and a call for each was most of the time this took."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "modifierExtension" and value:
                first = value[0] if isinstance(value, list) else value
                return str(first.get("url", "?")) if isinstance(first, dict) else "?"
            if key != "contained" and isinstance(value, (dict, list)) and (found := modifier_extension(value)):
                return found
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)) and (found := modifier_extension(item)):
                return found
    return ""


# The shape of FHIR's element names (camelCase letters and digits, "_birthDate" for a primitive's extension): a
# member named otherwise is not repeated in a report, since a sender can name a member with anything, a patient too.
ELEMENT_NAME = re.compile(r"_?[A-Za-z][A-Za-z0-9]{0,63}")
UNKNOWN_MEMBER = "(a member FHIR does not have)"


def _where(error: dict) -> str:
    """Where pydantic found the problem, by element names ("effectivePeriod.stop": a typo the sender can fix) and
    list indexes; a member named any other way ("Jane Doe HIV+") is not repeated."""
    steps = [p if isinstance(p, int) or ELEMENT_NAME.fullmatch(str(p)) else UNKNOWN_MEMBER for p in error["loc"]]
    return ".".join(str(step) for step in steps)


def _reason(exc: ValidationError, data: dict) -> str:
    """Where and what, from pydantic's own words, without the offending value (it could be a name); first, when the
    resource is written as an older FHIR release, which one, so whoever exported it knows what to ask for."""
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    parts = [f"{_where(error) or 'resource'}: {error['msg']}" for error in errors[:2]]
    more = f" (and {len(errors) - 2} more)" if len(errors) > 2 else ""
    release = older_release(data)
    older = f" (written as FHIR {release}: export it as R4)" if release else ""
    return (f"not valid FHIR R4{older}: " + "; ".join(parts) + more)[:MAX_REASON]


# Elements of the types this app reads that only an older release has, each with the release (DSTU2 is 1.0, STU3 is
# 3.0; R4 renamed or removed them). Looked at only for a resource R4 refused: the reason then says which release the
# sender exported, the usual cause of a whole file refused.
_OLDER_ELEMENTS = {
    "Patient": {"careProvider": "DSTU2", "animal": "STU3 or DSTU2"},
    "Practitioner": {"practitionerRole": "DSTU2"},
    "Encounter": {"patient": "DSTU2", "indication": "DSTU2", "fulfills": "DSTU2", "incomingReferral": "STU3"},
    "Appointment": {"incomingReferral": "STU3", "indication": "STU3", "type": "DSTU2"},
    "Goal": {"status": "STU3 or DSTU2"},
    "Observation": {"context": "STU3", "comment": "STU3", "comments": "DSTU2"},
    "Communication": {"context": "STU3", "definition": "STU3", "notDone": "STU3"},
    "QuestionnaireResponse": {"context": "STU3", "parent": "STU3", "group": "DSTU2"},
}


def older_release(data: dict) -> str:
    """The older FHIR release a resource is written as ("DSTU2", "STU3"), or "" when nothing says so."""
    kind = data.get("resourceType")
    for element, release in _OLDER_ELEMENTS.get(kind, {}).items():
        if element in data:
            return release
    names = data.get("name")
    listed = names if isinstance(names, list) else []
    if kind == "Patient" and any(isinstance(name, dict) and isinstance(name.get("family"), list) for name in listed):
        return "DSTU2"  # family names as a list
    if kind == "Practitioner" and isinstance(names, dict):
        return "DSTU2"  # one name, not a list of them
    if kind == "Encounter" and isinstance(data.get("class"), str):
        return "DSTU2"  # a code, not a Coding
    return ""
