"""Switching the glance to another visit in the benchmark's clinic (benchmarks.bulk_data)."""

from __future__ import annotations

from benchmarks.child import Child


def measure_switches(env: dict[str, str], db: str, visit_ids: list[int]) -> tuple[list[float], list[float]]:
    """Milliseconds per switch, from the request until the window has repainted (warm-up excluded), and of each
    the part before Qt lays the window out and paints it: the app's own reading, filling and fitting."""
    args = ["--db", db, "--view", "glance", "--visit", str(visit_ids[0])]
    child = Child(
        "benchmarks.app_probe", args, {**env, "BENCH_MODE": "switch", "BENCH_VISITS": ",".join(map(str, visit_ids))}
    )
    try:
        answer = child.wait_for("switches", timeout=300)
        return answer["ms"], answer["app_ms"]
    finally:
        child.stop()
