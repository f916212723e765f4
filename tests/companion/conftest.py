"""Fixtures for the domain tests: real SQLite files in tmp_path, never the user's own data folder."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from companion.storage.models import Clinician, Patient, Role, Visit, VisitStatus
from companion.storage.store import Store, open_store

TODAY = date(2025, 3, 14)


@pytest.fixture(autouse=True)
def companion_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app's data folder at a temp dir, and undo the CLI's umask change afterwards."""
    home = tmp_path / "home"
    monkeypatch.setenv("COMPANION_HOME", str(home))
    monkeypatch.delenv("COMPANION_DB", raising=False)
    old_umask = os.umask(0o022)
    os.umask(old_umask)
    yield home
    os.umask(old_umask)


@pytest.fixture
def db_path(database: str) -> str:
    """The test's database: a SQLite file path or a PostgreSQL URL (tests run on both)."""
    return database


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """For what only a SQLite file has: its bytes, its permissions, its side files."""
    return tmp_path / "c.sqlite3"


@pytest.fixture
def demo_file(sqlite_path: Path) -> Path:
    """A SQLite file with the demo day, closed (nothing in this process holds it open)."""
    from companion.demo import seed_demo

    store = open_store(str(sqlite_path))
    seed_demo(store)
    store.engine.dispose()
    return sqlite_path


@pytest.fixture
def sqlite_store(sqlite_path: Path) -> Iterator[Store]:
    opened = open_store(str(sqlite_path))
    yield opened
    opened.engine.dispose()


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    opened = open_store(database)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def demo_store(store: Store) -> Store:
    from companion.demo import seed_demo

    seed_demo(store, TODAY)
    return store


@pytest.fixture
def demo_visits(demo_store: Store) -> dict[str, int]:
    """The demo day's visit ids by the name the patient likes to be called."""
    from companion.services.visits import list_visits

    return {row.patient_name: row.id for row in list_visits(demo_store, TODAY)}


def _make_clinician(store: Store, name: str = "Dr. Test", role: Role = Role.physician) -> int:
    with store.writing() as session:
        row = Clinician(name=name, role=role)
        session.add(row)
        session.commit()
        return row.id


def _make_patient(store: Store, name: str = "Test Patient", **fields) -> int:
    with store.writing() as session:
        row = Patient(recorded_name=name, **fields)
        session.add(row)
        session.commit()
        return row.id


def _make_visit(
    store: Store,
    patient_id: int,
    clinician_id: int,
    day: date = TODAY,
    at: str = "09:00",
    status: VisitStatus = VisitStatus.scheduled,
) -> int:
    with store.writing() as session:
        row = Visit(
            patient_id=patient_id,
            clinician_id=clinician_id,
            scheduled_at=datetime.combine(day, time.fromisoformat(at)),
            reason="Check-up",
            status=status,
        )
        session.add(row)
        session.commit()
        return row.id


@pytest.fixture
def today() -> date:
    """A fixed clinic day, so no test depends on the date it runs."""
    return TODAY


@pytest.fixture
def make_patient(store: Store):
    return lambda name="Test Patient", **fields: _make_patient(store, name, **fields)


@pytest.fixture
def make_clinician(store: Store):
    """make_clinician(name="Dr. Test", role=Role.physician) -> clinician id."""
    return lambda name="Dr. Test", role=Role.physician: _make_clinician(store, name, role)


@pytest.fixture
def make_visit(store: Store):
    """make_visit(patient_id, clinician_id, day=TODAY, at="09:00", status=...) -> visit id."""
    return lambda *args, **kwargs: _make_visit(store, *args, **kwargs)


@pytest.fixture
def clinician_id(store: Store) -> int:
    return _make_clinician(store)


@pytest.fixture
def patient_id(store: Store) -> int:
    return _make_patient(store)


@pytest.fixture
def visit_id(store: Store, patient_id: int, clinician_id: int) -> int:
    return _make_visit(store, patient_id, clinician_id)


@pytest.fixture
def row_counts():
    """row_counts(path) -> rows per table, read with the standard library, to prove nothing was written."""
    return _row_counts


def _row_counts(location) -> dict[str, int]:
    """Rows per table, read on a connection of its own (not the app's engine)."""
    location = str(location)
    if "://" not in location:
        con = sqlite3.connect(location)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {table: con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}
        finally:
            con.close()
    engine = create_engine(location)
    try:
        with engine.connect() as con:
            tables = inspect(con).get_table_names()
            return {table: con.exec_driver_sql(f'SELECT COUNT(*) FROM "{table}"').scalar() for table in tables}
    finally:
        engine.dispose()


@pytest.fixture
def cli(capsys):
    """cli(*argv) -> (exit code, stdout, stderr): the command line, run in this process."""
    from companion.cli.main import main

    def run(*argv: object) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def empty_store(database, tmp_path, request):
    """A second, empty database of the same kind as the test's."""
    if "://" in database:
        server = request.getfixturevalue("postgres_server")
        url = server.new_database()
        opened = open_store(url)
        yield opened
        opened.engine.dispose()
        server.drop_database(url)
    else:
        opened = open_store(str(tmp_path / "empty.sqlite3"))
        yield opened
        opened.engine.dispose()
