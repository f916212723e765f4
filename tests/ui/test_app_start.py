"""Starting the window the way the `companion` command does (companion.cli.start.main with ui.app.run_window):
the sign-in paints before the database layer loads, and a damaged file's backup is offered before anyone can sign
in; signing in opens the view asked for; a problem at start is shown in a message box, not only on stderr that
someone starting from an icon never sees; and the window makes the day's backup at start and again while it
stays open. Real files, a real read-only filesystem, real dialogs answered as a person would."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from companion.cli import start as cli
from companion.demo import DEMO_PIN
from companion.services.audit_trail import audit_log
from companion.services.clinicians import get_clinician
from companion.services.preferences import Preferences
from companion.storage.backups import backups_of, daily_backup
from companion.storage.database import url_for
from companion.storage.models import Clinician
from tests.disks import small_disk
from tests.ui.conftest import clinician_id, visible_texts, visit_of
from tests.ui.test_damaged_database import damage, damage_a_table, kept_aside
from tests.ui.test_real_window import ROOT, app_env
from ui import app as ui_app
from ui.main_window import MainWindow
from ui.window import backup_task
from ui.window.damaged_database import DamagedDatabaseDialog
from ui.window.sign_in_dialog import SignInDialog

DOCTOR = "Dr. Amara Okafor"


@pytest.fixture
def start_window(monkeypatch, qapp):
    """`companion --db PATH` in this process; what it changes process-wide is put back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    umask = os.umask(0o077)
    os.umask(umask)

    def start(path, *options: str) -> int:
        return cli.main(["--db", str(path), *options], launch_window=ui_app.run_window)

    yield start
    os.umask(umask)
    gc.unfreeze()
    gc.enable()


@pytest.fixture
def never_hang(qapp):
    """Whatever a test leaves open after 30 s is closed, so a start that went wrong cannot hang the suite."""

    def give_up() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        qapp.quit()

    guard = QTimer(singleShot=True, interval=30_000)
    guard.timeout.connect(give_up)
    guard.start()
    yield guard
    guard.stop()


def when(ready, act) -> None:
    """Once `ready()` gives a widget (looked for every 50 ms, for up to 20 s), act on it as a person would."""
    tries = iter(range(400))

    def look() -> None:
        widget = ready()
        if widget is not None:
            act(widget)
        elif next(tries, None) is not None:
            QTimer.singleShot(50, look)

    QTimer.singleShot(0, look)


def modal(kind: type):
    """The modal window of this kind that is up now, if any."""
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, kind) else None


def main_window():
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    return shown[0] if shown else None


def answer_message_box(seen: list[str]) -> None:
    """When a message box is up, read it and press its default button."""

    def answer(box) -> None:
        seen.append(f"{box.text()}\n{box.informativeText()}")
        (box.defaultButton() or box.buttons()[0]).click()

    when(lambda: modal(QMessageBox), answer)


def row_of(dialog: SignInDialog, name: str) -> int | None:
    people = dialog.panel.people
    return next((row for row in range(people.count()) if people.item(row).text().startswith(name)), None)


def sign_in_as(name: str, then) -> None:
    """Once the sign-in lists `name` (the database's names are in), choose it, type the PIN and Enter;
    `then(window)` once the main window shows."""

    def listing() -> SignInDialog | None:
        dialog = modal(SignInDialog)
        return dialog if dialog is not None and row_of(dialog, name) is not None else None

    def type_pin(dialog: SignInDialog) -> None:
        dialog.panel.people.setCurrentRow(row_of(dialog, name))
        dialog.panel.pin.setText(DEMO_PIN)
        dialog.panel.sign_in()
        when(main_window, then)

    when(listing, type_pin)


def test_a_file_that_is_not_sqlite_is_refused_in_a_message_box(start_window, tmp_path, capsys):
    path = tmp_path / "clinic.sqlite3"
    path.write_text("Shopping: milk, eggs\n")
    seen: list[str] = []
    answer_message_box(seen)

    assert start_window(path) != 0

    assert "cannot start" in seen[0] and "Not a SQLite database (left untouched)" in seen[0]
    assert capsys.readouterr().err.count("\n") == 1  # the command line's one line too
    assert path.read_text() == "Shopping: milk, eggs\n"


@pytest.fixture
def read_only_folder(tmp_path, store, db_path):
    """The demo database on a filesystem of its own (tmpfs), then mounted read-only: a real read-only disk."""
    store.engine.dispose()
    with small_disk(tmp_path, 8, holding=db_path, read_only=True) as mount:
        yield mount / db_path.name


def test_a_read_only_disk_at_start_is_named_in_a_message_box(start_window, read_only_folder, capsys):
    seen: list[str] = []
    answer_message_box(seen)

    assert start_window(read_only_folder) != 0

    assert "read-only" in seen[0] and str(read_only_folder.parent) in seen[0]
    assert "unable to open database file" not in seen[0]  # the driver's words tell a clinician nothing
    assert "read-only" in capsys.readouterr().err


def test_the_open_window_makes_the_days_backup_again_when_it_is_missing(
    start_window, store, db_path, monkeypatch, never_hang
):
    """A window left open for days: the hourly check (shortened here) makes each day's backup."""
    monkeypatch.setattr(backup_task, "CHECK_MS", 300)
    store.engine.dispose()
    todays = db_path.parent / "backups" / f"{db_path.name}.{date.today().isoformat()}.bak"
    seen: dict[str, bool] = {}

    def watch(window) -> None:
        if not never_hang.isActive():
            return
        if todays.exists() and "at start" not in seen:
            seen["at start"] = True
            todays.unlink()  # as if the day had turned while the window stayed open
        elif todays.exists():
            seen["again"] = True
            window.close()
            return
        QTimer.singleShot(50, lambda: watch(window))

    sign_in_as(DOCTOR, watch)

    code = start_window(db_path)

    assert code == 0
    assert seen == {"at start": True, "again": True}
    assert [p.name for p in backups_of(db_path)] == [todays.name]


def test_signing_in_opens_the_glance_asked_for_and_remembers_who_signed_in(start_window, store, db_path, never_hang):
    visit = visit_of(store, "Søren")
    shown: dict = {}

    def look(window) -> None:
        audited = any(e["action"] == "open glance" and e["visit_id"] == visit for e in audit_log(store))
        if not audited:  # written just after the glance painted
            QTimer.singleShot(50, lambda: look(window))
            return
        shown.update(view=window.current_view(), visit=window.visit_id, texts=visible_texts(window))
        window.close()

    sign_in_as(DOCTOR, look)

    assert start_window(db_path, "--view", "glance", "--visit", str(visit)) == 0

    assert shown["view"] == "glance" and shown["visit"] == visit
    assert "Søren" in shown["texts"] and "Karin" in shown["texts"]
    entries = [e for e in audit_log(store) if e["action"] == "open glance" and e["visit_id"] == visit]
    assert [e["who"] for e in entries] == [DOCTOR]  # the signed-in clinician, once the PIN was verified
    remembered = Preferences(url_for(str(db_path))).remembered_clinician()
    assert remembered == get_clinician(store, clinician_id(store, DOCTOR))  # shown at once at the next start


def new_database_question():
    """The question asked before an empty database is made at a path the user named, if it is up."""
    box = modal(QMessageBox)
    return box if box is not None and box.text().startswith("There is no database") else None


def beside(path) -> list:
    """What is in the folder of `path`, other than the app's own home (the workstation's preferences)."""
    return [p.name for p in path.parent.iterdir() if p.name != "home"]


def button(box: QMessageBox, label: str):
    return next(b for b in box.buttons() if b.text() == label)


def test_a_new_database_asks_for_its_first_admin_and_opens_on_admin(start_window, tmp_path, never_hang):
    seen: dict = {}
    when(new_database_question, lambda box: button(box, "Start a new database").click())

    def create(dialog: SignInDialog) -> None:
        seen["sign-in shown"] = dialog.panel.isVisible()
        form = dialog.first_admin
        form.name.setText("Ines Admin")
        form.pin.setText("2846")
        form.again.setText("2846")
        form.create()
        when(main_window, look)

    def look(window) -> None:
        seen["view"] = window.current_view()
        window.close()

    def asking_for_an_admin() -> SignInDialog | None:
        dialog = modal(SignInDialog)
        return dialog if dialog is not None and dialog.first_admin is not None else None

    when(asking_for_an_admin, create)

    assert start_window(tmp_path / "new.sqlite3") == 0

    assert seen == {"sign-in shown": False, "view": "admin"}  # nobody to sign in yet; an admin sees no patient


def test_a_named_database_that_does_not_exist_is_made_only_when_the_user_says_so(start_window, tmp_path, never_hang):
    """A COMPANION_DB one letter off, or a network folder not mounted yet: the window asks before it opens an empty
    clinic there (which would ask for a first admin and take the day's work into a file nobody else reads); Enter
    quits, and nothing is made."""
    typo = tmp_path / "clinc.sqlite3"
    seen: list[str] = []

    def press_enter(box: QMessageBox) -> None:
        seen.append(f"{box.text()}\n{box.informativeText()}")
        box.defaultButton().click()  # what Enter presses

    when(new_database_question, press_enter)

    assert start_window(typo) == 1

    assert str(typo) in seen[0] and "not connected yet" in seen[0]
    assert not typo.exists() and beside(typo) == []  # no file, no log, nothing beside it
    assert main_window() is None
    assert not any(isinstance(w, SignInDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_named_database_in_a_folder_that_is_not_there_is_refused_without_offering_to_make_it(
    start_window, tmp_path, never_hang
):
    """A network drive not mapped yet: nothing could be made there, so the box says which folder is missing."""
    unmapped = tmp_path / "clinic-share" / "companion.sqlite3"
    seen: list[str] = []
    answer_message_box(seen)

    assert start_window(unmapped) != 0

    assert len(seen) == 1 and f"The folder for the database does not exist: {unmapped.parent}" in seen[0]
    assert not unmapped.parent.exists()


def test_the_first_start_at_the_default_location_makes_its_database_unasked(qapp, tmp_path, monkeypatch, never_hang):
    """No --db, no COMPANION_DB and no COMPANION_HOME: the user's own data folder is where a new installation keeps
    its database, so the first start goes straight to the first admin."""
    monkeypatch.delenv("COMPANION_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where platformdirs puts a user's data on Linux
    seen: dict = {}

    def asking_for_an_admin() -> SignInDialog | None:
        if (question := new_database_question()) is not None:
            seen["asked"] = True
            question.defaultButton().click()
            return None
        dialog = modal(SignInDialog)
        return dialog if dialog is not None and dialog.first_admin is not None else None

    def close(dialog: SignInDialog) -> None:
        seen["first admin asked"] = True
        dialog.reject()

    when(asking_for_an_admin, close)

    assert cli.main([], launch_window=ui_app.run_window) == 1  # closed at the first admin's form

    assert seen == {"first admin asked": True}
    assert list((tmp_path / "data" / "encounter-companion").glob("*.sqlite3"))  # made where the app keeps it


def test_a_data_folder_set_by_companion_home_that_holds_no_database_is_asked_about(qapp, companion_home, never_hang):
    """COMPANION_HOME typed wrong, or a clinic's share not mounted yet: the folder names the clinic as surely as
    COMPANION_DB does, so the window asks before it opens an empty clinic there; Enter quits, and nothing is made."""
    seen: list[str] = []

    def press_enter(box: QMessageBox) -> None:
        seen.append(box.text())
        box.defaultButton().click()

    when(new_database_question, press_enter)

    assert cli.main([], launch_window=ui_app.run_window) == 1

    assert seen == ["There is no database at the path this app was given."]
    assert not list(companion_home.rglob("*.sqlite3")) and main_window() is None


def test_a_screenshot_of_a_database_that_does_not_exist_is_refused_in_one_line(start_window, tmp_path, capsys):
    typo = tmp_path / "clinc.sqlite3"

    assert start_window(typo, "--screenshot", str(tmp_path / "shot.png")) != 0

    assert f"there is no database at {typo}" in capsys.readouterr().err
    assert beside(typo) == []


def test_a_damaged_database_offers_its_backup_before_anyone_can_sign_in(start_window, store, db_path, never_hang):
    damage(store, db_path)
    seen: dict = {}

    def restore(offer) -> None:
        sign_in = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog) and w.isVisible())
        seen["names listed at the offer"] = sign_in.panel.people.count()
        seen["offer"] = offer.text()
        offer.restore_button.click()

    def look(window) -> None:
        seen["notice"] = window.notice.text()
        window.close()

    when(lambda: modal(DamagedDatabaseDialog), restore)
    sign_in_as(DOCTOR, look)

    assert start_window(db_path) == 0

    assert "damaged" in seen["offer"]
    assert seen["names listed at the offer"] == 0  # nothing of the damaged file to sign in to
    assert seen["notice"].startswith("Restored from")


def test_quitting_at_the_damaged_database_offer_opens_nothing(start_window, store, db_path, never_hang):
    damaged_bytes = damage(store, db_path)
    when(lambda: modal(DamagedDatabaseDialog), lambda offer: offer.quit_button.click())

    assert start_window(db_path) == 1

    assert main_window() is None
    assert not any(isinstance(w, SignInDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert db_path.read_bytes() == damaged_bytes


def test_a_page_damaged_past_the_starts_check_offers_the_backup_then_the_sign_in_again(
    start_window, store, db_path, never_hang, capsys
):
    """Today's visits are read first by the window, after the PIN: a damaged page there was a one-line error on
    stderr and the sign-in vanished. The same offer comes as at start; once the backup is back, the sign-in comes
    again, on the restored file (the PIN was checked against the damaged one)."""
    daily_backup(db_path)
    damaged_bytes = damage_a_table(store, db_path, "visit")
    seen: dict = {}

    def look(window) -> None:
        seen["notice"] = window.notice.text()
        seen["visits on Today"] = window.views["today"].visit_list.count()
        window.close()

    def restore(offer) -> None:
        seen["offer"] = offer.text()
        seen["windows at the offer"] = main_window()
        offer.restore_button.click()
        sign_in_as(DOCTOR, look)

    when(lambda: modal(DamagedDatabaseDialog), restore)
    sign_in_as(DOCTOR, lambda _window: None)

    assert start_window(db_path) == 0

    assert "damaged" in seen["offer"] and seen["windows at the offer"] is None
    assert seen["notice"].startswith("Restored from") and seen["visits on Today"] > 0
    assert [p.read_bytes() for p in kept_aside(db_path)] == [damaged_bytes]
    assert [(e["who"], e["action"]) for e in audit_log(store) if e["action"] == "restore"] == [(DOCTOR, "restore")]
    assert "malformed" not in capsys.readouterr().err


def test_quitting_at_the_offer_after_the_sign_in_opens_nothing_and_leaves_the_file(
    start_window, store, db_path, never_hang
):
    daily_backup(db_path)
    damaged_bytes = damage_a_table(store, db_path, "visit")
    when(lambda: modal(DamagedDatabaseDialog), lambda offer: offer.quit_button.click())
    sign_in_as(DOCTOR, lambda _window: None)

    assert start_window(db_path) == 1

    assert main_window() is None
    assert db_path.read_bytes() == damaged_bytes and not kept_aside(db_path)


def test_the_sign_in_paints_before_the_database_layer_loads(store, db_path, companion_home):
    """`companion --db DB --view glance --visit N` in a process of its own (tests.ui.start_probe): the sign-in's
    first paint shows the name remembered here with no SQLAlchemy loaded yet; the PIN typed and entered at once
    waits for the names, then the window opens on the glance of that visit."""
    doctor = get_clinician(store, clinician_id(store, DOCTOR))
    Preferences(url_for(str(db_path))).remember_clinician(doctor)
    visit = visit_of(store, "Søren")
    store.engine.dispose()
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.start_probe", "--db", str(db_path), "--view", "glance", "--visit", str(visit)],
        env=app_env(companion_home, QT_QPA_PLATFORM="offscreen", BENCH_PIN=DEMO_PIN),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["sign_in"]["names"] == ["Dr. Amara Okafor · Physician"]
    assert report["sign_in"]["database_layer"] == []
    assert report["window"] == {"view": "glance", "visit": visit}


def test_a_command_through_the_companion_entry_point_loads_no_qt(store, db_path, companion_home):
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'shiboken6'})))\n"
        "sys.argv = ['companion', 'visits', '--db', sys.argv[1]]\n"
        "from ui.app import main\n"
        "main()\n"
    )
    store.engine.dispose()
    result = subprocess.run(
        [sys.executable, "-c", code, str(db_path)],
        env=app_env(companion_home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Søren" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_retention_purge_that_fails_at_start_keeps_no_one_out(start_window, store, db_path, never_hang):
    """Another program's table refers to an old visit, so the purge cannot remove it: the window opens all the
    same, says why, and nothing was removed (a purge is whole or not at all)."""
    from datetime import datetime, timedelta

    from sqlalchemy import text

    from companion.services import retention
    from companion.services.booking import add_visit
    from companion.services.visits import visit_row

    soren = visit_row(store, visit_of(store, "Søren"))
    old = add_visit(
        store, soren.patient_id, soren.clinician_id, datetime.now() - timedelta(days=400), "Back pain"
    ).result.id
    with store.engine.begin() as connection:
        connection.execute(text("CREATE TABLE their_log (id INTEGER PRIMARY KEY, visit_id REFERENCES visit(id))"))
        connection.execute(text("INSERT INTO their_log (visit_id) VALUES (:visit)"), {"visit": old})
    retention.set_retention(store, 365, purge_at_start=True)
    seen: dict = {}

    def look(window) -> None:
        seen.update(view=window.current_view(), notice=window.notice.text())
        window.close()

    sign_in_as(DOCTOR, look)

    assert start_window(db_path) == 0
    assert seen["view"] == "today"
    assert "retention purge did not finish" in seen["notice"] and "FOREIGN KEY" in seen["notice"]
    assert visit_row(store, old).reason == "Back pain"


# The window readied while the PIN is typed (ui.window.start_up): once the PIN typed is found right, the main window
# is built unseen, so that its Enter only has to show it. Keys typed as a person types them (each one an edit).


@pytest.fixture(autouse=True)
def earlier_windows(qapp):
    """The main windows earlier tests closed (Qt keeps a closed window until it is deleted): not this test's."""
    earlier = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    _earlier[:] = earlier
    yield
    _earlier.clear()


_earlier: list[MainWindow] = []


def main_windows() -> list[MainWindow]:
    """This test's main windows, shown or not."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in _earlier]


def readied_windows() -> list[MainWindow]:
    """Main windows built but not shown: the one readied before the Enter, if any."""
    return [w for w in main_windows() if not w.isVisible()]


def listing(name: str):
    def ready() -> SignInDialog | None:
        dialog = modal(SignInDialog)
        return dialog if dialog is not None and row_of(dialog, name) is not None else None

    return ready


def type_pin_for(dialog: SignInDialog, name: str, keys: str) -> None:
    dialog.panel.people.setCurrentRow(row_of(dialog, name))
    QTest.keyClicks(dialog.panel.pin, keys)


def when_readied(name: str, then) -> None:
    """Once the sign-in lists `name`: choose it, type the PIN key by key, and `then(dialog, window)` once the window
    is readied for it."""

    def typed(dialog: SignInDialog) -> None:
        type_pin_for(dialog, name, DEMO_PIN)
        when(lambda: next(iter(readied_windows()), None), lambda window: then(dialog, window))

    when(listing(name), typed)


def test_a_right_pin_readies_the_window_unseen_writing_nothing_and_its_enter_shows_it(
    start_window, store, db_path, never_hang
):
    visit = visit_of(store, "Søren")
    written_before = len(audit_log(store))
    seen: dict = {}

    def readied(dialog: SignInDialog, window: MainWindow) -> None:
        seen.update(
            readied=window,
            who=window.ctx.clinician.name,
            visit=window.visit_id,
            written=len(audit_log(store)) - written_before,
            shown=[w for w in main_windows() if w.isVisible()],
        )
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(main_window, look)

    def look(window: MainWindow) -> None:
        if not any(e["action"] == "open glance" and e["visit_id"] == visit for e in audit_log(store)):
            QTimer.singleShot(50, lambda: look(window))  # written just after the glance painted
            return
        seen.update(opened=window, view=window.current_view(), texts=visible_texts(window))
        window.close()

    when_readied(DOCTOR, readied)

    assert start_window(db_path, "--view", "glance", "--visit", str(visit)) == 0

    assert (seen["who"], seen["visit"]) == (DOCTOR, visit)
    assert seen["written"] == 0 and seen["shown"] == []  # before the Enter: nothing written, nothing on screen
    assert seen["opened"] is seen["readied"]  # the Enter showed the window readied for it
    assert seen["view"] == "glance" and "Søren" in seen["texts"]
    entries = [e for e in audit_log(store) if e["action"] == "open glance" and e["visit_id"] == visit]
    assert [e["who"] for e in entries] == [DOCTOR]


def test_a_key_typed_after_the_right_pin_lets_the_readied_window_go_and_its_enter_signs_in_nobody(
    start_window, store, db_path, never_hang
):
    seen: dict = {}

    def readied(dialog: SignInDialog, _window: MainWindow) -> None:
        QTest.keyClicks(dialog.panel.pin, "5")  # the right PIN and one key more: a wrong one
        when(lambda: dialog if not readied_windows() else None, enter)

    def enter(dialog: SignInDialog) -> None:
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(lambda: dialog if dialog.panel.message.isVisible() else None, refused)

    def refused(dialog: SignInDialog) -> None:
        seen.update(
            message=dialog.panel.message.text(),
            windows=main_windows(),
        )
        dialog.reject()

    when_readied(DOCTOR, readied)

    assert start_window(db_path) == 1

    assert seen["message"] == "Wrong PIN." and seen["windows"] == []
    with store.session() as session:  # the Enter was one try, counted once
        assert session.get(Clinician, clinician_id(store, DOCTOR)).failed_pins == 1


def test_a_window_readied_for_one_name_is_never_shown_to_another(start_window, store, db_path, never_hang):
    """The right PIN for one clinician, then another name chosen and the Enter pressed (the demo's people share a
    PIN): the window that opens is the other clinician's own, read for them."""
    other = "Dr. Priya Raman"
    visit = visit_of(store, "Søren")  # Dr. Okafor's
    seen: dict = {}

    def readied(dialog: SignInDialog, window: MainWindow) -> None:
        seen["readied"] = window
        dialog.panel.people.setCurrentRow(row_of(dialog, other))
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(main_window, look)

    def look(window: MainWindow) -> None:
        seen.update(opened=window, who=window.ctx.clinician.name, visit=window.visit_id)
        window.close()

    when_readied(DOCTOR, readied)

    assert start_window(db_path, "--view", "glance", "--visit", str(visit)) == 0

    assert seen["who"] == other and seen["visit"] != visit
    assert seen["opened"] is not seen["readied"]


def test_closing_the_sign_in_after_the_right_pin_leaves_no_window_behind(start_window, store, db_path, never_hang):
    def readied(dialog: SignInDialog, _window: MainWindow) -> None:
        dialog.reject()

    when_readied(DOCTOR, readied)

    assert start_window(db_path) == 1

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert main_windows() == []


def test_with_the_retention_purge_at_start_nothing_is_readied_and_the_purge_follows_the_enter(
    start_window, store, db_path, never_hang
):
    """The purge writes (it removes the old visits): it waits for the Enter, and the window opens after it."""
    from datetime import datetime, timedelta

    from companion.errors import NotFound
    from companion.services import retention
    from companion.services.booking import add_visit
    from companion.services.visits import visit_row

    soren = visit_row(store, visit_of(store, "Søren"))
    old = add_visit(store, soren.patient_id, soren.clinician_id, datetime.now() - timedelta(days=400), "Back pain")
    retention.set_retention(store, 365, purge_at_start=True)
    seen: dict = {}

    def a_while_after(dialog: SignInDialog) -> None:  # the PIN's check has long answered: the first takes ~0.1 s
        seen.update(readied=readied_windows(), old_visit=visit_row(store, old.result.id).reason)
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(main_window, look)

    def look(window: MainWindow) -> None:
        seen["view"] = window.current_view()
        window.close()

    def typed(dialog: SignInDialog) -> None:
        type_pin_for(dialog, DOCTOR, DEMO_PIN)
        QTimer.singleShot(1500, lambda: a_while_after(dialog))

    when(listing(DOCTOR), typed)

    assert start_window(db_path) == 0

    assert seen["readied"] == [] and seen["old_visit"] == "Back pain" and seen["view"] == "today"
    with pytest.raises(NotFound):
        visit_row(store, old.result.id)


def test_a_window_readied_before_a_late_enter_is_not_locked_behind_the_sign_in(
    start_window, store, db_path, never_hang, monkeypatch
):
    """The PIN typed, then a pause longer than the idle lock (a phone call) before the Enter: the readied window's
    clock starts when it shows, so it neither locks unseen nor takes the sign-in off the screen."""
    from companion.services import settings

    monkeypatch.setattr(settings, "idle_lock_ms", lambda _store: 400)  # the clinic's lock, shortened for the test
    visit = visit_of(store, "Søren")
    seen: dict = {}

    def after_the_pause(dialog: SignInDialog) -> None:
        seen["dialog_shown"] = dialog.isVisible()
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(main_window, look)

    def look(window: MainWindow) -> None:
        seen["view"] = window.current_view()
        window.close()

    def readied(dialog: SignInDialog, _window: MainWindow) -> None:
        QTimer.singleShot(1500, lambda: after_the_pause(dialog))

    when_readied(DOCTOR, readied)

    assert start_window(db_path, "--view", "glance", "--visit", str(visit)) == 0

    assert seen == {"dialog_shown": True, "view": "glance"}


def test_a_visit_given_to_another_clinician_between_the_pin_and_its_enter_is_not_opened_nor_logged(
    start_window, store, db_path, never_hang
):
    """Another desk reassigns the visit after the window was readied: the Enter opens what it would have opened
    without readying (Today, saying whose list the visit is on), and no access to it is logged."""
    from companion.services.booking import assign_visit

    visit = visit_of(store, "Søren")
    seen: dict = {}

    def readied(dialog: SignInDialog, window: MainWindow) -> None:
        seen["readied"] = window
        assign_visit(store, visit, clinician_id(store, "Dr. Priya Raman"))  # another desk, meanwhile
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(main_window, lambda shown: QTimer.singleShot(500, lambda: look(shown)))  # any access logged by then

    def look(window: MainWindow) -> None:
        seen.update(opened=window, view=window.current_view(), notice=window.notice.text(), texts=visible_texts(window))
        window.close()

    when_readied(DOCTOR, readied)

    assert start_window(db_path, "--view", "glance", "--visit", str(visit)) == 0

    assert seen["opened"] is not seen["readied"]
    assert seen["view"] == "today" and seen["notice"] == "This visit is on another clinician's list."
    assert "Karin" not in seen["texts"]  # nothing of the glance
    assert not [e for e in audit_log(store) if e["visit_id"] == visit and e["action"].startswith("open")]


def test_the_purge_at_start_turned_on_between_the_pin_and_its_enter_still_runs(
    start_window, store, db_path, never_hang
):
    from datetime import datetime, timedelta

    from companion.errors import NotFound
    from companion.services import retention
    from companion.services.booking import add_visit
    from companion.services.visits import visit_row

    soren = visit_row(store, visit_of(store, "Søren"))
    old = add_visit(store, soren.patient_id, soren.clinician_id, datetime.now() - timedelta(days=400), "Back pain")
    seen: dict = {}

    def readied(dialog: SignInDialog, _window: MainWindow) -> None:
        retention.set_retention(store, 365, purge_at_start=True)  # an admin at another desk, meanwhile
        QTest.keyClick(dialog.panel.pin, Qt.Key.Key_Return)
        when(main_window, look)

    def look(window: MainWindow) -> None:
        seen["view"] = window.current_view()
        window.close()

    when_readied(DOCTOR, readied)

    assert start_window(db_path) == 0

    assert seen["view"] == "today"
    with pytest.raises(NotFound):
        visit_row(store, old.result.id)
