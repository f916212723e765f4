"""Rules for what a person types or chooses: kept exactly as written, within limits that are documented."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date
from enum import Enum
from typing import TypeVar

from companion.errors import CompanionError

MAX_TEXT = 2000
MAX_SHORT = 200
MAX_DAYS = 36_500  # a hundred years: any span of days longer is a typing slip
MAX_PAUSE_SECONDS = 300  # a focus ritual's pause, a clinician's own or the clinic's ritual.toml
MAX_RITUAL_STEPS = 8  # a focus ritual's steps, a clinician's own or ritual.toml's: short enough for the door
# The days a visit may be on, wherever it comes from (the command line, a schedule, a health record): within them
# every day's list can show it, and date arithmetic over a hundred years stays clear of datetime's limits.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
# Line breaks would break the one-line rows of the glance; bidi embeddings and overrides could make a
# fact read backwards (U+202E turns "night" into "thgin"). Isolates are added by the window where needed.
LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Direction marks: invisible, yet they reorder the numbers around them ("10 20 mg" shows as "20 10 mg"), inside a
# text and at its start alike once it stands in a line of other text (the pasted summary, the handout). A
# right-to-left keyboard puts one at either end: dropped there (the window isolates every text in its own
# direction), refused inside.
DIRECTION_MARKS = "\u200e\u200f\u061c"
# Letters that draw nothing (the Hangul fillers, Braille's blank): with format and combining characters and spaces,
# a text made only of these looks empty on screen (and inside a word, the privacy rules read past them).
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"

Choice = TypeVar("Choice", bound=Enum)


# Characters that show nothing and mean nothing in anyone's words (a zero-width space, a soft hyphen pasted from a
# web page, a word joiner, a byte-order mark): dropped, so "Ann\u200bLee" is not a second patient "Ann Lee" and a
# word split by one reads as the word. The joiners some scripts need (U+200C, U+200D, in emoji too) stay.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"))


def as_kept(text: str) -> str:
    """What is kept of typed text: without invisible characters, and without the space and direction marks at
    either end."""
    return text.translate(INVISIBLE).strip().strip(DIRECTION_MARKS).strip()


def shows_nothing(text: str) -> bool:
    """Nothing a reader would see: blank, or only invisible characters, blank letters, spaces and marks with no
    letter to sit on (a Hangul filler a Korean keyboard types for a blank, an accent typed alone)."""
    return all(ch in BLANK_LETTERS or unicodedata.category(ch) in ("Cf", "Mn", "Me", "Zs") for ch in as_kept(text))


def clean_text(text: str | None, what: str, limit: int = MAX_TEXT) -> str:
    """Keep the text as typed but for what shows nothing (as_kept), and refuse empty, overlong, multi-line or
    control-character text clearly."""
    cleaned = as_kept(text or "")
    if not cleaned:
        raise CompanionError(f"{what} is empty")
    if len(cleaned) > limit:
        raise CompanionError(f"{what} is {len(cleaned):,} characters; the limit is {limit:,}")
    if any(ch in LINE_BREAKS for ch in cleaned):
        raise CompanionError(f"{what} has a line break; write it on one line")
    if any(ch in BIDI_CONTROLS or ch in DIRECTION_MARKS for ch in cleaned):
        raise CompanionError(f"{what} contains text-direction control characters")
    if shows_nothing(cleaned):
        raise CompanionError(f"{what} is empty: it holds only characters that show nothing")
    if any(unicodedata.category(ch) == "Cc" and ch != "\t" for ch in cleaned):
        raise CompanionError(f"{what} contains control characters")
    return cleaned


def terminal_safe(text: str) -> str:
    """Text from outside (a file's name, an imported resource's id or extension) as a terminal shows it and no more:
    control characters, line breaks included, and text-direction controls written as escapes, so a file cannot set
    the terminal's title, colours or cursor, add a line of its own ("companion: error: ...") or make a line read
    backwards."""
    return "".join(map(_escaped, text))


def _escaped(ch: str) -> str:
    if ch == "\t" or not (ch in BIDI_CONTROLS or ch in DIRECTION_MARKS or unicodedata.category(ch) == "Cc"):
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def parse_choice(kind: type[Choice], value: str, what: str) -> Choice:
    """One of a fixed set of words, or a message that lists them."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        # Not echoed: a note's words typed into the wrong option (--kind, --source) would be printed and logged.
        raise CompanionError(f"unknown {what}; use {choices}") from None


ELLIPSIS = "…"
_LOOSE_END = " \t,;:-\u2013\u2014(/"


def shorten_at_word(text: str, limit: int) -> str:
    """At most `limit` characters, ending after a whole word with "…", so a glance never shows half a word. An
    unfinished bracket near the end goes whole: "I do not have housing (staying with…" reads "I do not have
    housing…". Only a single word longer than the limit is cut inside it."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 1)
    kept = text[:room]
    if not text[room].isspace():  # the cut falls inside a word: keep the words before it
        space = max(kept.rfind(" "), kept.rfind("\t"))
        kept = kept[:space] if space > 0 else kept
    opened = kept.rfind("(")
    if opened > kept.rfind(")") and opened >= room // 4:
        kept = kept[:opened]
    return (kept.rstrip(_LOOSE_END) or text[:room]) + ELLIPSIS


def shorten_keeping_answer(text: str, limit: int) -> str:
    """A "question: answer" fact shortened in its question, so the answer is read whole ("Within the past 12 months
    the food we bought just…: Often true"). A fact of several parts ("Occupation: Nurse; Industry: Home care")
    keeps the parts that fit whole. Any other text is cut at a word boundary (shorten_at_word)."""
    if len(text) <= limit:
        return text
    parts = text.split("; ")
    if len(parts) > 1:
        kept = parts[0]
        for part in parts[1:]:
            if len(kept) + 2 + len(part) + len(ELLIPSIS) > limit:
                break
            kept += "; " + part
        if len(kept) + len(ELLIPSIS) <= limit:
            return kept + ELLIPSIS
        text = parts[0]
    cut = max(text.rfind(": "), text.rfind("? "))
    if cut > 0:
        question, sep, answer = text[:cut], text[cut : cut + 2], text[cut + 2 :]
        room = limit - len(sep) - len(answer)
        if answer and room >= limit // 3:
            return shorten_at_word(question, room) + sep + answer
    return shorten_at_word(text, limit)


# An HTML character reference, written out to its semicolon ("&oacute;", "&#39;", "&#x27;"). Without one ("AT&T",
# "salt &not sugar") it is a person's own ampersand, which HTML's lenient reading would turn into "¬".
CHARACTER_REFERENCE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def with_references_read(text: str) -> str:
    """Text some records escape as HTML ("golpe&oacute;", "Teacher&#39;s aide") as the letters it stands for."""
    return CHARACTER_REFERENCE.sub(lambda found: html.unescape(found.group()), text) if "&" in text else text
