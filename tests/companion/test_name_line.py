"""The name line (preferred name, pronouns, language) shows beside the patient's name on every screen. One rule
decides what may show there, whichever door the words come in by: typed at registration (refused, nothing
registered), a schedule file or a FHIR record (left out, the rest kept)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from companion.errors import CompanionError
from companion.privacy.name_line import LeftOff, left_off_the_name_line
from companion.privacy.regions import REGIONS
from companion.services import patients
from companion.services.schedule_import import import_schedule
from companion.storage.models import Patient
from tests.companion.fhir_samples import encounter, load, patient, patient_by_key

# (preferred name, pronouns, language), and which of them may not show
SAMPLES = [
    (("Molly", "she/her", "Spanish"), set()),  # a name the rules' words hold is a name
    (("Brandy", "ella", "Español"), set()),
    (("Suicidal", "they/them", "English"), {"preferred_name"}),
    (("Alex (HIV positive)", "he/him", "English"), {"preferred_name"}),
    (("Alex", "he/him, bi", "English"), {"pronouns"}),  # a word more than pronouns
    (("Sam", "she/her (trans woman, not out to family)", "English"), {"pronouns"}),
    (("Jo", "they/them", "no papers, afraid of ICE"), {"preferred_language"}),
    # a sentence in a language the rules cannot read, where a language's name stands
    (("Ana", "ela", "Português, quero me matar"), {"preferred_language"}),
    (("Jean", "he/him", "Kreyòl, mwen vle mouri"), {"preferred_language"}),
    (("Ana", "ela", "Português do Brasil"), set()),
    (("Marie", "elle", "Français et anglais"), set()),
    # a language's name, then a word of what the rules cannot read
    (("Ana", "ela", "Italiano, incinta"), {"preferred_language"}),
    (("Jo", "they/them", "Deutsch: häusliche Gewalt"), {"preferred_language"}),
    (("Ana", "she/her", "Русский, у меня ВИЧ"), {"preferred_language"}),
    (("Ana", "she/her", "Arabic - Levantine, daughter interprets"), set()),
    # a language with the place, script or people of its variety, as records and desks write it
    (("Ana", "ella", "Español (Belice)"), set()),
    (("Kofi", "he/him", "French (Burkina Faso)"), set()),
    (("Ana", "she/her", "Spanish (Belize), embarazada"), {"preferred_language"}),
]
COLUMNS = ("preferred_name", "pronouns", "preferred_language")


def _shown(row: Patient) -> dict[str, str]:
    return {column: getattr(row, column) for column in COLUMNS}


def _kept(written: tuple[str, str, str], left_off: set[str]) -> dict[str, str]:
    return {column: "" if column in left_off else text for column, text in zip(COLUMNS, written, strict=True)}


@pytest.mark.parametrize(("written", "left_off"), SAMPLES)
def test_registration_refuses_what_may_not_show_and_registers_nothing(store, written, left_off):
    preferred, pronouns, language = written
    if not left_off:
        row = patients.add_patient(store, "Gus Hoe", preferred_name=preferred, pronouns=pronouns, language=language)
        assert (row.result.preferred_name, row.result.pronouns) == (preferred, pronouns)
        return
    with pytest.raises(CompanionError) as refused:
        patients.add_patient(store, "Gus Hoe", preferred_name=preferred, pronouns=pronouns, language=language)
    assert patients.find_patients(store, "Gus") == []
    assert all(text not in str(refused.value) for text in written)  # the words themselves are never echoed


@pytest.mark.parametrize(("written", "left_off"), SAMPLES)
def test_a_schedule_leaves_out_what_may_not_show_and_books_anyway(store, make_clinician, tmp_path, written, left_off):
    make_clinician("Dr. Ana Ruiz")
    preferred, pronouns, language = (text.replace('"', '""') for text in written)
    schedule = tmp_path / "day.csv"
    schedule.write_text(
        "external_id,date,time,patient_name,preferred_name,language,clinician,reason,pronouns\n"
        f'S1,2026-03-02,09:00,Gus Hoe,"{preferred}","{language}",Dr. Ana Ruiz,Knee,"{pronouns}"\n',
        encoding="utf-8",
    )
    assert import_schedule(store, schedule).result.added == 1
    with store.session() as session:
        row = session.exec(select(Patient)).one()
    assert _shown(row) == _kept(written, left_off)


@pytest.mark.parametrize(("written", "left_off"), SAMPLES)
def test_a_fhir_record_leaves_out_what_may_not_show(store, tmp_path, written, left_off):
    preferred, pronouns, language = written
    said = {
        "url": "http://hl7.org/fhir/StructureDefinition/individual-pronouns",
        "extension": [{"url": "value", "valueCodeableConcept": {"text": pronouns}}],
    }
    record = patient("p1", extension=[said], communication=[{"language": {"text": language}, "preferred": True}])
    record["name"].append({"use": "usual", "given": [preferred]})
    load(store, tmp_path, record, encounter("e1"))

    assert _shown(patient_by_key(store, "Patient/p1")) == _kept(written, left_off)


LANGUAGE_NAMES = """Portuguese|Português|Português brasileiro|Kreyòl ayisyen|Haitian Creole, needs interpreter|Deutsch|
Italiano|Tagalog|Filipino|Ilocano|Cebuano|Vietnamese|Tiếng Việt|American Sign Language|ASL|Mandarin (Chinese)|
Cantonese|Farsi|Dari|Pashto|Somali|Amharic|Tigrinya|Oromo|K'iche'|Mam|Q'anjob'al|Mixteco|Punjabi|Hmong|Chuukese|
Marshallese|Arabic - Levantine|pt-BR|中文|English only|Spanish; daughter interprets|Swahili|Yoruba|Kinyarwanda|
Lingala|Wolof|Nepali|Burmese|Karen|Lengua de señas|Español|Kurdish|Albanian|Polish|Ukrainian|Russian|
Portuguese (Brazil)|ASL, uses VRI|Spanish - needs interpreter for consent|Somali, Maay Maay dialect|Arabic/English|
Español, necesita intérprete|Vietnamese, son interprets by phone|Serbo-Croatian|Kreyòl ayisyen (Haitian Creole)"""


@pytest.mark.parametrize("language", [name.strip() for name in LANGUAGE_NAMES.split("|")])
def test_the_names_of_languages_are_no_sentence(language):
    """What a desk types in the language field, in English or in the language itself, shows beside the name: a
    small word of a sentence in it is what is left off."""
    assert not left_off_the_name_line("", "", language, lambda _words: False)


# Languages as a record displays their tags (CLDR: es-BZ, zh-Hant-HK, sr-Cyrl, es-419) and as desks write a variety
REGIONAL = """Spanish (Belize)|Spanish (Latin America)|Spanish (United States)|Spanish (El Salvador)|English (Jamaica)|
Chinese (Traditional, Hong Kong SAR China)|Chinese (Simplified, China)|Serbian (Cyrillic)|Uzbek (Latin, Uzbekistan)|
Portuguese (Cape Verde)|Portuguese (Cape Verdean)|French (Côte d'Ivoire)|French (Côte d’Ivoire)|French (Haiti)|
English (U.S. Virgin Islands)|Arabic (Saudi Arabia)|Arabic, Egyptian|Arabic (Sudan)|Swahili (Congo - Kinshasa)|
Español (México)|Español (República Dominicana)|Spanish - Salvadoran, needs interpreter|Chinese - Fuzhounese|
Somali (Somalia), daughter interprets|Tigrinya (Eritrea)|Nepali (Bhutan)|Punjabi (Gurmukhi, India)|
Punjabi (Arabic, Pakistan)|中文（简体）|中文 (繁體, 台灣)|Spanish (Puerto Rico)|Samoan (American Samoa)|
Marshallese (Marshall Islands)|
English (Trinidad & Tobago)|Spanish (Equatorial Guinea)|Portuguese (São Tomé & Príncipe)|Dari (Afghanistan)"""


@pytest.mark.parametrize("language", [name.strip() for name in REGIONAL.split("|")])
def test_a_language_with_its_place_script_or_people_shows(language):
    assert not left_off_the_name_line("", "", language, lambda _words: False)


@pytest.mark.parametrize(
    "language",
    [
        "English, virgin",  # a region's word alone ("U.S. Virgin Islands") is no region
        "Spanish (Belize), embarazada",
        "Spanish (undocumented)",
        "Spanish, el",
        "Portuguese (Brazil) - sem documentos",
        "French (Haiti), enceinte",
        "Italiano\uff08incinta\uff09",  # full-width brackets, as Chinese and Japanese keyboards write them
        "Italiano · incinta",
        "Italiano\nincinta",
        "Italiano ~ incinta",
        "Deutsch ‒ häusliche Gewalt",
        "Español (mexicana)",  # a language's name agrees with "español": the feminine says who the patient is
    ],
)
def test_words_beside_a_place_are_still_more_than_a_language(language):
    assert left_off_the_name_line("", "", language, lambda _words: False) == {
        "preferred_language": LeftOff.NOT_A_LANGUAGE
    }


def test_no_place_script_or_people_reads_as_private(store):
    """The world's names the name line knows are no private words wherever they are written: a note that a patient
    moved from Burkina Faso ("faso", a joint in Argentina) shows like any other."""
    names = [" ".join(words) for words in REGIONS]
    judge = store.content.privacy.judge
    for sentence in ("She moved here from {}", "Se mudó de {} el año pasado", "Spanish ({})"):
        assert [name for name in names if judge(sentence.format(name)).private] == []


@pytest.mark.parametrize(
    "language", ["Spanish, no U.S. documents", "Spanish (no EEUU documents)", "Spanish (Mexico) - no U.S. documents"]
)
def test_a_place_between_the_words_of_a_private_phrase_does_not_hide_it(store, language):
    """The words are judged again without the places' names: "no U.S. documents" is "no documents"."""
    judge = store.content.privacy.judge
    left_off = left_off_the_name_line("", "", language, lambda words: judge(words, as_name=True).private)
    assert left_off == {"preferred_language": LeftOff.PRIVATE}
