"""The app reads the newest migration from the files (fast); Alembic must agree with it."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from companion.storage.schema_head import script_head


def test_the_newest_migration_read_from_the_files_is_alembics_head():
    config = Config()
    config.set_main_option("script_location", "companion.storage:migrations")
    assert script_head() == ScriptDirectory.from_config(config).get_current_head()
