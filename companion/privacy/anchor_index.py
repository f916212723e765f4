"""Which phrases are worth trying on a text: an index of each phrase's anchors (a word it cannot match without, or
the start of one: companion.privacy.phrases), for the privacy lexicon and the emotion families alike.

The rules index about 16,000 anchors for as long as the app runs, so the index is packed: one array of numbers per
word (each number a set's place and a phrase's, together) where a tuple per anchor took 1.4 MB, and the words
themselves are the very strings the rest of the rules use (interned)."""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Hashable, Iterable, Sequence

from companion.privacy.phrases import PhraseSet

WORD = re.compile(r"\w+")
_SHIFT = 20  # the bits of a phrase's number in an entry (no set holds a million phrases); the set's above them
_PHRASE = (1 << _SHIFT) - 1


class AnchorIndex:
    def __init__(self, sets: Sequence[PhraseSet], keys: Sequence[Hashable] | None = None) -> None:
        """`keys`: how candidates() names each set (by default its place in `sets`). Each set hands its anchors
        over (PhraseSet.hand_over_anchors): they are kept here alone."""
        self._keys = list(range(len(sets)) if keys is None else keys)
        # (matched with its capitals, a word's start) -> word -> entries
        self._index: dict[tuple[bool, bool], dict[str, array]] = {}
        self._always: dict[Hashable, list[int]] = {}  # the phrases with no anchor: tried on every text
        for number, phrases in enumerate(sets):
            for phrase, anchors in enumerate(phrases.hand_over_anchors()):
                if anchors is None:
                    self._always.setdefault(self._keys[number], []).append(phrase)
                    continue
                for word, prefix in anchors:
                    words = self._index.setdefault((phrases.keep_case, prefix), {})
                    words.setdefault(sys.intern(word), array("L")).append(number << _SHIFT | phrase)
        # A word's starts are looked up no longer than the longest start indexed: a text of one very long word would
        # otherwise be cut into as many starts as it has letters, each as long as the word.
        self._longest_start = {
            keep_case: max(map(len, words), default=0) for (keep_case, prefix), words in self._index.items() if prefix
        }

    def candidates(self, folded: str, exact: str = "") -> dict[Hashable, list[int]]:
        """By set, the numbers of the phrases whose anchor the text holds: `folded` as the sets that fold case read
        it, `exact` (its capitals kept) as those that match them."""
        found: dict[Hashable, set[int]] = {key: set(numbers) for key, numbers in self._always.items()}
        for keep_case, text in ((False, folded), (True, exact)):
            whole, starts = self._index.get((keep_case, False), {}), self._index.get((keep_case, True), {})
            if not (whole or starts) or not text:
                continue
            for word in set(WORD.findall(text)):
                hits = [whole.get(word, ())]
                longest = min(len(word), self._longest_start.get(keep_case, 0))
                hits += (starts.get(word[:length], ()) for length in range(1, longest + 1))
                for entry in (entry for entries in hits for entry in entries):
                    found.setdefault(self._keys[entry >> _SHIFT], set()).add(entry & _PHRASE)
        return {key: sorted(numbers) for key, numbers in found.items()}


def interned_words(texts: Iterable[str]) -> set[str]:
    """The words of these texts, case-folded, as the index holds them (one string for both)."""
    return {sys.intern(word.casefold()) for text in texts for word in WORD.findall(text)}
