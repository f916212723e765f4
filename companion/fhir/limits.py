"""What one resource may hold before it is refused: a file is read from people's records systems, and one odd
entry (nested thousands of levels deep, a number of thousands of digits) must cost that entry, never the import.

Real FHIR nests about 10 levels (the Synthea and US Core examples); the limits leave room for far more."""

from __future__ import annotations

import json
import math

MAX_DEPTH = 64  # levels of objects and arrays inside a resource
MAX_DIGITS = 32  # digits in one number: a 64-bit integer has 19, a double about 17
MAX_STRING = 1_000_000  # characters in one text; an attachment's base64 `data` (a photo) may be longer
MAX_ENTRY_BYTES = 16_000_000  # one Bundle entry, one NDJSON line, or a whole single-resource file


class LimitError(ValueError):
    """A value this app refuses to read; its message is the reason for the report (it never quotes the value)."""


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS and sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        raise LimitError(f"a number with more than {MAX_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS and sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        raise LimitError(f"a number with more than {MAX_DIGITS} digits")
    value = float(text)
    if not math.isfinite(value):
        raise LimitError("a number out of range (larger than a double holds)")
    return value


def _constant(name: str) -> float:
    raise LimitError(f"a number out of range ({name} is not JSON)")


def _object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object; one naming a member twice is refused: which of the two a reader keeps differs from one
    program to the next, and the one dropped may be the security labels or the patient it is about."""
    found = dict(pairs)
    if len(found) != len(pairs):
        raise LimitError(TWICE)
    return found


TWICE = "an object names the same member twice (two `meta` or `subject`: which one counts cannot be known)"
# The standard library's parser (C, and floats exactly as json.loads gives them), with the number limits applied
# as each number is read: an integer is never converted from thousands of digits.
DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant, object_pairs_hook=_object)
# The standard library's parser as it is, for an entry whose resource is only counted (a Claim, an Immunization:
# companion.fhir.bundle). The checks above are a Python call per object and per number, two thirds of the time of
# parsing a Synthea record, and nothing such an entry holds is read: which of two same-named members it keeps, or a
# number out of range, changes nothing the app writes. An integer too long to convert at all (Python refuses over
# 4,300 digits) raises ValueError; the entry is then parsed again with the checks, which say which limit it breaks.
COUNTING = json.JSONDecoder()
DEEP = f"nested more than {MAX_DEPTH} levels deep"
NOT_UTF8 = "not UTF-8 text"


def loads(text: str) -> object:
    """One JSON text with the number limits; raises LimitError (also for nesting too deep to parse at all) or
    json.JSONDecodeError."""
    try:
        return DECODER.decode(text)
    except RecursionError:
        raise LimitError(DEEP) from None


def problem(resource: dict, brackets: int, size: int) -> str:
    """Why a parsed resource is refused, or "": nested too deep or a text too long. Only a resource whose text
    opens more objects and arrays than the depth allowed, or is longer than a text may be, is walked."""
    if brackets <= MAX_DEPTH and size <= MAX_STRING:
        return ""
    return _walk(resource, 1)


def _walk(node: dict | list, depth: int) -> str:
    """Depth first, by recursion that stops at MAX_DEPTH (so it never nears Python's own limit); the parser
    makes plain dicts and lists, so exact type checks suffice and keep it quick."""
    if depth > MAX_DEPTH:
        return DEEP
    pairs = node.items() if type(node) is dict else enumerate(node)
    for key, child in pairs:
        kind = type(child)
        if kind is dict or kind is list:
            if found := _walk(child, depth + 1):
                return found
        elif kind is str and len(child) > MAX_STRING and key != "data":
            return f"a text longer than {MAX_STRING:,} characters"
    return ""
