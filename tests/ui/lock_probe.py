"""Run in a subprocess on a real X server: type a cue's words, select them (X11's middle-click selection) and copy
them (Ctrl+C), lock the glance with Ctrl+Shift+U, then press Ctrl+4 and Ctrl+1, all as real key events through the
X server (XTest), and grab the screen and read both clipboards after each step."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from companion.services.clinicians import get_clinician
from companion.services.preferences import Preferences
from companion.services.visits import visit_row
from companion.storage.database import url_for
from companion.storage.store import open_store
from tests.ui.conftest import visible_texts
from ui.app import apply_style
from ui.main_window import MainWindow
from ui.window.context import AppContext

STEP_MS = 400


class Keyboard:
    """Key presses the X server makes itself, as from a keyboard (the XTest extension)."""

    def __init__(self) -> None:
        self._x11 = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
        self._xtst = ctypes.cdll.LoadLibrary(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XStringToKeysym.restype = ctypes.c_ulong
        self._x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self._xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self._x11.XFlush.argtypes = [ctypes.c_void_p]
        self._display = self._x11.XOpenDisplay(None)

    def press(self, *names: str) -> None:
        """Hold each key in turn, then let them go in reverse order: press("Control_L", "4") is Ctrl+4."""
        codes = [self._x11.XKeysymToKeycode(self._display, self._x11.XStringToKeysym(n.encode())) for n in names]
        for code in codes:
            self._xtst.XTestFakeKeyEvent(self._display, code, True, 0)
        for code in reversed(codes):
            self._xtst.XTestFakeKeyEvent(self._display, code, False, 0)
        self._x11.XFlush(self._display)


def main(db: str, visit: int, out_prefix: str) -> None:
    app = QApplication([sys.argv[0]])
    app.setCursorFlashTime(0)  # a steady text cursor: two grabs of an unchanged screen are the same pixels
    apply_style(app)
    store = open_store(db)
    clinician = get_clinician(store, visit_row(store, visit).clinician_id)  # signed in (tested elsewhere)
    window = MainWindow(AppContext(store, clinician), Preferences(url_for(db)))
    window.open_visit(visit, "glance")
    window.show()
    window.activateWindow()
    keyboard = Keyboard()
    report: dict = {"geometry": None, "steps": []}

    def look(name: str) -> None:
        """What the screen shows now: the X server's own pixels, the window's view and texts."""
        QGuiApplication.primaryScreen().grabWindow(0).save(f"{out_prefix}{name}.png", "PNG")
        others = [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()]
        texts = "\n".join([visible_texts(window), *(visible_texts(w) for w in others)])
        clipboard = QGuiApplication.clipboard()
        pasted = [clipboard.text(mode) for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection)]
        report["steps"].append(
            {"name": name, "view": window.current_view(), "texts": texts, "others": len(others), "pasted": pasted}
        )

    def first() -> None:
        report["geometry"] = [window.x(), window.y(), window.width(), window.height()]
        report["active"] = window.isActiveWindow()
        look("glance")

    steps: list[Callable[[], None]] = [
        first,
        lambda: keyboard.press("Control_L", "k"),  # the field for a new cue
        *(lambda letter=letter: keyboard.press(letter) for letter in "afraid"),
        lambda: keyboard.press("Shift_L", "Home"),  # selected: X11's middle-click selection holds it
        lambda: keyboard.press("Control_L", "c"),  # copied by the field itself, not by the app's own copy
        lambda: look("copied"),
        lambda: keyboard.press("Control_L", "Shift_L", "u"),
        lambda: look("locked"),
        lambda: keyboard.press("Control_L", "4"),
        lambda: look("ctrl4"),
        lambda: keyboard.press("Control_L", "1"),
        lambda: look("ctrl1"),
    ]

    def next_step() -> None:
        if steps:
            steps.pop(0)()
            QTimer.singleShot(STEP_MS, next_step)
        else:
            print(json.dumps(report))
            app.quit()

    QTimer.singleShot(800, next_step)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
