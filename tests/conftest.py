"""Settings shared by every test: Qt draws offscreen unless a test starts a real X server itself."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_sessionfinish(session, exitstatus) -> None:
    """In CI a skipped test is a failure: a check that did not run proves nothing."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI that is a failure.", red=True)
        session.exitstatus = 1
