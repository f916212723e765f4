"""Run in a subprocess: start `companion` with the arguments given, as a person would, and report what the sign-in
showed at its first paint and which of the database layer was loaded by then; type BENCH_PIN and Enter at once
(before the names can have come), then report what the main window showed first, and close it."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    from ui.app import load_command_line
    from ui.app import main as companion_main

    load_command_line()  # as `companion` does: nothing of the database layer yet
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QListWidget, QMainWindow

    app = QApplication([sys.argv[0]])  # the app reuses it, so the first paint is seen here
    report: dict = {}

    def sign_in(dialog: QDialog) -> None:
        pin = next(f for f in dialog.findChildren(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Password)
        QTest.keyClicks(pin, os.environ["BENCH_PIN"])
        QTest.keyClick(pin, Qt.Key.Key_Return)

    class Look(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
            if event.type() != QEvent.Type.Paint or not watched.isWidgetType() or not watched.isWindow():
                return False
            if isinstance(watched, QDialog) and "sign_in" not in report:
                people = watched.findChild(QListWidget)
                report["sign_in"] = {
                    "names": [people.item(row).text() for row in range(people.count())],
                    "database_layer": sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "sqlmodel"}),
                }
                QTimer.singleShot(0, lambda: sign_in(watched))
            elif isinstance(watched, QMainWindow) and "window" not in report:
                report["window"] = {"view": watched.current_view(), "visit": watched.visit_id}
                print(json.dumps(report), flush=True)
                QTimer.singleShot(0, watched.close)
            return False

    look = Look()
    app.installEventFilter(look)
    sys.argv = ["companion", *sys.argv[1:]]
    companion_main()


if __name__ == "__main__":
    main()
