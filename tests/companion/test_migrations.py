"""Alembic owns the schema: a clinic's data survives every upgrade, from the first revision on."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from companion.cli.main import main
from companion.errors import CompanionError
from companion.read.briefing import build_glance
from companion.services import notes, priorities
from companion.storage import schema
from companion.storage.database import url_for
from companion.storage.store import open_store

FIRST_RELEASE_ROWS = [
    "INSERT INTO clinician (id, name, role) VALUES (1, 'Dr. Ana Ruiz', 'physician')",
    "INSERT INTO patient (id, recorded_name, preferred_name, pronouns, preferred_language, interpreter_needed) "
    "VALUES (1, 'José Núñez', 'Pepe', 'he/him', 'Spanish', true)",
    "INSERT INTO visit (id, patient_id, clinician_id, scheduled_at, reason, status) "
    "VALUES (1, 1, 1, '2025-03-14 09:00:00', 'Check-up', 'roomed')",
    "INSERT INTO priority (id, patient_id, visit_id, text, rank, scope, source, state, created_at) "
    "VALUES (1, 1, 1, 'My knee on the stairs', 0, 'today', 'patient', 'open', '2025-03-14 08:50:00')",
    "INSERT INTO contextnote (id, patient_id, visit_id, kind, topic, text, sensitive, author, created_at, updated_at,"
    " retraction_reason) VALUES (1, 1, NULL, 'social', 'joy', 'Plays guitar <b>every</b> night', false, 'Nurse Kim',"
    " '2025-03-14 08:55:00', '2025-03-14 08:55:00', '')",
]


def database_at_first_revision(location: str, stamped: bool = True) -> None:
    """A database as the first release left it: revision 0001's tables, with a clinic's data in them."""
    engine = create_engine(url_for(location))
    schema.upgrade(engine, schema.FIRST_REVISION)
    with engine.begin() as connection:
        if not stamped:  # the first release made its tables without Alembic
            connection.exec_driver_sql("DROP TABLE alembic_version")
        for statement in FIRST_RELEASE_ROWS:
            connection.execute(text(statement))
    engine.dispose()


def assert_data_kept(store) -> None:
    glance = build_glance(store, 1)
    assert glance.patient.preferred_name == "Pepe"
    assert [p.text for p in glance.priorities] == ["My knee on the stairs"]
    assert [n.text for n in glance.story] == ["Plays guitar <b>every</b> night"]
    assert glance.patient.interpreter_needed
    # and the new schema works on the old data
    priorities.edit_priority(store, 1, "My knee on the stairs at night")
    assert priorities.priority_history(store, 1) == ["My knee on the stairs"]


@pytest.mark.parametrize("stamped", [True, False], ids=["at-0001", "before-alembic"])
def test_an_older_sqlite_file_is_backed_up_then_upgraded_on_start(tmp_path: Path, stamped):
    path = tmp_path / "clinic.sqlite3"
    database_at_first_revision(str(path), stamped)

    store = open_store(str(path))

    assert schema.current_revision(store.engine) == schema.head_revision()
    assert_data_kept(store)
    backups = list(tmp_path.glob("clinic.sqlite3.before-*.bak"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT text FROM priority").fetchall() == [("My knee on the stairs",)]
    store.engine.dispose()


def test_a_shared_postgresql_database_is_upgraded_by_it_not_by_a_workstation(postgres_server, capsys):
    url = postgres_server.new_database()
    engine = create_engine(url)
    with engine.begin() as connection:  # start from an empty database, not the migrated template
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    database_at_first_revision(url)

    with pytest.raises(CompanionError, match="run `companion db upgrade`"):
        open_store(url)
    assert main(["db", "upgrade", "--db", url]) == 0
    assert f"schema at revision {schema.head_revision()} (was 0001)" in capsys.readouterr().out

    store = open_store(url)
    assert_data_kept(store)
    store.engine.dispose()
    postgres_server.drop_database(url)


def test_migrations_build_exactly_the_models(database):
    """Running every migration gives the same schema as the models, on both databases."""
    engine = create_engine(url_for(database))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    schema.upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    engine.dispose()


def test_the_tables_carry_an_alembic_version(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == schema.head_revision()


def test_a_new_note_works_right_after_an_upgrade(tmp_path: Path):
    path = tmp_path / "clinic.sqlite3"
    database_at_first_revision(str(path))
    store = open_store(str(path))
    note = notes.add_note(store, 1, "emotion", "Tearful about her sister", "Nurse Kim").result
    assert not note.lasting
    store.engine.dispose()


def test_stored_facts_are_judged_with_the_new_rules_and_nothing_marked_private_is_made_public(tmp_path: Path):
    """Revision 0005 brought categories in: what the old keyword rules missed is caught, what a person marked stays
    private (with no category the rules can name), and a visit reason such as an HIV follow-up becomes private."""
    path = tmp_path / "clinic.sqlite3"
    engine = create_engine(url_for(str(path)))
    schema.upgrade(engine, "0004")
    with engine.begin() as connection:
        for statement in FIRST_RELEASE_ROWS[:3]:
            connection.execute(text(statement))
        connection.execute(text("UPDATE visit SET reason = 'HIV follow-up' WHERE id = 1"))
        for note_id, words, marked in (
            (2, "Ya no quiero vivir, nadie me extrañaría", False),  # missed by the old English keywords
            (3, "Loves jazz on Sundays", True),  # marked private by hand
            (4, "Walks the dog every morning", False),
        ):
            connection.execute(
                text(
                    "INSERT INTO contextnote (id, patient_id, visit_id, kind, topic, text, sensitive, author,"
                    " created_at, updated_at, retraction_reason) VALUES (:id, 1, 1, 'social', '', :words, :marked,"
                    " 'Nurse Kim', '2025-03-14 08:55:00', '2025-03-14 08:55:00', '')"
                ),
                {"id": note_id, "words": words, "marked": marked},
            )
    engine.dispose()

    store = open_store(str(path))

    with sqlite3.connect(path) as connection:
        rows = dict(
            (text_, (sensitive, category, reason))
            for text_, sensitive, category, reason in connection.execute(
                "SELECT text, sensitive, private_category, private_reason FROM contextnote"
            )
        )
        reason = connection.execute("SELECT reason_private, reason_category FROM visit WHERE id = 1").fetchone()
    assert rows["Ya no quiero vivir, nadie me extrañaría"] == (1, "suicide_self_harm", "wording")
    assert rows["Loves jazz on Sundays"] == (1, "", "marked")
    assert rows["Walks the dog every morning"] == (0, "", "")
    assert reason == (1, "hiv")
    assert build_glance(store, 1).private_count == 2
    store.engine.dispose()


def test_visits_imported_for_nobody_become_unassigned_and_the_placeholder_goes(database):
    """Revision 0007: earlier imports gave a visit that named no practitioner to a made-up clinician,
    "Unassigned (imported)". The upgrade leaves those visits unassigned (a nurse assigns them), keeps what was
    written for them, and removes the made-up clinician; a real clinician's visits are untouched."""
    engine = create_engine(url_for(database))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    schema.upgrade(engine, "0006")
    with engine.begin() as connection:
        for statement in FIRST_RELEASE_ROWS:
            connection.execute(text(statement))
        connection.execute(text("INSERT INTO clinician (id, name, role) VALUES (2, 'Unassigned (imported)', 'other')"))
        connection.execute(  # recent: older done visits are the retention rule's to remove
            text(
                "INSERT INTO visit (id, patient_id, clinician_id, scheduled_at, reason, status) "
                "VALUES (2, 1, 2, :at, 'Imported', 'done')"
            ),
            {"at": datetime.combine(date.today() - timedelta(days=1), time(10))},
        )
    schema.upgrade(engine)  # as `companion db upgrade` does
    engine.dispose()

    store = open_store(database)

    from companion.services.clinicians import list_clinicians
    from companion.services.visits import list_visits

    by_id = {row.id: row for row in list_visits(store, None)}
    assert (by_id[1].clinician_name, by_id[1].assigned) == ("Dr. Ana Ruiz", True)
    assert (by_id[2].clinician_id, by_id[2].clinician_name, by_id[2].status) == (None, "", "done")
    assert [c.name for c in list_clinicians(store)] == ["Dr. Ana Ruiz"]
    assert [n.text for n in build_glance(store, 1).story] == ["Plays guitar <b>every</b> night"]
    store.engine.dispose()


def test_clinician_goals_imported_as_priorities_become_care_goals(database):
    """Revision 0008: earlier imports made a Goal the patient did not express a lasting priority "from the
    clinician", shown as if in their words. The upgrade moves it to the care goals of the prep card and retracts
    the priority with the reason; the patient's own goals, a goal this app exported, and a priority a clinician
    typed stay where they are."""
    engine = create_engine(url_for(database))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    schema.upgrade(engine, "0007")
    with engine.begin() as connection:
        for statement in FIRST_RELEASE_ROWS[:3]:
            connection.execute(text(statement))
        for pid, key, words, source in (
            (2, "Goal/goal-1", "Hemoglobin A1c total in Blood < 7.0", "clinician"),
            (3, "Goal/goal-2", "Walk to the market again", "patient"),
            (4, "Goal/companion-priority-7", "Fewer night-time pills", "clinician"),
            (5, None, "Check the new inhaler", "clinician"),
        ):
            connection.execute(
                text(
                    "INSERT INTO priority (id, source_key, patient_id, visit_id, text, rank, scope, source, state,"
                    " sensitive, private_category, private_reason, created_at, retraction_reason)"
                    " VALUES (:id, :key, 1, 1, :words, :id, 'lasting', :source, 'open', false, '', '',"
                    " '2025-03-01 09:00:00', '')"
                ),
                {"id": pid, "key": key, "words": words, "source": source},
            )
    schema.upgrade(engine)
    engine.dispose()

    store = open_store(database)

    from companion.read.briefing import build_prep_card

    card = build_prep_card(store, 1)
    assert [g.text for g in card.care_goals] == ["Hemoglobin A1c total in Blood < 7.0"]
    assert [p.text for p in build_glance(store, 1).agenda] == [
        "Walk to the market again",
        "Fewer night-time pills",
        "Check the new inhaler",
    ]
    with store.engine.connect() as connection:
        reason = connection.execute(text("SELECT retraction_reason FROM priority WHERE id = 2")).scalar()
    assert reason == "a care goal from the health record, not the patient's words"
    store.engine.dispose()
