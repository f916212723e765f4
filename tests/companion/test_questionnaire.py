"""The questionnaire a clinic's portal publishes, and its answers imported exactly by linkId."""

from __future__ import annotations

import json
import stat

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from companion.fhir.questionnaire import LINK_IDS, QUESTIONNAIRE_URL, QUESTIONNAIRE_VERSION, questionnaire
from companion.storage.models import NoteKind, Scope, Source
from tests.companion.fhir_samples import (
    dump,
    encounter,
    load,
    notes_of,
    patient,
    patient_by_key,
    priorities_of,
    visits_of,
)


def response(answers: dict[str, list[dict]], url: str = QUESTIONNAIRE_URL, qid: str = "qr1", **extra) -> dict:
    """A QuestionnaireResponse to the questionnaire, as a portal would send it: {linkId: [answer, ...]}."""
    return {
        "resourceType": "QuestionnaireResponse",
        "id": qid,
        "questionnaire": url,
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "authored": "2025-03-13T18:00:00+00:00",
        "item": [{"linkId": link, "answer": given} for link, given in answers.items()],
    } | extra


def said(*texts: str) -> list[dict]:
    return [{"valueString": t} for t in texts]


ANSWERS = {
    "what-matters-today": said("My knee hurts on the stairs", "Sleep", "My daughter's wedding"),
    "anything-else": said("Refill my inhaler"),
    "practical-needs": said("The bus does not run on Sundays"),
    "interpreter": [{"valueBoolean": True}],
    "language": [{"valueCoding": {"system": "urn:ietf:bcp:47", "code": "es"}}],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_questionnaire_is_valid_fhir_with_its_url_and_link_ids(language):
    data = questionnaire(language)
    model = Questionnaire.model_validate(data)
    assert (model.url, model.version, model.status, model.language) == (
        QUESTIONNAIRE_URL,
        QUESTIONNAIRE_VERSION,
        "active",
        language,
    )
    assert [item.linkId for item in model.item] == list(LINK_IDS)
    first = model.item[0]
    assert first.repeats and first.extension[0].valueInteger == 3
    assert model.item[3].type == "boolean"
    assert all(item.text for item in model.item)


def test_the_spanish_texts_are_not_the_english_ones():
    english, spanish = questionnaire("en"), questionnaire("es")
    assert english["title"] != spanish["title"]
    for mine, theirs in zip(english["item"], spanish["item"], strict=True):
        assert mine["linkId"] == theirs["linkId"]
        assert mine["text"] != theirs["text"]


def test_an_answered_questionnaire_imports_exactly_and_again_changes_nothing(store, tmp_path):
    load(store, tmp_path, patient(), encounter(), name="record.json")
    qr = response(ANSWERS, url=f"{QUESTIONNAIRE_URL}|1", encounter={"reference": "Encounter/e1"}, language="es")
    QuestionnaireResponse.model_validate(qr)

    report = load(store, tmp_path, qr, name="answers.json")

    assert not report.skipped
    person = patient_by_key(store, "Patient/p1")
    ranked = priorities_of(store, person.id)
    assert [p.text for p in ranked] == [
        "My knee hurts on the stairs",
        "Sleep",
        "My daughter's wedding",
        "Refill my inhaler",
    ]
    assert all(p.scope is Scope.today and p.source is Source.patient for p in ranked)
    assert {p.language for p in ranked} == {"es"}  # the language they answered in, on each of their words
    assert [v.source_key for v in visits_of(store, person.id)] == ["Encounter/e1"]  # no visit made for them
    assert {p.visit_id for p in ranked} == {visits_of(store, person.id)[0].id}
    notes = notes_of(store, person.id)
    assert [(n.kind, n.text, n.visit_id) for n in notes] == [
        (NoteKind.practical, "The bus does not run on Sundays", None)
    ]
    assert person.interpreter_needed and person.preferred_language == "Spanish"

    before = dump(store)
    again = load(store, tmp_path, qr, name="answers.json")
    assert not again.skipped
    assert dump(store) == before


def test_the_answers_language_fills_an_empty_preferred_language(store, tmp_path):
    load(store, tmp_path, patient(), encounter(), name="record.json")
    load(store, tmp_path, response({"what-matters-today": said("Mi rodilla")}, language="es-MX"))
    assert patient_by_key(store, "Patient/p1").preferred_language == "Spanish"


def test_a_response_to_another_questionnaire_is_not_read_by_our_link_ids(store, tmp_path):
    load(store, tmp_path, patient(), encounter(), name="record.json")
    other = {k: v for k, v in ANSWERS.items() if k != "what-matters-today"}
    load(store, tmp_path, response(other, url="http://example.org/Questionnaire/intake"))
    person = patient_by_key(store, "Patient/p1")
    assert priorities_of(store, person.id) == []
    assert notes_of(store, person.id) == []
    assert not person.interpreter_needed and person.preferred_language == ""


def test_an_unknown_link_id_is_reported_and_the_rest_imports(store, tmp_path):
    load(store, tmp_path, patient(), encounter(), name="record.json")
    report = load(store, tmp_path, response({"what-matters-today": said("Sleep"), "mood": said("Sad")}))
    assert [s.reason for s in report.skipped] == ["answer to question 'mood' not used: not in the questionnaire"]
    assert [p.text for p in priorities_of(store, patient_by_key(store, "Patient/p1").id)] == ["Sleep"]
    # The response was imported: the headline does not count it as a resource skipped.
    assert report.headline() == "imported 1 file; 1 answer not used"


def test_an_unknown_link_id_in_words_is_not_echoed_in_the_report(store, tmp_path):
    """A linkId is any text the sender chose: the report, shown where others see the screen, names a question by
    its linkId only when that is a plain id, never by words that may be a diagnosis or a name."""
    load(store, tmp_path, patient(), encounter(), name="record.json")
    asked = "Ana Lima: HIV status known to partner?"
    report = load(store, tmp_path, response({"what-matters-today": said("Sleep"), asked: said("Yes")}))
    assert [s.line() for s in report.skipped] == [
        f"{tmp_path / 'bundle.json'}, entry 1 (QuestionnaireResponse/qr1): answer to question "
        "(its linkId is not a plain id) not used: not in the questionnaire"
    ]
    assert [p.text for p in priorities_of(store, patient_by_key(store, "Patient/p1").id)] == ["Sleep"]


def test_markup_and_right_to_left_words_are_kept_literally(store, tmp_path):
    load(store, tmp_path, patient(), encounter(), name="record.json")
    words = ["<b>bold</b> <img src=x>", "ركبتي تؤلمني", "ברך כואבת"]
    load(store, tmp_path, response({"what-matters-today": said(*words)}))
    assert [p.text for p in priorities_of(store, patient_by_key(store, "Patient/p1").id)] == words


def test_private_answers_are_judged_like_every_imported_text(store, tmp_path):
    load(store, tmp_path, patient(), encounter(), name="record.json")
    load(store, tmp_path, response({"what-matters-today": said("My HIV medicine", "Sleep")}))
    ranked = priorities_of(store, patient_by_key(store, "Patient/p1").id)
    assert [(p.text, p.sensitive) for p in ranked] == [("My HIV medicine", True), ("Sleep", False)]


# The command line ------------------------------------------------------------------------------------------


def test_the_command_writes_the_questionnaire_owner_only_and_never_over_a_file(cli, tmp_path):
    target = tmp_path / "q.json"
    db = tmp_path / "c.sqlite3"
    code, out, err = cli("questionnaire", "--fhir", target, "--language", "es", "--db", db)
    assert (code, err) == (0, "")
    assert QUESTIONNAIRE_URL in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["language"] == "es" and Questionnaire.model_validate(data).url == QUESTIONNAIRE_URL
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not db.exists()  # no database needed, none made

    code, out, err = cli("questionnaire", "--fhir", target, "--db", db)
    assert code != 0 and out == "" and err.count("\n") == 1 and "--force" in err
    assert json.loads(target.read_text(encoding="utf-8"))["language"] == "es"

    code, _, err = cli("questionnaire", "--fhir", target, "--force", "--db", db)
    assert (code, err) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["language"] == "en"


def test_the_command_makes_no_data_folder(cli, tmp_path, monkeypatch):
    """Writing the questionnaire stores nothing of the clinic's: a data folder not made yet stays unmade."""
    home = tmp_path / "clinic-home"
    monkeypatch.setenv("COMPANION_HOME", str(home))
    code, _, err = cli("questionnaire", "--fhir", tmp_path / "q.json")
    assert (code, err) == (0, "")
    assert (tmp_path / "q.json").exists() and not home.exists()


def test_the_command_refuses_an_unknown_language_and_the_database(cli, tmp_path):
    db = tmp_path / "c.sqlite3"
    db.write_bytes(b"")
    code, out, err = cli("questionnaire", "--fhir", tmp_path / "q.json", "--language", "xx", "--db", db)
    assert code != 0 and out == "" and err.startswith("companion: error:") and err.count("\n") == 1
    assert "no patient words in that language" in err and not (tmp_path / "q.json").exists()

    code, out, err = cli("questionnaire", "--fhir", db, "--force", "--db", db)
    assert code != 0 and err.count("\n") == 1 and "database" in err
    assert db.read_bytes() == b""


def test_a_portal_answer_is_the_patients_whatever_the_portal_adds(store, tmp_path):
    """A portal (or someone at it) cannot make the patient's answer read as the clinician's words, close it, put it
    first, or sign a practical need with a nurse's name: this app's extensions and `author` are not read here."""
    from companion.fhir.profile import EXT_RANK, EXT_SOURCE, EXT_STATE
    from companion.fhir.questionnaire_answers import PORTAL_AUTHOR

    def dressed(text: str, **extensions) -> dict:
        kinds = {EXT_SOURCE: "valueCode", EXT_STATE: "valueCode", EXT_RANK: "valueInteger"}
        return {"valueString": text, "extension": [{"url": u, kinds[u]: v} for u, v in extensions.items()]}

    answers = {
        "what-matters-today": [
            {"valueString": "My knee"},
            dressed("Dr agreed to double my metformin dose", **{EXT_SOURCE: "clinician", EXT_RANK: -20}),
            dressed("Refill my inhaler", **{EXT_STATE: "addressed"}),
        ],
        "practical-needs": said("The bus does not run on Sundays"),
    }
    portal = response(answers, author={"display": "Jonas Lindqvist"})
    load(store, tmp_path, patient("p1"), encounter("e1"), portal)

    items = priorities_of(store, patient_by_key(store, "Patient/p1").id)
    assert [(p.text, p.source, p.state.value) for p in sorted(items, key=lambda p: p.rank)] == [
        ("My knee", Source.patient, "open"),
        ("Dr agreed to double my metformin dose", Source.patient, "open"),
        ("Refill my inhaler", Source.patient, "open"),
    ]
    assert [n.author for n in notes_of(store, patient_by_key(store, "Patient/p1").id)] == [PORTAL_AUTHOR]


def test_a_portal_that_sends_each_answer_box_as_its_own_item_keeps_every_answer(store, tmp_path):
    boxes = response({})
    boxes["item"] = [{"linkId": "what-matters-today", "answer": said(text)} for text in ("First", "Second", "Third")]
    load(store, tmp_path, patient("p1"), encounter("e1"), boxes)
    again = load(store, tmp_path, patient("p1"), encounter("e1"), boxes)

    assert [p.text for p in priorities_of(store, patient_by_key(store, "Patient/p1").id)] == [
        "First",
        "Second",
        "Third",
    ]
    assert again.counts[("priorities", "new")] == 0 and again.counts[("priorities", "updated")] == 0


def test_a_box_the_portal_sent_empty_is_left_out_and_every_other_answer_imported(store, tmp_path):
    """FHIR forbids an empty string; portals send one for a box left empty. The whole response was refused with it
    (the patient's answers, the practical need and the interpreter lost, the report a validator's message)."""
    boxes = response(
        {
            "what-matters-today": said("I need help with my sugar", "", "and my feet"),
            "practical-needs": said("  "),
            "interpreter": [{"valueBoolean": True}],
        }
    )
    boxes["item"].append({"linkId": "anything-else", "answer": said(""), "item": []})

    report = load(store, tmp_path, patient("p1"), encounter("e1"), boxes)

    ana = patient_by_key(store, "Patient/p1")
    assert [p.text for p in priorities_of(store, ana.id)] == ["I need help with my sugar", "and my feet"]
    assert ana.interpreter_needed and not notes_of(store, ana.id)
    assert not [skip for skip in report.skipped if "QuestionnaireResponse" in skip.resource]


def test_importing_the_same_answers_again_keeps_the_patients_correction(store, tmp_path):
    """The patient said "that's not what I meant" on the screen; the portal's unchanged answer, imported again,
    does not put the old words back. New words from the portal still arrive."""
    from companion.services.checkin import correct_as_patient

    load(store, tmp_path, patient("p1"), encounter("e1"), response({"what-matters-today": said("My knee")}))
    item = priorities_of(store, patient_by_key(store, "Patient/p1").id)[0]
    correct_as_patient(store, item.id, "My left knee, on the stairs")

    load(store, tmp_path, patient("p1"), encounter("e1"), response({"what-matters-today": said("My knee")}))
    assert [p.text for p in priorities_of(store, item.patient_id)] == ["My left knee, on the stairs"]

    load(store, tmp_path, patient("p1"), encounter("e1"), response({"what-matters-today": said("My knee and hip")}))
    assert [p.text for p in priorities_of(store, item.patient_id)] == ["My knee and hip"]


def test_a_response_withdrawn_in_the_record_takes_its_priorities_off_the_agenda(store, tmp_path):
    sent = response({"what-matters-today": said("My knee", "Sleep")})
    load(store, tmp_path, patient("p1"), encounter("e1"), sent)
    load(store, tmp_path, patient("p1"), encounter("e1"), sent | {"status": "entered-in-error"})

    items = priorities_of(store, patient_by_key(store, "Patient/p1").id)
    assert {(p.text, p.retraction_reason) for p in items} == {
        ("My knee", "entered-in-error in the health record"),
        ("Sleep", "entered-in-error in the health record"),
    }


@pytest.mark.parametrize("url", [QUESTIONNAIRE_URL, "http://loinc.org/q/93025-5"])  # ours, and PRAPARE
def test_a_draft_the_patient_has_not_sent_adds_nothing_and_takes_nothing_away(store, tmp_path, url):
    """A portal exports forms still being filled in (status in-progress): the words are the patient's to change
    or to never send, so they reach no glance. Their earlier, sent answers stay; the sent form arrives later."""
    sent = response({"what-matters-today": said("My knee")}, url=url, qid="sent")
    draft = response({"what-matters-today": said("I have been thinking about ending it")}, url=url, qid="draft")
    draft["status"] = "in-progress"

    report = load(store, tmp_path, patient("p1"), encounter("e1"), sent, draft)

    ana = patient_by_key(store, "Patient/p1")
    assert [p.text for p in priorities_of(store, ana.id)] == ["My knee"]
    assert "thinking" not in str(dump(store))
    assert report.unused["QuestionnaireResponse (status in-progress: a draft, not sent yet)"] == 1

    load(store, tmp_path, patient("p1"), encounter("e1"), draft | {"status": "completed"})
    assert "I have been thinking about ending it" in [p.text for p in priorities_of(store, ana.id)]


def test_an_answer_that_is_not_text_is_reported_not_made_into_words(store, tmp_path):
    odd = response(
        {
            "what-matters-today": [{"valueBoolean": True}, {"valueInteger": 7}, {"valueString": "My knee"}],
            "practical-needs": [{"valueCoding": {"display": "No ride to the clinic"}}],  # a portal's choice list
        }
    )
    report = load(store, tmp_path, patient("p1"), encounter("e1"), odd)

    assert [p.text for p in priorities_of(store, patient_by_key(store, "Patient/p1").id)] == ["My knee"]
    assert [n.text for n in notes_of(store, patient_by_key(store, "Patient/p1").id)] == ["No ride to the clinic"]
    assert sum("it is not text" in skip.reason for skip in report.skipped) == 2


def test_a_language_answer_with_private_words_never_reaches_the_name_line(store, tmp_path):
    """The language is shown beside the name on every screen (the glance, Today): "no papers, afraid of ICE" typed
    into a portal's language box is not."""
    load(store, tmp_path, patient(), encounter(), name="record.json")
    load(store, tmp_path, response({"language": said("Haitian Creole; no papers, afraid of ICE")}))
    assert patient_by_key(store, "Patient/p1").preferred_language == ""
