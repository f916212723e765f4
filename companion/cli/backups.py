"""`companion db backup` makes today's backup now; `companion db restore` puts the latest daily backup in place of
a damaged database file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from companion.cli.arguments import file_to_write
from companion.errors import CompanionError
from companion.storage.store import Store
from companion.text import terminal_safe


def add_backup_commands(database_actions, common: argparse.ArgumentParser) -> None:
    backup = database_actions.add_parser(
        "backup",
        parents=[common],
        help="make today's backup now, or with --to a copy of the database as it is now (a SQLite file)",
    )
    backup.add_argument("--to", metavar="FILE", type=file_to_write, help="copy the database here (owner-only)")
    backup.add_argument(
        "--force", action="store_true", help="with --to: replace a file there (a database only if a copy of this one)"
    )
    # It copies what is stored: the privacy rules are not judged again first (that would be a write of its own).
    backup.set_defaults(run=_cmd_backup, judges_stored=True)
    restore = database_actions.add_parser(
        "restore", parents=[common], help="put the latest daily backup back (the current file is kept aside)"
    )
    restore.add_argument("--force", action="store_true", help="restore even over a file that passes SQLite's check")
    restore.set_defaults(run=_cmd_restore, raw_database=True)


def _cmd_backup(store: Store, args) -> int:
    """Today's backup, where `db restore` finds it, made now if the window has not made it (a workstation whose
    window is not opened every day); with --to, a consistent copy of the database as it is now (before a move, an
    upgrade done by hand or a risky import), written beside the target and renamed into place."""
    from companion.services.output_files import written_beside
    from companion.storage.backups import copy_whole, daily_backup, todays_backup

    database = store.sqlite_file
    if database is None:
        raise CompanionError("backup is for a SQLite file; a PostgreSQL database is backed up with pg_dump")
    if args.force and args.to is None:
        raise CompanionError("--force replaces a file named by --to; today's backup is never replaced")
    if args.to is not None:
        with written_beside(args.to, force=args.force, database=database, suffix=".backup-partial", backup=True) as (
            handle,
            part,
        ):
            os.close(handle)  # SQLite writes the copy by its name
            copy_whole(database, part)
        made, words = args.to.expanduser(), "copied"
    else:
        # Today's backup, once made, is kept as it is: a purge or an import regretted since may be what it undoes.
        made, words = daily_backup(database), "backed up"
        if made is None:
            if not todays_backup(database).exists():  # the database was removed between its opening and now
                raise CompanionError(f"the database {database} is no longer there, so no backup was made")
            print(
                f"today's backup {terminal_safe(str(todays_backup(database)))} was made already and is kept as it is; "
                "--to FILE copies the database now"
            )
            return 0
    print(f"{words} {terminal_safe(str(database))} to {terminal_safe(str(made))}")
    _in_the_log(store, "backup", made.name)  # a copy of every patient's record: who made it, and when
    return 0


def _in_the_log(store: Store, action: str, detail: str) -> None:
    """The audit entry of work already done (a copy made, a backup put back): a database busy past the limit, or
    one that cannot be written, is said as a warning, not as the work failing (it did not)."""
    from sqlalchemy.exc import SQLAlchemyError

    from companion.services import audit_trail

    try:
        audit_trail.record(store, action, detail)
    except (CompanionError, SQLAlchemyError) as exc:
        _not_in_the_log(exc)


def _not_in_the_log(exc: Exception) -> None:
    from companion.text import terminal_safe

    problem = terminal_safe(str(exc).splitlines()[0]) if str(exc) else type(exc).__name__
    print(f"companion: warning: done, but its entry in the audit log could not be written: {problem}", file=sys.stderr)


def _cmd_restore(args) -> int:
    from companion.storage.backups import is_healthy, restore_latest
    from companion.storage.database import open_engine, resolve_location, sqlite_path, url_for

    path = sqlite_path(url_for(resolve_location(args.db)))
    if path is None:
        raise CompanionError("restore is for a SQLite file; a PostgreSQL database is restored with pg_restore")
    # A whole file holds today's work; an older backup in its place would hide it (kept aside or not).
    healthy = is_healthy(Path(path))
    if not args.force and healthy:
        raise CompanionError(
            f"the database {path} passes SQLite's check, so it was left as it is; "
            "`companion db restore --force` puts the latest backup in its place anyway"
        )
    restored = restore_latest(Path(path), aside_as="replaced" if healthy else "damaged")
    open_engine(str(path)).dispose()  # opens as the app will (and upgrades an older backup's schema)
    aside = (
        f"; the file it replaced is kept as {terminal_safe(str(restored.kept_aside))}" if restored.kept_aside else ""
    )
    print(f"restored {terminal_safe(str(path))} from {terminal_safe(str(restored.backup))}{aside}")
    if restored.passed_over:
        skipped = ", ".join(backup.name for backup in restored.passed_over)
        print(f"newer backups passed over, as they could not be put back: {terminal_safe(skipped)}")
    _record_restore(str(path), restored.backup.name, healthy)
    return 0


def _record_restore(path: str, backup: str, over_a_whole_file: bool) -> None:
    """In the restored database's own log: everything since the backup is gone from it (kept aside in the file
    it replaced), and who did that is what an auditor asks next."""
    from companion.storage.store import open_store

    try:
        store = open_store(path)
    except CompanionError as exc:  # the clinic's content, say: the restore is done all the same
        _not_in_the_log(exc)
        return
    try:
        _in_the_log(store, "restore", f"from {backup}" + (" over a whole file (--force)" if over_a_whole_file else ""))
    finally:
        store.engine.dispose()
