"""The window's words can be translated: every marked string is in the shipped translation file (lupdate was run
after the last change: README, "Translating the window"), and a translated file changes what the window says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.ui.test_clinic_day import DOCTOR
from ui.window.translations import load_translation

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "resources" / "translations" / "companion_es.ts"


def sources(ts_file: Path) -> set[str]:
    return {m.findtext("source") for m in ElementTree.parse(ts_file).iter("message")}


def test_every_string_the_window_marks_is_in_the_shipped_translation_file(tmp_path):
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    assert lupdate.exists(), "pyside6-lupdate comes with PySide6-Essentials"
    files = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    fresh = tmp_path / "companion_es.ts"
    subprocess.run([str(lupdate), *files, "-ts", str(fresh)], check=True, capture_output=True)
    missing = sources(fresh) - sources(SHIPPED)
    assert not missing, f"run lupdate (README, 'Translating the window'): {sorted(missing)[:5]}"
    assert {"Today", "Booked for %s at %s.", "F5 when you sit down, then let them finish."} <= sources(SHIPPED)


@pytest.fixture
def spanish_window_words(tmp_path):
    translated = tmp_path / "companion_es.ts"
    shutil.copy(SHIPPED, translated)
    tree = ElementTree.parse(translated)
    for message in tree.iter("message"):
        words = {"Today": "Hoy", "Glance": "Vistazo", "Hidden. Esc shows the window again.": "Oculto. Esc lo muestra."}
        if message.findtext("source") in words:
            translation = message.find("translation")
            translation.text = words[message.findtext("source")]
            translation.attrib.pop("type", None)
    tree.write(translated, encoding="utf-8", xml_declaration=True)
    assert load_translation("es", tmp_path) == 3  # unfinished entries are not used
    yield
    load_translation("en")


def test_a_translated_file_changes_what_the_window_says(spanish_window_words, make_window, qtbot):
    from PySide6.QtCore import Qt

    window = make_window(DOCTOR)
    assert (window.nav["today"].text(), window.nav["glance"].text()) == ("Hoy", "Vistazo")
    assert window.nav["rooming"].text() == "Rooming"  # not translated yet: as written
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.hint.text() == "Oculto. Esc lo muestra."
