"""Run in a subprocess: save notes, opening the store anew before each one while the previous store is still
open (as a long-running window opens a second engine, or a script calls the app's functions in a loop)."""

from __future__ import annotations

import sys

from companion.services.notes import add_note
from companion.storage.store import open_store


def main(location: str, visit_id: int, count: int, writer: str) -> None:
    previous = None
    for number in range(count):
        store = open_store(location)
        with store.session() as session:  # the previous store still holds a connection with its locks
            add_note(store, visit_id, "social", f"{writer} note {number}", f"Nurse {writer}")
            session.connection()
        if previous is not None:
            previous.engine.dispose()
        previous = store
    previous.engine.dispose()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
