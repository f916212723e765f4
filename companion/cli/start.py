"""The `companion` command's first step. Arguments that only ask for the window open it before anything else
loads: its sign-in paints before the database layer (DESIGN.md, performance budgets; ui.window.start_up). Any
command goes to companion.cli.main, with the database layer and without Qt."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from companion.cli.arguments import OneLineParser, record_id, refuse_undecodable
from companion.errors import CompanionError, DatabaseUnusable, describe
from companion.text import terminal_safe

if TYPE_CHECKING:
    from companion.cli.handout import PdfWriter

VIEWS = ("today", "rooming", "prepare", "glance", "patient")
UNEXPECTED = "an unexpected problem stopped the command"
DB_HELP = "database: a SQLite file path or a URL (default: COMPANION_DB, else the user data folder)"

# The window is started by ui/, which hands its launcher in: companion/ never imports Qt.
WindowLauncher = Callable[[argparse.Namespace], int]


def add_window_options(parser: argparse.ArgumentParser) -> None:
    """The options of the command without a command, which opens the window (also in companion.cli.main's parser)."""
    parser.add_argument("--db", default=None, metavar="PATH_OR_URL", help=DB_HELP)
    parser.add_argument("--screenshot", metavar="FILE.png", help="render a view to a PNG and exit")
    parser.add_argument("--force", action="store_true", help="with --screenshot: replace FILE.png if it exists")
    parser.add_argument("--view", choices=VIEWS, help="the view to open or render")
    parser.add_argument("--visit", type=record_id, metavar="ID", help="the visit to open or render")


def main(
    argv: Sequence[str] | None = None,
    launch_window: WindowLauncher | None = None,
    write_pdf: PdfWriter | None = None,
) -> int:
    """Open the window, or run one command (companion.cli.main); problems are one line on stderr."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = window_arguments(argv) if launch_window is not None else None
    if args is None:
        from companion.cli.main import main as run_command

        return run_command(argv, launch_window, write_pdf)
    os.umask(0o077)  # every file the app creates is owner-only
    args.write_pdf = write_pdf
    return one_line_errors(lambda: launch_window(args))


class _NotTheWindow(Exception):
    pass


class _WindowOnlyParser(OneLineParser):
    def error(self, message: str):
        raise _NotTheWindow(message)  # the whole command line's parser says what is wrong, as usual


def window_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The parsed arguments when they only ask for the window: no command, no --help or --version, nothing
    the whole parser would refuse (that parser then says so, in its own words). None otherwise."""
    try:
        refuse_undecodable(list(argv))
    except CompanionError:
        return None
    parser = _WindowOnlyParser(prog="companion", add_help=False)
    add_window_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotTheWindow:
        return None
    if rest:
        return None
    args.command = None
    return args


def one_line_errors(run: Callable[[], int]) -> int:
    """Run the window or a command; a problem becomes one line on stderr and a non-zero exit, never a traceback
    (which may quote a patient)."""
    try:
        return run()
    except CompanionError as exc:
        print(f"companion: error: {terminal_safe(str(exc))}", file=sys.stderr)
        return 1 if isinstance(exc, DatabaseUnusable) else 2  # the database (busy, damaged), or the command
    except BrokenPipeError:  # output piped into `head` and the like: not an error for the user
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # Ctrl+C: each save is one transaction, so nothing half-written was kept
        print("companion: interrupted; what was saved before stays, nothing half-saved was kept", file=sys.stderr)
        return 130
    except Exception as exc:
        if isinstance(exc, OSError) or _database_error(exc):
            print(f"companion: error: {terminal_safe(describe(exc))}", file=sys.stderr)
            return 1
        print(f"companion: error: {UNEXPECTED} ({type(exc).__name__}); please report it", file=sys.stderr)
        return 70  # EX_SOFTWARE


def _database_error(exc: Exception) -> bool:
    """An error of the database layer, or of SQLite used directly (a backup's copy and check: "database or disk is
    full"). Before they are loaded (the window's sign-in paints first), none was raised."""
    errors, sqlite = sys.modules.get("sqlalchemy.exc"), sys.modules.get("sqlite3")
    return (errors is not None and isinstance(exc, errors.SQLAlchemyError)) or (
        sqlite is not None and isinstance(exc, sqlite.Error)
    )
