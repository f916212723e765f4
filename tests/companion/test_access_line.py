"""The glance's access line says the language and interpreter once: a practical need that only repeats them is
left out, one that says anything more (or contradicts the record) stays."""

from __future__ import annotations

import pytest

from companion.read.access import repeats_language
from companion.read.models import PatientView


def patient(language: str, interpreter: bool) -> PatientView:
    return PatientView(id=1, preferred_name="Majo", pronouns="", language=language, interpreter_needed=interpreter)


@pytest.mark.parametrize(
    "need",
    [
        "Spanish interpreter",
        "Needs Spanish interpreter",
        "Interpreter needed (Spanish)",
        "needs an interpreter - spanish",
        "Prefers Spanish",
        "SPANISH-speaking interpreter required",
        "Requiere intérprete",
        "Intérprete de español en todas las citas",  # the language named in Spanish
        "Spanish interpreter for all visits",
    ],
)
def test_a_need_that_only_repeats_the_language_and_interpreter_is_left_out(need):
    assert repeats_language(need, patient("Spanish", True))


@pytest.mark.parametrize(
    "need, language, interpreter",
    [
        ("Spanish interpreter; uses a wheelchair", "Spanish", True),  # says more
        ("Spanish interpreter by phone", "Spanish", True),  # how the interpreter comes
        ("Interpreter needed", "Spanish", False),  # contradicts the record: both are shown
        ("Portuguese interpreter", "Spanish", True),  # another language
        ("Intérprete de portugués", "Spanish", True),  # another language, named in Spanish
        ("Hard of hearing on the left", "Spanish", True),
        ("Interpreter", "", False),  # nothing recorded to repeat
        ("Needs", "Spanish", True),  # no word of substance: not a repeat of anything
    ],
)
def test_a_need_that_says_anything_more_stays(need, language, interpreter):
    assert not repeats_language(need, patient(language, interpreter))
