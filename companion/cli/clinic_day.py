"""The command line's clinic day: register patients, book and change visits, import the schedule file. Each
command prints one plain line (or `{"id": N}` with --json) and never a patient's name."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from companion.cli.arguments import FIRST_DAY, LAST_DAY, SOME_REFUSED, YesOrNo, record_id
from companion.errors import CompanionError
from companion.storage.store import Store
from companion.text import MAX_SHORT, MAX_TEXT, terminal_safe


def when(text: str) -> datetime:
    """ "YYYY-MM-DD HH:MM", the clinic's wall-clock time, on a day the command line accepts."""
    from companion.services.booking import parse_when

    try:
        parsed = parse_when(text)
    except CompanionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not FIRST_DAY <= parsed.date() <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"a date from {FIRST_DAY} to {LAST_DAY}, not {text.strip()[:40]!r}")
    return parsed


def add_clinic_day_commands(commands, common: argparse.ArgumentParser) -> None:
    patient = commands.add_parser("patient", help="register a patient or correct their details")
    patient_actions = patient.add_subparsers(dest="action", metavar="ACTION")
    patient_actions.required = True
    add = patient_actions.add_parser("add", parents=[common], help="register a patient")
    add.add_argument("--name", required=True, help=f"the name as recorded, at most {MAX_SHORT} characters")
    _patient_options(add, editing=False)
    add.set_defaults(run=_cmd_patient_add, makes_database=True)
    edit = patient_actions.add_parser("edit", parents=[common], help="correct a patient's details (others stay)")
    edit.add_argument("patient", type=record_id, metavar="ID")
    edit.add_argument("--name", help="the name as recorded")
    _patient_options(edit, editing=True)
    edit.set_defaults(run=_cmd_patient_edit)

    visit = commands.add_parser("visit", help="book, assign, move, cancel a visit")
    visit_actions = visit.add_subparsers(dest="action", metavar="ACTION")
    visit_actions.required = True
    book = visit_actions.add_parser("add", parents=[common], help="book a visit (without --clinician: unassigned)")
    book.add_argument("--patient", type=record_id, required=True, metavar="ID")
    book.add_argument("--at", type=when, required=True, metavar='"YYYY-MM-DD HH:MM"', help="the clinic's time")
    book.add_argument("--clinician", metavar="NAME", help="who sees the patient (default: unassigned)")
    book.add_argument("--reason", default="", help=f"at most {MAX_SHORT} characters")
    book.add_argument("--video", action="store_true", help="a video visit")
    _json_option(book)
    book.set_defaults(run=_cmd_visit_add)
    assign = visit_actions.add_parser("assign", parents=[common], help="give a visit to a clinician, or take it back")
    assign.add_argument("visit", type=record_id, metavar="VISIT")
    who = assign.add_mutually_exclusive_group(required=True)
    who.add_argument("--clinician", metavar="NAME")
    who.add_argument("--unassign", action="store_true", help="back to unassigned")
    _json_option(assign)
    assign.set_defaults(run=_cmd_visit_assign)
    for name, status, words in (("cancel", "cancelled", "cancel a visit"), ("no-show", "no_show", "mark it missed")):
        closing = visit_actions.add_parser(name, parents=[common], help=f"{words} (what was written for it stays)")
        closing.add_argument("visit", type=record_id, metavar="VISIT")
        _json_option(closing)
        closing.set_defaults(run=_cmd_visit_close, status=status)
    move = visit_actions.add_parser("move", parents=[common], help="reschedule a visit")
    move.add_argument("visit", type=record_id, metavar="VISIT")
    move.add_argument("--at", type=when, required=True, metavar='"YYYY-MM-DD HH:MM"', help="the clinic's time")
    _json_option(move)
    move.set_defaults(run=_cmd_visit_move)

    schedule = commands.add_parser("schedule", help="the clinic's schedule file")
    schedule_actions = schedule.add_subparsers(dest="action", metavar="ACTION")
    schedule_actions.required = True
    importer = schedule_actions.add_parser(
        "import", parents=[common], help="import a schedule (CSV); again changes nothing; exit 3: rows refused"
    )
    importer.add_argument("file", metavar="FILE.csv")
    importer.add_argument("--json", action="store_true", help="print the report as JSON")
    importer.set_defaults(run=_cmd_schedule_import, makes_database=True)


def _patient_options(parser: argparse.ArgumentParser, editing: bool) -> None:
    keep = " (unchanged when not given; '' clears it)" if editing else ""
    parser.add_argument("--preferred-name", default=None if editing else "", help="the name they like" + keep)
    parser.add_argument("--pronouns", default=None if editing else "", help="their pronouns" + keep)
    parser.add_argument("--language", default=None if editing else "", help="their preferred language" + keep)
    parser.add_argument(
        "--interpreter",
        action=YesOrNo,
        default=None if editing else False,
        help="they need an interpreter",
    )
    parser.add_argument("--needs", default="", help=f"practical needs, kept as a lasting note (at most {MAX_TEXT:,})")
    _json_option(parser)


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help='print {"id": N}')


def _done(args, made_id: int, line: str) -> int:
    print(json.dumps({"id": made_id}) if args.json else line)
    return 0


def _clinician_id(store: Store, name: str) -> int:
    from companion.services.clinicians import find_clinician

    return find_clinician(store, name.strip()).id


def _cmd_patient_add(store: Store, args) -> int:
    from companion.services.patients import add_patient

    patient = add_patient(
        store,
        args.name,
        preferred_name=args.preferred_name,
        pronouns=args.pronouns,
        language=args.language,
        interpreter_needed=args.interpreter,
        needs=args.needs,
    ).result
    return _done(args, patient.id, f"patient {patient.id} added")


def _cmd_patient_edit(store: Store, args) -> int:
    from companion.services.patients import edit_patient, patient_details

    edits = (args.name, args.preferred_name, args.pronouns, args.language, args.interpreter)
    if all(value is None for value in edits) and not args.needs:
        raise CompanionError(
            "nothing to change: give --name, --preferred-name, --pronouns, --language, --interpreter or --needs"
        )
    now = patient_details(store, args.patient)  # what is not given keeps its value, as stored when written

    def given(value, current):
        return current if value is None else value

    edit_patient(
        store,
        args.patient,
        recorded_name=given(args.name, now.recorded_name),
        preferred_name=given(args.preferred_name, now.preferred_name),
        pronouns=given(args.pronouns, now.pronouns),
        language=given(args.language, now.language),
        interpreter_needed=given(args.interpreter, now.interpreter_needed),
        needs=args.needs,
        shown=now,
    )
    return _done(args, args.patient, f"patient {args.patient} updated")


def _cmd_visit_add(store: Store, args) -> int:
    from companion.services.booking import add_visit

    clinician_id = _clinician_id(store, args.clinician) if args.clinician is not None else None
    row = add_visit(store, args.patient, clinician_id, args.at, args.reason, video=args.video).result
    who = f"with {row.clinician_name}" if row.assigned else "unassigned"
    video = ", video" if row.video else ""
    return _done(args, row.id, f"visit {row.id} booked for {row.scheduled_at:%Y-%m-%d %H:%M} ({who}{video})")


def _cmd_visit_assign(store: Store, args) -> int:
    from companion.services.booking import assign_visit

    clinician_id = None if args.unassign else _clinician_id(store, args.clinician)
    row = assign_visit(store, args.visit, clinician_id).result
    line = f"visit {row.id} assigned to {row.clinician_name}" if row.assigned else f"visit {row.id} is unassigned"
    return _done(args, row.id, line)


def _cmd_visit_close(store: Store, args) -> int:
    from companion.services.booking import close_visit

    row = close_visit(store, args.visit, args.status).result
    return _done(args, row.id, f"visit {row.id} {'cancelled' if row.status == 'cancelled' else 'marked no-show'}")


def _cmd_visit_move(store: Store, args) -> int:
    from companion.services.booking import move_visit

    row = move_visit(store, args.visit, args.at).result
    return _done(args, row.id, f"visit {row.id} moved to {row.scheduled_at:%Y-%m-%d %H:%M}")


def _cmd_schedule_import(store: Store, args) -> int:
    from companion.services.schedule_import import import_schedule

    report = import_schedule(store, args.file).result
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        if report.ignored_columns:
            print(f"columns not used (ignored): {terminal_safe(', '.join(report.ignored_columns))}")  # the file's words
        for refused in report.refused:
            print(f"refused {terminal_safe(refused.text())}")
    if not report.refused:
        return 0
    rows = f"{len(report.refused)} row{'s' if len(report.refused) != 1 else ''}"
    print(f"companion: error: {rows} refused (see the report); the other rows were imported", file=sys.stderr)
    return SOME_REFUSED
