"""Entry point of the `companion` command: subcommands run without Qt; no command opens the window."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from functools import partial
from pathlib import Path

from companion.errors import CompanionError, describe


def main() -> None:
    try:
        start = load_command_line()
        code = start.main(sys.argv[1:], launch_window=run_window, write_pdf=write_handout_pdf)
    except KeyboardInterrupt:  # Ctrl+C while the app's modules load, before a command could begin: no traceback
        print("companion: interrupted; nothing was changed", file=sys.stderr)
        code = 130
    sys.exit(code)


def write_handout_pdf(handout) -> bytes:
    """`companion handout --pdf`: the PDF is drawn by Qt, loaded only when one is asked for."""
    from ui.window.handout_print import pdf_bytes

    return pdf_bytes(handout)


def load_command_line():
    """The command line's first step (companion.cli.start): it opens the window without loading the database
    layer, and hands any command to the command line proper, which never loads Qt."""
    from companion.cli import start

    return start


def run_window(args: argparse.Namespace) -> int:
    """Open the window (or render one view to a PNG with --screenshot). The sign-in paints first and the
    database layer loads behind it (ui.window.start_up); the window is built once the PIN is verified."""
    # Start-up creates a few hundred thousand objects that live as long as the process; the collector scanning
    # them again and again while they are made cost about a tenth of the start (benchmarks/). It stays off
    # until the window is shown, then what start-up made is frozen out of later collections.
    gc.disable()
    if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.window.feature_scan import skip_feature_scan

    # Before anything else loads: the database layer, loaded after the sign-in paints, would cost 20 MB more
    # and 60 ms longer read through PySide6's scan (ui.window.feature_scan).
    skip_feature_scan()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Encounter Companion")
    sys.excepthook = report_unexpected
    apply_style(app)
    from ui.window.translations import load_translation

    load_translation()
    if args.screenshot:
        return save_screenshot(args)
    from ui.window.start_up import StartUp

    restored_after_sign_in = None
    while True:
        start = StartUp(args.db, ready=partial(window_readied_before_enter, args))
        clinician = start.sign_in()  # a damaged database: the latest backup is offered before anyone signs in
        if clinician is None:
            return 1
        from companion.services import audit_trail  # the database layer: loaded once the sign-in had painted

        audit_trail.act_as(clinician)
        try:
            window = _still_as_readied(start.readied, start.store, args) or open_window(
                start.store, start.preferences, clinician, args
            )
            break
        except Exception as exc:
            if not (_damaged(exc) and start.store.sqlite_file is not None):
                raise  # (a damaged PostgreSQL page is its server's to repair)
            # A page the start's check did not read: the backup is offered as at start; once it is back, the
            # sign-in comes again, on the restored file (the PIN was checked against the damaged one).
            from ui.window.damaged_database import offer_restore_after_sign_in

            restored_after_sign_in = offer_restore_after_sign_in(start.store)
            start.store.engine.dispose()
            if restored_after_sign_in is None:
                return 1
    start.restored = start.restored or restored_after_sign_in
    if start.let_go or (start.readied is not None and window is not start.readied):
        gc.collect()  # windows readied and let go: their garbage is not frozen with the start's (below)
    window.show()
    window.raise_()
    window.activateWindow()  # after the sign-in dialog: the keyboard goes to the window, not to nothing
    tell_what_the_start_did(window, start)
    # What start-up made lives as long as the window: the collector need not scan it again on every
    # collection (shorter pauses while switching visits).
    gc.freeze()
    gc.enable()
    return app.exec()


def _damaged(error: BaseException) -> bool:
    """Whether SQLite found the database file damaged (a page, read or written)."""
    from companion.errors import DAMAGED, problem_of

    problem = problem_of(error)
    return problem is not None and problem.kind == DAMAGED


def tell_what_the_start_did(window, start) -> None:
    """A backup put back before the sign-in: said on the notice line, and written into the restored database's
    log in the name of whoever signed in (nobody had when it was chosen). Then today's backup says how it went."""
    if start.restored:
        from ui.window.damaged_database import log_restore

        window.show_notice(start.restored.notice)
        log_restore(window.ctx, start.restored)
    if start.backup is not None:
        start.backup.report_to(window.show_notice)


def open_window(store, preferences, clinician, args: argparse.Namespace):
    """The main window for the clinician signed in (their PIN verified, or the visit's own clinician for
    --screenshot), on the view asked for, after the clinic's retention purge."""
    from companion.services.retention import purge_at_start
    from ui.window.labels import tr

    try:
        purge_at_start(store)  # the clinic's retention, if an admin turned it on
        purge_problem = None
    except Exception as exc:  # a purge that fails must never keep the clinic out of its day
        purge_problem = describe(exc)
        if purge_problem is None:
            raise  # a fault in the app itself: reported as one
    window = build_window(store, preferences, clinician, args)
    if purge_problem is not None:  # said, and the day goes on (its rows go whole or not at all; the space after)
        said = tr("The clinic's retention purge did not finish: %s. The window works as usual.")
        window.show_notice(said % purge_problem)
    return window


def window_readied_before_enter(args: argparse.Namespace, store, preferences, clinician):
    """The main window for a clinician whose PIN was found right as it was typed, built before its Enter but not
    shown (ui.window.start_up): the Enter then only shows it. None when the Enter has to open it: when the clinic's
    retention purges at start (a write: it waits for the Enter), or anything goes wrong (the Enter's own opening
    meets it again and says so)."""
    from companion.services.retention import purge_at_start_due

    try:
        if purge_at_start_due(store):
            return None
        return build_window(store, preferences, clinician, args)
    except Exception:  # noqa: BLE001 (met again, and reported, by the Enter's opening)
        return None


def _still_as_readied(window, store, args: argparse.Namespace):
    """The window readied before the Enter if it still opens what the Enter would; else it is let go, unseen. Another
    desk may have purged the visit asked for, given it to another clinician or to this one, or turned the purge at
    start on, between the PIN and its Enter."""
    from companion.services.retention import purge_at_start_due

    if window is None:
        return None
    try:
        if not purge_at_start_due(store) and (
            args.visit is None or (window.visit_id == args.visit) == window.may_open(args.visit)
        ):
            return window
    except Exception:  # noqa: BLE001 (met again, and reported, by the Enter's own opening)
        pass
    window.close()
    window.deleteLater()
    return None


def build_window(store, preferences, clinician, args: argparse.Namespace):
    """The main window for this clinician, on the view asked for; not shown yet."""
    from companion.services.visits import visit_row
    from ui.main_window import MainWindow
    from ui.window.context import AppContext

    opening = None
    if args.visit is not None:
        visit_row(store, args.visit)  # a clear error for an unknown visit
        opening = (args.visit, args.view or ("rooming" if clinician.role == "nurse" else "prepare"))
    window = MainWindow(AppContext(store, clinician), preferences, opening)
    if opening is None and args.view:
        window.show_view(args.view)
    return window


def _clinician_for_screenshot(store, preferences, args):
    from companion.services.clinicians import get_clinician, list_clinicians
    from companion.services.visits import visit_row

    if args.visit is not None:
        row = visit_row(store, args.visit)
        if row.clinician_id is not None:
            return get_clinician(store, row.clinician_id)
        # Unassigned: rendered as a nurse sees it, the only ones who open such a visit.
        nurse = next((c for c in list_clinicians(store) if c.role == "nurse"), None)
        if nurse is None:
            raise CompanionError(f"visit {args.visit} is unassigned and no nurse could open it; assign it first")
        return nurse
    remembered = preferences.get("clinician_id")
    clinician = get_clinician(store, remembered) if remembered is not None else None
    clinician = clinician or next((c for c in list_clinicians(store) if c.role != "admin"), None)
    if clinician is None:
        raise CompanionError("no clinicians in this database yet; run `companion demo` first")
    return clinician


def report_unexpected(kind, error, trace) -> None:
    """An unexpected fault in the window: log where it happened, never the data (which may name a patient),
    and keep the window open; drafts already hold what was typed. A damaged database is also told to the
    window, which says so and offers the latest backup."""
    import traceback

    where = traceback.extract_tb(trace)[-1] if trace else None
    location = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    print(f"companion: unexpected {kind.__name__}{location}", file=sys.stderr)
    if _damaged(error):  # a read hit a damaged page: the latest backup is offered
        from PySide6.QtWidgets import QApplication

        from ui.main_window import MainWindow

        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.ctx.report_damage()


def apply_style(app, high_contrast: bool | None = None) -> None:
    """12 pt is the smallest type anywhere (glance rule); views set larger sizes where it matters. The calm
    colours, or high contrast when asked for or when the desktop asks for it (ui.window.theme)."""
    from ui.window import theme
    from ui.window.appearance import BASE_POINTS

    font = app.font()
    font.setPointSizeF(BASE_POINTS)
    app.setFont(font)
    wanted = theme.desktop_wants_high_contrast() if high_contrast is None else high_contrast
    theme.apply_theme(app, theme.HIGH_CONTRAST if wanted else theme.CALM)


def save_screenshot(args: argparse.Namespace) -> int:
    """--screenshot renders for review without anyone at the keyboard, as the visit's own clinician, to a PNG
    written whole and owner-only (companion.services.output_files)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtWidgets import QApplication

    from companion.services import audit_trail
    from companion.services.output_files import check_target, write_file
    from companion.services.preferences import Preferences
    from ui.window.damaged_database import open_or_restore

    store, _ = open_or_restore(args.db, ask=False)  # a damaged file is a one-line error naming the backup
    path = Path(args.screenshot)
    # Refused before any work: never over the database, a device, or a file without --force.
    check_target(path, force=args.force, database=store.sqlite_file)
    preferences = Preferences.of_database(args.db)
    clinician = _clinician_for_screenshot(store, preferences, args)
    audit_trail.act_as_command_line()  # the audit log names who ran it (the command line's user)
    window = open_window(store, preferences, clinician, args)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not window.grab().save(buffer, "PNG"):
        raise CompanionError("could not render the screenshot")
    write_file(path, bytes(png.data()), force=args.force, database=store.sqlite_file)
    print(f"screenshot saved: {path}")
    window.close()
    return 0
