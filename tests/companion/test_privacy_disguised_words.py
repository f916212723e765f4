"""A private fact written past a filter, or typed that way, is read as a person reads it: letters spaced or dotted
out, digits and signs for letters, a star for a letter (companion.privacy.disguise). Ordinary shorthand that mixes
letters and digits (A1c, B12, 7am, 50th) stays as public as it was."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.read.briefing import build_glance
from companion.services import notes, priorities


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("sometimes I think about s u i c i d e", "suicide_self_harm"),
        ("want to k.i.l.l m.y.s.e.l.f", "suicide_self_harm"),
        # a word of one letter before the word dotted out: the dots, not the one space, join the letters
        ("a s.u.i.c.i.d.e attempt last spring", "suicide_self_harm"),
        ("habló de o s.u.i.c.i.d.i.o", "suicide_self_harm"),
        ("I want to k1ll myself", "suicide_self_harm"),
        ("su1c1dal again last week", "suicide_self_harm"),
        ("thoughts of s*icide", "suicide_self_harm"),
        ("been c-u-t-t-i-n-g my arms", "suicide_self_harm"),
        ("just tested H1V positive", "hiv"),
        ("h!v test came back", "hiv"),
        ("back on m3th since may", "substance_use"),
        ("her boyfriend b3ats her", "abuse_violence"),
        ("estoy embaraz4da", "reproductive"),
        ("pienso en el s.u.i.c.i.d.i.o", "suicide_self_harm"),
        # letters drawn alike, as a fax's OCR or a person dodging a filter writes them: l, I and a bar
        ("wants to talk about the kiII myself thoughts", "suicide_self_harm"),
        ("k|ll myself", "suicide_self_harm"),
        ("su|cidal since the divorce", "suicide_self_harm"),
        ("Partner is HlV positive", "hiv"),
        ("HǀV positive (the click letter drawn as a bar)", "hiv"),
        ("VlH positivo desde 2019", "hiv"),
        # letters a scanner's OCR misread in a faxed referral: "rn" for m, a 1 for l, a 0 for o
        ("REASON FOR REFERRAL: pt ingested ~30 tabs of her rnother's sleeping pi1ls", "suicide_self_harm"),
        ("Pt stated she carves words into her stornach with a compass", "suicide_self_harm"),
        ("rnethadone dosing at the clinic daily, takes the bus", "substance_use"),
        # the same misreadings among emoji, right-to-left text and markup pasted from another system
        ("🤢 <b>carves words into her stornach</b> with a compass", "suicide_self_harm"),
        ("المريضة rnethadone clinic daily", "substance_use"),
        ("tiene SlDA", "hiv"),
        # capitals that alternate to hide an abbreviation read in capitals (@DUI, @OUD, @IPV)
        ("gOt a dUi last year", "substance_use"),
        ("GoT A DuI LaSt YeAr", "substance_use"),
        ("hx of oUd, on mAt", "substance_use"),
        ("sHe rEpOrTs IpV at home", "abuse_violence"),
        # a hyphen that joins pieces which are words of their own ("preg", "gon", "homo")
        ("she is preg-nant again", "reproductive"),
        ("he has gon-orrhea, treated", "sti"),
        ("he is homo-sexual, out to his family", "sexuality_gender"),
        # any mark, or markdown's bold, inside a word
        ("sui**cidal thoughts since May", "suicide_self_harm"),
        ("having sui(cidal) thoughts again", "suicide_self_harm"),
        ("sui~~cidal, sui...cidal", "suicide_self_harm"),
        ("uses co'caine on weekends", "substance_use"),
        ("tested for chla...mydia", "sti"),
        ("HI**V** positive since 2019", "hiv"),
        # a hashtag's words typed together
        ("#cocaineaddict since high school", "substance_use"),
        ("posted #NotSafeAtHome last night", "abuse_violence"),
        ("#wantstodie", "suicide_self_harm"),
        ("#cuttingagain", "suicide_self_harm"),
        # words spelled out with the same space between the words as between their letters
        ("i have g e n i t a l w a r t s and im so embarrassed", "sti"),
        ("s e x u a l l y a s s a u l t e d at a party", "abuse_violence"),
    ],
)
def test_a_disguised_private_fact_is_read(rules, text, category):
    verdict = rules.judge(text)

    assert verdict.private and verdict.category == category


@pytest.mark.parametrize(
    "text",
    [
        "Labs: CBC normal, A1c 6.1",
        "B12 low, start supplement",
        "speed walks at the mall at 7am with friends",
        "planning her 50th birthday party",
        "clocks in at 5 a.m. every day",
        "trip to the U.S.A. in June",
        "help! the printer jammed again",
        "vitamins A, D, E and K",
        "send it to ana@mail.com",
        "I'm killing it at work",
        "McIntosh apples from O'Brien's farm",
        "texts on her iPhone, job hunting on LinkedIn",
        "Ill be late, TOLl road closed",
        "Turn left at the corner clinic, B12 shot and A1c today",
        "My stornach hurts after tacos",
        "pt's rnother drives her to every appt, c1inic hours 8-5",
        "The return form was filed in the government office this morning",
        # capitals inside a word that are its own: units, brands, names
        "Total testosterone 468 ng/dL, HbA1c 7.2, potassium 4.1 mEq/L",
        "Uses MyChart on her iPhone; Mr McDonald uses ice on his knee",
        "LaToya is her case manager at the YMCA, DeShawn drives",
        # hyphenated words whose pieces are words
        "bi-weekly visits with the nurse, co-pay twenty dollars",
        "re-start metformin tomorrow, pre-op labs drawn",
        "trans-fer to the rehab floor tomorrow, e-mail the forms",
        # marks between pieces that are words, or a word read alone before them
        "f/u 2 wks, s/p chole 2019, c/o N/V/D x2 days; meds: ASA/plavix",
        "Herb/supplement list: turmeric,ginger,fish oil; his/her and/or",
        "Anorexia/cachexia, 2 bites a meal, starting megestrol",
        # hashtags of everyday life, and long words no hashtag holds
        "#blessed #family #grateful #gymlife #mondaymotivation #weekendvibes",
        "#therapydog visits on fridays, #breastcancerawareness walk on saturday",
        "Es muy maniático para comer; qué situación tan embarazosa; examen deportivo",
        "H A P P Y B I R T H D A Y, vitamins A D E K daily, s o b on exertion",
    ],
)
def test_ordinary_letters_and_digits_stay_public(rules, text):
    assert not rules.judge(text).private


def test_a_disguised_fact_saved_stays_off_the_glance(store, visit_id):
    priorities.add_priority(store, visit_id, "talk about my su1c1dal thoughts")
    notes.add_note(store, visit_id, "social", "just tested H 1 V positive", "Nurse")

    glance = build_glance(store, visit_id)

    assert glance.priorities == () and glance.story == ()
    assert glance.private_count == 2
