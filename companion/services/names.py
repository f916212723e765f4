"""A person's name as it is typed (a patient's recorded name, a clinician's, a note's author) shows on every screen:
one that carries a private remark ("Jane Roe (HIV clinic pt)", "Dr. Kim, methadone program") is refused rather
than shortened behind the typist's back, who can put the remark in a note, where it stays private. Imported
names are shortened instead (companion.fhir.writer): nobody is there to ask."""

from __future__ import annotations

import re
import unicodedata

from companion.errors import CompanionError
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text

# The joiners Persian and the Indic scripts need inside a name (ZWNJ, ZWJ). Every other format character, and the
# combining grapheme joiner, draws nothing: inside a name it makes two people who read the same on a list (one with
# an invisible separator, or words spelled in tag characters that no screen shows and an export carries along).
NAME_JOINERS = "\u200c\u200d"
INVISIBLE_MARK = "\u034f"
# The three alphabets whose letters look alike ("a" and Cyrillic "а", "o" and Greek "ο").
LOOK_ALIKE_ALPHABETS = ("LATIN", "GREEK", "CYRILLIC")
_LETTERS = re.compile(r"[^\W\d_]+")


def typed_name(text: str, what: str) -> str:
    """A name a person types (a patient's, a clinician's, an author's): cleaned as any short text, and refused
    when it holds a tab, a character that shows nothing, or a word whose letters come from two of the alphabets
    that look alike. Such a name reads as another one on every list (a Cyrillic "а" in "Kate"), and is never
    what was meant: retyping it gives the name itself. The message names the field, never the name."""
    name = clean_text(text, what, MAX_SHORT)
    if "\t" in name:
        raise CompanionError(f"{what} has a tab; put a space between the words")
    if any(_draws_nothing(name, at) for at in range(len(name))):
        raise CompanionError(f"{what} holds characters that show nothing (pasted with it); type the name again")
    if any(len(_alphabets(word)) > 1 for word in _LETTERS.findall(name)):
        raise CompanionError(
            f"{what} mixes letters of two alphabets in one word (Latin, Greek, Cyrillic), so it would look like "
            "another name; type it again in one alphabet"
        )
    return name


def _draws_nothing(name: str, at: int) -> bool:
    """A format character or the grapheme joiner; a joiner too, unless it joins two letters of a script that uses
    it (between Latin letters, or at a word's edge, it changes nothing on screen)."""
    char = name[at]
    if char in NAME_JOINERS:
        around = name[at - 1 : at] + name[at + 1 : at + 2]
        return len(around) < 2 or not all(_joinable(letter) for letter in around)
    return char == INVISIBLE_MARK or unicodedata.category(char) == "Cf"


def _joinable(char: str) -> bool:
    """A letter or mark (the virama before a ZWJ in Devanagari) of a script other than the three."""
    return unicodedata.category(char)[0] in "LM" and not _alphabets(char)


def _alphabets(word: str) -> set[str]:
    found = (unicodedata.name(letter, "").split(" ", 1)[0] for letter in word)
    return {alphabet for alphabet in found if alphabet in LOOK_ALIKE_ALPHABETS}


def shown_name(store: Store, text: str, what: str) -> str:
    """A typed name (typed_name), refused when the privacy rules would leave words of it out. The message names
    the field, never the words (others may see the screen, and the terminal's history keeps them)."""
    name = typed_name(text, what)
    if store.content.privacy.public_name(name) != name:
        raise CompanionError(
            f"{what[0].upper()}{what[1:]} would show private words on every screen; write them in a note instead, "
            "where they stay private"
        )
    return name
