"""The phrases follow the emotion a cue names (resources/content/emotions.toml): a grieving patient is not told
they sound frustrated, a cue that is denied or unknown gets neutral words, and a Spanish cue gets Spanish ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.content import load_content
from companion.errors import CompanionError
from companion.read.emotion_family import NURSE_KEYS


@pytest.fixture(scope="module")
def lexicon():
    return load_content().emotions


# Cues as a nurse types them, in the words people use, not the lexicon's own examples.
NAMED = {
    "worry": [
        "worried about the biopsy",
        "Anxious about starting insulin",
        "scared",
        "on edge about her son's deployment",
        "afraid the cancer is back",
        "terrified of needles",
        "dreading the results",
        "freaking out about the MRI",
        "Preocupada por el costo",
        "tiene mucho miedo a la operación",
        "nerviosa por la biopsia",
        "angustiado por su hijo",
        "PREOCUPACIÓN por su trabajo",
    ],
    "sadness": [
        "tearful talking about her late husband",
        "Tearful talking about his wife",
        "crying in the waiting room",
        "eyes welled up talking about her dog",
        "grieving her sister",
        "feeling low since the divorce",
        "misses his late wife",
        "has no family and feels lonely",
        "llora al hablar de su madre",
        "triste desde que murió su esposo",
        "se le salen las lágrimas al hablar de su hija",
        "echa de menos su país",
        "no tiene familia y se siente sola",
    ],
    "anger": [
        "angry about the wait",
        "Frustrated that the pharmacy keeps running out of his inhaler",
        "furious with the insurer",
        "annoyed at being rescheduled again",
        "raised his voice at the front desk",
        "fed up with the pain",
        "enojada por la espera",
        "harto de tantas citas",
        "frustrado con el seguro",
    ],
    "overwhelm": [
        "too much going on",
        "overwhelmed caring for her mom",
        "can't cope with everything at home",
        "stretched thin between two jobs",
        "at her wit's end with the kids",
        "stressed about bills",
        "no se siente capaz",
        "agobiada con el trabajo y los niños",
        "dice que ya no puede más",
    ],
    "shame": [
        "avergonzado por su peso",
        "embarrassed about incontinence",
        "ashamed of her weight",
        "feels guilty about not visiting her mom",
        "self-conscious about her skin",
        "feels like a burden to her kids",
        "le da vergüenza hablar de su peso",
        "se siente culpable por no cuidar a su madre",
    ],
    "hope": [
        "hopeful about the new job",
        "looking forward to walking again",
        "optimistic about the new treatment",
        "excited to be a grandmother",
        "can't wait to see the grandkids",
        "ilusionada con la boda de su nieta",
        "con esperanza de volver a caminar",
    ],
}


@pytest.mark.parametrize(("family", "cue"), [(family, cue) for family, cues in NAMED.items() for cue in cues])
def test_a_cue_gets_the_phrases_of_the_emotion_it_names(lexicon, family, cue):
    assert lexicon.read(cue).family == family


def test_a_grieving_patient_is_not_told_they_sound_frustrated(lexicon):
    reading = lexicon.read("tearful talking about her late husband")

    assert reading.label == "sadness and grief"
    assert "sad" in reading.phrases.steps["name"]
    assert "frustrat" not in " ".join([*reading.phrases.steps.values(), reading.phrases.wish, reading.phrases.more])
    assert reading.phrases.wish.startswith("I wish")
    assert reading.phrases.more.startswith("Tell me more")


@pytest.mark.parametrize(
    "cue",
    [
        "not worried",
        "Not at all anxious today",
        "doesn't seem worried",
        "isn’t scared anymore",
        "no longer angry about the bill",
        "denies feeling sad",
        "never cries",
        "without fear",
        "no worries",
        "no está preocupada",
        "no tiene miedo",
        "ya no está triste",
        "sin miedo a la cirugía",
        "ni triste ni enojada",
    ],
)
def test_a_denied_emotion_is_not_read_as_that_emotion(lexicon, cue):
    assert lexicon.read(cue).family == ""


@pytest.mark.parametrize(
    ("cue", "family"),
    [
        ("not worried but tearful", "sadness"),  # a clause ends the negation
        ("not worried, just tired and irritable", "anger"),
        ("can't stop crying", "sadness"),  # "stop" undoes it
        ("couldn't hold back tears", "sadness"),
        ("no deja de llorar", "sadness"),
        ("no para de llorar", "sadness"),
        ("can't cope", "overwhelm"),  # a phrase that holds its own negation
        ("no se siente capaz de cuidar a su madre", "overwhelm"),
    ],
)
def test_a_negation_reaches_only_its_own_words(lexicon, cue, family):
    assert lexicon.read(cue).family == family


def test_a_longer_phrase_of_another_family_wins_over_a_word_inside_it(lexicon):
    assert lexicon.read("has lost hope").family == "sadness"
    assert lexicon.read("sin esperanza").family == "sadness"
    assert lexicon.read("perdió la esperanza").family == "sadness"


def test_the_emotion_named_first_wins(lexicon):
    assert lexicon.read("worried about the scan and tearful").family == "worry"
    assert lexicon.read("tearful, and worried about the scan").family == "sadness"
    assert lexicon.read("angry and tearful").family == "anger"


@pytest.mark.parametrize(
    "cue",
    [
        "Quiet, looking down",
        "upset",  # sad or angry: the lexicon does not guess
        "unhappy with the plan",
        "le da pena",  # embarrassed in Mexico, sorrow in Spain
        "it's a shame about the weather",
        "por culpa del tráfico llegó tarde",
        "relieved about the results",
        "missed her appointment",
        "nearly died in surgery",
        "sober two years",
        "grievance with billing",
        "ACL repair next month",
    ],
)
def test_an_emotion_the_lexicon_does_not_know_gets_the_neutral_phrases(lexicon, cue):
    reading = lexicon.read(cue)

    assert (reading.family, reading.label) == ("", "")
    assert reading.phrases == lexicon.neutral[reading.language]


def test_the_neutral_phrases_name_no_emotion(lexicon):
    for language, phrases in lexicon.neutral.items():
        for phrase in [*phrases.steps.values(), phrases.wish, phrases.more]:
            assert lexicon.read(phrase).family == "", (language, phrase)


def test_the_neutral_english_phrases_are_nurse_tomls_own():
    content = load_content()

    neutral = content.emotions.read("Quiet, looking down").phrases
    assert [neutral.steps[step.key] for step in content.nurse_steps] == [s.phrase for s in content.nurse_steps]


def test_a_spanish_cue_gets_spanish_phrases_and_an_english_one_english(lexicon):
    spanish = lexicon.read("llora al hablar de su madre")
    english = lexicon.read("cries when talking about her mother")

    assert (spanish.family, spanish.language) == (english.family, english.language.replace("en", "es"))
    assert spanish.phrases.steps["name"] == "Veo lo triste que es esto."
    assert spanish.phrases.wish.startswith("Ojalá")
    assert english.phrases.steps["name"] == "I can see how sad this is."


def test_a_cue_in_spanish_that_names_no_emotion_gets_spanish_neutral_phrases(lexicon):
    reading = lexicon.read("se queda callada cuando habla de su hijo")

    assert (reading.family, reading.language) == ("", "es")
    assert reading.phrases.more == "Cuénteme más."
    assert lexicon.read("no está preocupada").language == "es"  # a denied word still tells the language


def test_a_word_both_languages_share_follows_the_rest_of_the_cue(lexicon):
    assert lexicon.read("Frustrated").language == "en"
    assert lexicon.read("Frustrated that the pharmacy ran out").language == "en"
    assert lexicon.read("frustrada con la farmacia").language == "es"


def test_case_and_accents_do_not_matter(lexicon):
    for cue in ("PREOCUPACIÓN", "preocupacion", "Preocupación", "WORRIED", "Worried"):
        assert lexicon.read(cue).family == "worry", cue


def test_every_family_has_every_phrase_in_english_and_spanish_short_enough_to_show_whole():
    spec = load_content().emotion_spec["emotions"]
    for family, table in spec["families"].items():
        for language in ("en", "es"):
            phrases = table["languages"][language]
            for key in (*NURSE_KEYS, "wish", "more"):
                assert phrases[key].strip(), (family, language, key)
                assert len(phrases[key]) <= 55, (family, language, key)  # a line or two on the glance


def test_no_family_names_another_familys_emotion(lexicon):
    """A family's own phrases, read as cues, name that family or none: "It sounds like you are frustrated" is
    never among the phrases of sadness."""
    for family in lexicon.labels:
        for language in ("en", "es"):
            reading = lexicon.read(NAMED[family][0] if language == "en" else NAMED[family][-1])
            assert reading.family == family
            for phrase in reading.phrases.steps.values():
                assert lexicon.read(phrase).family in ("", family), (family, phrase)


# A clinic's own words ---------------------------------------------------------------------------------------------


def clinic(tmp_path: Path, **files: str):
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return load_content(folder)


def test_a_clinic_adds_a_word_takes_one_out_and_rewrites_a_phrase(tmp_path):
    content = clinic(
        tmp_path,
        emotions="[families.worry.languages.en]\n"
        'words = ["jittery about *", "antsy"]\nremove = ["concern*"]\n'
        'explore = "What is the worst part of waiting?"\n',
    )

    assert content.emotions.read("antsy about the scan").family == "worry"
    assert content.emotions.read("concerned about the cost").family == ""
    explore = content.emotions.read("worried about the scan").phrases.steps["explore"]
    assert explore == "What is the worst part of waiting?"
    assert content.emotions.read("tearful").family == "sadness"  # the shipped families stay
    assert load_content().emotions.read("concerned about the cost").family == "worry"


def test_a_clinic_adds_a_family_of_its_own(tmp_path):
    phrases = "\n".join(f'{key} = "{key} for relief."' for key in (*NURSE_KEYS, "wish", "more"))
    relief = '[families.relief]\nlabel = "relief"\n[families.relief.languages.en]\nwords = ["relieved"]\n'
    content = clinic(tmp_path, emotions=relief + phrases)

    reading = content.emotions.read("relieved about the results")
    assert (reading.family, reading.label, reading.phrases.steps["name"]) == ("relief", "relief", "name for relief.")


def test_a_clinic_phrase_written_wrong_is_named_when_the_app_starts(tmp_path):
    with pytest.raises(CompanionError, match=r"families.worry.languages.en.*'\(unclosed' cannot be read"):
        clinic(tmp_path, emotions='[families.worry.languages.en]\nwords = ["(unclosed"]\n')


def test_a_clinic_family_without_its_phrases_is_named_when_the_app_starts(tmp_path):
    no_phrases = '[families.relief]\nlabel = "relief"\n[families.relief.languages.en]\nwords = ["relieved"]\n'
    with pytest.raises(CompanionError, match="family 'relief' has no phrases in 'en'"):
        clinic(tmp_path, emotions=no_phrases)
    one_phrase = '[families.worry.languages.fr]\nwords = ["inquiet"]\nname = "Vous semblez inquiet."\n'
    with pytest.raises(CompanionError, match="lacks the phrases understand"):
        clinic(tmp_path, emotions=one_phrase)


def test_a_clinic_nurse_file_of_the_old_kind_keeps_the_neutral_wish_and_more(tmp_path):
    steps = "\n".join(
        f'[[steps]]\nkey = "{key}"\nlabel = "{key.title()}"\nphrase = "Clinic {key}."' for key in NURSE_KEYS
    )
    content = clinic(tmp_path, nurse=steps)

    neutral = content.emotions.read("Quiet, looking down").phrases
    assert neutral.steps["name"] == "Clinic name."
    assert neutral.wish == load_content().emotions.neutral["en"].wish
    assert content.emotions.read("worried").phrases.steps["name"] == "I can see this worries you."
