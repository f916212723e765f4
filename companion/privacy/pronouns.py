"""Pronouns show beside the patient's name on every screen, so they hold pronouns and nothing more.

The privacy rules read sentences; a pronouns field is a few words where one more says a great deal: "she/her,
trans", "he/him (bi)", "they/them, 2S" tell gender identity or sexuality to everyone in the room, though "trans" or
"bi" alone is no private sentence. So the field is read by what it may hold, not by what it must not: pronouns
(English, Spanish and a few neighbours a clinic hears, neopronouns included) and the few words people write around
them ("any", "ask", "use my name"). Anything else is written in a note, where the rules keep private words private.
"""

from __future__ import annotations

import re
import unicodedata

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
