"""What the import can count as not used from a resource's JSON alone, before validation: a type this app never
reads (Claim, Immunization...), and an Observation outside social history and the story's lists (vital signs,
labs, most of a Synthea record). Validating them would cost most of an import and change nothing it writes.

A resource counted here is not validated, so a malformed one of these is counted as not used, never reported as
skipped: the report's skipped lines are for what the app would have used. When the JSON is not plainly shaped
(a category that is not a list, a code that is not a FHIR code...), nothing is decided here: the resource is
validated and mapped as any other, so what it becomes is decided as before (companion.fhir.fact_map)."""

from __future__ import annotations

import re

from companion.fhir.entries import RawEntry
from companion.fhir.fact_map import NOT_SOCIAL, SOCIAL_CATEGORIES
from companion.fhir.parse import unused_type
from companion.fhir.profile import LOINC
from companion.fhir.story import StoryRules

CODE = re.compile(r"[^\s]+(?:\s[^\s]+)*")  # FHIR's `code`: no space at either end, single spaces inside

Pairs = list[tuple[str, str]]


def not_used(data: dict, story: StoryRules) -> str:
    """How the report counts a resource the app would not use whatever else it holds ("Claim", "Observation (not
    social history)"), or "" when it must be validated and mapped to tell."""
    kind = data["resourceType"]
    if unused_type(kind):
        return kind
    if kind == "Observation" and _outside_story(data, story):
        return f"{kind} ({NOT_SOCIAL})"
    return ""


def kept_for_second_pass(entry: RawEntry, story: StoryRules) -> RawEntry:
    """An entry of a file read once and kept for its second pass: one the app will not use is kept as its count
    alone, so a Synthea record keeps its few patients and visits, not its claims and labs."""
    if entry.problem or entry.data is None:
        return entry
    unused = not_used(entry.data, story)
    return RawEntry(entry.index, None, unused=unused) if unused else entry


def _outside_story(observation: dict, story: StoryRules) -> bool:
    """observation_note's first test on the JSON: neither a social-history category nor a question code or
    category the story lists. False whenever the JSON leaves any doubt."""
    categories: Pairs = []
    listed = observation.get("category")
    if listed is not None:
        if not isinstance(listed, list):
            return False
        for concept in listed:
            pairs = _codings(concept)
            if pairs is None:
                return False
            categories += pairs
    question = _codings(observation.get("code"))
    if not question:  # no code, or words alone: the mapping names the question by its words
        return False
    codes = [code for _system, code in categories]
    bare = next((code for system, code in question if system == LOINC), question[0][1])  # as fact_map.code_key
    return not any(code in SOCIAL_CATEGORIES for code in codes) and not story.concerns(bare, codes)


def _codings(concept: object) -> Pairs | None:
    """(system, code) of each coding with a code, as values.codings reads a validated CodeableConcept; None when
    the JSON is not a CodeableConcept with plain string codes."""
    if not isinstance(concept, dict):
        return None
    codings = concept.get("coding")
    if codings is None:
        return []
    if not isinstance(codings, list):
        return None
    pairs: Pairs = []
    for coding in codings:
        if not isinstance(coding, dict):
            return None
        system, code = coding.get("system"), coding.get("code")
        if system is not None and not isinstance(system, str):
            return None
        if code is None:
            continue
        if not isinstance(code, str) or not CODE.fullmatch(code):
            return None
        pairs.append((system or "", code))
    return pairs
