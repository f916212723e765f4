"""Words the patient reads, in their language: resources/content/patient/<code>/, one folder per language and one
file per thing the patient sees (language.toml names the language; questionnaire.toml, checkin.toml, ...). A clinic
adds a language, or rewords one, with the same folders under <data folder>/content/patient/.

A key is the file's name and the key inside it: "questionnaire.what_matters". Every shipped language holds every
key English holds (tests/companion/test_patient_language.py); a clinic's language that lacks a key shows the
English words for it rather than nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Formatter

from companion.errors import CompanionError

SOURCE_LANGUAGE = "en"  # every key is written here first


@dataclass(frozen=True)
class PatientLanguage:
    code: str  # "en", "es": what a QuestionnaireResponse and a handout carry
    name: str  # as its speakers write it: "English", "Español"
    words: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def say(self, key: str, **values: object) -> str:
        """The words of `key` with their {placeholders} filled in."""
        return self.words[key].format(**values)


def _folders(clinic_dir: Path | None) -> dict[str, list]:
    """Each language's folders: the shipped one first, then the clinic's."""
    found: dict[str, list] = {}
    shipped = files("resources").joinpath("content", "patient")
    for folder in shipped.iterdir():
        if folder.is_dir() and not folder.name.startswith(("_", ".")):
            found.setdefault(folder.name, []).append(folder)
    clinic = clinic_dir / "patient" if clinic_dir is not None else None
    if clinic is not None and clinic.is_dir():
        for folder in sorted(clinic.iterdir()):
            if folder.is_dir():
                found.setdefault(folder.name, []).append(folder)
    return found


def _words_of(folders: list) -> dict[str, str]:
    words: dict[str, str] = {}
    for folder in folders:
        for file in sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name):
            try:
                table = tomllib.loads(file.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise CompanionError(f"the patient words {folder.name}/{file.name} are not valid TOML: {exc}") from exc
            prefix = file.name.removesuffix(".toml")
            for key, value in table.items():
                if not isinstance(value, str):
                    raise CompanionError(f"the patient words {folder.name}/{file.name}: {key} must be text in quotes")
                words[f"{prefix}.{key}"] = value
    return words


def _placeholders(text: str, where: str) -> set[str]:
    """The {names} a text fills in; a brace that opens no placeholder, or one that is not a plain name ({0},
    {name.attr}, {x[0]}), is refused where the clinic wrote it."""
    try:
        names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise CompanionError(f"the patient words {where}: {exc} (write a brace itself twice: {{{{ or }}}})") from None
    if odd := sorted(name for name in names if not name.isidentifier()):
        raise CompanionError(f"the patient words {where}: {{{odd[0]}}} is not a placeholder (a name in braces)")
    return names


def _checked(code: str, words: dict[str, str], shipped: dict[str, str]) -> dict[str, str]:
    """A language's words, each filling in only the placeholders the shipped English words of its key fill in: the
    app gives no others, and a clinic's reworded handout must not stop the handout being printed."""
    for key, text in words.items():
        given = _placeholders(shipped.get(key, ""), f"{SOURCE_LANGUAGE} {key}")
        if unknown := sorted(_placeholders(text, f"{code} {key}") - given):
            known = ", ".join(f"{{{name}}}" for name in sorted(given)) or "none"
            raise CompanionError(
                f"the patient words {code} {key}: {{{unknown[0]}}} is not one of its placeholders ({known})"
            )
    return words


def patient_languages(clinic_dir: Path | None = None) -> dict[str, PatientLanguage]:
    """Every language the patient can choose, by code, English first."""
    folders = _folders(clinic_dir)
    shipped = _words_of(folders[SOURCE_LANGUAGE][:1])  # the shipped folder comes first
    english = _words_of(folders[SOURCE_LANGUAGE])
    languages = {}
    for code in sorted(folders, key=lambda c: (c != SOURCE_LANGUAGE, c)):
        words = _checked(code, {**english, **_words_of(folders[code])}, shipped)
        languages[code] = PatientLanguage(code, words.get("language.name", code), words)
    return languages


def patient_language(code: str, clinic_dir: Path | None = None) -> PatientLanguage:
    languages = patient_languages(clinic_dir)
    if code not in languages:
        raise CompanionError(f"no patient words in that language; the languages are {', '.join(languages)}")
    return languages[code]
