"""How to be understood and what to arrange: the language line and the practical needs, said once.

Records and rooming notes often repeat the language as a need ("Spanish interpreter", "Needs interpreter -
Spanish", "Prefers Spanish"); beside "Spanish, interpreter" that only takes room from the facts the clinician
does not know yet. A need is left out of the line only when every word of it is already said there.
"""

from __future__ import annotations

import re

from companion.privacy.phrases import normalize
from companion.read.models import NoteView, PatientView

# Words that only say "this is about language or an interpreter", in English and Spanish.
_INTERPRETER_WORDS = frozenset({
    "interpreter", "interpreters", "interpretation", "interpreting", "translator", "translation", "interprete",
    "interpretacion", "traductor", "traduccion",
})  # fmt: skip
_FILLER = frozenset({
    "a", "an", "the", "for", "in", "of", "with", "by", "via", "and", "is", "are", "patient", "pt", "please", "book",
    "booked", "needs", "need", "needed", "requires", "require", "required", "requested", "request", "uses", "use",
    "prefers", "prefer", "preferred", "preference", "language", "speaks", "speaking", "speaker", "only", "primary",
    "necesita", "necesitan", "requiere", "prefiere", "idioma", "habla", "el", "la", "un", "una", "de", "para", "con",
    "en", "por", "y", "all", "every", "visit", "visits", "appointment", "appointments", "always", "todas", "todos",
    "las", "los", "cita", "citas", "consulta", "consultas", "siempre",
})  # fmt: skip
# A language as the other shipped language names it: "Intérprete de español" repeats "Spanish, interpreter".
_NAMED_IN_SPANISH = {
    "spanish": "espanol", "english": "ingles", "portuguese": "portugues", "french": "frances", "arabic": "arabe",
    "chinese": "chino", "mandarin": "mandarin", "cantonese": "cantones", "vietnamese": "vietnamita",
    "russian": "ruso", "haitian": "haitiano", "creole": "criollo", "korean": "coreano", "tagalog": "tagalo",
}  # fmt: skip
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(normalize(text)))


def repeats_language(need: str, patient: PatientView) -> bool:
    """True when the need says nothing but the patient's language and interpreter need."""
    language = _words(patient.language)
    said = language | {_NAMED_IN_SPANISH[w] for w in language if w in _NAMED_IN_SPANISH}
    said |= {w for w, named in _NAMED_IN_SPANISH.items() if named in language}
    said |= _INTERPRETER_WORDS if patient.interpreter_needed else set()
    if not said:
        return False
    words = _words(need) - _FILLER
    return bool(words) and words <= said


def needs_to_show(patient: PatientView, needs: tuple[NoteView, ...]) -> tuple[NoteView, ...]:
    return tuple(n for n in needs if not repeats_language(n.text, patient))
