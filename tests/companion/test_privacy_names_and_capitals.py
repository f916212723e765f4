"""What set 34 (privacy_sets/set34.toml) taught, tried on wordings that are not in it: a word the rules hold that is
written as someone's name, a note typed in capitals, slang for being drunk, passive abuse, suicide told by its
method, hepatitis, court and jail, mental-health services; and everyday uses beside them."""

from __future__ import annotations

import pytest

from companion.content import load_content


@pytest.fixture(scope="module")
def judge():
    return load_content().privacy.judge


@pytest.mark.parametrize(
    "text",
    [
        "Crystal is her daughter and drives her to visits",
        "granddaughter Molly does the shopping",
        "Ms. Brandy Cole from the senior center called",
        "Tina from the pharmacy called back",  # a place where people work
        "his cat named Bourbon sleeps on the bed",
        "Tina, her niece, translates",
        "Dra. Paco Ruiz es su cardióloga",
        "Kush's birthday party is on Saturday",
    ],
)
def test_a_word_the_rules_hold_written_as_a_name_is_a_name(judge, text):
    assert not judge(text).private, text


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Condon is her cardiologist",  # condón, unaccented
        "Dr. Deporter did her knee replacement",
        "Mrs. Herrin from church brings meals on Tuesdays",  # one slip from "heroin"
        "Dr. Ecstasy ha ha",
        "Sra. Preso la trae a las citas",
        "Mr. Alvarez-Pott will drive her home",
        "<b>Dr. Condon</b> 👍 checked her heart",  # HTML and an emoji around the name
        "\u200fDr. Deporter\u200f did her knee",  # right-to-left marks
    ],
)
def test_any_capitalised_surname_after_a_title_is_a_name(judge, text):
    """Not only the names listed as words: a surname is whatever follows Dr., Mrs. or Sra. written as a name."""
    assert not judge(text).private, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mr. Alvarez's husband will drive him home after the colonoscopy", "sexuality_gender"),  # "'s" is no name
        ("asked Dr. Condon about PrEP", "hiv"),  # the name is a name; what was asked, as it is
        ("DR. CONDON GAVE HER CONDOMS", "reproductive"),  # in capitals alone, the word may be the word
        ("Dr. said she is pregnant again", "reproductive"),  # a title with no name after it
    ],
)
def test_what_is_said_beside_a_titled_name_is_still_read(judge, text, category):
    verdict = judge(text)
    assert verdict.private and verdict.category == category, text


@pytest.mark.parametrize(
    "text",
    [
        "took Molly at the festival",
        "granddaughter Molly overdosed last spring",  # the name is read as a name; what she did, as it is
        "Crystal is her daughter, who is in rehab for meth",
        "MOLLY IS MY DRUG OF CHOICE",
        "Weed is my friend these days",  # a friend is what a drug is called too; a daughter is not
        "Weed from the dispensary helps her sleep",  # where it came from is no sign of a person
        "Beer from the corner store, 12 a day",
        "Molly from the rave last weekend",
        "Uses what she called crystal",  # "called" names a thing as often as a person
    ],
)
def test_the_same_word_used_as_what_it_is_or_beside_a_private_fact_stays_private(judge, text):
    assert judge(text).private, text


@pytest.mark.parametrize(
    "text",
    [
        "ICE PACKS TO BOTH KNEES",
        "BOWEL PREP STARTS AT 6 PM",
        "SI JOINT INJECTION NEXT WEEK",
        "ROOT BEER FLOAT",
        "PREP FOR COLONOSCOPY TOMORROW",
        "MEAL PREP FOR THE WEEK",
    ],
)
def test_an_everyday_use_typed_in_capitals_is_everyday(judge, text):
    assert not judge(text).private, text


@pytest.mark.parametrize(
    "text",
    [
        "ICE DETAINED HER BROTHER",
        "ON PREP, TRUVADA DAILY",
        "SI WITH A PLAN",
        "PT ON PREP FOR 2 YRS",  # an everyday "prep for" (surgery, class) once read it as bowel prep
        "REFILLED PREP FOR 90 DAYS",
        "pt on prep for 2 yrs",
    ],
)
def test_a_private_fact_typed_in_capitals_is_private(judge, text):
    assert judge(text).private, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("gets trashed most weekends", "substance_use"),
        ("half a handle of vodka in a day", "substance_use"),
        ("dosed at the methadone clinic every morning", "substance_use"),
        ("sniffing computer duster at school", "substance_use"),
        ("kicked by her ex-husband in March", "abuse_violence"),
        ("choked until she passed out", "abuse_violence"),
        ("jumped from the parking garage in 2019", "suicide_self_harm"),
        ("swallowed a whole bottle of benadryl", "suicide_self_harm"),
        ("Hep C from a tattoo, treated", "sti"),
        ("facing felony charges", "legal_immigration"),
        ("removal hearing next month", "legal_immigration"),
        ("ECT sessions twice a week", "mental_health"),
        ("purging after dinner most nights", "mental_health"),
        ("legal name Daniel, goes by Dani, she/her", "sexuality_gender"),
    ],
)
def test_what_set_34_taught_holds_for_other_wordings(judge, text, category):
    verdict = judge(text)
    assert verdict.private and verdict.category == category, (text, verdict)


@pytest.mark.parametrize(
    "text",
    [
        "ginger beer for her nausea",
        "non-alcoholic wine at the wedding",
        "takes pills for his cholesterol",
        "her daughter is a psychologist",
        "son works as a corrections officer",
        "hep B vaccine series complete",
        "Hep C antibody screen negative",
    ],
)
def test_everyday_uses_of_those_words_stay_shown(judge, text):
    assert not judge(text).private, text
