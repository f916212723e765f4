"""The lexicon's small language: phrases a clinic can write, normalized text to match them on, and each phrase's
anchors (the words a text must hold for the phrase to be worth trying).

A phrase: words match whole, whatever their case and accents; `*` ends a word with any ending; `(a|b)` is one of
several and `?` makes what comes before it optional ("(the )?pill", "thoughts?"); `[oa]` is one of those letters;
`#` is a number; ` ... ` allows up to four words between. Thousands of phrases in one regular expression took a
millisecond a text; each is instead compiled on first need and tried only on a text holding one of its anchors.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator

from companion.text import BLANK_LETTERS, with_references_read

# Every mark a keyboard or a phone types for an apostrophe: curly quotes, a backtick, an acute accent, the modifier
# letter some layouts give (U+02BC, which regular expressions read as a letter), the turned comma written for one in
# Hawaiian and Uzbek ("Hawai\u02bbi"), a prime and a reversed quote.
APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018`\u00b4\u02bc\u02bb\u2032\u201b", "'"))
# An underscore between words ("self_harm", "HIV_positive": a system's or a file's name for a thing) is a space to a
# reader; to a regular expression it is a letter, and the words around it one word.
_READ_AS_WRITTEN = APOSTROPHES | str.maketrans("_", " ")
# Shorthand typed while rooming, written out so one phrase serves both ("w/o her" is "without her").
_SHORTHAND = re.compile(r"(?<!\w)(w/o|w/|b/c|thru|ppl|abt|y/o)(?!\w)", re.IGNORECASE)
_WRITTEN_OUT = {"w/o": "without ", "w/": "with ", "b/c": "because", "thru": "through", "ppl": "people",
                "abt": "about", "y/o": "years old"}  # fmt: skip
# A word hyphenated at the end of a line, as a PDF or a narrow text box breaks it ("sexually as-⏎saulted",
# "antiretro-⏎virals"): one word again. A dash after a space ("drinks a lot -⏎not often") stays a dash.
_BROKEN_AT_LINE_END = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*(?=\w)")
_SPECIAL = "()[]?*#'-| "
# What the anchor reader steps to, so it never walks a phrase a letter at a time (thousands load with the content).
_SPECIAL_CHAR = re.compile("[" + re.escape(_SPECIAL) + "]")
_BRACKET = re.compile(r"[()\[\]]")
_ITEM_STOP = re.compile(r"[ (\[]")  # the end of an item, or a group inside it
_CHOICE_MARK = re.compile(r"[()\[\]|]")
_GROUP_OR_GAP = re.compile(r"[(\[]|\.\.\.")
_WORD = re.compile(r"\w+")
GAP = r"\W+(?:\w+\W+){0,4}?"
# Each gap multiplies the ways a text may be tried (five for each: none to four words), so a phrase of ten took
# seconds on a text of repeated words; the shipped lexicon needs two at most.
MOST_GAPS = 3
_SEPARATORS = frozenset(" -'")
# Where a phrase may not be the expression it looks like: a `?` or `*` after no letter ("pills ... ?", "a???").
# Such a phrase is compiled when the content loads (the others, thousands, when a text first holds their word): one
# that could not be compiled failed only then, and stopped every command and the window. And a [ ] that is empty,
# or holds a bracket, which the expression would read as its end or a group's.
_MAY_NOT_COMPILE = re.compile(r"(?:^|[^\w#)\]])[?*]|[?*][?*]")
_ODD_CHOICE = re.compile(r"\[(?:\^|\])|\[[^\]]*[()\[]")
_REPEATED_SIGN = re.compile(r"(\W)\1{3,}")
_LONG_RUN = re.compile(r"\W{16,}")
_SEPARATOR_RUN = re.compile(r"[ '-]+?(?= \.\.\. |[^ '-]|$)")
# What an everyday use is replaced with before the rest is read (PhraseSet.blank): no phrase may reach across it.
# Punctuation would not do (a space in a phrase is any run of non-letters, " | " included), so it is five "words"
# no phrase holds: more than a gap (` ... `, four words) can step over, and no space between two words allows.
BARRIER = " " + " ".join(["\u01c2"] * 5) + " "
# How a text is read, as a version: stored facts are judged again when it changes (companion.privacy.stored).
READING = 12
# Letters of other scripts drawn like Latin ones: "suіcide" with a Cyrillic і, "HΙV" with a Greek Ι, "HᎥV" with a
# Cherokee letter, read as the letters a person sees (Unicode's confusables for the Latin alphabet, those a keyboard,
# a paste or a font picker brings).
_LOOK_ALIKE_PAIRS = {
    "Cyrillic": ("аеёіїјкморсухѕһԁԛԝӏвнтѵАВЕЁІЇЈКМНОРСТУХЅӀѴҺԚԜ", "aeeiijkmopcyxshdqwlbhtvABEEIIJKMHOPCTYXSIVHQW"),
    "Greek": ("αεικνορτυχηΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aeikvoptuxnABEZHIKMNOPTYX"),
    "Cherokee": ("ᎪᏴᏟᎠᎬᏀᎻᎥᎫᏦᏞᎷᏢᏚᎢᏙᏔᏃᎡᎳᏒ", "ABCDEGHiJKLMPSTVWZRWR"),
    "Greek symbols": ("ϲςϳ", "ccj"),  # the lunate sigma (decomposed to a final sigma) and yot
    "Armenian": ("սօհոռզցայՍՕՏԼ", "uohnnqgwjUOSL"),
    "Lisu": ("ꓐꓑꓓꓔꓖꓗꓙꓚꓜꓝꓟꓠꓡꓢꓣꓦꓧꓪꓫꓬꓮꓰꓲꓳꓴ", "BPDTGKJCZFMNLSRVHWXYAEIOU"),
    # A Turkish keyboard's dotless i; the single-storey g; the alpha and iota of phonetics; and the letters an
    # upside-down text generator draws ("ɥıʌ"; only those that are no other letter turned: q and b, d and p, n and u
    # stay as drawn, and the order a turned text is written in is not undone).
    "Latin": ("ıɡɑɩɐǝəɥʇʌʍʎɹɯʞᴉɔɟƃ", "igaiaeehtvwyrmkicfg"),
}
# Letters in brackets, one character each (⒮⒰⒤⒞⒤⒟⒠, 🄢🄤🄘): read as the letters, not as "(s)(u)(i)...", which is
# what they decompose to. Circled letters (ⓢ) and fullwidth ones (ｓ) decompose to the letter itself.
_BRACKETED = {0x249C + n: chr(ord("a") + n) for n in range(26)} | {0x1F110 + n: chr(ord("A") + n) for n in range(26)}
# Every dash and hyphen a word processor, a PDF or a keyboard's layout puts between two words, and the minus sign.
DASHES = (
    "\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212"
    "\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u301c\ufe31\ufe32\ufe58\ufe63"
)
# The regional indicator letters, read as letters in a run of three or more (🇸🇺🇮🇨🇮🇩🇪): two of them are a flag (🇸🇮 is
# Slovenia's, not "SI").
_SPELLED_IN_FLAGS = re.compile("[\U0001f1e6-\U0001f1ff]{3,}")


def _flag_letters(match: re.Match[str]) -> str:
    return "".join(chr(ord(letter) - 0x1F1E6 + ord("A")) for letter in match.group(0))


# Small capitals (ʜɪᴠ) by their Unicode names, so none is missed; and letters that show nothing (companion.text)
# but would split a word.
_SMALL_CAPITAL = re.compile(r"LATIN LETTER SMALL CAPITAL ([A-Z])")


def _look_alikes() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for drawn, read in _LOOK_ALIKE_PAIRS.values():
        table.update(str.maketrans(drawn, read))
    for capital in _LOOK_ALIKE_PAIRS["Cherokee"][0]:  # Cherokee's small letters are drawn as its capitals
        small = ord(capital) + (0xAB70 - 0x13A0 if ord(capital) <= 0x13EF else 8)
        table[small] = table[ord(capital)]
    for code in (*range(0x0250, 0x02B0), *range(0x1D00, 0x1D80), *range(0xA720, 0xA800)):
        named = _SMALL_CAPITAL.fullmatch(unicodedata.name(chr(code), ""))
        if named:
            table[code] = named.group(1)  # a capital, as drawn: "ꜱɪ" reads as "SI" where capitals count
    for first in (0x1F150, 0x1F170):  # 🅗🅘🅥 and 🅷🅸🆅: no decomposition of theirs
        table.update({first + offset: chr(ord("A") + offset) for offset in range(26)})
    table.update(dict.fromkeys(map(ord, DASHES), "-"))  # "self‐harm" pasted from a PDF is self-harm
    table.update(dict.fromkeys(map(ord, BLANK_LETTERS)))
    return table


_LOOK_ALIKE = _look_alikes()
# What shows nothing over or inside a word once decomposed: accents and other marks (a variation selector, the
# combining grapheme joiner and their kind have no combining class, yet draw nothing of their own), and format
# characters (zero-width space, soft hyphen, direction marks).
_INVISIBLE = {"Mn", "Me", "Cf"}


def normalize(text: str, keep_case: bool = False) -> str:
    """Without accents (a patient types "depresion" as often as "depresión"), one kind of apostrophe, one space
    (an underscore is one), HTML character references read as their letters.
    What shows nothing is dropped (a soft hyphen pasted from a web page, a zero-width space, a direction mark: a
    word split by one still reads as the word), a word hyphenated at a line's end is joined again, and look-alike
    letters of other scripts read as Latin."""
    text = with_references_read(text)  # "golpe&oacute;": a record's HTML character references are their letters
    text = text.translate(_READ_AS_WRITTEN)
    if not text.isascii():  # most text is: nothing to decompose, nothing hidden (a lexicon has thousands of phrases)
        text = _SPELLED_IN_FLAGS.sub(_flag_letters, text).translate(_BRACKETED)
        decomposed = unicodedata.normalize("NFKD", text).translate(_LOOK_ALIKE)
        text = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _INVISIBLE)
    text = _SHORTHAND.sub(lambda m: _WRITTEN_OUT[m.group(1).lower()], text)
    if "\n" in text:
        text = _BROKEN_AT_LINE_END.sub("", text)
    plain = " ".join(text.split())
    return plain if keep_case else plain.casefold()


def runs_shortened(text: str) -> str:
    """A normalized text as phrases are matched on it: a sign repeated more than three times ("......", "!!!!",
    "-----") as three, and a run of mixed signs longer than any a phrase needs as its two ends. A clinic's phrase
    of parts side by side, each of which may take some of a run, tried every way of sharing a long run out among
    them: minutes on one note. Short runs stay whole, as phrases match their signs ("(+)", ". F32")."""
    text = _REPEATED_SIGN.sub(r"\1\1\1", text)
    return _LONG_RUN.sub(lambda run: run.group()[:8] + run.group()[-7:], text)


class PhraseSet:
    """Phrases of the lexicon's language, each compiled on first need. Which ones are worth trying on a text is
    decided by the lexicon's index of their anchors (Lexicon.candidates)."""

    def __init__(self, phrases: Iterable[str], keep_case: bool = False, languages: Iterable[str] = ()) -> None:
        """`languages`: each phrase's (a tag such as "es"), in order; a phrase without one is read as English."""
        self.keep_case = keep_case
        written = list(phrases)
        # A phrase already in its normal form is kept as the very string the content file gave (which the content
        # keeps too), not as an equal copy: thousands of phrases.
        self.sources = [phrase if (source := normalize(phrase, keep_case)) == phrase else source for phrase in written]
        self._english = [language == "en" for language in languages]
        items = [_check_written(phrase, source) for phrase, source in zip(written, self.sources, strict=True)]
        self.anchors: list | None = [_anchors(top) for top in items]  # until an index takes them
        self._compiled: dict[int, re.Pattern[str]] = {}

    def __bool__(self) -> bool:
        return bool(self.sources)

    def hand_over_anchors(self) -> list[list[tuple[str, bool]] | None]:
        """Each phrase's anchors (None: it has none), for the one index that keeps them (anchor_index); the set
        keeps them no longer."""
        if self.anchors is None:
            raise RuntimeError("these phrases' anchors were handed to another index")
        anchors, self.anchors = self.anchors, None
        return anchors

    def spans(self, text: str, numbers: Iterable[int]) -> Iterator[tuple[int, int]]:
        """Where these phrases (by number) match the text."""
        for number in numbers:
            for match in self._pattern(number).finditer(text):
                yield match.span()

    def blank(self, text: str, numbers: Iterable[int]) -> str:
        """The text with every match replaced by a mark no phrase can cross."""
        return blanked(text, self.spans(text, numbers))

    def is_english(self, number: int) -> bool:
        return number >= len(self._english) or self._english[number]

    def _pattern(self, number: int) -> re.Pattern[str]:
        if number not in self._compiled:
            self._compiled[number] = re.compile(_expression(self.sources[number], self.is_english(number)))
        return self._compiled[number]


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each span (overlapping ones merged) replaced by a mark no phrase can cross."""
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            pieces += [text[last:start], BARRIER]
            last = end
        elif end > last:
            last = end
    return "".join([*pieces, text[last:]]) if pieces else text


def _phrase(phrase: str, english: bool = True) -> str:
    """A phrase of the lexicon's language as a regular expression (see the module's docstring). Only an English
    word's silent e gives way to -ing: Spanish "rompe*" is no "romping"."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(phrase):
        char = phrase[index]
        if in_class:
            out.append("\\-" if char == "-" and phrase[index + 1 : index + 2] != "]" else char)
            in_class = char != "]"
        elif phrase.startswith(" ... ", index):
            out.append(GAP)
            index += len(" ... ")
            continue
        elif char in _SEPARATORS:
            run = _SEPARATOR_RUN.match(phrase, index).group()
            if len(run) > 1 and phrase[index + len(run) : index + len(run) + 1] == "?":
                run = run[:-1]  # "su '?amigo": the ? makes the apostrophe optional, not the space before it
            index += len(run)
            if (end := _optional_word_group(phrase, index)) is not None and not (out and out[-1] == GAP):
                # "me sigue (a todos lados)?": the space goes with the words it stands before, so that without
                # them the phrase still ends at a word's end ("me sigue esperando"), and "(su)? ... casa" leaves
                # the gap its one run of non-letters
                out.append(f"(?:{_separator(run)}{_phrase(phrase[index : end - 1], english)})?")
                index = end
                continue
            if not (out and out[-1] == GAP) and not phrase.startswith(" ... ", index):
                out.append(_separator(run))  # beside a gap, the gap's own run of non-letters serves
            continue
        elif char == "*":
            if english and _drops_its_e(phrase, index):  # "unalive*" is also "unaliving", "relapse*" "relapsing"
                out[-1] = r"(?:e\w*|ing\w*)"
            else:
                out.append(r"\w*")
        elif char == "#":
            out.append(r"\d+")
        elif char == "(":
            out.append("(?:")
        elif char in ")|?":
            out.append(char)
        elif char == "[":
            out.append("[")
            in_class = True
        else:
            out.append(re.escape(char))
        index += 1
    if in_class:
        raise ValueError(f"an unclosed [ in {phrase!r}")
    return "".join(out)


def _optional_word_group(phrase: str, index: int) -> int | None:
    """Where an optional group of whole words that starts at `index` ends (past its `?`), or None: "(a todos lados)?"
    at the phrase's end, or before a space or a gap. Not one that holds its own space ("(the )?pills"), nor one a
    word or an optional space follows ("(finger)?nails", "(his|her)? ?pills"): written so, they already work."""
    if not phrase.startswith("(", index):
        return None
    depth, position, in_class = 0, index, False
    while position < len(phrase):
        char = phrase[position]
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        position += 1
    else:
        return None
    end = position + 2
    if phrase[position + 1 : end] != "?" or phrase[position - 1] in _SEPARATORS:
        return None
    after = phrase[end:]
    return end if after == "" or (after.startswith(" ") and not after.startswith(" ?")) else None


def _expression(source: str, english: bool = True) -> str:
    """A phrase as the whole-word expression tried on a text."""
    return rf"(?<!\w)(?:{_phrase(source, english)})(?!\w)"


def _separator(run: str) -> str:
    """What stands between two words, as one expression however it is written: each character on its own made
    neighbours that overlap ("a - - - b" in a clinic's file), which a text of dashes made try every way of sharing
    them out, for seconds. A space is any run of non-letters; one dash or apostrophe may be missing ("self-harm" is
    also "self harm" and "selfharm", "don't" also "dont"); more of them, any number of those."""
    if " " in run:
        return r"(?:\W+)"
    if len(run) == 1:
        return r"[-\s]?" if run == "-" else "'?"
    return r"[-'\s]*"


def _drops_its_e(phrase: str, star: int) -> bool:
    """Whether the `*` at `star` ends a word whose last letter is a silent e, which English drops before -ing:
    "unalive*", "deadname*", "booze*" (at least three letters before the e)."""
    word = re.search(r"[^\W\d_]*$", phrase[:star]).group()
    return len(word) >= 4 and word.endswith("e") and word[-2] not in "aeiouy"


# Anchors ---------------------------------------------------------------------------------------------------------
# A phrase's anchors are (word, is_prefix) pairs of which the text must hold at least one. The best anchor is the
# longest word the phrase cannot match without; a choice of words counts when every one of its choices starts with
# a word (its anchors are then all of them).


def _anchors(items: list[tuple[str, bool]]) -> list[tuple[str, bool]] | None:
    """The best anchors of a phrase, from its top-level items (_items)."""
    best: list[tuple[str, bool]] | None = None
    for item, optional in items:
        if optional:
            continue
        found = _item_anchors(item)
        if found and (best is None or _strength(found) > _strength(best)):
            best = found
    return best


def _strength(anchors: list[tuple[str, bool]]) -> int:
    return min(len(word) for word, _ in anchors)


def _item_anchors(item: str) -> list[tuple[str, bool]] | None:
    if item.startswith("("):
        closing = _closing(item, 0)
        whole = closing == len(item) - 1  # "(a|b)"; else the group starts a longer word: "(hair|paper)cut*"
        if item[closing + 1 : closing + 2] == "?":
            return None
        found: list[tuple[str, bool]] = []
        for alternative in _split_top(item[1:closing]):
            first = next(iter(_items(alternative.strip())), None)
            if first is None or first[1]:
                return None
            anchors = _item_anchors(first[0])
            if not anchors:
                return None
            found += anchors if whole else [(word, True) for word, _prefix in anchors]
        return found
    special = _SPECIAL_CHAR.search(item)
    if special is None:
        # A text's words are its runs of letters and digits: "ag/ab", "u=u" and "inside," are found by one of theirs
        # (the longest), or tried on every text when none has two letters ("h.i.v.", "d&c").
        longest = max(_WORD.findall(item), key=len, default="")
        return [(longest, False)] if len(longest) >= 2 else None
    literal = item[: special.start()]
    if special.group() == "?" and literal:
        literal = literal[:-1]  # "thoughts?": the s may be missing
    elif special.group() == "*" and _drops_its_e(item, special.start()):
        literal = literal[:-1]  # "unaliving" holds "unaliv", not "unalive"
    return [(literal, True)] if len(literal) >= 2 else None


def _check_written(phrase: str, source: str) -> list[tuple[str, bool]]:
    """The mistakes the lexicon's language allows, named when the content loads (phrases compile only when first
    needed, so a clinic's typo must be caught here). Returns the phrase's top-level items, read once for both."""
    problem = ""
    items: list[tuple[str, bool]] = []
    try:
        items = _items(source)
    except ValueError:
        problem = "a ( or [ is not closed"
    if not problem and (source.count("(") != source.count(")") or source.count("[") != source.count("]")):
        problem = "a ) or ] has no opening"
    if not problem and (source.startswith(("?", "*", "|")) or "(?" in source or "|?" in source or "(*" in source):
        problem = "a ? or * has nothing before it"
    if not problem and "\\" in source:  # a regular expression's escapes are not this language's: they never match
        problem = "a backslash is not read (write # for a number, ... for words between, . and + as they are)"
    if not problem and source.count("...") != source.count(" ... "):  # "(at home )?... x": three dots, never a gap
        problem = "a ... is a gap only with a space on each side (write: took ... pills)"
    if not problem and source.count(" ... ") > MOST_GAPS:
        problem = f"more than {MOST_GAPS} ... in one phrase (each lets four words between: write two phrases)"
    if not problem and ("{" in source or "}" in source):
        problem = "a { or } is not read (write ... for up to four words between)"
    if not problem and "@" in source.lstrip("@"):
        problem = "@ is read only first, for the whole phrase (write the capitals of every form: @(on|On) ART)"
    if not problem and _ODD_CHOICE.search(source):
        problem = "a [ ] is empty or holds a bracket (write the letters to choose from: [oa])"
    if not problem and _MAY_NOT_COMPILE.search(source):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": a [ ] of signs, still read
                re.compile(_expression(source))  # the expression tried later, so re's cache keeps it
        except (re.error, ValueError):
            problem = "a ? or * has nothing to act on (after a gap, or one too many)"
    if problem:
        raise ValueError(f"the phrase {phrase!r} cannot be read: {problem}")
    return items


def _items(phrase: str) -> list[tuple[str, bool]]:
    """The phrase's words and groups at the top level, each with whether `?` makes it optional."""
    if not _GROUP_OR_GAP.search(phrase):  # plain words, as most choices inside a group are
        return [(word, False) for word in phrase.split(" ") if word]
    items: list[tuple[str, bool]] = []
    index = 0
    while index < len(phrase):
        if phrase.startswith(" ... ", index) or phrase[index] == " ":
            index += 5 if phrase.startswith(" ... ", index) else 1
            continue
        end = index
        while (stop := _ITEM_STOP.search(phrase, end)) is not None and stop.group() != " ":
            end = _closing(phrase, stop.start()) + 1  # a group: the item goes on past its closing
        end = len(phrase) if stop is None else max(end, stop.start())
        item = phrase[index:end]
        optional = item.endswith(")?") and item.startswith("(") and _closing(item, 0) == len(item) - 2
        items.append((item[:-1] if optional else item, optional))
        index = end
    return items


def _closing(text: str, start: int) -> int:
    depth = 0
    for bracket in _BRACKET.finditer(text, start):  # from bracket to bracket: the letters between do not matter
        if bracket.group() in "([":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return bracket.start()
    raise ValueError(f"an unclosed group in {text!r}")


def _split_top(inner: str) -> list[str]:
    """Choices separated by `|` outside nested groups."""
    parts, depth, last = [], 0, 0
    for mark in _CHOICE_MARK.finditer(inner):
        char = mark.group()
        if char == "|":
            if depth == 0:
                parts.append(inner[last : mark.start()])
                last = mark.end()
        else:
            depth += 1 if char in "([" else -1
    parts.append(inner[last:])
    return parts
