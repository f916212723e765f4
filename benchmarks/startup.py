"""Cold start to first paint, and peak memory: the real app against the bare window, alternated."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from benchmarks.child import Child


@dataclass
class StartupResult:
    app_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    app_rss_kb: list[int] = field(default_factory=list)
    bare_rss_kb: list[int] = field(default_factory=list)
    first_window: str = ""  # what the app paints first (the sign-in dialog, when sign-in is on)
    after_sign_in_s: list[float] = field(default_factory=list)  # PIN typed until the main window painted

    @property
    def ratio(self) -> float:
        return statistics.median(self.app_s) / statistics.median(self.bare_s)

    @property
    def paired_ratio(self) -> float:
        """The median of each app start over the bare start just before it: when the machine's speed shifts
        part-way through, the medians of the two lists can drift apart, each pair far less."""
        return statistics.median(app / bare for app, bare in zip(self.app_s, self.bare_s, strict=True))

    @property
    def rss_ratio(self) -> float:
        return statistics.median(self.app_rss_kb) / statistics.median(self.bare_rss_kb)


def _one(module: str, args: list[str], env: dict[str, str]) -> tuple[float, int, str, float | None]:
    child = Child(module, args, {**env, "BENCH_MODE": "startup"})
    try:
        first = child.wait_for("first_paint")
        typed = child.wait_for("pin_typed") if first["window"] != "QMainWindow" else None
        main = child.wait_for("main_paint")
        done = child.wait_for("done")
    finally:
        child.stop()
    after_sign_in = main["t"] - typed["t"] if typed else None
    return first["t"] - child.started, done["peak_rss_kb"], first["window"], after_sign_in


def measure_startup(env: dict[str, str], app_args: list[str], bare_db: str, runs: int) -> StartupResult:
    """One discarded warm-up of each (file caches), then `runs` of each, alternated so that drift in the
    machine's load falls on both alike."""
    result = StartupResult()
    _one("benchmarks.bare_window", [bare_db], env)
    _one("benchmarks.app_probe", app_args, env)
    for _ in range(runs):
        seconds, rss, _window, _ = _one("benchmarks.bare_window", [bare_db], env)
        result.bare_s.append(seconds)
        result.bare_rss_kb.append(rss)
        seconds, rss, result.first_window, after_sign_in = _one("benchmarks.app_probe", app_args, env)
        result.app_s.append(seconds)
        result.app_rss_kb.append(rss)
        if after_sign_in is not None:
            result.after_sign_in_s.append(after_sign_in)
    return result
