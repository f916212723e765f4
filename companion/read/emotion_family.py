"""Which emotion a cue names, so the NURSE phrases on the glance fit it (resources/content/emotions.toml).

A cue is a few words a nurse typed: "tearful talking about her late husband", "no está preocupada". Each family
(worry and fear, sadness and grief, anger and frustration, overwhelm, shame, hope) has words in each language,
written in the lexicon's small language (companion.privacy.phrases: whole words, any case or accents, `*` for any
ending). A cue is read in four steps:

1. A word does not count when a negation stands before it in the same clause, at most `REACH` words before ("not
   worried", "no está nada preocupada", "denies feeling sad"), unless a `keep` word stands between them ("can't
   stop crying", "no deja de llorar"). A family's phrase may hold its own negation ("no se siente capaz").
2. A word inside a longer phrase of another family gives way to it: "lost hope" is sadness, not hope.
3. The emotion named first wins: "worried about the scan and tearful" is worry.
4. No family: the neutral phrases (nurse.toml), never a guess.

The phrases are in the language of the words that matched (a negated word tells the language too); with none, in
the language of which the cue holds more common words; else in the fallback language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from companion.privacy.anchor_index import AnchorIndex
from companion.privacy.phrases import PhraseSet, normalize, runs_shortened
from companion.text import MAX_SHORT, clean_text

NURSE_KEYS = ("name", "understand", "respect", "support", "explore")
PHRASE_KEYS = (*NURSE_KEYS, "wish", "more")
REACH = 3  # words between a negation and the word it turns: "not at all worried", "doesn't seem to be worried"
CACHE_SIZE = 1024  # cues read again on every glance switch are read once

_TOKEN = re.compile(r"[\w']+")
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]{}/|\"\u2013\u2014]|\s-\s")


@dataclass(frozen=True)
class Phrases:
    """What the checklist shows for one emotion in one language: a phrase for each NURSE step, VitalTalk's
    "I wish ..." statement and "Tell me more"."""

    steps: Mapping[str, str]
    wish: str
    more: str

    @classmethod
    def from_table(cls, table: Mapping, where: str) -> Phrases:
        missing = [key for key in PHRASE_KEYS if not isinstance(table.get(key), str) or not table[key].strip()]
        if missing:
            raise ValueError(f"{where} lacks the phrases {', '.join(missing)}")
        # Shown on the glance as one line of plain text, as anything typed is: a clinic's file is held to the same.
        said = {key: clean_text(table[key], f"{where} {key}", MAX_SHORT) for key in PHRASE_KEYS}
        return cls({key: said[key] for key in NURSE_KEYS}, said["wish"], said["more"])


@dataclass(frozen=True)
class Reading:
    """What a cue names: a family ("" when none is known), its label, and the phrases in the cue's language."""

    family: str
    label: str
    language: str
    phrases: Phrases


@dataclass(frozen=True)
class _Grammar:
    """A language's small words: negations, what undoes one ("stop"), what ends a clause ("but"), common words."""

    negations: frozenset[str]
    keep: tuple[str, ...]
    breaks: frozenset[str]
    common: frozenset[str]


@dataclass(frozen=True)
class _Words:
    family: str
    language: str
    words: PhraseSet
    exceptions: PhraseSet


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    order: int  # the family's place in the file: the last tie-break
    family: str
    language: str
    negated: bool

    def inside(self, other: _Match) -> bool:
        """Within a longer match of another family ("hope" in "lost hope")."""
        return (
            other.family != self.family
            and other.start <= self.start
            and self.end <= other.end
            and other.end - other.start > self.end - self.start
        )


class EmotionLexicon:
    """`read(cue)` names the cue's emotion family and its phrases. Built when the content loads, so a clinic's
    mistake is named when the app starts."""

    def __init__(self, spec: Mapping, neutral: Mapping[str, Phrases]) -> None:
        self.fallback = str(spec.get("fallback_language", "en"))
        if self.fallback not in neutral:
            raise ValueError(f"nurse.toml has no neutral phrases in {self.fallback!r}, the fallback language")
        self.neutral = dict(neutral)
        self._grammar = {language: _grammar(table) for language, table in spec.get("languages", {}).items()}
        self.labels: dict[str, str] = {}
        self._phrases: dict[tuple[str, str], Phrases] = {}
        self._sets: list[_Words] = []
        for family, table in spec.get("families", {}).items():
            if not isinstance(table, Mapping) or not str(table.get("label", "")).strip():
                raise ValueError(f"emotions.toml family {family!r} has no label")
            self.labels[family] = clean_text(str(table["label"]), f"emotions.toml family {family!r} label", MAX_SHORT)
            for language, words in table.get("languages", {}).items():
                where = f"emotions.toml [families.{family}.languages.{language}]"
                if any(key in words for key in PHRASE_KEYS):
                    self._phrases[(family, language)] = Phrases.from_table(words, where)
                self._sets.append(_Words(family, language, _set(words, "words", where), _set(words, "except", where)))
            if (family, self.fallback) not in self._phrases:
                raise ValueError(f"emotions.toml family {family!r} has no phrases in {self.fallback!r}")
        self._order = {family: number for number, family in enumerate(self.labels)}
        # Each phrase is tried only on a cue that holds one of its anchors (as companion.privacy.lexicon does).
        self._anchors = AnchorIndex([words.words for words in self._sets])
        self._cache: dict[str, Reading] = {}

    def read(self, cue: str) -> Reading:
        reading = self._cache.get(cue)
        if reading is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            reading = self._cache[cue] = self._read(cue)
        return reading

    def _read(self, cue: str) -> Reading:
        folded = runs_shortened(normalize(cue))
        matches = self._matches(folded)
        counted = [m for m in matches if not m.negated]
        counted = [m for m in counted if not any(m.inside(other) for other in counted)]
        told = self._language_of(folded)  # decides between languages that share a word ("frustra*", "no")
        if counted:
            first = min(counted, key=lambda m: (m.start, m.start - m.end, m.order, m.language != told))
            phrases = self._phrases.get((first.family, first.language)) or self._phrases[(first.family, self.fallback)]
            return Reading(first.family, self.labels[first.family], first.language, phrases)
        language = told if told in {m.language for m in matches} or not matches else matches[0].language
        return Reading("", "", language, self.neutral.get(language) or self.neutral[self.fallback])

    def _matches(self, folded: str) -> list[_Match]:
        found: list[_Match] = []
        for number, phrases in self._candidates(folded).items():
            words = self._sets[number]
            text = words.exceptions.blank(folded, range(len(words.exceptions.sources))) if words.exceptions else folded
            grammar = self._grammar.get(words.language)
            for start, end in words.words.spans(text, phrases):
                negated = grammar is not None and _negated(text[:start], grammar)
                found.append(_Match(start, end, self._order[words.family], words.family, words.language, negated))
        return sorted(found, key=lambda m: (m.start, m.order))

    def _candidates(self, folded: str) -> dict[int, list[int]]:
        """By set number, the phrases whose anchor the cue holds."""
        return self._anchors.candidates(folded)

    def _language_of(self, folded: str) -> str:
        """The language of which the cue holds the most common words; the fallback language on a tie."""
        tokens = [token.replace("'", "") for token in _TOKEN.findall(folded)]
        counts = {language: sum(t in g.common for t in tokens) for language, g in self._grammar.items()}
        best = max(counts.values(), default=0)
        leaders = [language for language, count in counts.items() if count == best]
        if best == 0 or self.fallback in leaders:
            return self.fallback
        return leaders[0]


def _negated(before: str, grammar: _Grammar) -> bool:
    """Whether a negation stands within REACH words before a word, in its clause, with no `keep` word between."""
    clause = _CLAUSE_END.split(before)[-1]
    tokens = [token.replace("'", "") for token in _TOKEN.findall(clause)]
    for at in range(len(tokens) - 1, -1, -1):
        if tokens[at] in grammar.breaks:
            tokens = tokens[at + 1 :]
            break
    near = tokens[-(REACH + 1) :]
    for at in range(len(near) - 1, -1, -1):
        if near[at] in grammar.negations:
            between = f" {' '.join(near[at + 1 :])} "
            return not any(f" {keep} " in between for keep in grammar.keep)
    return False


def _grammar(table: Mapping) -> _Grammar:
    def words(name: str) -> list[str]:
        return [normalize(w).replace("'", "") for w in _phrases(table, name, f"emotions.toml [languages] {name}")]

    return _Grammar(
        frozenset(words("negations")), tuple(words("keep")), frozenset(words("breaks")), frozenset(words("common"))
    )


def _phrases(table: Mapping, name: str, where: str) -> list[str]:
    phrases = table.get(name, [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise ValueError(f"{where}: {name} must be a list of words or phrases")
    return phrases


def _set(table: Mapping, name: str, where: str) -> PhraseSet:
    phrases = _phrases(table, name, where)
    try:
        return PhraseSet(phrases)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from exc
