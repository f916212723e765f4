"""What round 41's two probes (1,080 notes by writers who had not seen the rules; privacy_sets/set198.toml and
set199.toml) found: private notes the rules missed, each read by its kind of wording now (a court summons, a fear of
being asked for papers, a hepatitis B test read out, a partner kept out of the room, a safety code word, a transition
with its hormones, emergency contraception, workers locked in), and everyday notes the rules hid (a kayak's paddling,
a sunset, mints, a laugh, a colonoscopy's prep, the physical therapist, money called pisto), each shown now beside the
private use of the same word."""

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
        ('healing cutting scars bilat wrists, pt states "last month"', "suicide_self_harm"),
        ("can my estradiol dose go up? my transition has been going well", "sexuality_gender"),
        ("Quiero la cirugía de pecho, la mastectomía pa' mi transición", "sexuality_gender"),
        ("Mi cipota quiere que le digan Mateo ahora, she says she's a boy", "sexuality_gender"),
        ("A mi niña la tocó el vecino, she told me ayer", "abuse_violence"),
        ("el patrón nos tiene encerrados y no nos paga", "abuse_violence"),
        ("the contractor kept them locked inside the house at night", "abuse_violence"),
        ("pt requests EC, Ella rx sent", "reproductive"),
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
        ("Also the colonoscopy prep was easier than I expected, insurance covered it", "PrEP refill, insurance denied"),
        ("physical therapy: the therapist wants me to use resistance bands", "my therapist says it is PTSD"),
        ("No tengo pisto pa' el copago hasta el viernes", "se echó un pisto y manejó borracho"),
        ("he says he's a big boy now and dresses himself", None),
        ("his transition to assisted living went well", None),
        ("Bf gave her a ride and will wait in the car. Wants to discuss knee MRI.", None),
        ("asked that her daughter wait in the lobby while we go over the colonoscopy prep", None),
    ],
)
def test_an_everyday_note_the_probe_wrote_is_shown_and_the_private_use_is_not(rules, everyday, private):
    assert not rules.judge(everyday).private, everyday
    if private is not None:
        assert rules.judge(private).private, private
