"""Settings shared by every test: Qt draws offscreen unless a test starts a real X server itself."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6.QtCore  # noqa: E402,F401 (pytest-qt loads it anyway; the skip below needs it first)

from ui.window.feature_scan import skip_feature_scan  # noqa: E402

skip_feature_scan()  # as the app does: the test modules and the app's are not read a second time by PySide6


def pytest_sessionfinish(session, exitstatus) -> None:
    """In CI a skipped test is a failure: a check that did not run proves nothing."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI that is a failure.", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (Debian's binaries) for the whole session, on 127.0.0.1."""
    from tests.postgres import PostgresServer, server_binaries

    binaries = server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)")
    server = PostgresServer(binaries)
    server.start()
    server.create_template()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Where a test's data lives: a SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "c.sqlite3")
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)
