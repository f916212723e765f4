"""Words written past a filter, or typed that way: letters spaced or dotted out ("s u i c i d e", "k.i.l.l"),
digits and signs standing for letters ("k1ll", "m3th", "h!v"), a star for a letter ("s*icide"). A text holding any
of them is read a second time as a person reads it (Lexicon.category_of): the rule never makes a text less private,
so a reading that finds nothing costs nothing but the time to try it.

Only what cannot be ordinary writing is read this way: a run of three or more single letters, a word with at
least two letters and a digit or sign inside it ("A1c" and "B12" read as "aic" and "b12", which name nothing),
a star between two letters, a letter doubled that English and Spanish never double ("suiciidal"), capitals that
alternate inside a word ("gOt a dUi"), a word split in pieces that are no words ("sui cide") or that marks join
("preg-nant", "sui(cidal)", rejoined), and words typed together: a hashtag's ("#wantstodie") and words spelled out
with no wider gap between them ("g e n i t a l w a r t s", run_together)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

# What stands for a letter inside a word: 0 o, 1 i, 3 e, 4 a, 5 s, 7 t, @ a, $ s, ! and ¡ i, | l.
_STANDS_FOR = str.maketrans("013457@$!¡|", "oieastasiil")
_SIGNS = "013457@$!¡|"
_LETTER = r"[^\W\d_]"
_MEMBER = rf"(?:{_LETTER}|[{re.escape(_SIGNS)}])"
# Single letters (or signs for them) one separator apart, at least three: "s u i c i d e", "k.i.l.l", "h-i-v".
# Any of these marks may stand between the letters: "s/u/i/c/i/d/e", "s~u~i~c~i~d~e", "h+i+v".
_BETWEEN = r" .\-_*·/~+=:;,^\\"
_SPACED_OUT = re.compile(rf"(?<![\w@$!|]){_LETTER}(?:[{_BETWEEN}]{_MEMBER}){{2,}}(?![\w@$|])")
_SEPARATOR = re.compile(rf"[{_BETWEEN}]")
# A word with signs in it: letters, digits and signs together (a "!" only inside: "help!" is punctuation).
_WORD_WITH_SIGNS = re.compile(r"[\w@$|¡]+(?:!+[\w@$|¡]+)*")
_STARRED = re.compile(rf"(?<={_LETTER})\*+(?={_LETTER})")
_VOWELS = "aeiou"
# Letters drawn alike, taken for one another by a reader (and written so to get past a filter): a bar, and the
# click letter ǀ drawn as one, stand for i or l; a capital I and a small l for each other.
_BARS = "|\u01c0"
_BAR_OR_CAPITAL_I = re.compile(r"\w[|\u01c0]\w|[^\W\d_]I|[A-Z]l|l[A-Z]")
_WORD_WITH_BARS = re.compile(r"[\w|]+")
# A mark inside a word that a reader's eye steps over: a dot, an underscore or a middle dot between two letters
# ("s.uicide", "sui_cide"), a hyphen beside a piece of one or two letters ("su-i-cide", "k-ill"); and a letter typed
# three times or more ("suuuicide", "killlll"), read once and twice.
# Only in a word with a piece of two letters or more: "O.D." and "I.V." are initials (a run of three single letters is
# read by _SPACED_OUT).
_MARKED_WORD = re.compile(rf"(?<![\w.]){_LETTER}+(?:[._·]{_LETTER}+)+")
# Both ways begin only where a word begins: begun inside one, a failed try would scan the rest of it again from each
# letter, and a text of one long word would take time growing with the square of its length.
_SHORT_PIECE = re.compile(
    rf"(?<![^\W\d_])(?:{_LETTER}{{1,2}}(?:-{_LETTER}+)+|{_LETTER}+(?:-{_LETTER}{{1,2}}(?![^\W\d_]))+)"
)
_HELD_LETTER = re.compile(rf"({_LETTER})\1{{2,}}")
# A word whose capitals say nothing: a small letter and then a capital inside it ("gOt a dUi", "HiTs"), as a filter's
# dodger types. Read in capitals, where capitals count ("@DUI"); a McDonald or an iPhone read so names nothing. A
# word of three letters at least: units are written so ("mg/dL" is no "DL").
_ODD_CAPITALS = re.compile(r"(?<!\w)(?=\w*[a-zß-öø-ÿ][A-ZÀ-ÖØ-Þ])\w{3,}")
# A letter typed twice that neither English nor Spanish writes twice inside a word ("suiciidal", "hiiv"): read once.
# (Hawaii, skiing and vacuum read so name nothing; "AA" read as "a" is a second reading, the first stays.)
_ODD_DOUBLE = re.compile(r"([aiuhjkqvwxy])\1", re.IGNORECASE)
# A word in pieces (rejoined): letters only; what may stand between two pieces.
_PIECE = re.compile(_LETTER + "+")
# One space, or up to three marks of any kind that are neither letters nor spaces: "sui cide", "sui-cide",
# "sui'cidal", "sui...cidal", "sui(cidal)", "sui~~cidal", an emoji in the middle.
_INSIDE_A_WORD = re.compile(r" |(?:[^\w\s]|_){1,3}")
# The shortest word read back from pieces, and the most pieces.
SHORTEST_REJOINED = 5
_MOST_PIECES = 3
_SHORTEST_SPELLED = 6
# Words typed without spaces (run_together): a hashtag of six letters or more, read as at most forty; a piece as long
# as fourteen; "a" and "i" the words of one letter. Only a hashtag: any other long word the lexicon does not know is
# mostly an everyday one ("psychology", "embarazosa", "deportivo"), which pieces would read as what it is not.
_LONGEST_TOGETHER = 40
_RUN_TOGETHER = re.compile(rf"(?<=#)[^\W\d_]{{6,{_LONGEST_TOGETHER}}}(?![^\W\d_])")
_LONGEST_PIECE = 14
_ONE_LETTER_WORDS = frozenset("ai")
# What a scanner's OCR reads for one letter (a faxed referral, a scanned form): "rn" for m ("stornach", "rnother"),
# a 1 for l ("pi1ls") and a 0 for o ("bedr0om"). Only a word of four letters or more that the lexicon does not know
# is read with them undone, and only into a word it knows: "turn", "RNA" and "B12" stay as written. ("cl" for d
# is left out: "click", "clay" and "clan" would be read as other words.)
# Every word is matched whole and looked into (undone), never searched for a misread letter inside it: the search
# would start again at each letter of a word that has none, in time growing with the square of the word's length.
_SCANNED_WORD = re.compile(r"[^\W_]+")
_MISREAD = (("rn", "m"), ("1", "l"), ("0", "o"))
_SHORTEST_MISREAD = 4


def readings(text: str) -> Iterator[str]:
    """The text as a person reads it, when it is written past a filter (nothing when it is not)."""
    joined = _SPACED_OUT.sub(_joined, text)
    decoded = _WORD_WITH_SIGNS.sub(_decoded, joined)
    if decoded != text:
        yield decoded
    if _BAR_OR_CAPITAL_I.search(joined):  # cheap: most texts have neither a bar nor a capital I inside a word
        for small, capital in (("i", "I"), ("l", "L")):
            taken = _WORD_WITH_BARS.sub(lambda match, s=small, c=capital: _taken_for(match.group(0), s, c), joined)
            if taken != joined:
                yield _WORD_WITH_SIGNS.sub(_decoded, taken)
    stepped = _SHORT_PIECE.sub(lambda match: match.group(0).replace("-", ""), _MARKED_WORD.sub(_stepped_over, decoded))
    if stepped != decoded:
        yield stepped
    if _HELD_LETTER.search(decoded):
        for held in (r"\1", r"\1\1"):
            yield _HELD_LETTER.sub(held, stepped)
    if _ODD_DOUBLE.search(stepped):
        yield _ODD_DOUBLE.sub(r"\1", _HELD_LETTER.sub(r"\1", stepped))
    if _ODD_CAPITALS.search(decoded):
        yield _ODD_CAPITALS.sub(lambda match: match.group(0).upper(), decoded)
    if _STARRED.search(decoded):  # a star is any letter: the vowels are the letters a filter's stars hide
        yield _STARRED.sub("", decoded)  # or no letter: markdown's bold inside a word ("sui**cidal")
        for vowel in _VOWELS:
            yield _STARRED.sub(lambda match, vowel=vowel: vowel * len(match.group(0)), decoded)


def _stepped_over(match: re.Match[str]) -> str:
    word = match.group(0)
    pieces = re.split(r"[._·]", word)
    return "".join(pieces) if any(len(piece) > 1 for piece in pieces) else word


def _taken_for(word: str, small: str, capital: str) -> str:
    """The word with each letter drawn like another read as `small` (or `capital`, in a word of capitals): a bar
    inside a word ("k|ll", "su|cidal"), a capital I inside a word of small letters ("kiII"), a small l among
    capitals ("HlV", "SlDA"). An O'Brien or McIntosh read so names nothing private; the reading only adds."""
    letters = [char for char in word if char.isalpha() and char not in _BARS]
    small_ones = {char for char in letters if char.islower()}
    capitals = sum(char.isupper() for char in letters)
    out = list(word)
    small_before = False  # a small letter before this one (kept as the word is walked: once per letter)
    for at, char in enumerate(word):
        if char in _BARS and 0 < at < len(word) - 1:
            out[at] = capital if capitals > len(small_ones) else small
        elif char == "I" and small_before:
            out[at] = small
        elif char == "l" and capitals >= 2 and small_ones == {"l"}:
            out[at] = capital
        small_before = small_before or char.islower()
    return "".join(out)


def _joined(match: re.Match[str]) -> str:
    """The letters of a run joined; a separator other than the run's own (the one most of its letters are apart
    by) is a space: "k.i.l.l m.e", and "a s.u.i.c.i.d.e" where a word of one letter stands before a word dotted
    out."""
    run = match.group(0)
    if sum(char.isalpha() for char in run) < 2:
        return run
    own = Counter(_SEPARATOR.findall(run)).most_common(1)[0][0]  # a tie: the first one, as a reader takes it
    return _SEPARATOR.sub(lambda sep: "" if sep.group(0) == own else " ", run)


def _decoded(match: re.Match[str]) -> str:
    word = match.group(0)
    if sum(char.isalpha() for char in word) < 2 or not any(char in _SIGNS for char in word):
        return word
    return word.translate(_STANDS_FOR)


def misread(text: str, known: Callable[[str], bool]) -> str | None:
    """The text as it was before a scanner's OCR misread its letters (_MISREAD), or None when no word was. Each
    misreading is undone alone, then all of them together; the first that makes a word `known` (case-folded) wins."""

    def undone(match: re.Match[str]) -> str:
        word = match.group(0)
        folded = word.casefold()
        if not any(wrong in folded for wrong, _ in _MISREAD):
            return word
        if sum(char.isalpha() for char in folded) < 2 or len(folded) < _SHORTEST_MISREAD or known(folded):
            return word
        tries = [folded.replace(wrong, right) for wrong, right in _MISREAD if wrong in folded]
        everything = folded
        for wrong, right in _MISREAD:
            everything = everything.replace(wrong, right)
        return next((tried for tried in (*tries, everything) if tried != folded and known(tried)), word)

    read = _SCANNED_WORD.sub(undone, text)
    return read if read != text else None


def run_together(text: str, known: Callable[[str], bool]) -> str | None:
    """The text with words typed together read apart: a hashtag's ("#cocaineaddict", "#WantsToDie",
    "#notsafeathome"), and words spelled out one letter at a time with the same space between the words as between
    their letters ("g e n i t a l w a r t s", "s e x u a l l y a s s a u l t e d"). Only a word the lexicon does not
    know whole ("#therapist" stays), made of words it knows (`known`) in the fewest pieces, the longer pieces first
    ("beaten by him", not "beat enby him"). None when there is none."""

    def apart(match: re.Match[str]) -> str:
        word = match.group(0).casefold()
        pieces = None if known(word) else _pieces_of(word, known)
        return " ".join(pieces) if pieces else match.group(0)

    def spelled_apart(match: re.Match[str]) -> str:
        run = match.group(0)
        word = _spelled_word(run)  # None for "k.i.l.l m.e": its words are told apart already
        if word is None or len(word) > _LONGEST_TOGETHER or not word.isalpha() or known(word):
            return run  # a run of letters longer than any few words is no words spelled out
        pieces = _pieces_of(word, known)
        return " ".join(pieces) if pieces else run

    read = _RUN_TOGETHER.sub(apart, text)
    read = _SPACED_OUT.sub(spelled_apart, read)
    return read if read != text else None


def _pieces_of(word: str, known: Callable[[str], bool]) -> tuple[str, ...] | None:
    """The word as two or more words `known` (or "a" and "i"), in the fewest pieces, the longer ones first."""
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for start in range(len(word)):
        if best[start] is None:
            continue
        for end in range(start + 1, min(len(word), start + _LONGEST_PIECE) + 1):
            piece = word[start:end]
            if piece in _ONE_LETTER_WORDS or (len(piece) > 1 and known(piece)):
                tried, kept = (*best[start], piece), best[end]
                if kept is None or _fewer_longer(tried) < _fewer_longer(kept):
                    best[end] = tried
    found = best[-1]
    return found if found is not None and len(found) > 1 else None


def _fewer_longer(pieces: tuple[str, ...]) -> tuple[int, list[int]]:
    return len(pieces), [-len(piece) for piece in pieces]


def spelled_out(text: str) -> list[str]:
    """The words a text spells out a letter at a time ("c u t t i n g", "w-e-e-d"), each whole and in small letters,
    of six letters or more: nobody spells out the grass they were cutting, so the lexicon reads such a word in its
    private sense (Lexicon.category_of). Shorter ones are spelled for emphasis ("H I G H", "P A R T Y")."""
    words = []
    for match in _SPACED_OUT.finditer(text):
        word = _spelled_word(match.group(0))
        if word is not None and len(word) >= _SHORTEST_SPELLED and word.isalpha():
            words.append(word)
    return words


def _spelled_word(run: str) -> str | None:
    """A run of letters spelled out with one separator, joined in small letters; None when it holds two kinds of
    separator, which part words ("k.i.l.l m.e")."""
    if len(set(_SEPARATOR.findall(run))) != 1:
        return None
    return _SEPARATOR.sub("", run).translate(_STANDS_FOR).casefold()


def rejoined(text: str, names: Callable[[str], bool], known: Callable[[str], bool]) -> str | None:
    """The text with a word typed in pieces read whole ("sui cide", "sui\ncide" once normalized, "sui-cide",
    "sui(cidal)"): pieces side by side, one space or a few marks apart (_INSIDE_A_WORD), none of them a word the
    lexicon knows (`known`: "the rapist" and "worth less" stay as they are) unless marks join them ("preg-nant",
    "gon-orrhea"), nor, past the first, capitalised (a name: "Ben Der" is no bender), which together make a word
    the lexicon names alone (`names`: "suicide"). None when there is no such word."""
    pieces = list(_PIECE.finditer(text))
    unknown = [not known(piece.group(0).casefold()) for piece in pieces]  # most words are known: nothing to try
    # Whether a mark, not a space, stands between each piece and the next ("preg-nant", "mo~~lested").
    marked = [text[a.end() : b.start()] != " " for a, b in zip(pieces, pieces[1:], strict=False)]
    out: list[str] = []
    last = at = 0
    while at < len(pieces):
        for count in range(_MOST_PIECES, 1, -1):
            group = pieces[at : at + count]
            if len(group) < count:
                continue
            # Known pieces ("preg", "gon") are one word only when marks join them: "preg-nant", not "the rapist".
            if not all(unknown[at : at + count]) and not all(marked[at : at + count - 1]):
                continue
            if any(piece.group(0)[0].isupper() for piece in group[1:]):
                continue  # "Ben Der", "Van Essen": a name's words, not a word in pieces
            if not all(
                _INSIDE_A_WORD.fullmatch(text, a.end(), b.start()) for a, b in zip(group, group[1:], strict=False)
            ):
                continue
            word = "".join(piece.group(0) for piece in group)
            # Named only as a whole: a first piece named alone was read as written ("Anorexia/cachexia" is everyday).
            if names(word.casefold()) and not names(group[0].group(0).casefold()):
                out += [text[last : group[0].start()], word]
                last = group[-1].end()
                at += count
                break
        else:
            at += 1
    return "".join([*out, text[last:]]) if out else None
