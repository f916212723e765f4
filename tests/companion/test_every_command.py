"""Every subcommand of the command line, driven with generated arguments (text, numbers out of range, bytes that
are not UTF-8, paths that exist and do not): it succeeds, or it says what is wrong in one line with a non-zero
exit, and then the database is exactly as it was. Never a traceback.

The subcommands and their options are read from the parser itself, so a new command is covered the day it is
added."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.cli.main import UNEXPECTED, build_parser, main

# Python hands bytes that are not UTF-8 over as lone surrogates (os.fsdecode): "caf\xff" arrives as "caf\udcff".
NOT_UTF8 = "caf\udcff"
TEXTS = [
    "",
    " ",
    "ok",
    "Søren's knee",
    NOT_UTF8,
    "\udc80",
    "<b>bold</b>",
    "'; DROP TABLE visit; --",
    "line\nbreak",
    "\u202eevil",
    "x" * 2500,
    "--db",
    "-1",
    "👩‍⚕️",
]
NUMBERS = ["1", "2", "3", "0", "-1", "007", "2147483647", "2147483648", "99999999999999999999", "1e3", "١٢", "abc"]
DAYS = ["1", "30", "36500", "36501", "99999999", "0", "-5"]
DATES = ["2025-03-14", "1899-12-31", "9999-12-31", "0001-01-01", "2025-02-30", "today", "20250314"]
WHENS = ["2025-03-14 09:00", "2025-03-14 24:00", "1899-12-31 09:00", "2025-02-30 09:00", "2025-03-14", "9:00", ""]
CLINICIANS = ["Dr. Amara Okafor", "Jonas Lindqvist", "jonas lindqvist", "Dr. Nobody", "", NOT_UTF8]
CHOICES = ["nurse", "physician", "admin", "social", "emotion", "patient", "clinician", "bogus", "", NOT_UTF8]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same arguments on every run: a failure here reproduces
)


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    """Every runnable subcommand (`note add`, `db restore`...) and its parser."""
    found: dict[tuple[str, ...], object] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= leaf_commands(sub, (*path, name))
    if not found and path:
        found[path] = parser
    return found


LEAVES = leaf_commands(build_parser())


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    """A demo clinic, a FHIR file, a text file and an output folder, all in tmp_path (never the user's files)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("4821\n4821\n"))
    db = tmp_path / "clinic.sqlite3"
    assert run(["demo", "--db", str(db)])[0] == 0
    (tmp_path / "out").mkdir()
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")  # a file written where the command runs, unasked, shows (below)
    patient = {"resourceType": "Patient", "id": "p1", "name": [{"given": ["Ana"], "family": "Ruiz"}]}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "patient.json").write_text(json.dumps(patient))
    (tmp_path / "in" / "letter.json").write_text("Dear doctor")
    (tmp_path / "in" / "schedule.csv").write_text(
        "external_id,date,time,patient_name,preferred_name,language,clinician,reason\n"
        "S1,2025-03-14,09:00,Schedule Testpatient,Sam,,Dr. Amara Okafor,Check-up\n"
        "S2,2025-03-14,09:30,Schedule Testpatient,Sam,,,\n"
    )
    return tmp_path


def run(argv: list[str]) -> tuple[int, str, str]:
    """The command line in this process; argparse's own exit (for --help, or a mistake) counts as the exit code."""
    out, err = io.StringIO(), io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(argv)
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    return code, out.getvalue(), err.getvalue()


def content_of(db) -> str:
    """Every row of every table, read on a connection of its own: any change at all shows."""
    with sqlite3.connect(db) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()


def values_for(action: argparse.Action, folder) -> st.SearchStrategy[str]:
    """What a person, a script or a careless paste might hand this argument."""
    paths = [
        str(folder / "in" / "patient.json"),
        str(folder / "in" / "letter.json"),
        str(folder / "in" / "schedule.csv"),
        str(folder / "in"),
        str(folder / "out" / "visit.json"),
        str(folder / "missing" / "x.json"),
        str(folder / "clinic.sqlite3"),
        "/dev/null",
        str(folder / "out") + "/" + NOT_UTF8 + ".json",
    ]
    name = action.dest
    if name in ("paths", "fhir", "screenshot", "file", "to"):
        return st.sampled_from(paths)
    if name in ("older_than", "days"):
        return st.sampled_from(DAYS + NUMBERS)
    if name == "date":
        return st.sampled_from(DATES)
    if name == "at":
        return st.sampled_from(WHENS)
    if name == "clinician":
        return st.sampled_from(CLINICIANS)
    if name in ("visit", "patient"):
        return st.sampled_from(NUMBERS)
    if action.choices:
        return st.sampled_from([*action.choices, *CHOICES])
    if name in ("kind", "role", "source", "topic"):
        return st.sampled_from(CHOICES)
    return st.sampled_from(TEXTS) | st.text(max_size=30)


@st.composite
def arguments(draw, command: tuple[str, ...], parser, folder) -> list[str]:
    argv = list(command)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest == "db":
            continue
        # Required ones are mostly given (and sometimes not); optional ones sometimes.
        if not draw(st.booleans() if not action.required else st.sampled_from([True, True, True, False])):
            continue
        if action.option_strings:
            argv.append(draw(st.sampled_from(action.option_strings)))
        if action.nargs != 0:
            argv.extend(draw(values_for(action, folder)) for _ in range(1 if action.nargs != "+" else 2))
    if draw(st.integers(0, 9)) == 0:
        argv.append(draw(st.sampled_from(["--bogus", "extra", NOT_UTF8])))
    return [*argv, "--db", str(folder / "clinic.sqlite3")]


@pytest.mark.parametrize("command", sorted(LEAVES), ids=" ".join)
def test_every_command_succeeds_or_says_why_in_one_line_and_changes_nothing(clinic, command):
    @SETTINGS
    @given(argv=arguments(command, LEAVES[command], clinic))
    def check(argv):
        sys.stdin = io.StringIO("4821\n")
        before = content_of(clinic / "clinic.sqlite3")
        code, out, err = run(argv)
        assert "Traceback" not in err + out and UNEXPECTED not in err, (argv, err)
        assert list(Path.cwd().iterdir()) == [], argv  # only a path given to it (all absolute here) is written
        if code == 0:
            return
        said = [line for line in err.splitlines() if not line.startswith("companion: waiting")]
        assert len(said) == 1 and said[0].startswith("companion: error:"), (argv, err)
        assert content_of(clinic / "clinic.sqlite3") == before, argv

    check()


def test_the_parser_reaches_every_command_a_clinic_uses():
    """The generator walks the real parser: it finds the commands the README documents."""
    assert {("note", "add"), ("export",), ("import",), ("purge",), ("db", "restore"), ("show",)} <= set(LEAVES)
    clinic_day = {("patient", "add"), ("patient", "edit"), ("visit", "add"), ("visit", "assign"), ("visit", "move")}
    assert clinic_day | {("visit", "cancel"), ("visit", "no-show"), ("schedule", "import")} <= set(LEAVES)
