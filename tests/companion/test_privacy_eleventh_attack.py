"""What the eleventh round of attack got past the privacy rules, each read as private now, and the everyday texts
and names that share their shapes, still shown: a remark typed after a name without a bracket or a comma, dashes
a word processor or a PDF puts in a word, enclosed and flag letters, marks a reader's eye steps over, words run
together, and a one-word preferred name that is a private word."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.errors import CompanionError
from companion.services import patients
from companion.services.schedule_import import import_schedule


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Scared she will self\u2013harm again", "suicide_self_harm"),  # an en dash
        ("self\u2010harm", "suicide_self_harm"),  # Unicode's hyphen, as a PDF pastes it
        ("self\u2011harm", "suicide_self_harm"),  # a non-breaking hyphen
        ("un\u2010alive", "suicide_self_harm"),
        ("s\u2013u\u2013i\u2013c\u2013i\u2013d\u2013e", "suicide_self_harm"),
        ("Lives with partner; \U0001f177\U0001f178\U0001f185 positive since 2019", "hiv"),  # negative squared
        ("\U0001f157\U0001f158\U0001f165 positive", "hiv"),  # negative circled
        ("\U0001f1f8\U0001f1fa\U0001f1ee\U0001f1e8\U0001f1ee\U0001f1e9\U0001f1ea", "suicide_self_harm"),  # flag letters
        ("\u04ba1V positive", "hiv"),  # a Cyrillic capital shha drawn as H
        ("su\u00a1c\u00a1de", "suicide_self_harm"),  # an inverted exclamation mark for an i
        ("s.uicide", "suicide_self_harm"),
        ("sui.cide", "suicide_self_harm"),
        ("sui_cide", "suicide_self_harm"),
        ("su-i-cide", "suicide_self_harm"),
        ("suuuicide", "suicide_self_harm"),
        ("killlll myself", "suicide_self_harm"),
        ("#killmyself", "suicide_self_harm"),
        ("iwanttodie", "suicide_self_harm"),
        ("wanna die", "suicide_self_harm"),
        ("want 2 die", "suicide_self_harm"),
        ("kil myself", "suicide_self_harm"),
        ("me kiero morir", "suicide_self_harm"),
        ("metamfetamina los fines de semana", "substance_use"),
    ],
)
def test_wording_the_eleventh_attack_used_is_private(rules, text, category):
    verdict = rules.judge(text)
    assert (verdict.private, verdict.category) == (True, category)


@pytest.mark.parametrize(
    "text",
    [
        "well\u2013being check in two weeks",
        "2\u20133 times a week",
        "\u00a1Hola! \u00bfya me toca?",
        "e.g. tired after lunch",
        "x-ray of the knee",
        "co-pay due at check-out",
        "soooo tired today",
        "Ahhh my back",
        "zzz, slept badly",
        "Dr. Kim Lee, O.D., for the eye exam",  # initials with dots are not a word spelled past a filter
        "I.V. fluids given",
        "\U0001f1f8\U0001f1ee trip photos",  # two regional letters are a flag (Slovenia's), not "SI"
        "INS: Medicaid, copay $5",  # insurance, and insulin, without an agency's context
        "INS 10 units at bedtime",
    ],
)
def test_everyday_texts_of_those_shapes_are_shown(rules, text):
    assert not rules.judge(text).private


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Kay Doe Suicide Watch", "Kay Doe"),
        ("Jane Roe HIV positive", "Jane Roe"),
        ("Dr Kim Methadone Clinic", "Dr Kim"),
        ("Jane Roe gay", "Jane Roe"),
        ("Ryan White HIV AIDS Program", "Ryan White"),
        ("Sexual health clinic front desk", "-"),  # nothing of it is a name
        ("Mary Ann Gay", "Mary Ann Gay"),
        ("Jesús Gay López de la Torre", "Jesús Gay López de la Torre"),
        ("ROBERT GAY", "ROBERT GAY"),
        ("Ryan White", "Ryan White"),
        ("Dr. DeShawn Lee", "Dr. DeShawn Lee"),
    ],
)
def test_a_name_of_words_alone_keeps_its_name_and_loses_its_remark(rules, written, shown):
    assert rules.public_name(written, "-") == shown


@pytest.mark.parametrize("name", ["Kay Doe Suicide Watch", "Jane Roe HIV positive", "Gus Hoe methadone"])
def test_registering_a_name_with_a_remark_without_punctuation_is_refused(store, name):
    with pytest.raises(CompanionError, match="^The recorded name would show private words") as refused:
        patients.add_patient(store, name)
    assert name not in str(refused.value)
    assert patients.find_patients(store, name.split()[0]) == []


@pytest.mark.parametrize("preferred", ["Suicidal", "HIV", "Methadone", "Undocumented"])
def test_a_one_word_preferred_name_that_is_a_private_word_is_refused(store, preferred):
    with pytest.raises(CompanionError, match="^The preferred name would show private words"):
        patients.add_patient(store, "Gus Hoe", preferred_name=preferred)


@pytest.mark.parametrize("pronouns", ["she/her, trans", "he/him (trans)", "trans", "he/him, bi", "she/her, ts", "FTM"])
def test_pronouns_with_a_word_more_than_pronouns_are_refused_where_typed(store, pronouns):
    """Shown beside the name on every screen, the pronouns hold pronouns only: a word more is refused with where
    it belongs (a note), and nothing is registered."""
    with pytest.raises(CompanionError, match="^The pronouns") as refused:
        patients.add_patient(store, "Gus Hoe", pronouns=pronouns)
    assert pronouns not in str(refused.value) and patients.find_patients(store, "Gus") == []


@pytest.mark.parametrize("pronouns", ["she/her", "They/Them", "él/ella", "elle", "xe/xem", "any, use my name"])
def test_pronouns_of_every_kind_are_kept_as_typed(store, pronouns):
    assert patients.add_patient(store, "Gus Hoe", pronouns=pronouns).result.pronouns == pronouns


def test_a_schedules_pronouns_with_a_word_more_are_left_out_and_the_visit_booked(store, make_clinician, tmp_path):
    make_clinician("Dr. Ana Ruiz")
    schedule = tmp_path / "day.csv"
    schedule.write_text(
        "external_id,date,time,patient_name,preferred_name,language,clinician,reason,pronouns\n"
        'S1,2026-03-02,09:00,Gus Hoe,Gus,English,Dr. Ana Ruiz,Knee,"he/him, bi"\n'
        "S2,2026-03-02,09:30,Ann Lee,Ann,English,Dr. Ana Ruiz,Knee,she/her\n",
        encoding="utf-8",
    )
    assert import_schedule(store, schedule).result.added == 2
    pronouns = {p.preferred_name: p.pronouns for p in (patients.get_patient(store, i) for i in (1, 2))}
    assert pronouns == {"Gus": "", "Ann": "she/her"}


def test_a_schedules_refusal_does_not_echo_a_yes_or_no_column(store, make_clinician, tmp_path):
    make_clinician("Dr. Ana Ruiz")
    schedule = tmp_path / "day.csv"
    schedule.write_text(
        "external_id,date,time,patient_name,preferred_name,language,clinician,reason,interpreter\n"
        "B1,2025-03-14,09:00,Ana Ruiz,,,,Check-up,HIV positive pt\n",
        encoding="utf-8",
    )
    report = import_schedule(store, schedule).result
    [refusal] = report.refused
    assert "HIV" not in refusal.reason.upper() and "positive" not in refusal.reason
