"""`companion handout VISIT`: the summary the patient takes home, as plain text, a PDF (--pdf) or a reminder file
for their calendar (--ics). The PDF is drawn by Qt, which companion/ never imports: ui.app hands the command line
a PDF writer (`main(..., write_pdf=...)`), as it hands it the window's launcher."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable

from companion.cli.arguments import file_to_write, record_id
from companion.errors import CompanionError
from companion.services.audit_trail import record_view
from companion.storage.paths import followed
from companion.storage.store import Store
from companion.text import terminal_safe

# The handout in, the PDF's bytes out (ui.window.handout_print.pdf_bytes, loaded only when asked).
PdfWriter = Callable[[object], bytes]
NO_PDF = "the PDF needs the window's libraries (PySide6), not installed here; --ics and the plain text work without"
# `python -m companion` is the command line alone: the window's libraries may be installed, but it never loads them.
PDF_FROM_APP = (
    "the PDF is drawn by the window's libraries, which `python -m companion` does not load: "
    "run `companion handout --pdf` instead"
)


def add_handout_command(commands, common: argparse.ArgumentParser) -> None:
    handout = commands.add_parser(
        "handout", parents=[common], help="the plain-language summary the patient takes home (text, PDF, reminder)"
    )
    handout.add_argument("visit", type=record_id, metavar="VISIT")
    handout.add_argument("--pdf", type=file_to_write, metavar="FILE", help="write it as a PDF to print")
    # dest "file": tests/companion/test_every_command.py then hands it paths in its own folder, never the cwd.
    handout.add_argument(
        "--ics", dest="file", type=file_to_write, metavar="FILE", help="the dated next steps as a calendar file (.ics)"
    )
    handout.add_argument(
        "--language", metavar="CODE", help="en or es (default: the patient's language if shipped, else en)"
    )
    handout.add_argument("--include-sensitive", action="store_true", help="include facts marked private")
    handout.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database)")
    handout.set_defaults(run=_cmd_handout)


def _cmd_handout(store: Store, args) -> int:
    from companion.read.handout import build_handout, handout_calendar, handout_text
    from companion.read.patient_facing import clinic_content_dir
    from companion.read.patient_language import patient_language
    from companion.services.output_files import check_target, write_files

    if args.language is not None:
        patient_language(args.language, clinic_content_dir())  # unknown: one line, before anything is read
    write_pdf: PdfWriter | None = getattr(args, "write_pdf", None)
    if args.pdf is not None and write_pdf is None:
        raise CompanionError(PDF_FROM_APP if importlib.util.find_spec("PySide6") else NO_PDF)
    targets = [t for t in (args.pdf, args.file) if t is not None]
    if len(targets) == 2 and followed(targets[0].expanduser()) == followed(targets[1].expanduser()):
        raise CompanionError("--pdf and --ics name the same file; give two names")
    for target in targets:  # refused before any work: an existing file, a folder, the database
        check_target(target, force=args.force, database=store.sqlite_file)
    handout = build_handout(store, args.visit, args.language, include_sensitive=args.include_sensitive)
    if args.file is not None and not handout.dated_steps and handout.next_visit is None:
        # A calendar file without one event is not one (RFC 5545): calendar apps refuse it or show nothing.
        raise CompanionError(
            "the visit has no dated next step and no next visit booked: there is nothing to remind, so nothing was "
            "written; leave out --ics"
        )
    action = "print handout" + (" including sensitive" if args.include_sensitive else "")
    contents, said = {}, []
    if args.file is not None:
        contents[args.file] = handout_calendar(handout)
        said.append(f"reminder written to {terminal_safe(str(args.file))}: {len(handout.dated_steps)} dated steps")
    if args.pdf is not None:
        contents[args.pdf] = write_pdf(handout)
        said.append(f"handout written to {terminal_safe(str(args.pdf))} ({handout.language})")
    if contents:  # recorded before the files are in place: none is there unless recorded
        write_files(
            contents,
            force=args.force,
            database=store.sqlite_file,
            recorded=lambda: record_view(store, action, args.visit),
        )
        for line in said:
            print(line, file=sys.stderr)
    if not targets:
        record_view(store, action, args.visit)  # before the text is shown
        sys.stdout.write(handout_text(handout))
    if handout.left_out:
        items = "private item" if handout.left_out == 1 else "private items"
        print(f"{handout.left_out} {items} left out (--include-sensitive adds them)", file=sys.stderr)
    return 0
