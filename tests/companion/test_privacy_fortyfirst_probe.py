"""What round 41's probe (600 notes by a writer who had not seen the rules; privacy_sets/set198.toml) found: private
notes the rules missed, each read by its kind of wording now (a court summons, a fear of being asked for papers, a
hepatitis B test read out, a partner kept out of the room, a safety code word), and everyday notes the rules hid
(a kayak's paddling, a sunset, mints, a laugh), each shown now beside the private use of the same word."""

from __future__ import annotations

import pytest

from companion.content import load_content


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ('Got a court summons for shoplifting -- "don\'t tell my mom"', "legal_immigration"),
        ("ticketed for shoplifting at the mall in March", "legal_immigration"),
        ("\"I can't go to the ER, they'll ask for papers\" - pt", "legal_immigration"),
        ("afraid they will ask him for his green card at the front desk", "legal_immigration"),
        ('"No quiero que me pidan documentos" - pt', "legal_immigration"),
        ("Tiene miedo de que le pidan papeles en la clínica", "legal_immigration"),
        ("Hep B surface antigen +, likely from a sexual partner", "sti"),
        ("HBsAg reactive on the prenatal panel", "sti"),
        ("Recently came out to her sister only, rest of the family is very religious", "sexuality_gender"),
        ("PRIORITY: wants to talk privately about her partner, asked that he wait in the car", "abuse_violence"),
        ("asked that her husband stay outside during the exam", "abuse_violence"),
        ('Safety code word set up: if pt says "I need my blue folder" she is not safe', "abuse_violence"),
        ("Pide que su pareja no entre al consultorio, quiere hablar de lo que pasa en casa", "abuse_violence"),
        ("Prefiere que su esposo espere afuera", "abuse_violence"),
    ],
)
def test_a_private_note_the_probe_wrote_is_kept_private(rules, text, category):
    verdict = rules.judge(text)
    assert verdict.private and verdict.category == category, text


@pytest.mark.parametrize(
    ("everyday", "private"),
    [
        ("Loves kayaking, shoulder clicks when paddling", "paddled with a belt as a kid"),
        ("Paddling a canoe on the lake every Sunday", "paddling at school when he was little"),
        ("Son is a pharmacist at the hospital down the road", "feels down, cried in the hospital bathroom"),
        ("Showed staff the arresting sunset photos from her cruise", "arrested last month for a DUI"),
        ("Siempre lleva pastillas de menta en la bolsa", "compra pastillas en la calle y las usa en la bolsa"),
        ("Snorted with laughter at the comedy show", "snorted a line at the party"),
        ("Works at customs processing returned and deported goods", "her brother was deported last year"),
        ("Bf gave her a ride and will wait in the car. Wants to discuss knee MRI.", None),
        ("asked that her daughter wait in the lobby while we go over the colonoscopy prep", None),
    ],
)
def test_an_everyday_note_the_probe_wrote_is_shown_and_the_private_use_is_not(rules, everyday, private):
    assert not rules.judge(everyday).private, everyday
    if private is not None:
        assert rules.judge(private).private, private
