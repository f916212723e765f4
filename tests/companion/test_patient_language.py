"""The words a patient reads exist in every shipped language; a clinic adds a language or rewords one."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.errors import CompanionError
from companion.read.patient_language import SOURCE_LANGUAGE, _folders, _words_of, patient_language, patient_languages


def test_every_shipped_language_has_every_key_english_has_and_no_other():
    folders = _folders(None)
    english = _words_of(folders[SOURCE_LANGUAGE])
    assert {"en", "es"} <= set(folders)
    for code, language_folders in folders.items():
        own = _words_of(language_folders)
        assert set(own) == set(english), code
        assert all(text.strip() for text in own.values()), code


def test_each_language_names_itself_and_english_comes_first():
    languages = patient_languages()
    assert list(languages)[0] == "en"
    assert (languages["en"].name, languages["es"].name) == ("English", "Español")


def test_a_clinic_adds_a_language_and_a_missing_key_falls_back_to_english(tmp_path: Path):
    french = tmp_path / "patient" / "fr"
    french.mkdir(parents=True)
    (french / "language.toml").write_text('name = "Français"\n', encoding="utf-8")
    languages = patient_languages(tmp_path)
    assert languages["fr"].name == "Français"
    assert set(languages["fr"].words) == set(languages["en"].words)


def test_a_clinic_file_that_is_not_toml_or_not_text_is_named(tmp_path: Path):
    folder = tmp_path / "patient" / "es"
    folder.mkdir(parents=True)
    (folder / "language.toml").write_bytes(b"name = \xff\n")
    with pytest.raises(CompanionError, match="es/language.toml"):
        patient_languages(tmp_path)
    (folder / "language.toml").write_text("name = 3\n", encoding="utf-8")
    with pytest.raises(CompanionError, match="name must be text"):
        patient_languages(tmp_path)


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(CompanionError, match="no patient words in that language"):
        patient_language("xx")


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ('came_for = "You came for {reason} ({name})"', "{name} is not one of its placeholders ({reason})"),
        ('visit_on = "You saw {clinician} on {date"', "expected '}' before end of string"),
        ('visit_on = "For {0}"', "{0} is not a placeholder"),
        ('came_for = "{reason.__class__}"', "{reason.__class__} is not a placeholder"),
    ],
)
def test_a_clinics_reworded_handout_with_a_placeholder_typo_is_named_not_printed_half(tmp_path: Path, written, said):
    """The handout filled in the clinic's words as it printed: a typo stopped it with "an unexpected problem" (and
    an attribute lookup reached inside Python). Each key fills in only what the shipped English key does."""
    folder = tmp_path / "patient" / "en"
    folder.mkdir(parents=True)
    (folder / "handout.toml").write_text(written + "\n", encoding="utf-8")

    with pytest.raises(CompanionError, match="the patient words en handout") as refused:
        patient_languages(tmp_path)
    assert said in str(refused.value)


def test_a_clinics_rewording_may_leave_out_or_move_placeholders(tmp_path: Path):
    folder = tmp_path / "patient" / "en"
    folder.mkdir(parents=True)
    (folder / "handout.toml").write_text('visit_on = "On {date}, {clinician} saw you. {{Keep this}}"\n', "utf-8")

    english = patient_languages(tmp_path)["en"]

    said = english.say("handout.visit_on", date="May 2", clinician="Dr. Ruiz")
    assert said == "On May 2, Dr. Ruiz saw you. {Keep this}"
