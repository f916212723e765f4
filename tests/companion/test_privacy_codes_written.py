"""A diagnosis code typed into a note says as much as its words: "Dx F33.2" is as private as "major depression".
The code is read against the same ICD-10-CM table imported codes are (resources/content/sensitive_codes.toml)."""

from __future__ import annotations

import pytest

from companion.content import load_content


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Dx F33.2.", "mental_health"),
        ("T14.91XA coded at the ED visit 4/2", "suicide_self_harm"),
        ("Z21 on problem list", "hiv"),
        ("Antecedente Z91.52 en la lista de problemas", "suicide_self_harm"),
        ("T74.11XA, Y07.01 - see social work note", "abuse_violence"),
        ("O09.90", "reproductive"),
        ("\uff26\uff13\uff12.\uff11 on the problem list", "mental_health"),  # full-width: F32.1 as drawn
        ("Dx \u041220", "hiv"),  # a Cyrillic В: B20 as drawn
        ("pt w/ f33.2, stable", "mental_health"),  # typed in small letters, with its decimals
        ("f10.20 en remisión", "substance_use"),
        ("icd10: b20", "hiv"),  # in small letters after a word that names a diagnosis
        ("dx f32", "mental_health"),
        ("see dx: o09.90", "reproductive"),
    ],
)
def test_a_private_diagnosis_code_typed_into_a_note_makes_it_private(text, category):
    verdict = load_content().privacy.judge(text)
    assert (verdict.private, verdict.category) == (True, category)


@pytest.mark.parametrize(
    "text",
    [
        "E11.9, I10 on problem list",
        "B12 shot today",
        "F150 truck broke down",
        "Vitamin D3 2000 IU",
        "Bus F10 to the clinic",  # a place's number, not a diagnosis
        "Apartment F32, ring twice",
        "room O80",
        "take Exit Z21",
        "b12 shot today",  # small letters without decimals or a diagnosis word: a word, not a code
        "the f150 needs tires",
        "room o80.1",
        "his pH was 7.4, f20 on the form",
    ],
)
def test_an_everyday_code_or_a_word_shaped_like_one_stays_visible(text):
    assert not load_content().privacy.judge(text).private
