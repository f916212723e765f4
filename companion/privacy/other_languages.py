"""Text typed in a language the phrases are not written in, though in the letters English and Spanish use.

A Portuguese or Haitian patient's words, typed at the desk or by a nurse who speaks their language, carry no
declared language, and their letters are Latin-1's: "quero me matar, já separei os remédios" would be read by the
English and Spanish phrases, found to say nothing, and shown. Such a text is told by its small words (pronouns,
articles, "not", "with", "I want"), chosen for each language where neither English nor Spanish writes them; it is
then kept private as any text the rules cannot read is (companion.privacy.rules). A language a clinic adds phrases
for is read, not told here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from companion.privacy.phrases import APOSTROPHES

# Each language's small words that English and Spanish do not write, nor a clinic's shorthand or a common name:
# none of "do", "die", "pour", "ate", "os", "da", "yo", "tres", "mes", "ER", "PO", "mo", "sono", "Mia", "Li"...
# Written without their accents: "não" and "nao" are one.
_SMALL_WORDS = {
    "pt": """nao voce voces ele ela eles elas dele dela deles nele nela meu minha meus minhas sua suas uma umas
        uns eu estou sou tem quero queria ja muito muita tambem isso isto aquilo pra depois agora ainda ontem hoje
        amanha dor remedio filho filha mae mulher sem medo fui tenho estava quer nas falar fazer obrigado obrigada""",
    "ht": """mwen ou nou nan ak pou gen kounye konnen vle pale renmen manje malad doule pitit manman fanm timoun
        lopital pral kap kijan poukisa paske lakay""",
    "fr": """je suis nous vous avec une et dans mais etre avoir aussi peur enfant femme veux veut sans chez j'ai
        c'est n'est""",
    "de": """ich nicht und ist mit mein meine sie wir habe auch aber oder kein keine schon sehr frau kinder
        schmerzen nur noch wenn weil schwul""",
    "it": """gli molto anche perche mio questo ancora voglio marito figlio figlia dolore paura niente""",
    "tl": """ako ikaw siya kami tayo sila ang ng mga opo ko niya nila ayaw wala meron lang naman talaga kasi
        sakit asawa anak""",
}
# English and Spanish small words: a text that holds as many of these is read, whatever else it holds (names,
# a word of Portuguese in an English note).
_READ_WORDS = """the and is are was to of with her his she he for on in at it not has have this that my
    y el la los las de del que en con por es su se lo un una no mi"""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LANGUAGES = tuple(_SMALL_WORDS)
SMALL_WORDS = {code: frozenset(words.split()) for code, words in _SMALL_WORDS.items()}
READ_WORDS = frozenset(_READ_WORDS.split())


def _plain(word: str) -> str:
    if word.isascii():  # most words: no accent to take off
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    """The text's words as the small words are written: in small letters, without accents, with one kind of
    apostrophe ("j’ai" is "j'ai", "d’Ivoire" "d'ivoire")."""
    return [_plain(word) for word in _WORD.findall(text.translate(APOSTROPHES))]


def written_in(text: str, reads: Callable[[str], bool]) -> str | None:
    """The language (of LANGUAGES) the text is written in, if it is one the phrases do not read (`reads` says
    which they do): two or more of its small words, a quarter of the text's words at least, and more of them than
    English and Spanish small words."""
    words = words_of(text)
    if len(words) < 2:
        return None
    read = sum(word in READ_WORDS for word in words)
    for code, small in SMALL_WORDS.items():
        found = sum(word in small for word in words)
        if found >= 2 and found * 4 >= len(words) and found > read and not reads(code):
            return code
    return None
