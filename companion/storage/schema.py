"""Alembic owns the schema: a new database is created at the current revision, an older SQLite file is
upgraded on start after a backup beside it, and a shared PostgreSQL database is upgraded by IT with
`companion db upgrade`."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from companion.errors import CompanionError
from companion.storage import busy
from companion.storage.paths import new_private_file
from companion.storage.schema_head import script_head, script_revisions

if TYPE_CHECKING:
    from alembic.config import Config

FIRST_REVISION = "0001"
# The tables of the first release, made before migrations existed (revision 0001): a database holding these
# and nothing else is ours even without Alembic's table. Any other table means someone else's database.
FIRST_RELEASE_TABLES = frozenset(
    {
        "clinician",
        "patient",
        "visit",
        "priority",
        "contextnote",
        "noterevision",
        "nursetick",
        "focusritual",
        "ritualrun",
        "draft",
    }
)
CORE_TABLES = frozenset({"clinician", "patient", "visit"})

# Alembic is imported only when a database must be created or upgraded: importing it costs about a fifth of a
# second and 17 MB, which every start would pay for a database that is already current (the usual case).


def _config(connection=None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "companion.storage:migrations")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration, read from the migration files themselves (companion.storage.schema_head)."""
    return script_head()


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (Alembic's own table), None when it has none."""
    with engine.connect() as connection:
        return _revision_in(connection)


def _revision_in(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return ",".join(sorted(versions)) or None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations in one transaction. On SQLite, foreign keys are off while tables are copied
    (dropping a referenced table would otherwise fail) and checked before the transaction commits."""
    from alembic import command

    is_sqlite = engine.dialect.name == "sqlite"
    with busy.for_writing(engine).connect() as connection:
        raw = connection.connection.dbapi_connection
        if is_sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, where SQLite honours it
        try:
            with connection.begin():
                command.upgrade(_config(connection), revision)
                if is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise CompanionError("the upgrade would break links between records; nothing was changed")
        finally:
            if is_sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def check_ours(tables: set[str], revisions: list[str]) -> None:
    """Refuse a database this app did not make, or one a newer version of it made, before anything in it is
    changed (no backup, no Alembic table, no journal mode). `tables` excludes SQLite's own."""
    if "alembic_version" in tables:
        unknown = [r for r in revisions if r not in script_revisions()]
        if not unknown:
            return
        if tables >= CORE_TABLES:
            raise CompanionError(
                f"a newer version of Encounter Companion made this database (schema revision {', '.join(unknown)}; "
                f"this version knows up to {head_revision()}): update the app; the database was left untouched"
            )
    elif not tables or (CORE_TABLES <= tables <= FIRST_RELEASE_TABLES):
        return
    raise CompanionError("not an Encounter Companion database: it holds other tables (left untouched)")


def prepare_schema(
    engine: Engine, *, upgrade_allowed: bool | None = None, fresh_settings: Callable[[], dict[str, str]] | None = None
) -> str | None:
    """Bring the database to the current schema; returns the backup file made first, if any. A database made now
    starts with `fresh_settings()` (the privacy rules' fingerprint: nothing stored is to be judged again)."""
    is_sqlite = engine.dialect.name == "sqlite"
    tables = set(inspect(engine).get_table_names())
    current = current_revision(engine)
    check_ours(tables, current.split(",") if current else [])
    if not tables - {"alembic_version"}:
        if _create_fresh(engine, is_sqlite, fresh_settings() if fresh_settings else {}):
            return None
        # Made meanwhile by another program, maybe another version of the app (desks mid-update): checked as any
        # database found made is.
        return prepare_schema(engine, upgrade_allowed=upgrade_allowed, fresh_settings=fresh_settings)
    if current == head_revision():
        return None
    if not (is_sqlite if upgrade_allowed is None else upgrade_allowed):
        raise CompanionError(
            f"the database schema is at revision {current or 'none'}, the app needs {head_revision()}: "
            "ask IT to run `companion db upgrade`"
        )
    backup = backup_sqlite(engine, current or "unversioned") if is_sqlite else None
    if current is None:  # made by the first release, before migrations: its tables are revision 0001
        from alembic import command

        with busy.for_writing(engine).begin() as connection:
            if _revision_in(connection) is None:  # not stamped and upgraded meanwhile by another program
                command.stamp(_config(connection), FIRST_REVISION)
    upgrade(engine)
    return backup


def backup_sqlite(engine: Engine, label: str) -> str:
    """Copy the database beside itself with SQLite's backup API (consistent even while in use)."""
    path = Path(engine.url.database)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{label}-{stamp}.bak")
    os.close(new_private_file(target))
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return str(target)


def _create_fresh(engine: Engine, is_sqlite: bool, settings: dict[str, str]) -> bool:
    """A new SQLite file is made from the models in one step (fast) and stamped; PostgreSQL runs every
    migration, since some (the NOTIFY triggers) are not part of the models. False when another program made the
    SQLite file meanwhile."""
    from alembic import command

    if not is_sqlite:
        upgrade(engine)
    with busy.for_writing(engine).begin() as connection:
        if is_sqlite:
            # Made, stamped and set in one write, which takes the write lock first: programs opening a new file at
            # once (two desks, the window and a command) wait their turn, and those after the first find it made.
            if set(inspect(connection).get_table_names()) - {"alembic_version"}:
                return False
            SQLModel.metadata.create_all(connection)
            command.stamp(_config(connection), "head")
        setting = sa.table("setting", sa.column("key"), sa.column("value"))
        for key, value in settings.items():  # over what a migration wrote (PostgreSQL's runs 0005)
            connection.execute(sa.delete(setting).where(setting.c.key == key))
            connection.execute(sa.insert(setting).values(key=key, value=value))
    return True
