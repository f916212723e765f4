"""What may show beside the patient's name on every screen: the preferred name, the pronouns and the language.

One rule, used wherever those words arrive (typed at registration, a schedule file, a FHIR record) and when the
stored ones are read again under new rules (companion.privacy.stored): a word the privacy rules keep private is
left off, read as words beside a name (letters tell nothing there). A preferred name of one word that the rules'
lists also hold is a name and shows unjudged: "Molly", "Brandy"; any other is judged: "Suicidal", "Alex (HIV
positive)", "Jo,PrEP".

Pronouns hold pronouns and nothing more.
The privacy rules read sentences; a pronouns field is a few words where one more says a great deal: "she/her,
trans", "he/him (bi)", "they/them, 2S" tell gender identity or sexuality to everyone in the room, though "trans" or
"bi" alone is no private sentence. So the field is read by what it may hold, not by what it must not: pronouns
(English, Spanish and a few neighbours a clinic hears, neopronouns included) and the few words people write around
them ("any", "ask", "use my name"). Anything else is written in a note, where the rules keep private words private.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from enum import Enum

from companion.privacy.names_in_text import NAMES_IN_A_NAME
from companion.privacy.other_languages import SMALL_WORDS, words_of

_LISTED = """
    she her hers herself he him his himself they them their theirs themself themselves it its itself one
    ze zie zir zirs hir hirs xe xem xyr xyrs xir xirs ey em eir eirs fae faer faers ve ver vis vers per pers
    e thon co cos
    ella ellas el ellos elle elles ellx elx le les la lo los las su sus suyo suya
    il ils iel iels lui eux elu delu ele ela dele dela er sie ihn ihm ihr es
    any all either both other others no none pronoun pronouns pronombre pronombres
    and or y o e ou und oder
    use uses using prefer prefers preferred please ask first only just my name names mi nombre solo usar usa
    cualquier cualquiera todos todas todes ninguno ninguna
    mx mr mrs ms miss sr sra srta
"""
PRONOUN_WORDS = frozenset(_LISTED.split())
_WORD = re.compile(r"\w+")  # digits too: "2S" is no pronoun


def only_pronouns(text: str) -> bool:
    """Whether every word of `text` is a pronoun or a word written around pronouns ("she/her", "they/them please",
    "él/ella", "any pronouns, use my name"). Accents and case do not matter: "Él" is "el"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return all(word in PRONOUN_WORDS for word in _WORD.findall(plain))


class LeftOff(Enum):
    """Why a word of the name line may not show."""

    PRIVATE = "private words"
    NOT_PRONOUNS = "more than pronouns"
    NOT_A_LANGUAGE = "a sentence, not a language"


def left_off_the_name_line(
    preferred_name: str, pronouns: str, language: str, is_private: Callable[[str], bool]
) -> dict[str, LeftOff]:
    """Which of the name line's words may not show beside the name, by the patient's column ("preferred_name",
    "pronouns", "preferred_language"), and why. `is_private` is the rules' verdict on words beside a name; it is
    asked only of words that are there."""
    left_off = {}
    if preferred_name.strip() and not shown_as_a_name(preferred_name) and is_private(preferred_name):
        left_off["preferred_name"] = LeftOff.PRIVATE
    if pronouns.strip() and is_private(pronouns):  # said first: the words are private, wherever they are typed
        left_off["pronouns"] = LeftOff.PRIVATE
    elif not only_pronouns(pronouns):  # "she/her, trans": each word alone no private sentence
        left_off["pronouns"] = LeftOff.NOT_PRONOUNS
    if language.strip() and is_private(language):
        left_off["preferred_language"] = LeftOff.PRIVATE
    elif a_sentence_in_another_language(language):
        left_off["preferred_language"] = LeftOff.NOT_A_LANGUAGE
    return left_off


# Words that join two languages' names ("Français et anglais", "Kreyòl ak Anglè"): no sentence.
_JOINING = frozenset({"et", "ak", "und"})
_SENTENCE_WORDS = frozenset().union(*SMALL_WORDS.values()) - _JOINING


def a_sentence_in_another_language(language: str) -> bool:
    """Whether the language field holds a sentence in a language the privacy rules cannot read: "Português, quero
    me matar" is judged by English and Spanish phrases and found to say nothing. A language's name never holds a
    small word of a sentence ("I", "want", "not", "my" in Portuguese, Haitian Creole, French, German, Italian or
    Tagalog: companion.privacy.other_languages), so one such word is enough here, where a note needs several."""
    return any(word in _SENTENCE_WORDS for word in words_of(language))


def shown_as_a_name(text: str) -> bool:
    """A preferred name of one word that the rules' lists also hold: a name, shown unjudged."""
    return text.strip().casefold() in NAMES_IN_A_NAME
