"""Wording a tester used to get private facts onto the glance (the fifth round of attack, and Flags in a health
system's export), each read as private now; and the everyday texts that share their words, still shown."""

from __future__ import annotations

import pytest

from companion.content import load_content


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I might take all my pills", "suicide_self_harm"),
        ("wants to kms", "suicide_self_harm"),
        ("thinking about sewer slide", "suicide_self_harm"),
        ("wishes she could just disappear", "suicide_self_harm"),
        ("my uncle touched me as a kid", "abuse_violence"),
        ("groomed online by an older man", "abuse_violence"),
        ("was Baker Acted last spring", "mental_health"),
        ("sectioned under the MHA in 2019", "mental_health"),
        ("trades sex for rent", "sexuality_gender"),
        ("benzo withdrawal last month", "substance_use"),
        ("U=U, on Biktarvy", "hiv"),
        ("Safety plan: do not share address with husband", "abuse_violence"),  # Flags from an EHR's export
        ("Do not release information to spouse", "abuse_violence"),
        ("Foster care: DCFS caseworker must attend", "abuse_violence"),
        # The seventh probe of vendors' records: a fear in Spanish's subjunctive, service lines as visit reasons.
        ("Tengo miedo de que mi esposo me pegue otra vez", "abuse_violence"),
        ("Temo que me golpee otra vez", "abuse_violence"),
        ("Afraid he will hurt me again", "abuse_violence"),
        ("Sometimes I think it'd be better not to wake up", "suicide_self_harm"),
        ("OB Intake", "reproductive"),
        ("Family Planning", "reproductive"),
        ("Gender Health", "sexuality_gender"),
        ("IOP program, Tuesdays", "mental_health"),
        ("Halfway house on Elm St", "legal_immigration"),
        # The eighth probe: visit types and behavioural flags as vendors word them.
        ("Psychotherapy, 60 minutes", "mental_health"),
        ("Psicoterapia de grupo", "mental_health"),
        ("Dual diagnosis", "mental_health"),
        ("Elopement risk", "mental_health"),
        ("Violent behavior - security escort required", "mental_health"),
        ("Drug-seeking behavior; check PDMP before prescribing", "substance_use"),
        ("Safety plan on file", "suicide_self_harm"),
        ("Crisis plan on file", "suicide_self_harm"),
        ("New OB visit", "reproductive"),
        ("Title X visit", "reproductive"),
        ("Early refill of oxycodone again", "substance_use"),
        # The ninth round: a word list's "unalive*" dropped its e before -ing, and wording its stems missed.
        ("been thinking about unaliving myself", "suicide_self_harm"),
        ("un-alive myself", "suicide_self_harm"),
        ("told him to kys", "suicide_self_harm"),
        ("says there is no point living since the divorce", "suicide_self_harm"),
        ("wouldn't mind not waking up, she says", "suicide_self_harm"),
        ("deadnaming her at work", "sexuality_gender"),
        ("boozing every night", "substance_use"),
        ("relapsing again", "substance_use"),
    ],
)
def test_wording_an_attacker_used_is_private(rules, text, category):
    verdict = rules.judge(text)

    assert verdict.private and verdict.category == category


@pytest.mark.parametrize(
    "text",
    ["ran 5 kms this morning", "PSA undetectable at 6 months post-op", "bipolar cautery for the skin tag",
     "fills his pill organizer every Sunday", "toma proteína en polvo después del gimnasio",
     "foster care for the dog while she travels", "share the results with her husband, he drives her",
     "IOP 18 both eyes, recheck in 3 months", "tengo miedo de que me duela la inyección",
     "worried the knee will hurt me again", "afraid of the dentist", "Physical therapy for the knee",
     "Fire safety plan for the apartment", "Security escort to the car after dark, she asked", "Title page signed",
     "Needs an early refill of insulin before the trip", "Can you overdose on vitamin D?",
     "closing the store at night", "stockpiling insulin because the pharmacy keeps running out",
     "I'm the crazy one at work, always joking", "Me voy a matar trabajando doble turno, pero necesito el dinero",
     "lost the baby weight finally, can we recheck my cholesterol", "la vacuna del papiloma para mi hija"],
)  # fmt: skip
def test_everyday_texts_sharing_those_words_are_shown(rules, text):
    assert not rules.judge(text).private
