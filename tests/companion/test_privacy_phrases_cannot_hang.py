"""A clinic's phrase, however it is written, cannot make a save hang: the lexicon's language has no way to say
"any number of", yet a phrase of many gaps or of separators side by side ("a - - - - b") made Python's regular
expressions try every way of sharing a text's words or dashes out among them, for minutes on one note."""

from __future__ import annotations

import subprocess
import sys

import pytest

# A note of the shapes that made those phrases try every way: many words alike, long runs of dashes.
JUDGE = """
import sys
from companion.content import load_content
from companion.storage.paths import data_dir
rules = load_content(data_dir() / "content").privacy
texts = [" ".join(["zq"] * 400), "zq " + "- " * 400 + "wv", "zq " + "'" * 400 + " wv", "zq" + "-" * 400 + "wv"]
print(sum(rules.judge(text).private for text in texts), rules.judge(sys.argv[1]).category or "-")
"""


@pytest.mark.parametrize(
    ("phrase", "private", "kept"),
    [
        ("zq - - - - - - - - - - xv", "zq - xv", "zq - wv"),  # separators side by side: one run of non-letters
        ("zq '''''''''''''''''''' xv", "zq' xv", "zq wv"),
        ("zq-------------------xv", "zq--xv", "zq--wv"),  # dashes alone: as many as are there, or none
        ("zq ... zq ... zq xv", "zq a zq b c zq xv", "zq zq zq wv"),
    ],
)
def test_a_clinic_phrase_never_makes_judging_a_note_hang(companion_home, phrase, private, kept):
    (companion_home / "content").mkdir(parents=True, exist_ok=True)
    (companion_home / "content" / "sensitive.toml").write_text(
        f'[categories.hiv.languages.en]\nstrong = ["{phrase}"]\n', encoding="utf-8"
    )
    env = {"COMPANION_HOME": str(companion_home), "PATH": "/usr/bin:/bin"}

    def judged(text: str) -> str:
        # In a process of its own: a regular expression that never ends holds the interpreter, and is stopped.
        answer = subprocess.run(
            [sys.executable, "-c", JUDGE, text], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        return answer.stdout.split()

    assert judged(private) == ["0", "hiv"]  # the phrase still finds what it names; the long notes are not it
    assert judged(kept) == ["0", "-"]
