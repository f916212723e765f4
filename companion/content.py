"""The evidence the app carries (Presence 5, NURSE, rituals, questions, sensitive-fact rules).

Defaults live in resources/content; a clinic overrides them with a file of the same name in
`<data dir>/content/`: its tables merge into the shipped ones, other values replace them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from companion.errors import CompanionError

CONTENT_FILES = ("presence", "nurse", "ritual", "questions", "sensitive")
PRACTICE_KEYS = ("prepare", "listen", "agree", "connect", "explore")
NURSE_KEYS = ("name", "understand", "respect", "support", "explore")


@dataclass(frozen=True)
class Practice:
    key: str
    title: str
    cue: str


@dataclass(frozen=True)
class NurseStepContent:
    key: str
    label: str
    phrase: str


@dataclass(frozen=True)
class SensitiveRule:
    category: str
    label: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Content:
    practices: tuple[Practice, ...]
    nurse_steps: tuple[NurseStepContent, ...]
    ritual_steps: tuple[str, ...]
    ritual_pause_seconds: int
    rooming_questions: tuple[str, ...]
    something_else: str
    story_questions: tuple[str, ...]
    sensitive_rules: tuple[SensitiveRule, ...]

    def practice(self, key: str) -> Practice:
        return next(p for p in self.practices if p.key == key)

    def sensitive_category(self, text: str) -> str | None:
        """The label of the first sensitive category the text falls in, or None."""
        for rule in self.sensitive_rules:
            if rule.pattern.search(text):
                return rule.label
        return None


def load_content(override_dir: Path | None = None) -> Content:
    """Read the shipped content and apply a clinic's overrides, if any."""
    raw = {name: _read(name, override_dir) for name in CONTENT_FILES}
    try:
        content = Content(
            practices=tuple(Practice(**p) for p in raw["presence"]["practices"]),
            nurse_steps=tuple(NurseStepContent(**s) for s in raw["nurse"]["steps"]),
            ritual_steps=tuple(raw["ritual"]["steps"]),
            ritual_pause_seconds=int(raw["ritual"]["pause_seconds"]),
            rooming_questions=tuple(raw["questions"]["rooming"]),
            something_else=str(raw["questions"]["something_else"]),
            story_questions=tuple(raw["questions"]["story"]),
            sensitive_rules=tuple(_rules(raw["sensitive"]["categories"])),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise CompanionError(f"the content files are incomplete or malformed: {exc}") from exc
    _check_complete(content)
    return content


def _check_complete(content: Content) -> None:
    """The app points to each practice and NURSE step by key: a clinic's file must keep all of them."""
    for what, found, needed in (
        ("presence.toml practices", {p.key for p in content.practices}, PRACTICE_KEYS),
        ("nurse.toml steps", {s.key for s in content.nurse_steps}, NURSE_KEYS),
    ):
        if missing := [key for key in needed if key not in found]:
            raise CompanionError(f"the content files are incomplete: {what} lack {', '.join(missing)}")


def _read(name: str, override_dir: Path | None) -> dict:
    shipped = files("resources").joinpath("content", f"{name}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(shipped)
    if override_dir is not None:
        override = override_dir / f"{name}.toml"
        if override.is_file():
            try:
                _merge(data, tomllib.loads(override.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as exc:
                raise CompanionError(f"the clinic's {override.name} is not valid TOML: {exc}") from exc
    return data


def _merge(shipped: dict, override: dict) -> None:
    """Tables merge entry by entry (a clinic adding a sensitive category keeps the shipped ones);
    any other value, lists included, replaces the shipped one."""
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(shipped.get(key), dict):
            shipped[key].update(value)
        else:
            shipped[key] = value


def _rules(categories: dict) -> list[SensitiveRule]:
    rules = []
    for category, spec in categories.items():
        patterns = spec["patterns"]
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ValueError(f"sensitive category {category!r}: patterns must be a list of words")
        alternatives = "|".join(f"(?:{p})" for p in spec["patterns"])
        pattern = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
        rules.append(SensitiveRule(category, spec["label"], pattern))
    return rules
