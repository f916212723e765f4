"""Words typed in a language the phrases are not written in, in the letters English and Spanish use (Portuguese,
Haitian Creole, French, German, Italian, Tagalog): no language is declared at the desk, so they are told by their
small words and kept behind the reveal, unread, rather than read by English and Spanish phrases and shown."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.privacy.other_languages import written_in
from companion.read.briefing import build_glance
from companion.services import notes, priorities


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    "text",
    [
        "quero me matar, já separei os remédios",  # Portuguese: I want to kill myself, I set the pills aside
        "sem documentos, medo da imigração",
        "Ana quer falar com o médico sobre a dor nas costas",
        "Mwen vle pale ak doktè a pou pitit mwen",  # Haitian Creole
        "Je suis fatiguée, j'ai peur de rentrer chez moi",  # French
        "C’est dur, j’ai peur de lui",  # French, as a phone types its apostrophes
        "Ich habe Angst und Schmerzen, er schlägt mich",  # German
        "Voglio parlare con il medico, ho paura di mio marito",  # Italian
        "Ang anak ko ay may sakit at ayaw kumain",  # Tagalog
    ],
)
def test_words_in_a_language_the_rules_do_not_read_are_kept_private_unread(rules, text):
    verdict = rules.judge(text)
    assert verdict.private and verdict.reason == "language"


@pytest.mark.parametrize(
    "text",
    [
        "Speaks Portuguese, daughter Ela interprets",
        "Pt from Brazil, sister João brings her",
        "Says obrigado to everyone at the desk",
        "Vive con su hija en Tijuana, quiere hablar de la dor... de la espalda",
        "Nan brings her on Tuesdays; grandson Ang drives",
        "Drops OS bid, PO meds as before, 3 mo follow-up",
        "Email ana@gmail.com for the portal, nurse Mia calls",
        "No tiene dolor hoy, vino con su mamá",
    ],
)
def test_english_and_spanish_with_a_foreign_name_or_word_are_read_as_always(rules, text):
    assert not rules.judge(text).private


def test_a_language_the_clinic_adds_phrases_for_is_read_by_them_not_kept_unread():
    text = "quero me matar, já separei os remédios"
    assert written_in(text, reads=lambda code: code in ("en", "es")) == "pt"
    assert written_in(text, reads=lambda code: code in ("en", "es", "pt")) is None


def test_a_priority_and_a_note_typed_in_portuguese_stay_off_the_glance(store, visit_id):
    """A nurse who speaks the patient's language types what they said: behind the reveal, for the clinician."""
    priorities.add_priority(store, visit_id, "quero me matar, já separei os remédios")
    notes.add_note(store, visit_id, "social", "o marido bate nela, ela tem medo de voltar pra casa", "Nurse Ana")
    priorities.add_priority(store, visit_id, "Knee pain when climbing stairs")

    glance = build_glance(store, visit_id)

    shown = " ".join([*(p.text for p in glance.priorities), *(n.text for n in glance.story)])
    assert "matar" not in shown and "marido" not in shown and "Knee pain" in shown
    assert glance.private_count == 2
