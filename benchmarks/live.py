"""A note saved by another process (this one, through the app's own service) until it shows on an open
glance in the measured child: SQLite (a watch on the write-ahead log, then PRAGMA data_version) or PostgreSQL
(LISTEN/NOTIFY)."""

from __future__ import annotations

import random
import time

from benchmarks.child import Child
from companion.services.notes import add_note
from companion.storage.store import open_store

AUTHOR = "Bench Nurse"


def measure_live(env: dict[str, str], location: str, visit_id: int, notes: int, seed: int = 11) -> list[float]:
    """Milliseconds from each save's commit until the child has the note on screen, repainted. Saves come at
    random intervals so they do not fall in step with the window's polling."""
    rng = random.Random(seed)
    child = Child(
        "benchmarks.app_probe",
        ["--db", location, "--view", "glance", "--visit", str(visit_id)],
        {**env, "BENCH_MODE": "live"},
    )
    store = open_store(location)
    latencies = []
    try:
        child.wait_for("ready")
        time.sleep(1)
        for number in range(notes):
            time.sleep(rng.uniform(0.05, 0.6))
            add_note(store, visit_id, "social", f"Bench live note {number}", AUTHOR)
            saved = time.monotonic()
            shown = child.wait_for("shown", timeout=30)
            if shown["n"] != number:
                raise RuntimeError(f"note {number} was expected on screen, {shown['n']} came")
            latencies.append((shown["t"] - saved) * 1000)
    finally:
        child.stop()
        store.engine.dispose()
    return latencies
