"""Switching the glance to another visit in a clinic of 10,000 patients and 200,000 notes."""

from __future__ import annotations

from benchmarks.child import Child


def measure_switches(env: dict[str, str], db: str, visit_ids: list[int]) -> list[float]:
    """Milliseconds per switch, from the request until the window has repainted (warm-up excluded)."""
    args = ["--db", db, "--view", "glance", "--visit", str(visit_ids[0])]
    child = Child(
        "benchmarks.app_probe", args, {**env, "BENCH_MODE": "switch", "BENCH_VISITS": ",".join(map(str, visit_ids))}
    )
    try:
        return child.wait_for("switches", timeout=300)["ms"]
    finally:
        child.stop()
