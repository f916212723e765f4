"""`companion db backup` makes today's backup now; `companion db restore` puts the latest daily backup in place of
a damaged database file."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from companion.errors import CompanionError
from companion.storage.store import Store


def add_backup_commands(database_actions, common: argparse.ArgumentParser) -> None:
    backup = database_actions.add_parser(
        "backup",
        parents=[common],
        help="make today's backup now, or with --to a copy of the database as it is now (a SQLite file)",
    )
    backup.add_argument("--to", metavar="FILE", type=Path, help="copy the database here (owner-only)")
    backup.add_argument("--force", action="store_true", help="with --to: replace a file there (never a database)")
    # Reads only: the privacy rules are not judged again first, so a backup never waits on a write.
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
    from companion.services import audit_trail
    from companion.services.output_files import written_beside
    from companion.storage.backups import copy_whole, daily_backup, latest_backup

    database = store.sqlite_file
    if database is None:
        raise CompanionError("backup is for a SQLite file; a PostgreSQL database is backed up with pg_dump")
    if args.force and args.to is None:
        raise CompanionError("--force replaces a file named by --to; today's backup is never replaced")
    if args.to is not None:
        with written_beside(args.to, force=args.force, database=database, suffix=".backup-partial") as (handle, part):
            os.close(handle)  # SQLite writes the copy by its name
            copy_whole(database, part)
        made, words = args.to.expanduser(), "copied"
    else:
        # Today's backup, once made, is kept as it is: a purge or an import regretted since may be what it undoes.
        made, words = daily_backup(database), "backed up"
        if made is None:
            made = latest_backup(database)
            if made is None:  # removed between its opening and now
                raise CompanionError(f"the database {database} is no longer there, so no backup was made")
            print(f"today's backup {made} was made already and is kept as it is; --to FILE copies the database now")
            return 0
    audit_trail.record(store, "backup", made.name)  # a copy of every patient's record: who made it, and when
    print(f"{words} {database} to {made}")
    return 0


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
    _record_restore(str(path), restored.backup.name, healthy)
    aside = f"; the file it replaced is kept as {restored.kept_aside}" if restored.kept_aside else ""
    print(f"restored {path} from {restored.backup}{aside}")
    if restored.passed_over:
        skipped = ", ".join(backup.name for backup in restored.passed_over)
        print(f"newer backups passed over, as they could not be put back: {skipped}")
    return 0


def _record_restore(path: str, backup: str, over_a_whole_file: bool) -> None:
    """In the restored database's own log: everything since the backup is gone from it (kept aside in the file
    it replaced), and who did that is what an auditor asks next."""
    from companion.services import audit_trail
    from companion.storage.store import open_store

    store = open_store(path)
    try:
        audit_trail.record(
            store, "restore", f"from {backup}" + (" over a whole file (--force)" if over_a_whole_file else "")
        )
    finally:
        store.engine.dispose()
