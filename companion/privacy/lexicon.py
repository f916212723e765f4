"""Which facts are private by their wording: categories of HL7 v3 ActInformationSensitivityPolicy, each with a
lexicon in English and Spanish (resources/content/sensitive.toml), read in the language of companion.privacy.phrases.

`strong` phrases make a fact private alone; `weak` ones (slang that is also an everyday word: "mota", "crack") only
beside one of the category's `cues` ("fuma", "smokes"); `except` phrases are the everyday uses of those words ("pot
roast", "me corto el pelo") and are taken out before the rest is read, unless a strong phrase holds one whole and
says more ("hit with a bat by her boyfriend"); `@` phrases keep their capitals ("@SI"),
and an `@` exception is taken out of the text they read ("@PPD read" is a TB skin test).
Negation is not read at all: "denies SI" and "sober since May" are as private as what they deny.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from companion.privacy.anchor_index import WORD, AnchorIndex, interned_words
from companion.privacy.disguise import SHORTEST_REJOINED, misread, readings, rejoined, run_together, spelled_out
from companion.privacy.phrases import APOSTROPHES, BARRIER, PhraseSet, blanked, normalize, runs_shortened
from companion.privacy.slips import Slips, mistyped
from companion.text import with_references_read

STRONG, WEAK = 2, 1  # how a text falls in a category (Category.matches)
# What a text may mean besides how normalize() reads it, tried once when that reading finds nothing: a zero-width
# space, dropped inside a word ("H\u200bIV"), is by its name a space between words that show run together
# ("I\u200bwant\u200bto\u200bdie"), and so are the other characters of no width a text may hold between two words
# (joiners, the word joiner, a byte order mark mid-text: "he\u200chits\u200cme" shows as "hehitsme"); tags some
# records keep in their text ("<p>bangs <b>his</b> head") are markup, not words (read without them only here: what a
# tag's brackets hold is read as written first). Not a soft hyphen: it marks where a word may break ("meth\xadod"),
# so it is only ever dropped.
_TAG = re.compile(r"<\s{0,3}/?\s{0,3}([A-Za-z][A-Za-z0-9]{0,15})(?:[\s/][^<>]{0,200})?>")  # never backtracks far
_INLINE_TAG_NAMES = """a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong sub sup
    u wbr"""
_INLINE_TAGS = frozenset(_INLINE_TAG_NAMES.split())


_NO_WIDTH_AS_SPACES = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u180e", " "))


def _meant_otherwise(text: str) -> str:
    meant = with_references_read(text).translate(_NO_WIDTH_AS_SPACES)  # "&#8203;" is the same space
    if "<" in meant:  # an inline tag inside a word ("H<b>IV</b>", "H<wbr>IV") leaves it whole; any other parts words
        meant = _TAG.sub(lambda tag: "" if tag.group(1).lower() in _INLINE_TAGS else " ", meant)
    return meant


_ONE_WORD = re.compile(r"[^\W\d_]+\*?")
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
LATIN_1 = 0xFF  # the last code point of Latin-1, whose letters English and Spanish text uses


@dataclass(frozen=True)
class Category:
    key: str
    label: str  # shown only behind the prep card's reveal, never where others can see
    hl7: str  # the ActInformationSensitivityPolicy code for exports ("" where HL7 has none)
    labels: tuple[str, ...]  # FHIR security labels (ActCode) that put a resource in this category
    safety: bool  # suicide, self-harm, abuse: first behind the reveal
    strong: PhraseSet
    strong_exact: PhraseSet  # the `@` phrases, matched with their capitals
    weak: PhraseSet
    cues: PhraseSet
    exceptions: PhraseSet
    exceptions_exact: PhraseSet  # the `@` exceptions: everyday uses of an `@` phrase's capitals ("@PPD read")
    exceptions_shouted: PhraseSet  # the same in capitals throughout, for a note typed in capitals ("SI JOINT PAIN")
    # By language, every letter its phrases in that language are written in, in small letters.
    letters: dict[str, frozenset[str]] = field(default_factory=dict)

    def phrase_sets(self) -> tuple[PhraseSet, ...]:
        return (
            self.strong,
            self.strong_exact,
            self.weak,
            self.cues,
            self.exceptions,
            self.exceptions_exact,
            self.exceptions_shouted,
        )

    def matches(self, folded: str, exact: str, tried: dict[int, list[int]]) -> int:
        """How the text falls in this category: STRONG, WEAK (a weak word beside a cue) or 0. `folded` is the text
        as normalize() gives it; `exact` keeps its capitals (for `@` phrases); `tried` has, by id() of each phrase
        set, the phrases worth trying."""
        everyday = list(self.exceptions.spans(folded, tried.get(id(self.exceptions), ())))
        # In a note typed in capitals they tell nothing, so an everyday use is one there too ("ICE PACK TO KNEE",
        # "MEAL PREP", "SI JOINT PAIN"); elsewhere the writer's capitals stand ("Refilled PrEP for 90 days").
        shouted = exact.isupper() and len(exact) == len(folded)
        if shouted:
            exact = self.exceptions_shouted.blank(blanked(exact, everyday), tried.get(id(self.exceptions_shouted), ()))
        strong = tried.get(id(self.strong), ())
        if everyday and any(_says_more(folded, span, everyday) for span in self.strong.spans(folded, strong)):
            return STRONG
        folded = blanked(folded, everyday)
        exact = self.exceptions_exact.blank(exact, tried.get(id(self.exceptions_exact), ()))
        if next(self.strong.spans(folded, strong), None) is not None:
            return STRONG
        if next(self.strong_exact.spans(exact, tried.get(id(self.strong_exact), ())), None) is not None:
            return STRONG
        # A cue counts only beside the weak word, not as the word itself ("high" is both).
        weak = list(self.weak.spans(folded, tried.get(id(self.weak), ())))
        if not weak:
            return 0
        cues = self.cues.spans(folded, tried.get(id(self.cues), ()))
        return WEAK if any(any(end <= a or start >= b for a, b in weak) for start, end in cues) else 0


def _says_more(text: str, strong: tuple[int, int], everyday: list[tuple[int, int]]) -> bool:
    """Whether a strong phrase holds an everyday use whole and goes on past it: "hit with a bat by her boyfriend"
    holds "hit with a bat" (a game's) and says who. The everyday use is blanked only where it is all there is; a
    phrase that merely overlaps one ("smoked pot" in "smoked pot roast") is not read through it."""
    start, end = strong
    if not any(start <= a and b <= end for a, b in everyday):
        return False
    rest = blanked(
        text[start:end], [(max(a, start) - start, min(b, end) - start) for a, b in everyday if a < end and b > start]
    )
    return WORD.search(rest.replace(BARRIER, " ")) is not None


class Lexicon:
    """Every category, safety ones first: `category_of(text)` names the first the text falls in. One index of
    every phrase's anchors serves them all, so a text is split into words once."""

    def __init__(
        self,
        categories: Iterable[Category],
        languages: Iterable[str] = ("en", "es"),
        everyday_slips: Iterable[str] = (),  # everyday words one slip from a named one (companion.privacy.slips)
    ) -> None:
        self.categories = tuple(sorted(categories, key=lambda c: not c.safety))
        self.languages = frozenset(language.lower() for language in languages)  # those the phrases are read in
        # Only the letters of the languages read: Cyrillic words a clinic added for one category alone must not
        # have a Russian suicide note read by them (companion.content reads a language once every category has it).
        self.letters = frozenset().union(
            *(letters for c in self.categories for tag, letters in c.letters.items() if tag.lower() in self.languages)
        )
        self.by_key = {c.key: c for c in self.categories}
        sets = [phrases for category in self.categories for phrases in category.phrase_sets()]
        self._anchors = AnchorIndex(sets, keys=[id(phrases) for phrases in sets])  # one index serves every category
        # For a word typed in pieces (disguise.rejoined): the words a strong phrase of one word names alone
        # ("suicid*", "overdose"), and every word any phrase uses, everyday ones included ("the", "worth", "over").
        self._named: set[str] = set()
        self._named_start: set[str] = set()
        # Sorted, not a set: 11,000 words, read a few times a text, and a set's table was half a megabyte.
        self._known = tuple(sorted(interned_words(source for phrases in sets for source in phrases.sources)))
        for category in self.categories:
            for source in category.strong.sources:
                if _ONE_WORD.fullmatch(source) and len(source.rstrip("*")) >= SHORTEST_REJOINED:
                    (self._named_start if source.endswith("*") else self._named).add(source.rstrip("*"))
        self._longest_named_start = max(map(len, self._named_start), default=0)
        self._slips_everyday = tuple(everyday_slips)

    def reads(self, language: str) -> bool:
        """Whether the phrases are written in this language (a BCP-47 tag: "es-MX" is read as Spanish)."""
        return language.split("-", 1)[0].lower() in self.languages

    def written_unread(self, text: str) -> bool:
        """Whether a third or more of the text's words, two at least, hold letters the phrases are not written in
        (beyond Latin-1's, which English and Spanish use with café, niño, Zoë and Søren): Tôi muốn tự tử, anh ta
        đánh tôi mỗi ngày, 我想自杀, Я хочу умереть, أريد أن أموت. A name among English words is not (Łukasz brings
        her, Daughter Nguyễn Thị Mai drives her to every visit), nor a unit or symbol of one or two Greek letters
        (μg, β); a short note that is mostly such a name is ("Daughter Nguyễn Thị Mai drives her"): which words are a
        name is not told here. A clinic that adds a language's phrases (Vietnamese, say) adds the letters they are
        written in."""
        # A modifier letter typed for an apostrophe ("Patient\u02bcs wife\u02bcs car") is no letter of another
        # language: read as the apostrophe it stands for.
        # Letters drawn otherwise are the same letters: full-width ("Ｈａｐｐｙ"), bold ("𝐉𝐞𝐧𝐧𝐚"), circled (NFKC).
        words = _LETTERS_ONLY.findall(unicodedata.normalize("NFKC", text).translate(APOSTROPHES))
        unread = sum(1 for word in words if self._unread_word(word))
        return unread >= min(2, len(words)) > 0 and unread * 3 >= len(words)

    def _unread_word(self, word: str) -> bool:
        beyond = [letter for letter in word.casefold() if ord(letter) > LATIN_1 and letter not in self.letters]
        if not beyond:
            return False
        return not (len(word) <= 2 and all("\u0370" <= letter <= "\u03ff" for letter in beyond))

    def category_of(self, text: str) -> Category | None:
        if not text:
            return None
        found = self._category_as_read(text)
        if found is None and (meant := _meant_otherwise(text)) != text:  # once: what it leaves is read as written
            found = self._category_as_read(meant)
        return found

    def _category_as_read(self, text: str) -> Category | None:
        exact = runs_shortened(normalize(text, keep_case=True))
        for reading in self._ways_read(exact):
            folded = reading.casefold()  # normalize() folds the case last
            found = self._first(folded, reading, self.candidates(folded, reading))
            if found is not None:
                return found
        for word in spelled_out(exact):  # "c u t t i n g": a word spelled out is meant in its private sense
            tried = self.candidates(word, word)
            for category in self.categories:
                if any(span == (0, len(word)) for span in category.weak.spans(word, tried.get(id(category.weak), ()))):
                    return category
        return None

    def _ways_read(self, exact: str) -> Iterator[str]:
        """As written, then as a dodge reads (pieces of a word rejoined, words run together read apart), then as it
        was before a scanner misread it; each worked out only when the readings before it found nothing (most texts
        are read once)."""
        yield exact
        yield from readings(exact)
        if whole := rejoined(exact, self._names, self._knows):
            yield whole
        if apart := run_together(exact, self._knows):
            yield apart
        if scanned := misread(exact, self._knows):
            yield scanned
        if slipped := mistyped(exact, self._slips.meant):
            yield slipped

    def _first(self, folded: str, exact: str, tried: dict[int, list[int]]) -> Category | None:
        """The category the text falls in: a safety one first; else one its words name outright before one it
        falls in only by a weak word beside a cue ("tengo el virus, me tomo mis pastillas todos los días" is about
        HIV, though "pastillas todos los días" could be a drug's too), as the category labels an export."""
        beside_a_cue = None
        for category in self.categories:
            strength = category.matches(folded, exact, tried)
            if strength == STRONG or (strength and category.safety):
                return category
            if strength and beside_a_cue is None:
                beside_a_cue = category
        return beside_a_cue

    @cached_property
    def _slips(self) -> Slips:
        """Made when a text first needs it: most texts are read as written (a few milliseconds saved at start)."""
        return Slips(
            [phrases for category in self.categories for phrases in (category.strong, category.weak)],
            lambda word: self._knows(word) or self._names(word),
            self._slips_everyday,
        )

    def _knows(self, word: str) -> bool:
        """Whether any phrase uses this word (case-folded)."""
        at = bisect_left(self._known, word)
        return at < len(self._known) and self._known[at] == word

    def _names(self, word: str) -> bool:
        """Whether a strong phrase of one word names this word alone (disguise.rejoined)."""
        if word in self._named:
            return True
        longest = min(len(word), self._longest_named_start)
        return any(word[:length] in self._named_start for length in range(SHORTEST_REJOINED, longest + 1))

    def candidates(self, folded: str, exact: str) -> dict[int, list[int]]:
        """By id() of each phrase set, the phrases whose anchor the text holds."""
        return self._anchors.candidates(folded, exact)


PHRASE_LISTS = ("strong", "weak", "cues", "except")  # the lists of a category's language in sensitive.toml


def build_category(key: str, spec: dict) -> Category:
    """A category from its table in sensitive.toml: the languages' lists are read together (a patient may mix
    them in one sentence)."""
    lists: dict[str, list[tuple[str, str]]] = {name: [] for name in PHRASE_LISTS}
    if not isinstance(spec.get("label"), str) or not spec["label"].strip():
        raise ValueError(f"sensitive category {key!r} needs a label (the words shown behind the prep card's reveal)")
    for tag, language in spec.get("languages", {}).items():
        for name in lists:
            phrases = language.get(name, [])
            if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                raise ValueError(f"sensitive category {key!r}: {name} must be a list of phrases")
            lists[name].extend((phrase, tag) for phrase in phrases)

    def phrase_set(name: str, exact: bool | None = None, shouted: bool = False) -> PhraseSet:
        """A list's phrases, those matched with their capitals (`@`, exact) or the others, or all of a list that
        has no `@` phrases (exact None); each knows its language. `shouted`: the exact ones in capitals."""
        chosen = [(p[1:] if exact else p, tag) for p, tag in lists[name] if exact is None or p.startswith("@") == exact]
        if shouted:
            chosen = [(p.upper(), tag) for p, tag in chosen]
        return PhraseSet((p for p, _ in chosen), keep_case=bool(exact), languages=(tag for _, tag in chosen))

    return Category(
        key=key,
        label=str(spec["label"]),
        hl7=str(spec.get("hl7", "")),
        labels=tuple(str(code) for code in spec.get("labels", [])),
        safety=bool(spec.get("safety", False)),
        strong=phrase_set("strong", exact=False),
        strong_exact=phrase_set("strong", exact=True),
        weak=phrase_set("weak"),
        cues=phrase_set("cues"),
        exceptions=phrase_set("except", exact=False),
        exceptions_exact=phrase_set("except", exact=True),
        exceptions_shouted=phrase_set("except", exact=True, shouted=True),
        letters={
            tag: frozenset(
                letter
                for phrases in lists.values()
                for p, written_in in phrases
                if written_in == tag
                for letter in p.casefold()
                if letter.isalpha()
            )
            for tag in spec.get("languages", {})
        },
    )
