"""The summary a patient takes home: their words, what was agreed, when to come back, who to call; in their language
and plain words; never a private fact unless asked, never a cue, a note, the reflection or another patient's words.
The reminder file holds the dated next steps; the FHIR export carries the handout as a Communication."""

from __future__ import annotations

import json
import re
import stat
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from companion.fhir.exporter import export_visit, write_export
from companion.fhir.importer import import_paths
from companion.read.handout import PHONE_KEY, build_handout, handout_calendar, handout_text
from companion.read.overview import list_patients
from companion.read.patient_facing import language_for
from companion.services import encounter, notes, priorities, visits
from companion.services.audit_trail import audit_log
from companion.services.booking import add_visit
from companion.services.settings import put_setting
from tests.companion.conftest import TODAY
from tests.disks import small_disk

# --- Flesch-Kincaid grade level, with a small syllable counter (no dependency) ---------------------------------


def syllables(word: str) -> int:
    word = word.lower().strip(".,:;!?()'\"-•")
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1  # a silent e
    return max(count, 1)


def fk_grade(text: str) -> float:
    sentences = [s for s in re.split(r"[.!?:\n]+", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return 0.39 * len(words) / len(sentences) + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def test_the_syllable_counter_counts_plain_words():
    assert [syllables(w) for w in ("cat", "table", "visit", "tomorrow", "come", "summary")] == [1, 2, 2, 3, 1, 3]


# --- the handout --------------------------------------------------------------------------------------------------


@pytest.fixture
def soren(demo_store, demo_visits) -> int:
    """Søren's visit, closed with next steps (one dated, one private), a private priority and a later visit."""
    visit_id = demo_visits["Søren"]
    encounter.add_next_step(demo_store, visit_id, "Blood test on 2025-03-28", "Dr. Amara Okafor")
    encounter.add_next_step(demo_store, visit_id, "Walk with the dog each morning", "Dr. Amara Okafor")
    encounter.add_next_step(demo_store, visit_id, "Call the HIV clinic about the test", "Dr. Amara Okafor")
    priorities.add_priority(demo_store, visit_id, "Talk about my drinking", sensitive=True)
    priorities.add_priority(demo_store, visit_id, "Check his kidney numbers", source="clinician")
    first = priorities.agenda(demo_store, visit_id)[0]
    priorities.set_state(demo_store, first.id, "addressed")
    patient_id = visits.visit_row(demo_store, visit_id).patient_id
    add_visit(demo_store, patient_id, None, datetime.combine(TODAY + timedelta(days=14), time(10, 30)), "Follow-up")
    return visit_id


def test_an_english_handout_holds_their_words_the_steps_the_next_visit_and_who_to_call(demo_store, soren):
    with demo_store.writing() as session:
        put_setting(session, PHONE_KEY, "555-0100")
        session.commit()
    handout = build_handout(demo_store, soren)
    text = handout_text(handout)
    print(text)

    # The demo's visit was on its own day, not today: the title names it.
    assert handout.language == "en" and text.startswith("Your visit on Friday, March 14, 2025\n")
    assert "I can't sleep since Karin died. We talked about this today." in text
    assert "Blood test on Friday, March 28, 2025" in text and "2025-03-28" not in text
    assert "Walk with the dog each morning" in text
    assert "- Your next visit is on Friday, March 28, 2025 at 10:30 a.m.\n" in text  # one stop, not "a.m.."
    assert "call us at 555-0100" in text
    assert [(s.on, s.text) for s in handout.dated_steps] == [
        (date(2025, 3, 28), "Blood test on Friday, March 28, 2025")
    ]


def test_the_english_handout_reads_at_about_a_sixth_grade_level(demo_store, soren):
    text = handout_text(build_handout(demo_store, soren))
    grade = fk_grade(text)
    print(f"Flesch-Kincaid grade of the English handout: {grade:.1f}")
    assert grade <= 8


def test_nothing_private_no_cue_no_note_no_care_team_item_and_no_other_patient(demo_store, demo_visits, soren):
    notes.add_note(demo_store, soren, "social", "Lost his job at the ferry", "Jonas Lindqvist")
    plain = handout_text(build_handout(demo_store, soren))
    for never in (
        "HIV",
        "drinking",
        "Tearful",  # the emotion cue
        "Widowed",  # a note about him: his story is not the take-home summary
        "ferry",
        "kidney",  # the clinician's own agenda item
        "Quiero entender",  # Majo's words
        "My feet tingle",
    ):
        assert never not in plain, never
    assert build_handout(demo_store, soren).left_out == 2

    full = handout_text(build_handout(demo_store, soren, include_sensitive=True))
    assert "Call the HIV clinic about the test" in full and "Talk about my drinking" in full
    assert "Tearful" not in full and "kidney" not in full


def test_a_private_reason_stays_off_the_handout(demo_store, demo_visits):
    visit_id = demo_visits["Frank"]
    with demo_store.writing() as session:
        from companion.storage.models import Visit

        row = session.get(Visit, visit_id)
        row.reason, row.reason_private = "HIV test results", True
        session.add(row)
        session.commit()
    assert "HIV" not in handout_text(build_handout(demo_store, visit_id))
    assert "HIV test results" in handout_text(build_handout(demo_store, visit_id, include_sensitive=True))


def test_a_spanish_speaker_gets_spanish_and_english_when_asked(demo_store, demo_visits):
    visit_id = demo_visits["Majo"]
    encounter.add_next_step(demo_store, visit_id, "Análisis de sangre 2025-04-02", "Dr. Amara Okafor")
    spanish = handout_text(build_handout(demo_store, visit_id))
    print(spanish)
    assert spanish.startswith("Su visita del viernes 14 de marzo de 2025\n")
    assert "Usted vio a Dr. Amara Okafor el viernes 14 de marzo de 2025." in spanish
    assert "Análisis de sangre miércoles 2 de abril de 2025" in spanish
    assert "Por favor, llámenos para hacer su próxima cita." in spanish
    assert "Quiero entender por qué cambiaron mi pastilla" in spanish  # their words as they said them
    english = handout_text(build_handout(demo_store, visit_id, "en"))
    assert english.startswith("Your visit on Friday, March 14, 2025\n") and "Wednesday, April 2, 2025" in english


@pytest.mark.parametrize(
    ("recorded", "code"), [("Spanish", "es"), ("es-MX", "es"), ("Español", "es"), ("English", "en"), ("Arabic", "en")]
)
def test_the_handout_language_follows_the_recorded_one_when_shipped(recorded, code):
    assert language_for(recorded).code == code


def test_a_language_the_clinic_adds_and_its_rewording_reach_the_handout(
    cli, db_path, demo_store, demo_visits, soren, companion_home
):
    """A clinic adds French and rewords an English line under <data folder>/content/patient/, as for the
    check-in: the handout of a patient recorded as speaking French is in it, `--language fr` is offered, and an
    English handout says the clinic's words."""
    from companion.read.patient_language import patient_language
    from companion.services.patients import edit_patient, patient_details

    french = companion_home / "content" / "patient" / "fr"
    french.mkdir(parents=True)
    (french / "language.toml").write_text('name = "Français"\n', encoding="utf-8")
    (french / "handout.toml").write_text('title_on = "Votre visite du {date}"\n', encoding="utf-8")
    (companion_home / "content" / "patient" / "en").mkdir()
    (companion_home / "content" / "patient" / "en" / "handout.toml").write_text(
        'call_clinic = "Call the Riverside clinic."\n', encoding="utf-8"
    )
    assert "Call the Riverside clinic." in handout_text(build_handout(demo_store, soren, "en"))
    code, out, _err = cli("handout", soren, "--language", "fr", "--db", db_path)
    assert code == 0 and out.startswith("Votre visite du ")
    details = patient_details(demo_store, visits.visit_row(demo_store, soren).patient_id)
    edit_patient(demo_store, details.id, recorded_name=details.recorded_name, language="Français")
    assert build_handout(demo_store, soren).language == "fr"
    assert patient_language("fr", companion_home / "content").name == "Français"


# --- the reminder -------------------------------------------------------------------------------------------------


def test_the_reminder_file_holds_each_dated_step_and_the_next_visit(demo_store, soren):
    calendar = Calendar.from_ical(handout_calendar(build_handout(demo_store, soren)))
    events = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events == {
        "Blood test on Friday, March 28, 2025": date(2025, 3, 28),
        "Your next visit": datetime.combine(TODAY + timedelta(days=14), time(10, 30)),
    }
    assert all(e.walk("VALARM") for e in calendar.walk("VEVENT"))
    assert b"HIV" not in handout_calendar(build_handout(demo_store, soren))


def test_a_date_no_one_means_makes_no_reminder_and_a_private_one_is_confidential(demo_store, soren):
    """9999-12-31 has no day after it (the command ended in a fault report); the year 1 is a slip. A private step,
    printed only when asked for, is marked confidential for the calendar that receives it."""
    encounter.add_next_step(demo_store, soren, "Recall on 9999-12-31 or 0001-01-01", "Dr. Amara Okafor")
    encounter.add_next_step(demo_store, soren, "HIV test result call on 2030-04-02", "Dr. Amara Okafor")

    calendar = Calendar.from_ical(handout_calendar(build_handout(demo_store, soren, include_sensitive=True)))

    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert not any("Recall" in summary for summary in events)
    private = [e for summary, e in events.items() if "HIV" in summary]
    assert private and all(str(e["class"]) == "CONFIDENTIAL" for e in private)
    assert all("class" not in e for summary, e in events.items() if "HIV" not in summary)


# --- the FHIR export ----------------------------------------------------------------------------------------------


def test_a_done_visit_exports_its_handout_as_a_communication_without_private_facts(
    demo_store, soren, empty_store, tmp_path
):
    encounter.finish_visit(demo_store, soren, defer_unread_private=True)
    data = export_visit(demo_store, soren, include_sensitive=True)
    [handout] = [e["resource"] for e in data["entry"] if e["resource"]["id"].startswith("companion-handout-")]
    assert handout["resourceType"] == "Communication" and handout["status"] == "completed"
    assert handout["language"] == "en" and handout["encounter"] and handout["subject"] == handout["recipient"][0]
    text = handout["payload"][0]["contentString"]
    assert text == handout_text(build_handout(demo_store, soren))
    assert "HIV" not in text and "drinking" not in text and "Tearful" not in text

    path = tmp_path / "visit.json"
    write_export(demo_store, soren, path)
    assert "HIV" not in path.read_text(encoding="utf-8")
    report = import_paths(empty_store, [path]).result  # the handout is not a note about the patient
    assert report.skipped == []
    [patient] = list_patients(empty_store)
    texts = [n.text for n in notes.notes_for_visit(empty_store, patient.current_visit_id)]
    assert not any("Your visit" in t for t in texts)


def test_no_handout_for_a_visit_that_did_not_take_place_or_is_still_to_come(demo_store, demo_visits):
    """A tester printed handouts for a cancelled visit ("You saw Dr. Amara Okafor ... You came in for: Annual
    check-up"), a no-show and a booking weeks ahead: each told the patient of a visit they did not have."""
    from companion.errors import CompanionError
    from companion.services import booking

    cancelled, missed = demo_visits["Lan"], demo_visits["Frank"]
    booking.close_visit(demo_store, cancelled, "cancelled")
    booking.close_visit(demo_store, missed, "no_show")
    patient_id = visits.visit_row(demo_store, cancelled).patient_id
    ahead = datetime.combine(date.today() + timedelta(days=19), time(9, 0))
    later = booking.add_visit(demo_store, patient_id, None, ahead, "Knee pain follow-up").result.id
    for visit_id, words in ((cancelled, "was cancelled"), (missed, "was missed"), (later, "still to come")):
        with pytest.raises(CompanionError, match=words):
            build_handout(demo_store, visit_id)
    assert "Dr. Amara Okafor" in handout_text(build_handout(demo_store, demo_visits["Majo"]))  # roomed: it takes place


def test_a_visit_not_done_exports_no_handout(demo_store, demo_visits):
    data = export_visit(demo_store, demo_visits["Zoë"])
    assert not [e for e in data["entry"] if e["resource"]["id"].startswith("companion-handout-")]


# --- the command line ---------------------------------------------------------------------------------------------


def test_the_command_prints_the_handout_and_writes_an_owner_only_reminder_never_over_a_file(
    cli, db_path, demo_store, soren, tmp_path
):
    code, out, err = cli("handout", soren, "--db", db_path)
    assert code == 0 and out.startswith("Your visit on Friday, March 14, 2025\n") and "HIV" not in out
    assert "2 private items left out" in err

    target = tmp_path / "steps.ics"
    code, _out, err = cli("handout", soren, "--ics", target, "--db", db_path)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(Calendar.from_ical(target.read_bytes()).walk("VEVENT")) == 2

    before = target.read_bytes()
    code, _out, err = cli("handout", soren, "--ics", target, "--db", db_path)
    assert code == 2 and err.strip().endswith("(--force replaces it)") and len(err.splitlines()) == 1
    assert target.read_bytes() == before
    assert cli("handout", soren, "--ics", target, "--force", "--language", "es", "--db", db_path)[0] == 0
    assert "Su próxima visita" in Calendar.from_ical(target.read_bytes()).walk("VEVENT")[-1]["summary"]


def test_a_reminder_with_nothing_to_remind_is_refused_in_one_line_and_writes_nothing(
    cli, db_path, demo_store, demo_visits, tmp_path
):
    """A visit with no dated next step and no next visit made a calendar file with no event, said "0 dated steps"
    and exited 0 (attack round 33): calendar apps refuse such a file. Refused before anything is written."""
    empty = next(
        visit
        for visit in demo_visits.values()
        if not (handout := build_handout(demo_store, visit)).dated_steps and handout.next_visit is None
    )
    target = tmp_path / "steps.ics"
    code, _out, err = cli("handout", empty, "--ics", target, "--db", db_path)
    assert code != 0 and "nothing to remind" in err and len(err.splitlines()) == 1
    assert not target.exists()
    assert not [e for e in audit_log(demo_store) if e["action"].startswith("print handout")]


def test_a_reminder_that_could_not_be_written_is_not_recorded_as_printed(cli, db_path, demo_store, soren, tmp_path):
    with small_disk(tmp_path, 1, read_only=True) as disk:
        code, _out, err = cli("handout", soren, "--ics", disk / "steps.ics", "--db", db_path)
    assert code != 0 and len(err.splitlines()) == 1
    assert not [e for e in audit_log(demo_store) if e["action"].startswith("print handout")]  # nothing left the app

    assert cli("handout", soren, "--ics", tmp_path / "steps.ics", "--db", db_path)[0] == 0
    assert [e["action"] for e in audit_log(demo_store) if e["visit_id"] == soren][-1] == "print handout"


def test_a_bad_language_or_a_pdf_from_the_command_line_alone_is_one_line(cli, db_path, demo_store, soren, tmp_path):
    """`python -m companion` never loads the window's libraries, though they are installed here: the PDF is
    refused with the command that draws it, not with a claim that they are missing."""
    code, out, err = cli("handout", soren, "--language", "xx", "--db", db_path)
    assert (code, out) == (2, "") and err.splitlines() == [
        "companion: error: no patient words in that language; the languages are en, es"
    ]
    code, _out, err = cli("handout", soren, "--pdf", tmp_path / "h.pdf", "--db", db_path)
    assert code == 2 and len(err.splitlines()) == 1 and "run `companion handout --pdf` instead" in err
    assert "not installed" not in err
    assert not (tmp_path / "h.pdf").exists()


def test_the_command_json_free_output_is_plain_text(cli, db_path, demo_store, demo_visits):
    priorities.add_priority(demo_store, demo_visits["Zoë"], "<b>bold</b> & <img src=x>")
    code, out, _err = cli("handout", demo_visits["Zoë"], "--db", db_path)
    assert code == 0 and "- <b>bold</b> & <img src=x>" in out
    assert json.dumps(out)  # plain text, nothing else


def test_a_handout_printed_in_the_afternoon_never_names_the_mornings_visit_as_the_next(
    demo_store, demo_visits, monkeypatch
):
    """Printed at 3 p.m. on the day of a 9 a.m. visit: a visit at 11 a.m. the same day (never marked as closed)
    has passed; the next one is next week. The patient's own words that end in a stop keep one."""
    import companion.read.handout as handout_module

    class ThreePm(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.combine(TODAY, time(15, 0))

    monkeypatch.setattr(handout_module, "datetime", ThreePm)
    visit_id = demo_visits["Søren"]
    patient_id = visits.visit_row(demo_store, visit_id).patient_id
    add_visit(demo_store, patient_id, None, datetime.combine(TODAY, time(11, 0)), "Lab")
    add_visit(demo_store, patient_id, None, datetime.combine(TODAY + timedelta(days=7), time(9, 30)), "Follow-up")
    said = priorities.add_priority(demo_store, visit_id, "My knee hurts.").result
    priorities.set_state(demo_store, said.id, "addressed")

    text = handout_text(build_handout(demo_store, visit_id))

    assert text.startswith("Your visit today\n")  # printed on the visit's day
    assert "at 11:00 a.m." not in text and "at 9:30 a.m.\n" in text
    assert "My knee hurts. We talked about this today." in text
