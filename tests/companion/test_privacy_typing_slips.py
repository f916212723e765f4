"""A private word typed with one slip of the keyboard (companion.privacy.slips): a nurse rooming in a hurry, a patient
on a phone. The word is read as the one a strong phrase names alone, and a long word as the word of a longer phrase
("restraning order"); an everyday word one slip from either stays as written, and so does most of a Spanish text,
whose verb forms are often one vowel from an English private word."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.errors import CompanionError
from companion.privacy.slips import slips_of
from companion.services import notes
from companion.storage.store import open_store


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("uses herion on weekends", "substance_use"),  # two letters swapped
        ("smokes marijauna daily with friends", "substance_use"),
        ("methamphetimine use since his twenties", "substance_use"),  # a vowel for another
        ("she is pregnent, due in March", "reproductive"),
        ("had an abortian last year", "reproductive"),
        ("history of bulemia in college", "mental_health"),
        ("dx of syphillis treated in 2019", "sti"),  # a letter typed twice
        ("Crack cocainne on and off", "substance_use"),
        ("chlamydiia screen positive", "sti"),
        ("Pt reports heroinn relapse", "substance_use"),
        ("SHE IS PREGANT AGAIN", "reproductive"),  # capitals read as small letters
        ("cocane in his car", "substance_use"),  # a letter left out
        ("treated for gonorrea last fall", "sti"),
        ("uses herin again", "substance_use"),  # five letters: a six-letter word with one left out
        ("missed methadnoe dose yesterday", "substance_use"),  # one of a choice of words: (suboxone|methadone|...)
        ("mom keeps nalaxone at home for him", "substance_use"),
        ("attacked by a rapsit in college", "abuse_violence"),
        ("molessted as a child by uncle", "abuse_violence"),
        # A long word of a longer phrase, read with the words beside it (PhraseWords)
        ("she has a restraning order against him", "abuse_violence"),  # a letter left out
        ("her ex violated the restrainig order", "abuse_violence"),
        ("paternty test results came back", "genetic"),
        ("imigration hearing next month", "legal_immigration"),
        ("<p>Her ex ignores the <b>restraning</b> order</p> 😢", "abuse_violence"),  # HTML, an emoji
        ("\u202bimigration hearing\u202c next month", "legal_immigration"),  # right-to-left embedding marks
    ],
)
def test_a_private_word_typed_with_one_slip_is_kept_private(rules, text, category):
    verdict = rules.judge(text)
    assert verdict.private and verdict.category == category, text


@pytest.mark.parametrize(
    "text",
    [
        "In addition to her inhaler she takes a vitamin",  # "addiction"
        "Wants a chance to ask about his knee",  # "chancre"
        "Bring condiments to the cookout on Sunday",  # "condom"
        "Plans to depart for Ohio after the visit",  # "deport"
        "A heroic effort getting here in the snow",  # "heroin"
        "Her blender broke, so no smoothies this week",  # "bender"
        "Says the herons are back at the pond",
        "Grasped the rail and stood up without help",
        "Feminist book club on Thursdays",
        "Right adductor strain from playing hockey Sunday",  # "addict": a medical word no dictionary lists
        "Wants MOLST done: DNR, comfort-focused, daughter agrees",  # "molest", five letters
        "Rash on my arms from cuttin grass, itch like crazy",  # "cutting", then read as the grass it is
        "Works as a layer at the bakery",  # "lawyer", a weak word
        # What the probe found the other rules hid: a heroine, batter, a packer, manners, condoning, ecstasy felt
        "She loves the heroine in the novel she is reading",
        "Had battered fish and chips on Friday",
        "Works as a cracker packer at the biscuit factory",
        "She teaches a deportment and etiquette class for teens",
        "Her church does not condone gambling",
        "Fans were in ecstasy when the home team scored",
    ],
)
def test_an_everyday_word_one_slip_from_a_private_one_is_shown(rules, text):
    assert not rules.judge(text).private, text


@pytest.mark.parametrize(
    "text",
    [
        "Le encanta el baile de los sábados",  # "encinta", were Spanish read through slips
        "¿Qué sucede con la presión? Dice que sube por la tarde",  # "suicide", "prison"
        "La hija presiona para que camine más",
        "Dice que la herin del brazo ya sanó",  # five letters: "heroin" in English text, as written in Spanish
    ],
)
def test_spanish_text_is_not_read_through_a_vowel_slip_or_a_short_word(rules, text):
    assert not rules.judge(text).private, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mamá no sabe que la trajeron a urgencias por intento de suicdio en enero", "suicide_self_harm"),  # left out
        ("Su hermano usa hreoina los fines de semana", "substance_use"),  # swapped
        ("Le recetaron methadonne en la clínica", "substance_use"),  # one too many
    ],
)
def test_spanish_text_is_read_through_a_longer_words_letter_left_out_swapped_or_too_many(rules, text, category):
    verdict = rules.judge(text)
    assert verdict.private and verdict.category == category, text


def test_a_weak_word_typed_with_a_slip_still_needs_its_cue(rules):
    """A weak word is read through its slip, then judged as it would be written: private beside a cue only."""
    assert rules.judge("overwhelemd all the time since the move").private
    assert not rules.judge("overwhelemd by the snow today").private


def test_every_slip_kind_is_one_step_from_the_word():
    forms = slips_of("heroin")
    assert {"heroi", "eroin", "herion", "herain", "herroin"} <= forms  # left out, swapped, a vowel, twice
    assert "heroin" not in forms
    assert all(abs(len(form) - len("heroin")) <= 1 for form in forms)


def test_a_clinic_adds_an_everyday_word_of_its_own(store, visit_id, companion_home, db_path):
    """The clinic's own word that one slip from a private word misread ("Cocane" is a road in its town)."""
    (companion_home / "content").mkdir(parents=True, exist_ok=True)
    (companion_home / "content" / "sensitive.toml").write_text('[typing_slips]\neveryday = ["cocane"]\n', "utf-8")
    clinic = open_store(str(db_path))  # content is read when a store opens
    try:
        note = notes.add_note(clinic, visit_id, "social", "Lives on Cocane Road with her sister", "Nurse").result
        assert not note.sensitive
        assert notes.add_note(clinic, visit_id, "social", "Uses herion again", "Nurse").result.sensitive
    finally:
        clinic.engine.dispose()
    assert notes.add_note(store, visit_id, "social", "Lives on Cocane Road", "Nurse").result.sensitive  # shipped


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ('[typing_slips]\neveryday = "cocane"\n', "everyday must be a list"),
        ("[typing_slips]\neveryday = [4]\n", "[typing_slips] everyday must be a list of words"),
        ('[typing_slips]\nwords = ["cocane"]\n', "[typing_slips] has 'words'"),
    ],
)
def test_a_clinic_list_of_everyday_words_written_wrong_is_named_when_the_app_starts(
    companion_home, db_path, written, named
):
    (companion_home / "content").mkdir(parents=True, exist_ok=True)
    (companion_home / "content" / "sensitive.toml").write_text(written, "utf-8")
    with pytest.raises(CompanionError) as refused:
        open_store(str(db_path)).engine.dispose()
    assert named in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "uses herion🙂 again",  # an emoji against the word
        "\u200fuses herion again\u200f",  # right-to-left marks around it
        "uses <b>herion</b> again",  # pasted as HTML
        "uses her&shy;ion again",  # a soft hyphen written as a reference
        "HERION AGAIN",  # typed in capitals
        "walked to the park " * 10_000 + "uses herion",  # at the end of a 190 KB note
    ],
    ids=["emoji", "rtl marks", "html", "soft hyphen", "capitals", "huge note"],
)
def test_a_slip_is_read_however_the_text_around_it_is_written(rules, text):
    assert rules.judge(text).category == "substance_use"


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "\u200f\u200f"])
def test_a_text_with_no_word_is_not_read_as_a_slip(rules, text):
    assert not rules.judge(text).private


@pytest.mark.parametrize(
    "text",
    [
        "bladder retraining exercises twice a day",  # "restraining", one letter left out
        "the retraining order came from his boss",
        "indicated for knee surgery in March",  # "indicted"
        "baby was suctioned after birth",  # "sectioned"
        "sunburned from overdoing it in the garden",  # "overdosing"
        "My husband's snoring is killing me",  # seven letters: too short to be read as a phrase's word
        "Brand name Synthroid only please",
        "Home health: meds sorted into a weekly pillbox",
        "a restraining bolt on the trailer hitch",  # the word itself, where no phrase of the rules stands
    ],
)
def test_an_everyday_word_one_slip_from_a_phrases_word_is_read_as_written(rules, text):
    assert not rules.judge(text).private, text
