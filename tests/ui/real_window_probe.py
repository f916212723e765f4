"""Run in a subprocess on a real X server: open the app's window as a user would and report on it."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from companion.services.clinicians import get_clinician
from companion.services.preferences import Preferences
from companion.services.visits import visit_row
from companion.storage.database import url_for
from companion.storage.store import open_store
from ui.app import apply_style
from ui.main_window import MainWindow
from ui.window.context import AppContext


def main(db: str, visit: int, screen_png: str) -> None:
    app = QApplication([sys.argv[0]])
    apply_style(app)
    store = open_store(db)
    preferences = Preferences(url_for(db))
    clinician = get_clinician(store, visit_row(store, visit).clinician_id)  # signed in (tested elsewhere)
    window = MainWindow(AppContext(store, clinician), preferences)
    window.open_visit(visit, "glance")
    window.show()
    report = {}

    def inspect() -> None:
        report["platform"] = QGuiApplication.platformName()
        report["exposed"] = window.windowHandle().isExposed()
        report["title"] = window.windowTitle()
        report["size"] = [window.width(), window.height()]
        report["view"] = window.current_view()
        # Grab the X server's own pixels, not a widget render: this is what the screen shows.
        QGuiApplication.primaryScreen().grabWindow(0).save(screen_png, "PNG")
        report["geometry"] = [window.x(), window.y(), window.width(), window.height()]
        print(json.dumps(report))
        app.quit()

    QTimer.singleShot(800, inspect)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
