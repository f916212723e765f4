"""What the command line accepts, checked at the edge: ids, days and dates within documented ranges, argv that is
text, and any mistake told in one line (argparse's own usage block is for --help)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from companion.errors import CompanionError
from companion.storage.paths import expanded
from companion.text import FIRST_DAY, LAST_DAY, MAX_DAYS

# Ids are positive and fit the databases' INTEGER columns (PostgreSQL's are 32-bit).
MAX_ID = 2**31 - 1
# The exit status of an import that refused some of its rows or resources and did the rest: a script must notice
# (2: the file itself is unusable).
SOME_REFUSED = 3


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a mistake told in one line and a non-zero exit, like every other error of the app."""

    def error(self, message: str) -> NoReturn:
        print(f"companion: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


class YesOrNo(argparse.BooleanOptionalAction):
    """--x or --no-x, never both in one command: argparse would let the last one win, silently ("patient edit 1
    --interpreter --no-interpreter" would record no interpreter needed)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        said = namespace.__dict__.setdefault("_yes_or_no_said", {})
        if said.setdefault(self.dest, option_string) != option_string:
            parser.error(f"{said[self.dest]} and {option_string} contradict each other; give one of them")
        super().__call__(parser, namespace, values, option_string)


def refuse_undecodable(argv: list[str]) -> None:
    """Python hands bytes that are not UTF-8 over as lone surrogates; say so instead of failing later."""
    for argument in argv:
        if any("\udc80" <= ch <= "\udcff" for ch in argument):
            raise CompanionError("an argument is not valid UTF-8 text; type it again, or check the terminal's encoding")


def record_id(text: str) -> int:
    """A visit, patient or other record's id: a whole number from 1 to MAX_ID."""
    return _whole_number(text, 1, MAX_ID, "an id")


def days(text: str) -> int:
    """A number of days from 1 to MAX_DAYS."""
    return _whole_number(text, 1, MAX_DAYS, "a number of days")


def days_or_zero(text: str) -> int:
    """0 (no limit), or a number of days from 1 to MAX_DAYS."""
    return _whole_number(text, 0, MAX_DAYS, "a number of days (0 for none)")


def file_to_write(text: str) -> Path:
    """A file the command writes: an empty name is a mistake (it would be read as the current folder), and so is one
    ending in a slash (it names a folder; the file would be made under the name without it)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("a file name is needed, not an empty one")
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"{text} ends in a slash, so it names a folder; give a file name")
    try:
        return expanded(text)
    except CompanionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day(text: str) -> date:
    """A calendar day, YYYY-MM-DD, between FIRST_DAY and LAST_DAY."""
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"a date from {FIRST_DAY} to {LAST_DAY}, not {text}")
    return parsed


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    stripped = text.strip()
    # Digits only (no "1_000", no "+5", no Arabic-Indic digits) and short enough to read at a glance.
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 12 or not low <= int(stripped) <= high:
        raise argparse.ArgumentTypeError(f"{what} is a whole number from {low} to {high:,}, not {text[:40]!r}")
    return int(stripped)
