"""The clinician's window in another language. Every string the window shows is marked with ui.window.labels.tr;
`pyside6-lupdate` gathers them into resources/translations/companion_<language>.ts (README, "Translating the
window"), a translator fills them in with Qt Linguist, and the window reads the file as it starts.

The app reads the .ts file itself rather than a compiled .qm: lupdate files each string under the class it is
written in, while one window-wide catalogue is all the app needs, so a string is found by its words alone.
"""

from __future__ import annotations

import os
from importlib.resources import files

from PySide6.QtCore import QLocale

_catalogue: dict[str, str] = {}


def window_language() -> str:
    """COMPANION_UI_LANGUAGE if set (en, es...), else the desktop's language."""
    return os.environ.get("COMPANION_UI_LANGUAGE") or QLocale.system().name().split("_")[0]


def load_translation(language: str | None = None, folder=None) -> int:
    """Read the window's words in `language` (from `folder`, else the shipped translations); returns how many
    are translated (0: the built-in English)."""
    _catalogue.clear()
    language = language or window_language()
    source = (folder or files("resources").joinpath("translations")).joinpath(f"companion_{language}.ts")
    if language == "en" or not source.is_file():
        return 0
    from xml.etree import ElementTree  # only when there is a translation to read: the start stays quick

    for message in ElementTree.fromstring(source.read_bytes()).iter("message"):
        original, translation = message.find("source"), message.find("translation")
        if original is None or translation is None or translation.get("type") in ("unfinished", "obsolete"):
            continue
        if original.text and translation.text:
            _catalogue[original.text] = translation.text
    return len(_catalogue)


def translated(text: str) -> str | None:
    return _catalogue.get(text)
