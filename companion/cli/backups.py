"""`companion db restore`: put the latest daily backup in place of a damaged database file."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.errors import CompanionError


def add_restore_command(database_actions, common: argparse.ArgumentParser) -> None:
    restore = database_actions.add_parser(
        "restore", parents=[common], help="put the latest daily backup back (the current file is kept aside)"
    )
    restore.add_argument("--force", action="store_true", help="restore even over a file that passes SQLite's check")
    restore.set_defaults(run=_cmd_restore, raw_database=True)


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
    aside = f"; the file it replaced is kept as {restored.kept_aside}" if restored.kept_aside else ""
    print(f"restored {path} from {restored.backup}{aside}")
    if restored.passed_over:
        skipped = ", ".join(backup.name for backup in restored.passed_over)
        print(f"newer backups passed over, as they could not be put back: {skipped}")
    return 0
