"""The handout as a PDF, drawn by Qt's own writer: its text is read back with pdftotext (poppler-utils) in English
and Spanish, user text stays text, and the command line writes it owner-only through the writer ui.app hands in."""

from __future__ import annotations

import shutil
import stat
import subprocess

import pytest
from PySide6.QtCore import QLocale

from companion.cli.main import main
from companion.read.handout import build_handout
from companion.services import encounter, priorities
from tests.ui.conftest import visit_of
from ui.window.handout_print import BODY_PT, handout_document, pdf_bytes

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext not installed (apt-get install poppler-utils)"
)


def pdf_text(path) -> str:
    done = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())  # lines wrapped on the page join again


@needs_pdftotext
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Your visit today", "What you told us matters to you", "What we agreed to do next", "Who to call"]),
        ("es", ["Su visita de hoy", "Lo que usted nos dijo que le importa", "Cuándo volver", "A quién llamar"]),
    ],
)
def test_the_pdf_holds_the_handout_in_the_language_asked(qapp, store, tmp_path, language, words):
    visit_id = visit_of(store, "Søren")
    encounter.add_next_step(store, visit_id, "Blood test on 2030-03-28", "Dr. Amara Okafor")
    priorities.add_priority(store, visit_id, "<b>bold</b> & <img src=x>")
    path = tmp_path / f"handout-{language}.pdf"
    path.write_bytes(pdf_bytes(build_handout(store, visit_id, language)))

    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    for expected in [*words, "Søren", "I can't sleep since Karin died", "<b>bold</b> & <img src=x>"]:
        assert expected in text, (expected, text)
    assert ("March 28, 2030" if language == "en" else "28 de marzo de 2030") in text
    assert "Tearful" not in text  # never an emotion cue


def test_the_type_is_large_and_user_text_is_never_markup(qapp, store):
    visit_id = visit_of(store, "Søren")
    priorities.add_priority(store, visit_id, "<b>bold</b>")
    document = handout_document(build_handout(store, visit_id))
    assert "<b>bold</b>" in document.toPlainText()
    block = document.begin()
    sizes = []
    while block.isValid():
        sizes += [f.format.fontPointSize() for f in block.textFormats()]
        block = block.next()
    assert min(sizes) >= BODY_PT >= 14


@needs_pdftotext
def test_the_command_writes_the_pdf_owner_only_through_the_writer_ui_hands_in(qapp, store, db_path, tmp_path, capsys):
    visit_id = visit_of(store, "Majo")
    target = tmp_path / "majo.pdf"
    assert main(["handout", str(visit_id), "--pdf", str(target), "--db", str(db_path)], write_pdf=pdf_bytes) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Su visita de hoy" in pdf_text(target)  # her language by default
    assert main(["handout", str(visit_id), "--pdf", str(target), "--db", str(db_path)], write_pdf=pdf_bytes) == 2
    assert "(--force replaces it)" in capsys.readouterr().err


def test_the_page_is_letter_in_the_us_and_a4_elsewhere(qapp):
    from ui.window.handout_print import page_size

    expected = "Letter" if QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "A4"
    assert page_size().name() == expected


@needs_pdftotext
def test_print_to_file_never_writes_over_the_database_and_prints_elsewhere(make_window, qtbot, store, tmp_path):
    """Qt's print dialog writes "Print to file" itself: the app's rules for its files are checked first. Only what
    was printed is recorded."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QMessageBox, QWidget

    from companion.services.audit_trail import audit_log
    from ui.window.handout_print import print_to

    visit_id = visit_of(store, "Søren")
    handout = build_handout(store, visit_id)
    parent = QWidget()
    qtbot.addWidget(parent)
    database = store.sqlite_file
    before = database.stat()  # never opened here: closing a descriptor would drop this process's SQLite locks
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFileName(str(database))

    ctx = make_window("Dr. Amara Okafor").ctx
    assert not print_to(printer, handout, ctx, visit_id, parent)

    after = database.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    refusal = next(box for box in parent.findChildren(QMessageBox) if box.isVisible())  # over this window
    assert "never overwritten" in refusal.text()
    refusal.close()
    assert "print handout" not in [e["action"] for e in audit_log(store) if e["visit_id"] == visit_id]

    printer.setOutputFileName(str(tmp_path / "handout.pdf"))
    assert print_to(printer, handout, ctx, visit_id, parent)
    assert "Your visit today" in pdf_text(tmp_path / "handout.pdf")
    qtbot.waitUntil(lambda: "print handout" in [e["action"] for e in audit_log(store) if e["visit_id"] == visit_id])


@needs_pdftotext
def test_print_to_file_replaces_a_planted_link_and_keeps_the_handout_owner_only(make_window, qtbot, store, tmp_path):
    """In a shared folder another user plants a link at the name chosen in the print dialog: the handout replaces
    the link, the file it pointed to is untouched, and the handout is readable by its owner only."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QWidget

    from ui.window.handout_print import print_to

    visit_id = visit_of(store, "Søren")
    parent = QWidget()
    qtbot.addWidget(parent)
    shared = tmp_path / "shared"
    shared.mkdir()
    theirs = shared / "theirs.txt"
    theirs.write_text("someone else's file")
    planted = shared / "handout.pdf"
    planted.symlink_to(theirs)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFileName(str(planted))

    assert print_to(printer, build_handout(store, visit_id), make_window("Dr. Amara Okafor").ctx, visit_id, parent)

    assert theirs.read_text() == "someone else's file"
    assert not planted.is_symlink() and "Your visit today" in pdf_text(planted)
    assert planted.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in shared.iterdir()) == ["handout.pdf", "theirs.txt"]  # no partial file left


def test_ctrl_p_for_a_visit_still_to_come_says_why_and_opens_no_print_dialog(make_window, qtbot, store):
    from datetime import date, datetime, time, timedelta

    from companion.services import booking, visits
    from ui.window.handout_print import print_handout

    patient_id = visits.visit_row(store, visit_of(store, "Søren")).patient_id
    ahead = datetime.combine(date.today() + timedelta(days=12), time(9, 0))
    later = booking.add_visit(store, patient_id, None, ahead, "Follow-up").result.id
    window = make_window("Dr. Amara Okafor")

    print_handout(window, window.ctx, later)  # returns at once: no modal print dialog was opened

    qtbot.waitUntil(lambda: "still to come" in window.notice.text())


@needs_pdftotext
def test_a_printed_handout_says_in_the_window_what_private_items_it_left_out(make_window, qtbot, store, tmp_path):
    """The paper never carries a private next step; the clinician who printed it is told, as the command line
    tells its user, so the patient does not go home without the instruction unsaid."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QWidget

    from ui.window.handout_print import print_to

    visit_id = visit_of(store, "Søren")
    encounter.add_next_step(store, visit_id, "Start PrEP daily, HIV labs in 3 months", "Dr. Amara Okafor")
    handout = build_handout(store, visit_id)
    parent = QWidget()
    qtbot.addWidget(parent)
    ctx = make_window("Dr. Amara Okafor").ctx
    said = []
    ctx.message.connect(said.append)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFileName(str(tmp_path / "handout.pdf"))
    assert print_to(printer, handout, ctx, visit_id, parent)
    assert "PrEP" not in pdf_text(tmp_path / "handout.pdf")
    assert said == ["Printed without 1 private item: a handout never carries it; go over it in person."]
