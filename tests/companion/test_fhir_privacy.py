"""Private by code and by label, not only by wording: imported facts whose code or FHIR security label says they are
private never reach the glance, keep their category, and leave the app labelled (meta.security)."""

from __future__ import annotations

import json

import pytest

from companion.content import load_content
from companion.fhir.exporter import export_visit
from companion.fhir.importer import import_paths
from companion.privacy.rules import ACT_CODE, CATEGORY_SYSTEM, CONFIDENTIALITY
from companion.read.briefing import build_glance, build_prep_card
from tests.companion.fhir_samples import (
    LOINC,
    appointment,
    bundle,
    encounter,
    load,
    notes_of,
    observation,
    patient,
    patient_by_key,
    screening,
    visits_of,
    what_matters,
    write,
)

SNOMED = "http://snomed.info/sct"


def coded(oid: str, code: str, value: str, display: str, system: str = LOINC, **extra) -> dict:
    """An observation whose words say nothing private: only its code does."""
    return observation(oid, code, value, "2025-01-02T00:00:00Z", display=display, **extra) | {
        "code": {"coding": [{"system": system, "code": code, "display": display}]}
    }


def story(oid: str, text: str, when: str = "2025-01-02T00:00:00Z", **extra) -> dict:
    """A social-history answer of its own code (one note is kept per code: the latest)."""
    return observation(oid, f"x-{oid}", text, when, display="Occupation", **extra)


def private_of(store, key: str = "Patient/p1") -> dict[str, str]:
    return {n.text: n.private_category for n in notes_of(store, patient_by_key(store, key).id) if n.sensitive}


def test_facts_private_only_by_their_code_stay_off_the_glance(store, tmp_path):
    answers = [
        coded("o1", "76690-7", "Pansexual", "Sexual orientation"),
        coded("o2", "55277-8", "Reactive", "HIV status"),
        coded("o3", "11331-6", "Socially, on weekends", "History of alcohol use"),
        coded("o4", "95618-5", "Nunca", "Physically hurt you [HITS]"),  # an abuse screen answered in Spanish
        coded("o5", "44260-8", "Several days", "Thoughts that you would be better off dead"),
        coded("o6", "11350-6", "One, long-term", "History of Sexual behavior"),  # C-CDA's sexual history
    ]
    load(store, tmp_path, patient("p1"), encounter("e1"), *answers)

    private = private_of(store)
    assert private == {
        "Sexual orientation: Pansexual": "sexuality_gender",
        "HIV status: Reactive": "hiv",
        "History of alcohol use: Socially, on weekends": "substance_use",
        "Physically hurt you: Nunca": "abuse_violence",
        "Thoughts that you would be better off dead: Several days": "suicide_self_harm",
        "History of Sexual behavior: One, long-term": "sexuality_gender",
    }
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id
    glance = json.dumps(build_glance(store, visit).to_json(), ensure_ascii=False)
    for words in ("Pansexual", "Reactive", "weekends", "Nunca", "better off dead", "long-term"):
        assert words not in glance
    assert build_glance(store, visit).private_count == 6


def test_a_security_label_makes_a_fact_private_whatever_it_says(store, tmp_path):
    def labelled(oid: str, text: str, *labels: tuple[str, str]) -> dict:
        security = [{"system": system, "code": code} for system, code in labels]
        return story(oid, text, meta={"security": security})

    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        labelled("o1", "Works nights at the plant", (CONFIDENTIALITY, "R")),
        labelled("o2", "Goes to meetings on Tuesdays", (ACT_CODE, "ETH")),
        labelled("o3", "Sees Dr. Park monthly", (ACT_CODE, "PSY"), (CONFIDENTIALITY, "V")),
        labelled("o4", "Plays the trumpet", (ACT_CODE, "TBOO")),
    )

    assert private_of(store) == {
        "Occupation: Works nights at the plant": "",
        "Occupation: Goes to meetings on Tuesdays": "substance_use",
        "Occupation: Sees Dr. Park monthly": "mental_health",
        "Occupation: Plays the trumpet": "",
    }


def test_the_same_words_are_judged_again_when_their_label_or_code_differs(store, tmp_path):
    # One import judges each wording once (a bulk export repeats "Never smoker" thousands of times): the verdict of
    # the same words must still follow each resource's own label and code.
    plain = story("o1", "Works nights at the plant", subject={"reference": "Patient/p1"})
    restricted = story(
        "o2", "Works nights at the plant", subject={"reference": "Patient/p2"}, meta={"security": [{"code": "R"}]}
    )
    by_code = coded("o3", "55277-8", "Works nights at the plant", "Occupation", subject={"reference": "Patient/p3"})
    again = story("o4", "Works nights at the plant", subject={"reference": "Patient/p4"})
    load(store, tmp_path, *(patient(p) for p in ("p1", "p2", "p3", "p4")), plain, restricted, by_code, again)

    assert [private_of(store, f"Patient/{p}") for p in ("p1", "p2", "p3", "p4")] == [
        {},
        {"Occupation: Works nights at the plant": ""},
        {"Occupation: Works nights at the plant": "hiv"},
        {},
    ]


def test_a_condition_code_in_snomed_or_icd10_is_read_too(store, tmp_path):
    flag = {
        "resourceType": "Flag",
        "id": "f1",
        "status": "active",
        "code": {"coding": [{"system": SNOMED, "code": "6471006", "display": "Suicidal thoughts"}], "text": "Alert"},
        "subject": {"reference": "Patient/p1"},
    }
    diagnosis = encounter(
        "e2",
        reasonCode=[{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F10.20"}], "text": "f/u"}],
    )
    load(store, tmp_path, patient("p1"), encounter("e1"), diagnosis, flag)

    assert private_of(store) == {"Alert": "suicide_self_harm"}
    reasons = {
        v.reason: (v.reason_private, v.reason_category)
        for v in visits_of(store, patient_by_key(store, "Patient/p1").id)
    }
    assert reasons["f/u"] == (True, "substance_use")


def test_a_private_fact_leaves_labelled_and_comes_back_with_its_category(store, tmp_path, make_clinician):
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1", reasonCode=[{"text": "HIV follow-up"}]),
        coded("o1", "55277-8", "Reactive", "HIV status"),
        story("o2", "Afraid of her ex since the restraining order"),
        story("o3", "Has a green card interview in May"),
    )
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id

    plain = export_visit(store, visit)
    assert not any("meta" in e["resource"] for e in plain["entry"])
    assert "HIV" not in json.dumps(plain)  # neither the facts nor the private reason leave without being asked

    full = export_visit(store, visit, include_sensitive=True)
    labels = {
        (e["resource"]["resourceType"], c.get("system"), c["code"])
        for e in full["entry"]
        for c in e["resource"].get("meta", {}).get("security", [])
    }
    assert ("Communication", CONFIDENTIALITY, "R") in labels
    assert ("Communication", ACT_CODE, "HIV") in labels
    assert ("Communication", ACT_CODE, "SDV") in labels
    assert ("Communication", CATEGORY_SYSTEM, "legal_immigration") in labels  # HL7 has no code for it
    assert ("Encounter", ACT_CODE, "HIV") in labels

    other = tmp_path / "other"
    other.mkdir()
    from companion.storage.store import open_store

    fresh = open_store(str(other / "c.sqlite3"))
    import_paths(fresh, [write(tmp_path, "export.json", full)])
    assert set(private_of(fresh, "Patient/p1").values()) == {"hiv", "abuse_violence", "legal_immigration"}
    fresh.engine.dispose()


def test_the_prep_card_lists_safety_items_first(store, tmp_path):
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        story("o1", "Smokes weed to sleep", "2025-01-04T00:00:00Z"),
        story("o2", "Afraid to go home to her husband", "2025-01-03T00:00:00Z"),
        story("o3", "HIV positive since 2019", "2025-01-05T00:00:00Z"),
    )
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id

    card = build_prep_card(store, visit)

    assert card.sensitive[0].text.endswith("Afraid to go home to her husband")
    assert {item.category for item in card.sensitive[1:]} == {"substance_use", "hiv"}


def test_an_import_never_makes_public_what_was_private(store, tmp_path):
    first = story("o1", "Thinks about ending it", "2025-01-01T00:00:00Z")
    load(store, tmp_path, patient("p1"), encounter("e1"), first)
    later = story("o1", "Retired", "2025-02-01T00:00:00Z")
    import_paths(store, [write(tmp_path, "later.json", bundle(later))])

    notes = notes_of(store, patient_by_key(store, "Patient/p1").id)
    assert [(n.text, n.sensitive) for n in notes] == [("Occupation: Retired", True)]


def flag(fid: str, text: str, *codings: tuple[str, str], **extra) -> dict:
    """An alert whose text says nothing private: only its codes or labels do."""
    code = {"coding": [{"system": system, "code": code} for system, code in codings], "text": text}
    alert = {
        "resourceType": "Flag",
        "id": fid,
        "status": "active",
        "code": code,
        "subject": {"reference": "Patient/p1"},
    }
    return alert | extra


def test_codes_and_labels_named_the_older_ways_still_make_a_fact_private(store, tmp_path):
    """FHIR STU3's addresses, HL7's OIDs (converted C-CDA documents use them), a SNOMED CT edition, https and a
    trailing slash name the same code systems; a fact they mark is as private as under the canonical address. A label
    written in lowercase ("psy", "r") is the label an export meant."""

    def labelled(fid: str, text: str, system: str, code: str) -> dict:
        return flag(fid, text, meta={"security": [{"system": system, "code": code}]})

    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        flag("f1", "Alert one", ("urn:oid:2.16.840.1.113883.6.96", "86406008")),  # SNOMED by its OID: HIV infection
        flag("f2", "Alert two", ("urn:oid:2.16.840.1.113883.6.90", "F43.10")),  # ICD-10-CM by its OID: PTSD
        flag("f3", "Alert three", ("http://snomed.info/sct/731000124108", "86406008")),  # the US edition
        flag("f4", "Alert four", ("https://loinc.org/", "55277-8")),
        labelled("f6", "Weekly sessions at Westside", "http://hl7.org/fhir/v3/ActCode", "PSY"),
        labelled("f7", "Tuesdays at the clinic", "urn:oid:2.16.840.1.113883.5.4", "HIV"),
        labelled("f8", "Plays the trumpet", "http://hl7.org/fhir/v3/Confidentiality", "R"),
        labelled("f9", "Walks the dog", "urn:oid:2.16.840.1.113883.5.25", "V"),
        labelled("f10", "Weekly session", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "psy"),  # lowercase
        labelled("f11", "Follow-up", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "r"),
        labelled("f12", "Takes the bus", "urn:oid:2.16.840.1.113883.5.1138", "42CFRPart2"),  # ActUSPrivacyLaw's OID
        labelled("f13", "Works at the bakery", "http://hl7.org/fhir/v3/ActUSPrivacyLaw", "42CFRPart2"),  # STU3's
        labelled("f14", "Blue house", "HTTP://TERMINOLOGY.HL7.ORG/CodeSystem/v3-Confidentiality", "R"),  # any case
    )

    assert private_of(store) == {
        "Alert one": "hiv",
        "Alert two": "mental_health",
        "Alert three": "hiv",
        "Alert four": "hiv",
        "Weekly sessions at Westside": "mental_health",
        "Tuesdays at the clinic": "hiv",
        "Plays the trumpet": "",
        "Walks the dog": "",
        "Weekly session": "mental_health",
        "Follow-up": "",
        "Takes the bus": "substance_use",
        "Works at the bakery": "substance_use",
        "Blue house": "",
    }


def test_a_bundles_own_security_labels_hold_for_every_entry(store, tmp_path):
    labelled = bundle(patient("p1"), encounter("e1"), flag("f1", "Weekly sessions at Westside on Tuesdays"))
    labelled["meta"] = {"security": [{"system": ACT_CODE, "code": "PSY"}, {"system": CONFIDENTIALITY, "code": "R"}]}
    labelled = {"resourceType": "Bundle", "meta": labelled.pop("meta"), **labelled}  # meta before entry, as written
    import_paths(store, [write(tmp_path, "labelled.json", labelled)])

    assert private_of(store) == {"Weekly sessions at Westside on Tuesdays": "mental_health"}
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0]
    assert build_glance(store, visit.id).story == ()


def test_a_bundles_labels_written_after_its_entries_still_hold_for_every_entry(store, tmp_path):
    """JSON keeps no order: a Bundle may name its meta after its entries. The first pass over the file finds them
    before anything is written, and the report says they came late."""
    late = {**bundle(patient("p1"), encounter("e1"), flag("f1", "Weekly sessions")), "meta": {"security": [
        {"system": CONFIDENTIALITY, "code": "R"}]}}  # fmt: skip
    report = import_paths(store, [write(tmp_path, "late.json", late)]).result

    assert private_of(store) == {"Weekly sessions": ""}
    assert any("security labels (meta.security) come after its entries" in skip.reason for skip in report.skipped)


@pytest.mark.parametrize(
    "labels",
    [
        {"tag": [{"system": CONFIDENTIALITY, "code": "R"}]},  # filed as a tag, not a security label
        {"security": [{"system": "2.16.840.1.113883.5.25", "code": "R"}]},  # an OID without its urn:oid: prefix
        {"security": [{"system": ACT_CODE, "code": "R"}]},  # restricted, under ActCode's address
    ],
)
def test_a_label_written_the_ways_some_systems_write_it_still_keeps_the_fact_private(store, tmp_path, labels):
    labelled = flag("f1", "Walks with her sister every morning") | {"meta": labels}
    import_paths(store, [write(tmp_path, "labelled.json", bundle(patient("p1"), encounter("e1"), labelled))])

    assert list(private_of(store)) == ["Walks with her sister every morning"]


def speaking(pid: str, given: str, code: str) -> dict:
    """A Patient who speaks this language (a BCP-47 code), as their record says."""
    return patient(pid, given) | {"communication": [{"language": {"coding": [{"code": code}]}, "preferred": True}]}


def test_a_bundles_language_holds_for_every_entry_that_names_none(store, tmp_path):
    """A Bundle in Portuguese (its `language`, before or after its entries) holds words the lexicon cannot read:
    its entries are judged in Portuguese and kept behind the reveal, not shown unread."""
    for name, first in (("before.json", True), ("after.json", False)):
        said = what_matters(f"q{name}", ["Tenho pensado em me matar"], encounter={"reference": "Encounter/e1"})
        entries = bundle(patient("p1"), encounter("e1"), said)
        data = {"resourceType": "Bundle", "language": "pt-BR", **entries} if first else {**entries, "language": "pt-BR"}
        import_paths(store, [write(tmp_path, name, data)])

    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0]
    assert build_glance(store, visit.id).priorities == ()


def test_a_patients_answers_with_no_language_are_judged_in_the_language_the_patient_speaks(store, tmp_path):
    """A Portuguese portal sends the patient's answers with no language of its own: the Patient says she speaks
    Portuguese, which the lexicon cannot read, so her words wait behind the reveal. An English speaker's answers
    in the same shape are read as ever."""

    said = what_matters("q1", ["Tenho pensado em me matar"], encounter={"reference": "Encounter/e1"})
    maria = [speaking("p1", "Maria", "pt-BR"), encounter("e1"), said]
    knee = what_matters("q2", ["My knee"], pid="p2", encounter={"reference": "Encounter/e2"})
    john = [speaking("p2", "John", "en-US"), encounter("e2", "p2"), knee]
    import_paths(store, [write(tmp_path, "maria.json", bundle(*maria)), write(tmp_path, "john.json", bundle(*john))])

    glance = {
        key: build_glance(store, visits_of(store, patient_by_key(store, key).id)[0].id)
        for key in ("Patient/p1", "Patient/p2")
    }
    assert glance["Patient/p1"].priorities == ()
    assert [p.text for p in glance["Patient/p2"].priorities] == ["My knee"]


def test_a_bundles_own_language_yields_to_the_language_the_patient_speaks_and_is_never_their_answer(store, tmp_path):
    """A server stamps every Bundle "en-US". A Portuguese speaker's portal answers in it are still judged in
    Portuguese (kept behind the reveal), and the Bundle's stamp never becomes anyone's preferred language. A
    language that is not a language code ("en-US " with a space) names none: the entries import as ever."""

    said = what_matters("q1", ["Tenho pensado em me matar"], encounter={"reference": "Encounter/e1"})
    stamped = {
        "resourceType": "Bundle",
        "language": "en-US",
        **bundle(speaking("p1", "Maria", "pt-BR"), encounter("e1"), said),
    }
    spaced = {"resourceType": "Bundle", "language": "en-US ", **bundle(patient("p2", "Bo"), encounter("e2", "p2"))}
    import_paths(store, [write(tmp_path, "stamped.json", stamped), write(tmp_path, "spaced.json", spaced)])

    maria = patient_by_key(store, "Patient/p1")
    assert build_glance(store, visits_of(store, maria.id)[0].id).priorities == ()
    assert maria.preferred_language != "English"
    assert len(visits_of(store, patient_by_key(store, "Patient/p2").id)) == 1


def test_answers_in_a_later_file_are_judged_in_the_language_an_earlier_file_said_the_patient_speaks(store, tmp_path):
    """The record came first (Maria speaks Portuguese); her portal's answers come later in a file of their own,
    with no language and no Patient, perhaps stamped en-US by the server: still judged in Portuguese, behind the
    reveal. An English speaker's answers, and Maria's own answers that say they are English, are read as ever."""

    record = bundle(
        speaking("p1", "Maria", "pt-BR"), encounter("e1"), speaking("p2", "John", "en"), encounter("e2", "p2")
    )
    import_paths(store, [write(tmp_path, "record.json", record)])
    portal = {
        "resourceType": "Bundle",
        "language": "en-US",
        **bundle(
            what_matters("q1", ["Tenho pensado em me matar"], encounter={"reference": "Encounter/e1"}),
            what_matters("q2", ["My knee"], pid="p2", encounter={"reference": "Encounter/e2"}),
        ),
    }
    import_paths(store, [write(tmp_path, "portal.json", portal)])

    def agenda(key: str) -> list[str]:
        visit = visits_of(store, patient_by_key(store, key).id)[0].id
        return [p.text for p in build_glance(store, visit).priorities]

    assert agenda("Patient/p1") == []
    assert agenda("Patient/p2") == ["My knee"]

    english = what_matters("q3", ["Walk to church again"], encounter={"reference": "Encounter/e1"}) | {"language": "en"}
    import_paths(store, [write(tmp_path, "english.json", bundle(english))])
    assert agenda("Patient/p1") == ["Walk to church again"]


def test_a_bundle_in_a_language_the_rules_cannot_read_is_not_read_as_the_stored_english(store, tmp_path):
    """The record says the patient speaks English; a later Bundle declares pt-BR for answers that name no
    language: whichever of the two the rules cannot read decides, and the words wait behind the reveal."""
    english = speaking("p1", "Ana", "en")
    load(store, tmp_path, english, encounter("e1"))
    said = what_matters("q1", ["Tenho pensado em me matar"], encounter={"reference": "Encounter/e1"})
    import_paths(store, [write(tmp_path, "pt.json", {"resourceType": "Bundle", "language": "pt-BR", **bundle(said)})])

    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id
    assert build_glance(store, visit).priorities == ()


def test_a_message_the_patient_sent_is_judged_in_the_language_they_speak(store, tmp_path):
    """A portal message from a Portuguese speaker, with no language of its own, waits behind the reveal; a message
    the care team wrote about her in English is read as ever."""

    def message(cid: str, text: str, sender: str) -> dict:
        return {
            "resourceType": "Communication",
            "id": cid,
            "status": "completed",
            "subject": {"reference": "Patient/p1"},
            "sender": {"reference": sender},
            "payload": [{"contentString": text}],
        }

    maria = speaking("p1", "Maria", "pt-BR")
    load(
        store,
        tmp_path,
        maria,
        encounter("e1"),
        message("c1", "Meu marido me bate quando bebe", "Patient/p1"),
        message("c2", "Daughter drives her to appointments", "Practitioner/d1"),
    )

    shown = {n.text: n.sensitive for n in notes_of(store, patient_by_key(store, "Patient/p1").id)}
    assert shown == {"Meu marido me bate quando bebe": True, "Daughter drives her to appointments": False}


def test_a_screening_item_named_by_its_loinc_code_inside_a_local_link_id_is_read(store, tmp_path):
    """The AHC health-related social needs screen with the clinic's own linkIds ("hrsn-95618-5"): the safety item
    is still the LOINC item it names, and stays off the glance."""
    answers = [("hrsn-95618-5", "How often does anyone physically hurt you?", {"display": "Fairly often"})]
    load(
        store, tmp_path, patient("p1"), encounter("e1"), screening("q1", "https://clinic.example.org/ahc-hrsn", answers)
    )

    assert set(private_of(store).values()) == {"abuse_violence"}


def test_a_text_in_a_language_the_rules_do_not_read_is_kept_private_not_shown_unread(store, tmp_path):
    """The record says its words are Portuguese or German: the English and Spanish phrases cannot judge them, so
    they wait behind the reveal for the clinician to read. Spanish from Mexico and English from the US are read."""

    def said(cid: str, text: str, language: str) -> dict:
        payload = [{"contentString": text}]
        return {"resourceType": "Communication", "id": cid, "status": "completed", "language": language,
                "subject": {"reference": "Patient/p1"}, "payload": payload}  # fmt: skip

    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        said("c1", "Estou grávida e quero falar sobre isso", "pt-BR"),
        said("c2", "Schwanger, 8. Woche, Partner weiß es nicht", "de"),
        said("c3", "Vive con su hija en Tijuana", "es-MX"),
        said("c4", "Works nights at the plant", "en-US"),
        encounter("e2", start="2025-03-20T09:00:00+00:00", language="vi", reasonCode=[{"text": "tái khám trầm cảm"}]),
    )
    reasons = {v.reason: v.reason_private for v in visits_of(store, patient_by_key(store, "Patient/p1").id)}
    assert reasons["tái khám trầm cảm"] is True

    notes = {n.text: (n.sensitive, n.private_reason) for n in notes_of(store, patient_by_key(store, "Patient/p1").id)}
    assert notes == {
        "Estou grávida e quero falar sobre isso": (True, "language"),
        "Schwanger, 8. Woche, Partner weiß es nicht": (True, "language"),
        "Vive con su hija en Tijuana": (False, ""),
        "Works nights at the plant": (False, ""),
    }


def test_private_words_in_a_patients_pronouns_never_reach_the_name_line(store, tmp_path):
    """Pronouns are shown beside the name on every screen: words the rules keep private there ("trans woman, not
    out to family") leave them out. A preferred name is a name, never judged: "Molly" stays Molly."""
    pronouns = {
        "url": "http://hl7.org/fhir/StructureDefinition/individual-pronouns",
        "extension": [{"url": "value", "valueCodeableConcept": {"text": "she/her (trans woman, not out to family)"}}],
    }
    named = patient("p1", extension=[pronouns])
    named["name"].append({"use": "usual", "given": ["Molly"]})
    load(store, tmp_path, named, encounter("e1"))

    row = patient_by_key(store, "Patient/p1")
    assert (row.pronouns, row.preferred_name, row.recorded_name) == ("", "Molly", "Ana Lima")


@pytest.mark.parametrize(
    ("written", "kept"),
    [("she/her, trans", ""), ("he/him (bi)", ""), ("they/them, 2S", ""), ("ze/hir", "ze/hir"), ("él/ella", "él/ella")],
)
def test_pronouns_hold_pronouns_only_on_the_name_line(store, tmp_path, written, kept):
    """A word more beside pronouns ("trans", "bi", "2S") tells gender identity or sexuality to the whole room,
    though no private sentence: the record's pronouns are kept only when they hold pronouns alone."""
    pronouns = {
        "url": "http://hl7.org/fhir/StructureDefinition/individual-pronouns",
        "extension": [{"url": "value", "valueCodeableConcept": {"text": written}}],
    }
    load(store, tmp_path, patient("p1", extension=[pronouns]), encounter("e1"))
    assert patient_by_key(store, "Patient/p1").pronouns == kept


def test_a_preferred_name_with_private_words_added_never_reaches_the_name_line(store, tmp_path):
    named = patient("p1")
    named["name"].append({"use": "nickname", "given": ["Alex (HIV positive)"]})
    named["name"].append({"use": "usual", "text": "Alex (HIV positive)"})
    load(store, tmp_path, named, encounter("e1"))

    assert patient_by_key(store, "Patient/p1").preferred_name == ""


def test_a_recorded_name_with_private_words_added_keeps_the_name_alone(store, tmp_path):
    """A booking names a patient not sent yet by its display, with a remark; a Patient's name text has one too."""
    booked = appointment("a1", pid="p2")
    booked["participant"][0]["actor"]["display"] = "Jane Roe (HIV clinic pt)"
    remarked = patient("p1", name=[{"use": "official", "text": "Ana Lima - methadone pt"}])
    load(store, tmp_path, remarked, booked)

    assert patient_by_key(store, "Patient/p2").recorded_name == "Jane Roe"
    assert patient_by_key(store, "Patient/p1").recorded_name == "Ana Lima"


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("Robert", "Gay"),
        ("Elliott", "Sober"),
        ("Garfield", "Sobers"),
        ("Chris", "Booze"),
        ("Hans", "Rape"),
        ("Viola", "Davis"),
    ],  # fmt: skip
)
def test_a_recorded_name_of_words_alone_stays_as_written(store, tmp_path, given, family):
    """Surnames and given names that are also words the rules keep private: the record's own name, kept whole (a
    surname had been dropped without a word in the report, and the patient shown by a first name alone)."""
    load(store, tmp_path, patient("p1", given=given, family=family), encounter("e1"))
    assert patient_by_key(store, "Patient/p1").recorded_name == f"{given} {family}"


def test_private_words_in_a_patients_language_never_reach_the_name_line(store, tmp_path):
    spoken = [{"language": {"text": "Spanish; undocumented, fears ICE"}, "preferred": True}]
    load(store, tmp_path, patient("p1", communication=spoken), encounter("e1"))

    assert patient_by_key(store, "Patient/p1").preferred_language == ""


def test_a_visit_reason_taken_from_its_service_type_is_judged_by_that_code_too(store, tmp_path):
    service = {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F43.10"}], "text": "Follow-up"}
    load(store, tmp_path, patient("p1"), encounter("e1", serviceType=service))

    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0]
    assert (visit.reason, visit.reason_private, visit.reason_category) == ("Follow-up", True, "mental_health")


def test_a_bundle_whose_own_meta_cannot_be_read_counts_as_restricted(store, tmp_path):
    """Its labels cannot be known (nested past the parser's limit): its entries are kept private, not shown."""
    deep = "[" * 5000 + "]" * 5000  # deeper than the JSON parser goes
    unread = {
        "resourceType": "Bundle",
        "meta": {"extension": "DEEP"},
        **bundle(patient("p1"), encounter("e1"), flag("f1", "Weekly sessions")),
    }
    import_paths(store, [write(tmp_path, "unread.json", json.dumps(unread).replace('"DEEP"', deep))])

    assert private_of(store) == {"Weekly sessions": ""}


ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("R45851", "suicide_self_harm"),  # R45.851 suicidal ideations, as claims data writes it
        ("T1491XA", "suicide_self_harm"),
        ("Z62810", "abuse_violence"),
        ("Z206", "hiv"),
        ("F331", "mental_health"),
    ],
)
def test_an_icd10_code_written_without_its_dot_is_the_same_code(code, category):
    rules = load_content().privacy
    assert rules.judge("Follow-up", codes=((ICD10CM, code),)).category == category
    dotted = f"{code[:3]}.{code[3:]}"
    assert rules.judge("Follow-up", codes=((ICD10CM, dotted),)).category == category
    assert not rules.judge("Follow-up", codes=((ICD10CM, "J0190"),)).private  # sinusitis stays public


@pytest.mark.parametrize(
    ("system", "code", "private"),
    [
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "42CFRPart2", "substance_use"),
        ("http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw", "42CFRPart2", "substance_use"),
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "ADOL", ""),  # a teenager's confidential information
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "CEL", ""),
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMP", ""),
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "LOCIS", ""),  # a shelter's address
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "SOC", ""),
        ("http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw", "HIPAAPsyNotes", "mental_health"),
        ("http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw", "Title38Section7332", ""),  # VA: drugs, HIV
        ("URN:OID:2.16.840.1.113883.5.25", "R", ""),  # the OID's scheme in capitals
        ("http://terminology.hl7.org/ValueSet/v3-Confidentiality", "R", ""),  # the value set named for its system
    ],
)
def test_every_sensitivity_label_a_record_may_carry_keeps_a_fact_off_the_glance(system, code, private):
    verdict = load_content().privacy.judge("Lives on Elm Street", labels=((system, code),))
    assert verdict.private and verdict.category == private
    assert not load_content().privacy.judge("Lives on Elm Street", labels=((system, "DEMO"),)).private


CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"


def _typed(eid: str, system: str, code: str, display: str) -> dict:
    return encounter(eid, type=[{"coding": [{"system": system, "code": code, "display": display}]}])


def test_a_visit_typed_by_a_psychiatry_counselling_or_abortion_procedure_code_keeps_its_reason_private(store, tmp_path):
    """Cerner and Epic type visits by CPT and HCPCS codes: a psychotherapy hour, an opioid treatment programme
    visit, an abortion are private by their code whatever words stand beside it; an ordinary office visit is not."""
    load(
        store,
        tmp_path,
        patient("p1"),
        _typed("e1", CPT, "90837", "Established visit, 60 minutes"),
        _typed("e2", "urn:oid:2.16.840.1.113883.6.12", "90853", "Group session"),
        _typed("e3", HCPCS, "g2067", "Weekly bundle"),
        _typed("e4", CPT, "59840", "Procedure visit"),
        _typed("e5", CPT, "99213", "Office visit, established patient"),
        _typed("e6", CPT, "9083", "Short code"),
    )

    reasons = {
        v.reason: (v.reason_private, v.reason_category)
        for v in visits_of(store, patient_by_key(store, "Patient/p1").id)
    }
    assert reasons == {
        "Established visit, 60 minutes": (True, "mental_health"),
        "Group session": (True, "mental_health"),
        "Weekly bundle": (True, "substance_use"),
        "Procedure visit": (True, "reproductive"),
        "Office visit, established patient": (False, ""),
        "Short code": (False, ""),
    }


def test_a_flag_about_behaviour_is_private_whatever_its_words(store, tmp_path):
    """Epic's and Cerner's behavioural flags ("check the PDMP before prescribing", "security escort") are for staff:
    the category says so even when the words do not; a flag of another category is not hidden by it."""

    def flag(fid: str, text: str, category: str) -> dict:
        return {
            "resourceType": "Flag",
            "id": fid,
            "status": "active",
            "category": [{"coding": [{"system": FLAG_CATEGORY, "code": category}]}],
            "code": {"text": text},
            "subject": {"reference": "Patient/p1"},
        }

    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        flag("f1", "Check PDMP before prescribing", "behavioral"),
        flag("f2", "Security escort required", "behavioral"),
        flag("f3", "Uses a wheelchair; needs the wide room", "safety"),
    )

    assert private_of(store) == {
        "Check PDMP before prescribing": "mental_health",
        "Security escort required": "mental_health",
    }
