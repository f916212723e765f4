"""Retention's purge at the benchmark clinic's size: every visit of the past year and what belongs to it,
removed through the app's own service (companion.services.retention.purge, VACUUM included), timed in a child
of its own. It runs last: the clinic is gone afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass

from benchmarks.child import ROOT


@dataclass(frozen=True)
class PurgeTiming:
    seconds: float
    removed: str  # the purge's own account: how many visits, priorities and notes went


def measure_purge(env: dict[str, str], db: str) -> PurgeTiming | str:
    """The timing, or why there is none (the last lines of the child's error): a failed purge is a finding to
    report beside the other figures, not a reason to lose them."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.purge", db], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        return f"the purge failed ({result.returncode}): {result.stderr.strip().splitlines()[-1][:300]}"
    return PurgeTiming(**json.loads(result.stdout))


def _purge_a_year(db: str) -> PurgeTiming:
    from companion.services.retention import purge
    from companion.storage.store import open_store

    store = open_store(db)
    try:
        started = time.perf_counter()
        removed = purge(store, older_than_days=1)  # the clinic's earlier visits span the year before today
        return PurgeTiming(time.perf_counter() - started, str(removed))
    finally:
        store.engine.dispose()


if __name__ == "__main__":
    timing = _purge_a_year(sys.argv[1])
    print(json.dumps({"seconds": timing.seconds, "removed": timing.removed}))
