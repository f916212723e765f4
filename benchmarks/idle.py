"""CPU of an open window nobody touches, and its peak memory, read from /proc."""

from __future__ import annotations

import time
from dataclasses import dataclass

from benchmarks.child import Child, cpu_seconds, peak_rss_kb

SETTLE_S = 3  # start-up work that finishes after the first paint is not idle time


@dataclass(frozen=True)
class IdleResult:
    cpu_pct: float  # percent of one core
    seconds: float
    peak_rss_kb: int


def measure_idle(env: dict[str, str], app_args: list[str], seconds: float) -> IdleResult:
    child = Child("benchmarks.app_probe", app_args, {**env, "BENCH_MODE": "stay"})
    try:
        child.wait_for("ready")
        time.sleep(SETTLE_S)
        cpu_before, wall_before = cpu_seconds(child.pid), time.monotonic()
        time.sleep(seconds)
        cpu_after, wall_after = cpu_seconds(child.pid), time.monotonic()
        peak = peak_rss_kb(child.pid)
    finally:
        child.stop()
    return IdleResult(100 * (cpu_after - cpu_before) / (wall_after - wall_before), wall_after - wall_before, peak)
