"""Run in a subprocess: a long clinic day in one window, the glance switched between visits again and again.
Prints "survived" when the day is over and the window still answers."""

from __future__ import annotations

import sys
from itertools import cycle, islice

from PySide6.QtWidgets import QApplication

from companion.services.preferences import Preferences
from companion.services.visits import list_visits
from companion.storage.database import url_for
from companion.storage.store import open_store
from ui.app import apply_style
from ui.main_window import MainWindow
from ui.window.context import AppContext


def main(db: str, clinician_id: int, switches: int) -> None:
    app = QApplication([sys.argv[0]])
    apply_style(app)
    store = open_store(db)
    from companion.services.clinicians import get_clinician

    window = MainWindow(AppContext(store, get_clinician(store, clinician_id)), Preferences(url_for(db)))
    window.show()
    from datetime import date

    visits = [v.id for v in list_visits(store, date.today(), clinician_id)]
    for visit_id in islice(cycle(visits), switches):
        window.show_view("glance", visit_id)
        window.repaint()
        app.processEvents()
    window.show_view("today")
    app.processEvents()
    print("survived", window.current_view(), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
