"""The command line: the same services as the window, with JSON for scripts and one-line errors. The `companion`
command comes here for any command (companion.cli.start opens the window without loading any of this)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date

from companion import __version__
from companion.cli.admin import add_admin_commands
from companion.cli.arguments import OneLineParser, day, record_id, refuse_undecodable
from companion.cli.backups import add_backup_commands
from companion.cli.clinic_day import add_clinic_day_commands
from companion.cli.fhir import add_fhir_commands
from companion.cli.handout import PdfWriter, add_handout_command
from companion.cli.questionnaire import add_questionnaire_command
from companion.cli.start import DB_HELP, WindowLauncher, add_window_options, one_line_errors
from companion.cli.start import UNEXPECTED as UNEXPECTED  # named here too, as before, for scripts and tests
from companion.cli.start import VIEWS as VIEWS
from companion.errors import CompanionError, DatabaseBusy
from companion.read.note_kinds import TOPICS, can_last
from companion.services.audit_trail import act_as_command_line, record, record_view
from companion.storage import busy
from companion.storage.database import remove_if_still_new
from companion.storage.store import Store, open_store
from companion.text import MAX_TEXT, terminal_safe


def build_parser() -> argparse.ArgumentParser:
    common = OneLineParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH_OR_URL", help=DB_HELP)

    parser = OneLineParser(
        prog="companion",
        description="Encounter Companion: be present with the patient. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_window_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[common], help="add a demo clinic day (again adds nothing)")
    demo.set_defaults(run=_cmd_demo, makes_database=True)

    visits = commands.add_parser("visits", parents=[common], help="list a day's visits")
    which_days = visits.add_mutually_exclusive_group()
    which_days.add_argument("--date", type=day, default=None, metavar="YYYY-MM-DD", help="default: today")
    which_days.add_argument("--all", action="store_true", help="every visit of every day")
    visits.add_argument("--json", action="store_true", help="print JSON")
    visits.set_defaults(run=_cmd_visits)

    show = commands.add_parser("show", parents=[common], help="print exactly what the glance shows")
    show.add_argument("visit", type=record_id, nargs="?", metavar="VISIT")
    show.add_argument(
        "--patient", type=record_id, metavar="ID", help="instead of VISIT: the patient's current or latest"
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(run=_cmd_show)

    summary = commands.add_parser("summary", parents=[common], help="a plain-text summary to paste into a record")
    summary.add_argument("visit", type=record_id, metavar="VISIT")
    summary.add_argument("--include-sensitive", action="store_true", help="include facts marked sensitive")
    summary.set_defaults(run=_cmd_summary)

    database = commands.add_parser("db", help="the database schema (migrations)")
    database_actions = database.add_subparsers(dest="action", metavar="ACTION")
    database_actions.required = True
    upgrade = database_actions.add_parser("upgrade", parents=[common], help="bring the schema to this version")
    upgrade.set_defaults(run=_cmd_db_upgrade, raw_database=True)
    current = database_actions.add_parser("current", parents=[common], help="print the schema revision")
    current.set_defaults(run=_cmd_db_current, raw_database=True)
    add_backup_commands(database_actions, common)

    limit = f"at most {MAX_TEXT:,} characters"
    note = commands.add_parser("note", help="context notes").add_subparsers(dest="action", metavar="ACTION")
    note.required = True
    note_add = note.add_parser("add", parents=[common], help="add a context note to a visit")
    note_add.add_argument("visit", type=record_id, metavar="VISIT")
    note_add.add_argument("--kind", required=True, help=" or ".join(TOPICS))
    note_add.add_argument("--text", required=True, help=f"the note, {limit}")
    note_add.add_argument(
        "--topic",
        default="",
        help="; ".join(f"{kind}: {', '.join(topics)}" for kind, topics in TOPICS.items() if topics),
    )
    note_add.add_argument(
        "--lasting",
        action="store_true",
        help=f"about the patient, not only this visit ({', '.join(k for k in TOPICS if can_last(k))})",
    )
    note_add.add_argument("--author", required=True, metavar="NAME")
    note_add.add_argument("--sensitive", action="store_true", help="keep it off the glance (also automatic)")
    note_add.set_defaults(run=_cmd_note_add)

    priority = commands.add_parser("priority", help="the patient's priorities")
    priority_actions = priority.add_subparsers(dest="action", metavar="ACTION")
    priority_actions.required = True
    priority_add = priority_actions.add_parser("add", parents=[common], help="add a priority in their words")
    priority_add.add_argument("visit", type=record_id, metavar="VISIT")
    priority_add.add_argument("--text", required=True, help=f"in the patient's words, {limit}")
    priority_add.add_argument("--lasting", action="store_true", help="carry it to later visits")
    priority_add.add_argument("--source", default="patient", help="patient (default), nurse or clinician")
    priority_add.add_argument("--sensitive", action="store_true", help="keep it off the glance (also automatic)")
    priority_add.set_defaults(run=_cmd_priority_add)
    add_admin_commands(commands, common)
    add_fhir_commands(commands, common)
    add_clinic_day_commands(commands, common)
    add_handout_command(commands, common)
    add_questionnaire_command(commands, common)
    return parser


def main(
    argv: Sequence[str] | None = None,
    launch_window: WindowLauncher | None = None,
    write_pdf: PdfWriter | None = None,  # handed in by ui/ too: the handout's PDF is drawn by Qt
) -> int:
    """Run one command; problems become one line on stderr and a non-zero exit, never a traceback."""
    os.umask(0o077)  # every file the app creates is owner-only
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        refuse_undecodable(argv)
    except CompanionError as exc:
        print(f"companion: error: {terminal_safe(str(exc))}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    args.write_pdf = write_pdf

    def run() -> int:
        if args.command is None:
            if launch_window is None:
                raise CompanionError("the window is not installed here; use a command (see --help)")
            return launch_window(args)
        act_as_command_line()  # the audit log names who acted; the window names the signed-in clinician
        busy.on_waiting(_say_waiting)
        if getattr(args, "raw_database", False):
            return args.run(args)
        # Only a command that adds to a clinic makes a new database file; one that reads refuses a mistyped --db.
        makes_database = getattr(args, "makes_database", False)
        store = open_store(args.db, new_file=makes_database)
        try:
            if not getattr(args, "judges_stored", False):
                _judge_stored_again_if_rules_changed(store)
            code = args.run(store, args)
        except BaseException as exc:
            if makes_database:
                remove_if_still_new(store.engine)  # failed on its input: no stray empty clinic left
            from companion.storage.damage import DamagedDatabase, is_damage

            if store.sqlite_file is not None and is_damage(exc):
                # A damaged page met by a read or a write, past the checks at start: the same advice as there (the
                # latest backup, `companion db restore`), not SQLite's bare words.
                raise DamagedDatabase(store.sqlite_file, "SQLite reports a damaged page") from None
            raise
        if code != 0 and makes_database:
            remove_if_still_new(store.engine)
        return code

    return one_line_errors(run)


def _judge_stored_again_if_rules_changed(store: Store) -> None:
    """Once after the privacy rules changed (an update, the clinic's own words): before the command shows or
    exports anything, what was stored before them is judged with them. Said on stderr, so output stays clean."""
    from sqlalchemy.exc import SQLAlchemyError

    from companion.services.rules_update import judge_stored_again, rules_changed

    if not rules_changed(store):
        return
    if sys.stderr.isatty():
        print("companion: the privacy rules changed: judging stored facts again (once)...", file=sys.stderr)
    try:
        changed = judge_stored_again(store)
    except DatabaseBusy:  # its words say nothing was changed and to try again: so the command stops here
        raise
    except (CompanionError, SQLAlchemyError) as exc:  # it goes on (a read-only copy, rules too broad): said
        print(f"companion: warning: {terminal_safe(str(exc).splitlines()[0])}", file=sys.stderr)
        return
    if changed:
        facts = "1 stored fact" if changed == 1 else f"{changed} stored facts"
        print(f"companion: with the updated privacy rules, {facts} became private", file=sys.stderr)


def _say_waiting() -> None:
    print(f"companion: {busy.WAITING}", file=sys.stderr, flush=True)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _cmd_demo(store: Store, _args) -> int:
    from companion.demo import DEMO_PIN, seed_demo

    added = seed_demo(store)
    print(f"demo clinic day: {added} visits added" if added else "demo clinic day already present; nothing added")
    print(f"the demo clinicians sign in with PIN {DEMO_PIN}")
    return 0


def _cmd_visits(store: Store, args) -> int:
    from companion.services.visits import list_visits

    day = None if args.all else args.date or date.today()
    rows = list_visits(store, day)
    when = "on every day" if day is None else f"on {day:%Y-%m-%d}"
    record(store, "list visits", f"{len(rows)} visits {when}")  # names are patient data: audited
    if args.json:
        _print_json(
            [
                {
                    "id": r.id,
                    "time": r.scheduled_at.isoformat(timespec="minutes"),
                    "patient": r.patient_name,
                    "patient_id": r.patient_id,
                    "clinician": r.clinician_name,  # "" when unassigned (clinician_id null)
                    "clinician_id": r.clinician_id,
                    "reason": "" if r.reason_private else r.reason,  # one rule wherever others may see
                    "reason_private": r.reason_private,
                    "status": r.status,
                }
                for r in rows
            ]
        )
    else:
        for r in rows:
            reason = "reason private" if r.reason_private else r.reason
            at = f"{r.scheduled_at:%Y-%m-%d %H:%M}" if day is None else f"{r.scheduled_at:%H:%M}"
            unassigned = "" if r.assigned else "  · unassigned"
            print(f"{r.id:>5}  {at}  {r.status:<10} {r.patient_name}  ({reason}){unassigned}")
        if not rows:
            print(f"no visits {when}")
    return 0


def _glance_json(store: Store, args) -> dict:
    """VISIT, or --patient ID: that patient's current or latest visit (or the patient alone). The read is
    audited before anything is shown."""
    if (args.visit is None) == (args.patient is None):
        raise CompanionError("give either a VISIT or --patient ID")
    # Only here: the window's start does not need the read models.
    from companion.read.briefing import build_glance, build_patient_glance

    if args.patient is not None:
        from companion.services.audit_trail import record_patient_view

        glance = build_patient_glance(store, args.patient)
        if glance.visit is None:
            record_patient_view(store, "show patient", args.patient)
        else:
            record_view(store, "show glance", glance.visit.id)
        return glance.to_json()
    glance = build_glance(store, args.visit)
    record_view(store, "show glance", args.visit)
    return glance.to_json()


def _cmd_show(store: Store, args) -> int:
    from companion.read.briefing import private_marker

    glance = _glance_json(store, args)
    if args.json:
        _print_json(glance)
        return 0
    print(glance["patient"]["text"] + (" · video visit" if glance["video"] else ""))
    if needs := glance["patient"]["needs"]:  # beside the name on the glance: what to arrange
        print("Needs: " + " · ".join(need["text"] for need in needs))
    print(f"{glance['prep_cue']['practice']}: {glance['prep_cue']['text']}")
    for heading, key in (("What matters today", "priorities"), ("Their story", "social_context")):
        print(f"\n{heading}:")
        for item in glance[key]:
            print(f"  - {item['text']}")
        if glance["more"][key]:
            print(f"  +{glance['more'][key]} more")
    for cue in glance["emotion_checklist"]:
        ticked = ", ".join(s["label"] for s in cue["steps"] if s["ticked"]) or "none yet"
        print(f"\nCue: {cue['text']} (NURSE: {ticked})")
    if glance["private_count"]:
        print(f"\n{private_marker(glance['private_count'])}")
    return 0


def _cmd_db_upgrade(args) -> int:
    from companion.storage import schema
    from companion.storage.database import open_engine

    engine = open_engine(args.db, create=False, new_file=False)
    before = schema.current_revision(engine)
    schema.prepare_schema(engine, upgrade_allowed=True)
    after = schema.current_revision(engine)
    print(f"schema at revision {after}" + (f" (was {before or 'empty'})" if before != after else ", already current"))
    return 0


def _cmd_db_current(args) -> int:
    from companion.storage import schema
    from companion.storage.database import open_engine

    engine = open_engine(args.db, create=False, new_file=False)
    print(f"schema at revision {schema.current_revision(engine) or 'none'}; this app needs {schema.head_revision()}")
    return 0


def _cmd_summary(store: Store, args) -> int:
    from companion.read.summary import build_summary

    text = build_summary(store, args.visit, include_sensitive=args.include_sensitive)
    record_view(store, "read summary" + (" including sensitive" if args.include_sensitive else ""), args.visit)
    sys.stdout.write(text)
    return 0


def _cmd_note_add(store: Store, args) -> int:
    from companion.services.names import shown_name
    from companion.services.notes import add_note

    note = add_note(
        store,
        args.visit,
        args.kind,
        args.text,
        # Typed here, so checked as a clinician's name is when added (the window writes the clinician's own)
        shown_name(store, args.author, "the author"),
        lasting=args.lasting,
        topic=args.topic,
        sensitive=args.sensitive,
    ).result
    print(f"note {note.id} added" + (" (marked sensitive: kept off the glance)" if note.sensitive else ""))
    return 0


def _cmd_priority_add(store: Store, args) -> int:
    from companion.services.priorities import add_priority

    priority = add_priority(
        store, args.visit, args.text, lasting=args.lasting, source=args.source, sensitive=args.sensitive
    ).result
    print(f"priority {priority.id} added" + (" (marked sensitive: kept off the glance)" if priority.sensitive else ""))
    return 0
