"""Slips of the keyboard: a private word typed with one letter left out, two swapped, one vowel for another, a letter
typed twice or one too many ("herion", "marijauna", "pregnent", "methamphetimine", "syphillis", "alchohol"). A nurse
types fast while rooming and a patient types on a phone: the words the phrases name alone must still be read
through one such slip.

Only the words English phrases name alone are read so ("heroin", "suicid*", "(methadone|suboxone|narcan)": named_alone),
of six letters or more, and only for a word no phrase uses and the rules do not name already. A word of eight letters
or more is also read as a word of a longer phrase it is one slip from ("restraning order", "paternty test",
"imigration hearing": PhraseWords); the text is then private only where the words beside it complete the phrase.
Many everyday words are one slip from a private one ("addition" from "addiction", "depart" from "deport", "condemn"
from "condom"): those of English and Spanish dictionaries are listed in sensitive.toml ([typing_slips] everyday),
generated from Debian's wamerican and wspanish word lists; a clinic adds the words of its own that read wrongly."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from companion.privacy.phrases import PhraseSet, normalize

SHORTEST = 6  # letters of a word read through a slip: shorter ones are one slip from too many others
LONGEST_ENDING = 3  # letters after a named stem: "suicidal" from "suicid*"; a longer ending makes another word
_VOWELS = "aeiouy"
_WORD = re.compile(rf"[^\W\d_]{{{SHORTEST - 1},}}")  # typed with a letter left out, "herin" is heroin
_ANY_WORD = re.compile(r"[^\W\d_]+")
_ONE_WORD = re.compile(r"[a-z]+\*?")
_CHOICE = re.compile(r"\(([^()]*)\)")
_PHRASE_WORD = re.compile(r"(?<![a-z'*-])[a-z]+(?![a-z'*-])")  # a whole word of a phrase, not a stem or a piece
# Letters of a typed word read as a word of a longer phrase: shorter English words are too often one slip from a
# phrase's word ("brand" from "brandy", "snoring" from "snorting", "sorted" from "snorted" hid 41 labelled texts).
IN_PHRASES_SHORTEST = 8
# Only English words are read through a slip. Spanish conjugates every verb by its vowels, and its forms are often one
# vowel from an English private word ("presiona" from "prison", "encanta" from "encinta"). In a text holding one of
# these small words (Spanish, or partly; none of them is an English word, "y" is in "45 y/o"), only a word longer than
# SHORTEST letters, with a letter left out, swapped or one too many, is read so: "intento de suicdio" is, "sucede"
# is not. Of the words of Debian's Spanish list, only the private words' own forms are read that way ("rapista").
_SPANISH = frozenset(
    ["el", "los", "las", "del", "que", "con", "por", "una", "para", "pero", "muy", "esta", "tiene", "hay", "le", "es"]
    + ["se", "su"]
)


def slips_of(word: str) -> set[str]:
    """The forms of `word` one slip away: a letter left out, two swapped, a vowel for another, a letter typed twice
    (a letter typed one too many is undone on the typed word instead: Slips.meant)."""
    forms = set()
    for at, letter in enumerate(word):
        forms.add(word[:at] + word[at + 1 :])
        if at + 1 < len(word) and letter != word[at + 1]:
            forms.add(word[:at] + word[at + 1] + letter + word[at + 2 :])
        if letter in _VOWELS:
            forms.update(word[:at] + vowel + word[at + 1 :] for vowel in _VOWELS if vowel != letter)
        forms.add(word[:at] + letter + word[at:])
    forms.discard(word)
    return forms


def phrase_words(phrase_sets: list[PhraseSet]) -> set[str]:
    """The whole words English phrases use beside others ("restraining" in "restraining order"), long enough to be read
    through a slip as typed (IN_PHRASES_SHORTEST, less the letter a slip may leave out); a stem written with `*` is
    not one ("apologi*")."""
    words = set()
    for phrases in phrase_sets:
        for number, source in enumerate(phrases.sources):
            if phrases.is_english(number):
                words.update(word for word in _PHRASE_WORD.findall(source) if len(word) >= IN_PHRASES_SHORTEST - 1)
    return words


def one_slip(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip as slips_of makes them, or with a letter typed one too many."""
    if len(typed) == len(word) - 1:
        typed, word = word, typed  # a letter left out is a letter one too many, the other way round
    if len(typed) == len(word) + 1:
        return any(typed[:at] + typed[at + 1 :] == word for at in range(len(typed)))
    if len(typed) != len(word):
        return False
    differ = [at for at in range(len(word)) if typed[at] != word[at]]
    if len(differ) == 1:
        return typed[differ[0]] in _VOWELS and word[differ[0]] in _VOWELS
    first, second = differ if len(differ) == 2 else (0, 0)
    return second == first + 1 and typed[first] == word[second] and typed[second] == word[first]


class PhraseWords:
    """`meant(typed)`: the word of a longer English phrase a typed word is one slip from ("restraning" in "restraning
    order", "paternty" in "paternty test"), or None, also when it could be two. The text is then private only where
    the words beside it complete the phrase. Its index holds each word and its forms with one letter left out (some
    18,000 entries, not every slip of every word): the typed word's own such forms find the words it could be, each
    checked to be one slip away."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        # The words of a form joined by spaces, not in lists: strings are no work for the garbage collector, and
        # 18,000 lists made by the thousand woke it so often that building the index took five times as long.
        self._shortened: dict[str, str] = {}
        for word in sorted(self._words):  # the same index whatever order the set iterates in
            for at in range(len(word)):
                form = word[:at] + word[at + 1 :]
                self._shortened[form] = f"{self._shortened[form]} {word}" if form in self._shortened else word

    def meant(self, typed: str) -> str | None:
        if len(typed) < IN_PHRASES_SHORTEST:
            return None
        shorter = {typed[:at] + typed[at + 1 :] for at in range(len(typed))}
        found = set(self._shortened.get(typed, "").split())  # a letter left out
        found.update(form for form in shorter if form in self._words)  # one too many
        found.update(word for form in shorter for word in self._shortened.get(form, "").split())  # swapped, a vowel
        # A letter more or less at the end is the word's other form, not a slip: "girlfriends" is not "girlfriend"
        # ("lives with her girlfriends from college"), nor "accident" "accidents".
        found = {
            word for word in found if one_slip(typed, word) and not (word.startswith(typed) or typed.startswith(word))
        }
        return found.pop() if len(found) == 1 else None


def named_alone(phrase_sets: Iterable[PhraseSet]) -> tuple[set[str], set[str]]:
    """The words English phrases name alone, each a phrase of one word or one of a choice of single words
    ("(methadone|suboxone|narcan)"), of SHORTEST letters or more: whole, and the stems written with `*`. A weak word's
    slip is read too: the text is then judged as any other, so it counts only beside a cue, as the word does."""
    words, stems = set(), set()
    for phrases in phrase_sets:
        for number, source in enumerate(phrases.sources):
            choice = _CHOICE.fullmatch(source)
            alone = choice.group(1).split("|") if choice else [source]
            if phrases.is_english(number) and all(_ONE_WORD.fullmatch(word) for word in alone):
                for word in alone:
                    if len(word.rstrip("*")) >= SHORTEST:
                        (stems if word.endswith("*") else words).add(word.rstrip("*"))
    return words, stems


class Slips:
    """`meant(word)`: the private word a typed word is one slip from, or None. Its index (every slip of every named
    word, some 18,000 forms) is made the first time a text needs it."""

    def __init__(
        self, phrase_sets: Iterable[PhraseSet], read_already: Callable[[str], bool], everyday: Iterable[str]
    ) -> None:
        phrase_sets = list(phrase_sets)
        self._named, self._starts = named_alone(phrase_sets)
        self._in_phrases = PhraseWords(phrase_words(phrase_sets) - self._named)
        self._read_already = read_already
        self._everyday = frozenset(normalize(word) for word in everyday)
        self._words: dict[str, str] = {}
        self._stems: dict[str, str] = {}
        for source, index in ((self._named, self._words), (self._starts, self._stems)):
            for word in sorted(source):  # the same index whatever order the set iterates in
                for form in slips_of(word):
                    index.setdefault(form, word)
        self._longest_stem = max(map(len, self._stems), default=0)
        self._longest_start = max(map(len, self._starts), default=0)

    def meant(self, word: str) -> str | None:
        """`word` (normalized) read as the named word it is one slip from; None for a word the rules read as it stands
        (one a phrase uses or names), and for an everyday word."""
        if len(word) < SHORTEST - 1 or not word.isascii() or not word.isalpha():
            return None
        if word in self._everyday or self._read_already(word):
            return None
        if word in self._words:
            return self._words[word]
        for length in range(SHORTEST - 1, min(len(word), self._longest_stem) + 1):
            if len(word) - length <= LONGEST_ENDING and word[:length] in self._stems:
                return self._stems[word[:length]] + word[length:]
        for at in range(len(word)):  # a letter typed one too many, inside the named word or stem
            without = word[:at] + word[at + 1 :]
            if self._named_with_ending(without, at + 1):
                return without
        return self._in_phrases.meant(word)

    def _named_with_ending(self, word: str, reaching: int) -> bool:
        """Whether `word` is a named word, or a named stem of at least `reaching` letters with a short ending."""
        if word in self._named:
            return True
        longest = min(len(word), self._longest_start)
        return any(
            word[:length] in self._starts and len(word) - length <= LONGEST_ENDING
            for length in range(max(SHORTEST, reaching), longest + 1)
        )


def mistyped(text: str, meant: Callable[[str], str | None]) -> str | None:
    """The text with each word one slip from a named word read as that word (Slips.meant), or None when none is (or
    only a vowel for another is, in a text that is Spanish or partly)."""
    spanish = any(word.casefold() in _SPANISH for word in _ANY_WORD.findall(text))

    def read(match: re.Match[str]) -> str:
        typed = normalize(match.group(0))
        word = meant(typed)
        if word is None or (spanish and (len(typed) <= SHORTEST or _vowel_for_vowel(typed, word))):
            return match.group(0)
        return word

    read_again = _WORD.sub(read, text)
    return read_again if read_again != text else None


def _vowel_for_vowel(typed: str, word: str) -> bool:
    """Whether the slip from `word` to `typed` is one vowel typed for another (both as long, one letter apart)."""
    return len(typed) == len(word) and sum(a != b for a, b in zip(typed, word, strict=True)) == 1
