"""`companion summary VISIT`: the same text as the window's "Copy summary", in-process and as a real process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from companion.read.summary import build_summary
from companion.services import encounter, priorities

AUTHOR = "Dr. Amara Osei"


@pytest.fixture
def summarised_visit(store, visit_id) -> int:
    """A closed visit with markup typed by a user, one sensitive priority and one of the clinician's own."""
    done = priorities.add_priority(store, visit_id, "<b>My knee</b>").result
    priorities.add_priority(store, visit_id, "Talk about my sleep")
    priorities.add_priority(store, visit_id, "Recheck the potassium", source="clinician")
    priorities.add_priority(store, visit_id, "Cut down my drinking")
    priorities.set_state(store, done.id, "addressed")
    encounter.add_next_step(store, visit_id, "Blood test next week", AUTHOR)
    encounter.set_close_check(store, visit_id, "teach_back", True)
    encounter.reveal_private(store, visit_id)  # read at the door, so finishing asks nothing
    encounter.finish_visit(store, visit_id)
    return visit_id


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code != 0
    assert out == ""
    assert err.startswith("companion: error:")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_summary_prints_the_same_text_as_the_window_copies(cli, store, db_path, summarised_visit):
    code, out, err = cli("summary", str(summarised_visit), "--db", str(db_path))

    assert (code, err) == (0, "")
    assert out == build_summary(store, summarised_visit)
    assert "- <b>My knee</b>: addressed" in out
    assert "- Talk about my sleep: deferred to next visit" in out
    assert "\n\nAlso on the clinician's agenda:\n- Recheck the potassium: deferred to next visit\n" in out
    assert "drinking" not in out
    assert "(sensitive items left out: 1)" in out


def test_include_sensitive_prints_the_sensitive_priority(cli, store, db_path, summarised_visit):
    code, out, err = cli("summary", str(summarised_visit), "--include-sensitive", "--db", str(db_path))

    assert (code, err) == (0, "")
    assert out == build_summary(store, summarised_visit, include_sensitive=True)
    assert "- Cut down my drinking: deferred to next visit" in out
    assert "sensitive items left out" not in out


def test_summary_of_an_unknown_visit_is_one_line(cli, store, db_path, summarised_visit):
    code, out, err = cli("summary", "4242", "--db", str(db_path))

    assert_one_line_error(code, out, err)
    assert err == "companion: error: no visit with id 4242\n"


def test_summary_needs_a_visit_number(cli, db_path):
    with pytest.raises(SystemExit) as exit_info:
        cli("summary", "Ana", "--db", str(db_path))

    assert exit_info.value.code != 0


def test_summary_through_a_real_process(companion_home, store, db_path, summarised_visit):
    env = {key: value for key, value in os.environ.items() if key != "COMPANION_DB"}
    env.update(COMPANION_HOME=str(companion_home), PYTHONIOENCODING="utf-8")

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "companion", "summary", *argv, "--db", str(db_path)],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    shown = run(str(summarised_visit))
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout == build_summary(store, summarised_visit)

    missing = run("4242")
    assert missing.returncode != 0
    assert missing.stdout == ""
    assert missing.stderr == "companion: error: no visit with id 4242\n"
