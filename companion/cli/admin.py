"""Command-line administration: clinicians and PINs, the audit log, retention. For the clinic's IT, who
hold access to the database; the window offers the same to a signed-in admin."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from companion.cli.arguments import YesOrNo, days, days_or_zero, record_id
from companion.errors import CompanionError
from companion.storage.store import Store
from companion.text import MAX_DAYS


def add_admin_commands(commands, common: argparse.ArgumentParser) -> None:
    clinician = commands.add_parser("clinician", help="clinicians and their PINs")
    actions = clinician.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", parents=[common], help="add a clinician and set their PIN")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="nurse, physician, other or admin")
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (no prompt)")
    add.set_defaults(run=_cmd_clinician_add, makes_database=True)
    reset = actions.add_parser("reset-pin", parents=[common], help="set a new PIN for a clinician")
    reset.add_argument("--name", required=True)
    reset.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (no prompt)")
    reset.set_defaults(run=_cmd_reset_pin)

    audit = commands.add_parser("audit", parents=[common], help="who opened or changed what, and when")
    audit.add_argument("--patient", type=record_id, metavar="ID", help="only entries about this patient")
    audit.add_argument("--json", action="store_true", help="print JSON")
    audit.set_defaults(run=_cmd_audit)

    purge = commands.add_parser("purge", parents=[common], help="remove visit-level data older than DAYS")
    purge.add_argument(
        "--older-than", type=days, required=True, metavar="DAYS", help=f"1 to {MAX_DAYS:,} days before today"
    )
    purge.add_argument("--include-lasting", action="store_true", help="remove lasting priorities too")
    purge.add_argument("--dry-run", action="store_true", help="say what would be removed; remove nothing")
    purge.add_argument("--yes", action="store_true", help="do not ask first on a terminal (scripts never are asked)")
    purge.set_defaults(run=_cmd_purge)

    privacy = commands.add_parser("privacy", help="the clinic's privacy rules")
    privacy_actions = privacy.add_subparsers(dest="action", metavar="ACTION")
    privacy_actions.required = True
    recheck = privacy_actions.add_parser(
        "recheck", parents=[common], help="judge stored facts again with today's rules (only ever more private)"
    )
    recheck.add_argument("--force", action="store_true", help="even when the rules have not changed")
    recheck.set_defaults(run=_cmd_privacy_recheck, judges_stored=True)

    retention = commands.add_parser("retention", parents=[common], help="how long visit data is kept")
    retention.add_argument(
        "--days", type=days_or_zero, metavar="DAYS", help=f"keep visit data 1 to {MAX_DAYS:,} days (0: until purged)"
    )
    retention.add_argument(
        "--at-start",
        action=YesOrNo,
        help="purge when the app starts, or not (left as it is when neither is given)",
    )
    retention.add_argument(
        "--forget-purges",
        action="store_true",
        help="let imports bring back visits older than the last purge's cut-off (restoring history)",
    )
    retention.set_defaults(run=_cmd_retention)


STDIN_LIMIT = 4096  # a PIN is 12 digits at most: what is longer is not one, and is not read to its end


def read_pin(from_stdin: bool) -> str:
    """Ask twice without echo, or read one line from standard input (for scripts)."""
    if from_stdin:
        # One line, the PIN alone: a second line (two PINs piped by mistake, a script's leftover) is refused, not
        # dropped without a word while the first is set.
        lines = [line.strip() for line in sys.stdin.read(STDIN_LIMIT).splitlines() if line.strip()]
        if len(lines) > 1:
            raise CompanionError("standard input holds more than one line; give the PIN alone; nothing was changed")
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise CompanionError("no terminal to ask for the PIN; use --pin-stdin")
    pin = getpass.getpass("PIN: ")
    if getpass.getpass("PIN again: ") != pin:
        raise CompanionError("the two PINs differ; nothing was changed")
    return pin


def _cmd_clinician_add(store: Store, args) -> int:
    from companion.services.auth import add_clinician_with_pin

    # The clinician and their PIN in one commit, the PIN checked first: a refused PIN leaves nobody half-added.
    clinician = add_clinician_with_pin(store, args.name, args.role, read_pin(args.pin_stdin)).result
    print(f"clinician {clinician.id} added ({clinician.role})")
    return 0


def _cmd_reset_pin(store: Store, args) -> int:
    from companion.services.auth import set_pin
    from companion.services.clinicians import find_clinician

    clinician = find_clinician(store, args.name)
    set_pin(store, clinician.id, read_pin(args.pin_stdin))  # set_pin refuses a PIN anyone would try first
    print(f"PIN set for clinician {clinician.id}")
    return 0


def _cmd_audit(store: Store, args) -> int:
    from companion.services.audit_trail import audit_log

    entries = audit_log(store, args.patient)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        for entry in entries:
            print(f"{entry['at']}  {entry['who'] or '-'}  {entry['action']}  {entry['detail']}")
    return 0


def _cmd_purge(store: Store, args) -> int:
    from companion.services.retention import purge, reclaim_space

    # A purge is for good: someone at a terminal sees what would go and says yes first (a script, with no
    # terminal, is never asked: the clinic's scheduled retention must not wait for an answer).
    ask = not args.dry_run and not args.yes and sys.stdin.isatty()
    if args.dry_run or ask:
        planned = purge(store, args.older_than, include_lasting=args.include_lasting, rehearse=True)
        print(planned)
        if not ask or planned.visits + planned.priorities + planned.notes == 0:
            return 0
        if input("Remove them for good? Type yes to go on: ").strip().lower() != "yes":
            print("nothing was removed")
            return 1
    print(purge(store, args.older_than, include_lasting=args.include_lasting, reclaim=False, by_hand=True), flush=True)
    try:
        # Minutes on a large clinic: Ctrl+C now must not read as if nothing was removed.
        if not reclaim_space(store):
            print(
                "companion: the removal above is done and kept; its space was not given back (another program held "
                "the database): the next purge does it",
                file=sys.stderr,
            )
    except KeyboardInterrupt:
        # SQLite finishes a VACUUM before Python sees the keypress; PostgreSQL's is cancelled.
        print(
            "companion: interrupted; the removal above is done and kept (giving its space back may not have "
            "finished: the next purge does it)",
            file=sys.stderr,
        )
        return 130
    return 0


def _cmd_privacy_recheck(store: Store, args) -> int:
    from companion.privacy.stored import recheck_stored

    changed = recheck_stored(store.engine, store.content, force=args.force)
    if changed is None:
        print("the privacy rules have not changed since stored facts were last judged; nothing to do (--force)")
    else:
        facts = "1 stored fact" if changed == 1 else f"{changed} stored facts"
        print(f"stored facts judged with today's rules: {facts} became private")
    return 0


def _cmd_retention(store: Store, args) -> int:
    from companion.services.retention import (
        forget_purges,
        purged_before,
        purges_at_start,
        retention_days,
        set_retention,
    )

    days = retention_days(store) if args.days is None else args.days or None
    # Each setting changes only when it is named: a new number of days leaves purging at start as it was (with
    # no number of days there is nothing to purge: it goes off).
    at_start = purges_at_start(store) and bool(days) if args.at_start is None else args.at_start
    if at_start and not days:
        raise CompanionError("purging at start needs a number of days to keep: add --days DAYS")
    if args.days is not None or args.at_start is not None:
        set_retention(store, days, purge_at_start=at_start)
    if args.forget_purges:
        forget_purges(store)
    if not days:
        print("visit data kept until purged by hand")
    else:
        when = "purged when the app starts" if purges_at_start(store) else "purged by hand (`companion purge`)"
        print(f"visit data kept {days} days, {when}")
    if (purged := purged_before(store)) is not None:
        print(
            f"visits before {purged:%Y-%m-%d %H:%M} were purged: imports leave them out "
            "(--forget-purges lets them in again)"
        )
    return 0
