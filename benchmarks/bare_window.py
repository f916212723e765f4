"""The floor for startup and memory: a bare PySide6 + SQLModel window that opens a SQLite file and shows
what it read. The real app must start within 1.2x of this, and use at most 1.3x of its memory.

Run as a child: `python -m benchmarks.bare_window FILE.sqlite3`.
"""

from __future__ import annotations

import sys

# The database layer before Qt, as the app loads them (see benchmarks.app_probe).
from sqlmodel import Field, Session, SQLModel, create_engine, func, select  # isort: skip
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # isort: skip

from benchmarks.probe import watch


class Item(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    text: str


def main(path: str) -> int:
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Item)).one()
    app = QApplication([sys.argv[0]])
    watcher = watch(app)  # noqa: F841 (kept alive for the whole run)
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.setCentralWidget(QLabel(f"{count} items"))
    window.resize(420, 640)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
