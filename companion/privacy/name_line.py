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
from companion.privacy.regions import without_regions

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
    NOT_A_LANGUAGE = "more than a language"


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
    if language.strip() and (is_private(language) or _private_without_places(language, is_private)):
        left_off["preferred_language"] = LeftOff.PRIVATE
    elif a_sentence_in_another_language(language) or more_than_a_note_after_it(language):
        left_off["preferred_language"] = LeftOff.NOT_A_LANGUAGE
    return left_off


def _private_without_places(language: str, is_private: Callable[[str], bool]) -> bool:
    """A place's name must not part the words of a private phrase: "Spanish, no U.S. documents" is judged again as
    "spanish no documents" (only when a place was named: otherwise the words were judged already)."""
    words = words_of(language)
    kept = without_regions(words)
    return kept != words and is_private(" ".join(kept))


# Words that join two languages' names ("Français et anglais", "Kreyòl ak Anglè"): no sentence.
_JOINING = frozenset({"et", "ak", "und"})
_SENTENCE_WORDS = frozenset().union(*SMALL_WORDS.values()) - _JOINING


def a_sentence_in_another_language(language: str) -> bool:
    """Whether the language field holds a sentence in a language the privacy rules cannot read: "Português, quero
    me matar" is judged by English and Spanish phrases and found to say nothing. A language's name never holds a
    small word of a sentence ("I", "want", "not", "my" in Portuguese, Haitian Creole, French, German, Italian or
    Tagalog: companion.privacy.other_languages), so one such word is enough here, where a note needs several."""
    return any(word in _SENTENCE_WORDS for word in words_of(language))


# What a desk writes after a language's name (after a comma, a colon, a spaced dash, a slash or in brackets): the
# names of other languages, of places, scripts and peoples (companion.privacy.regions), and the words of an
# interpreter note, in English and Spanish, without accents. Nothing else: "Deutsch, Selbstmordgedanken", "Italiano
# (incinta)" or "Русский, у меня ВИЧ" name a language and then say in it what the rules cannot read.
_NOTE_WORDS_LISTED = """
    arabic bengali german greek english spanish persian farsi dari pashto french hindi haitian creole kreyol armenian
    italian japanese khmer korean lao dutch punjabi polish portuguese romanian russian somali swedish tagalog
    filipino turkish ukrainian urdu vietnamese yiddish chinese mandarin cantonese taiwanese hakka toishanese
    american sign language languages asl bsl lsm hmong amharic tigrinya oromo swahili yoruba igbo twi nepali burmese
    karen chin hebrew kurdish albanian serbian croatian bosnian hungarian czech slovak norwegian danish finnish
    gujarati telugu tamil malayalam marathi thai ilocano cebuano bisaya visayan mam kiche quiche qanjobal mixteco
    mixtec zapoteco zapotec nahuatl quechua aymara guarani chuukese marshallese samoan tongan hawaiian fijian
    lingala kinyarwanda kirundi wolof fula fulani mandinka bambara tigre dinka nuer
    dialect dialects modern classical maay
    espanol ingles frances portugues aleman chino arabe lengua senas idioma dialecto
    interpreter interpreters interpretation interpreted interprets interpreting translator translates translation
    need needs needed required requires requested request prefers preferred prefer preference
    only limited some little basic fluent fluency no not none yes ok okay also but and or with without via by for
    reads read writes write speaks speak spoken understands understand signs written oral lip reading
    family daughter son wife husband partner mother father sister brother friend caregiver relative
    in person phone video remote vri opi certified female male staff bilingual primary secondary second first
    native home at well can cannot does doesn't don't cant dont uses use using
    consent forms documents medical visits appointments care
    interprete necesita necesitan requiere prefiere solo poco algo bien habla hablan lee escribe entiende
    con sin y o en por persona telefono hija hijo esposa esposo familia madre padre hermana hermano tambien
"""
_NOTE_WORDS = frozenset(_NOTE_WORDS_LISTED.split())
# Where a language's name ends: a comma, a colon, a bracket, a slash, a spaced dash (not a hyphen: "Serbo-Croatian"
# and "pt-BR" are one name), the signs other scripts and keyboards part words with ("中文（简体）", "Italiano ·
# incinta") or a new line.
_AFTER_THE_NAME = re.compile(r"\s[-–—‒―−‐⸺~+·•]\s|[,;:()\[\]{}<>/|–—―⸺，、：；（）［］｛｝〔〕【】«»‹›·•\n]")


def more_than_a_note_after_it(language: str) -> bool:
    """Whether words after the language's name are more than another language or an interpreter note (_NOTE_WORDS):
    "Spanish, daughter interprets", "Arabic - Levantine" and "Spanish (Belize)" show, "Français, enceinte" does not.
    The name itself may be any words (the world's languages have more names than a list holds)."""
    _name, *after = _AFTER_THE_NAME.split(language, maxsplit=1)
    return any(word not in _NOTE_WORDS for word in without_regions(words_of(after[0]))) if after else False


def shown_as_a_name(text: str) -> bool:
    """A preferred name of one word that the rules' lists also hold: a name, shown unjudged."""
    return text.strip().casefold() in NAMES_IN_A_NAME
