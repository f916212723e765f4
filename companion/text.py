"""Rules for text a person types: kept exactly as written, within limits that are documented."""

from __future__ import annotations

import unicodedata

from companion.errors import CompanionError

MAX_TEXT = 2000
MAX_SHORT = 200


def clean_text(text: str | None, what: str, limit: int = MAX_TEXT) -> str:
    """Trim surrounding space and refuse empty, overlong or control-character text with a clear message."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise CompanionError(f"{what} is empty")
    if len(cleaned) > limit:
        raise CompanionError(f"{what} is {len(cleaned):,} characters; the limit is {limit:,}")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in cleaned):
        raise CompanionError(f"{what} contains control characters")
    return cleaned
