"""Run in a subprocess: save notes one after another through the app's own service, printing each note's
id the moment its save is acknowledged (after the commit), so a test can kill this process mid-write."""

from __future__ import annotations

import sys

from companion.services.notes import add_note
from companion.storage.store import open_store


def main(location: str, visit_id: int, count: int) -> None:
    store = open_store(location)
    for number in range(count):
        note = add_note(store, visit_id, "social", f"Note {number} written before the power cut", "Nurse Writer").result
        print(note.id, flush=True)
    print("all written", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
