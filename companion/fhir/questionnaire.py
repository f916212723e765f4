"""The questionnaire a clinic's portal publishes: the questions the patient check-in asks, as a FHIR R4 Questionnaire
in the patient's language (`companion questionnaire --fhir FILE --language es`). Its answers come back as a
QuestionnaireResponse naming QUESTIONNAIRE_URL and import exactly, by linkId (companion.fhir.questionnaire_answers).

The canonical url is the one this app's export already names on its "what matters today" QuestionnaireResponse
(companion.fhir.profile.WHAT_MATTERS_QUESTIONNAIRE), so an export imports back through the same questions. The
linkIds never change once published; a new question gets a new linkId and the version goes up.

| linkId               | type         | becomes                                                            |
|----------------------|--------------|--------------------------------------------------------------------|
| what-matters-today   | string, repeats (at most 3) | today's priorities in the patient's words, in order |
| anything-else        | string       | one more of today's priorities, after them                         |
| practical-needs      | string       | a lasting practical note                                           |
| interpreter          | boolean      | true: the patient needs an interpreter                             |
| language             | open-choice  | the patient's preferred language (asked when interpreter is true)  |
"""

from __future__ import annotations

from pathlib import Path

from companion.fhir.profile import WHAT_MATTERS_LINK, WHAT_MATTERS_QUESTIONNAIRE
from companion.read.patient_language import patient_language

QUESTIONNAIRE_URL = WHAT_MATTERS_QUESTIONNAIRE
QUESTIONNAIRE_VERSION = "1"
QUESTIONNAIRE_NAME = "WhatMattersToday"
MAX_PRIORITIES = 3  # the glance shows three; the patient may write up to three things

LINK_WHAT_MATTERS = WHAT_MATTERS_LINK  # "what-matters-today", as the export writes it
LINK_ANYTHING_ELSE = "anything-else"
LINK_PRACTICAL_NEEDS = "practical-needs"
LINK_INTERPRETER = "interpreter"
LINK_LANGUAGE = "language"
LINK_IDS = (LINK_WHAT_MATTERS, LINK_ANYTHING_ELSE, LINK_PRACTICAL_NEEDS, LINK_INTERPRETER, LINK_LANGUAGE)

MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
ENTRY_FORMAT = "http://hl7.org/fhir/StructureDefinition/entryFormat"  # a hint shown in the answer box
LANGUAGES_VALUE_SET = "http://hl7.org/fhir/ValueSet/languages"


def is_ours(canonical: str | None) -> bool:
    """Whether a QuestionnaireResponse answers this questionnaire: its url, with or without `|version`."""
    return bool(canonical) and canonical.split("|", 1)[0] == QUESTIONNAIRE_URL


def questionnaire(language: str = "en", clinic_dir: Path | None = None) -> dict:
    """The Questionnaire as FHIR R4 JSON, its texts in `language` (a code of resources/content/patient/)."""
    say = patient_language(language, clinic_dir)

    def hint(key: str) -> list[dict]:
        return [{"url": ENTRY_FORMAT, "valueString": say[f"questionnaire.{key}"]}]

    return {
        "resourceType": "Questionnaire",
        "id": f"what-matters-today-{say.code}",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": QUESTIONNAIRE_NAME,
        "title": say["questionnaire.title"],
        "status": "active",
        "language": say.code,
        "subjectType": ["Patient"],
        "description": say["questionnaire.intro"],
        "item": [
            {
                "linkId": LINK_WHAT_MATTERS,
                "text": say["questionnaire.what_matters"],
                "type": "string",
                "repeats": True,
                "extension": [{"url": MAX_OCCURS, "valueInteger": MAX_PRIORITIES}, *hint("what_matters_help")],
            },
            {"linkId": LINK_ANYTHING_ELSE, "text": say["questionnaire.anything_else"], "type": "string"},
            {
                "linkId": LINK_PRACTICAL_NEEDS,
                "text": say["questionnaire.practical_needs"],
                "type": "string",
                "extension": hint("practical_needs_help"),
            },
            {"linkId": LINK_INTERPRETER, "text": say["questionnaire.interpreter"], "type": "boolean"},
            {
                "linkId": LINK_LANGUAGE,
                "text": say["questionnaire.language"],
                "type": "open-choice",
                "answerValueSet": LANGUAGES_VALUE_SET,
                "enableWhen": [{"question": LINK_INTERPRETER, "operator": "=", "answerBoolean": True}],
            },
        ],
    }
