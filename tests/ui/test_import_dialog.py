"""The import dialog (Ctrl+I): the import runs off the UI thread with a progress bar, the Today list shows what
arrived, a file that is not FHIR gets a calm message, and Cancel leaves the database exactly as it was."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from companion.fhir.files import expand_paths
from companion.storage.models import Patient
from tests.companion.fhir_samples import bundle, dump, encounter, patient, what_matters, write
from ui.views.registry import BY_KEY
from ui.window.import_dialog import STEPS, ImportDialog


def todays_visit(folder, name="today.json"):
    """A new patient with a visit today at 16:45 (the clinic's clock) and what matters to them."""
    start = datetime.combine(date.today(), time(16, 45)).astimezone().isoformat()
    data = bundle(
        patient("p-ines", name=[{"use": "official", "given": ["Inês"], "family": "Gonçalves"}]),
        encounter("e-ines", "p-ines", start=start, reasonCode=[{"text": "Follow-up"}]),
        what_matters("q-ines", ["<b>Sleep</b> since the move"], "p-ines", encounter={"reference": "Encounter/e-ines"}),
    )
    return write(folder, name, data)


def finish(qtbot, dialog: ImportDialog):
    with qtbot.waitSignal(dialog.import_done, timeout=60_000) as done:
        pass
    return done.args[0]


def test_ctrl_i_opens_the_import_dialog_and_the_today_hint_shows_the_key(qtbot, make_window):
    window = make_window("Jonas Lindqvist")
    assert "Ctrl+I import" in window.hint.text() == BY_KEY["today"].hint_for("nurse")

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: window.import_dialog is not None and window.import_dialog.isVisible())
    assert window.import_dialog.status.text() == "No import running."


def test_an_import_runs_in_the_background_and_today_shows_the_new_visit(qtbot, make_window, tmp_path):
    window = make_window("Jonas Lindqvist")
    window.open_import()
    dialog = window.import_dialog

    with qtbot.waitSignal(dialog.import_done, timeout=60_000) as done:
        dialog.start([todays_visit(tmp_path)])

    report = done.args[0]
    assert report.count("visits", "new") == 1
    assert dialog.status.text() == "Imported 1 file."
    assert dialog.progress.value() == STEPS
    assert "Patients 1 new, 0 updated." in dialog.details.toPlainText()
    today = window.views["today"].visit_list
    rows = [today.item(i).text() for i in range(today.count())]
    assert any("Inês" in row and "16:45" in row and "Follow-up" in row for row in rows)


def test_a_file_that_is_not_fhir_gets_a_calm_message_and_nothing_is_written(qtbot, make_window, store, tmp_path):
    window = make_window("Jonas Lindqvist")
    window.open_import()
    dialog = window.import_dialog
    before = dump(store)
    notes = write(tmp_path, "notes.json", "Inês called about her sleep")

    files = [todays_visit(tmp_path), notes]
    with qtbot.waitSignal(dialog.import_done, timeout=60_000) as done:
        dialog.start(files)

    assert done.args[0] is None
    # By its number: a file's name may be the patient's own (Synthea names its files so), and others see the screen.
    number = 1 + expand_paths(files).index(notes)
    assert dialog.status.text() == (
        f"File {number} of 2 is not FHIR JSON: Expecting value at line 1, column 1. Nothing was imported."
    )
    assert "Inês called" not in dialog.status.text() and "notes" not in dialog.status.text()
    assert dump(store) == before
    assert dialog.files_button.isEnabled() and dialog.close_button.text() == "Close"


def test_skipped_resources_are_listed_as_plain_text(qtbot, make_window, tmp_path):
    window = make_window("Jonas Lindqvist")
    window.open_import()
    dialog = window.import_dialog
    path = write(tmp_path, "Ana_<b>Roe<b>_HIV.json", bundle(patient("p1"), patient("p2", birthDate="<i>soon</i>")))

    with qtbot.waitSignal(dialog.import_done, timeout=60_000):
        dialog.start([path])

    assert dialog.status.text() == "Imported 1 file; 1 resource skipped."
    assert "Skipped file 1, entry 2 (Patient/p2): not valid FHIR R4: birthDate:" in dialog.details.toPlainText()
    assert "Roe" not in dialog.details.toPlainText() and "HIV" not in dialog.details.toPlainText()  # the file's name


def test_a_file_saved_as_latin1_is_named_by_its_number_with_what_to_do(qtbot, make_window, tmp_path):
    window = make_window("Jonas Lindqvist")
    window.open_import()
    dialog = window.import_dialog
    path = tmp_path / "Zélie_Müller.json"
    path.write_bytes(
        json.dumps(bundle(patient("p1", given="Zélie", family="Müller")), ensure_ascii=False).encode("cp1252")
    )

    with qtbot.waitSignal(dialog.import_done, timeout=60_000):
        dialog.start([path])

    shown = dialog.details.toPlainText()
    assert shown.startswith("File 1 holds text that is not UTF-8 (saved as Latin-1 or Windows-1252, perhaps): save")
    assert "Müller" not in shown and "Zélie" not in shown


def test_an_answer_longer_than_the_app_keeps_is_said_to_be_shortened(qtbot, make_window, tmp_path):
    window = make_window("Jonas Lindqvist")
    window.open_import()
    dialog = window.import_dialog
    path = write(tmp_path, "long.json", bundle(patient("p1"), what_matters("q1", ["Walk to church again " * 250])))

    with qtbot.waitSignal(dialog.import_done, timeout=60_000):
        dialog.start([path])

    assert dialog.status.text() == "Imported 1 file; 1 text too long, shortened (ending in …)."


@pytest.mark.saves_in_background
def test_cancel_rolls_the_import_back_and_leaves_the_database_exactly_as_it_was(
    qtbot, make_window, store, db_path, tmp_path
):
    window = make_window("Jonas Lindqvist")
    window.open_import()
    dialog = window.import_dialog
    files = [todays_visit(tmp_path, f"{n}.json") for n in range(3)]
    before = dump(store)
    # Another workstation is writing: the import reads and maps its files, then waits for its turn to write.
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        dialog.start(files)
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Saving"), timeout=30_000)
        assert dialog.close_button.text() == "Cancel  (Esc)"
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == "Cancelling… nothing will be saved."
        assert dialog.isVisible()  # a running import is never left behind a closed dialog
    finally:
        other.execute("ROLLBACK")
        other.close()

    report = finish(qtbot, dialog)

    assert report.cancelled
    assert dialog.status.text() == "Cancelled. Nothing was imported."
    assert dialog.progress.value() == 0
    assert dump(store) == before
    with store.session() as session:
        assert session.exec(select(Patient).where(Patient.source_key == "Patient/p-ines")).first() is None
    assert json.dumps(report.to_json())  # the report stays plain data
