"""Rules for what a person types or chooses: kept exactly as written, within limits that are documented."""

from __future__ import annotations

import unicodedata
from enum import Enum
from typing import TypeVar

from companion.errors import CompanionError

MAX_TEXT = 2000
MAX_SHORT = 200
MAX_DAYS = 36_500  # a hundred years: any span of days longer is a typing slip
# Line breaks would break the one-line rows of the glance; bidi embeddings and overrides could make a
# fact read backwards (U+202E turns "night" into "thgin"). Isolates are added by the window where needed.
LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

Choice = TypeVar("Choice", bound=Enum)


def clean_text(text: str | None, what: str, limit: int = MAX_TEXT) -> str:
    """Trim surrounding space and refuse empty, overlong, multi-line or control-character text clearly."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise CompanionError(f"{what} is empty")
    if len(cleaned) > limit:
        raise CompanionError(f"{what} is {len(cleaned):,} characters; the limit is {limit:,}")
    if any(ch in LINE_BREAKS for ch in cleaned):
        raise CompanionError(f"{what} has a line break; write it on one line")
    if any(ch in BIDI_CONTROLS for ch in cleaned):
        raise CompanionError(f"{what} contains text-direction control characters")
    if any(unicodedata.category(ch) == "Cc" and ch != "\t" for ch in cleaned):
        raise CompanionError(f"{what} contains control characters")
    return cleaned


def parse_choice(kind: type[Choice], value: str, what: str) -> Choice:
    """One of a fixed set of words, or a message that lists them."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise CompanionError(f"unknown {what} {value!r}; use {choices}") from None
