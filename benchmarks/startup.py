"""Cold start to first paint, and peak memory: the real app against the bare window, alternated. With a PIN to
type, also the sign-in: from the PIN's Enter to the main window's first paint (DESIGN.md: the glance of the
visit asked for, `--view glance --visit N`, within 100 ms)."""

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
    after_sign_in_s: list[float] = field(default_factory=list)  # the PIN's Enter until the main window painted
    main_window_shows: set[str] = field(default_factory=set)  # what that first paint showed: "glance 10021"
    ready_at_enter: list[bool] = field(default_factory=list)  # whether the app had readied the window by then

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

    def sign_in_to_glance_ms(self, visit: int) -> float | None:
        """The median from the PIN's Enter to the painted glance of `visit`; None unless every run's main window
        painted exactly that first (the app started with `--view glance --visit VISIT`)."""
        if not self.after_sign_in_s or self.main_window_shows != {f"glance {visit}"}:
            return None
        return 1000 * statistics.median(self.after_sign_in_s)


@dataclass(frozen=True)
class _Start:
    first_paint_s: float
    peak_rss_kb: int
    first_window: str
    enter_to_main_paint_s: float | None
    main_window_shows: str
    ready_at_enter: bool | None


def _one(module: str, args: list[str], env: dict[str, str]) -> _Start:
    child = Child(module, args, {**env, "BENCH_MODE": "startup"})
    try:
        first = child.wait_for("first_paint")
        entered = child.wait_for("pin_entered") if first["window"] != "QMainWindow" else None
        main = child.wait_for("main_paint")
        done = child.wait_for("done")
    finally:
        child.stop()
    return _Start(
        first_paint_s=first["t"] - child.started,
        peak_rss_kb=done["peak_rss_kb"],
        first_window=first["window"],
        enter_to_main_paint_s=main["t"] - entered["t"] if entered else None,
        main_window_shows=f"{main.get('view')} {main.get('visit')}",
        ready_at_enter=entered["database_layer"] and entered["window_code"] if entered else None,
    )


def measure_startup(env: dict[str, str], app_args: list[str], bare_db: str, runs: int) -> StartupResult:
    """One discarded warm-up of each (file caches), then `runs` of each, alternated so that drift in the
    machine's load falls on both alike."""
    result = StartupResult()
    _one("benchmarks.bare_window", [bare_db], env)
    _one("benchmarks.app_probe", app_args, env)
    for _ in range(runs):
        bare = _one("benchmarks.bare_window", [bare_db], env)
        result.bare_s.append(bare.first_paint_s)
        result.bare_rss_kb.append(bare.peak_rss_kb)
        app = _one("benchmarks.app_probe", app_args, env)
        result.app_s.append(app.first_paint_s)
        result.app_rss_kb.append(app.peak_rss_kb)
        result.first_window = app.first_window
        if app.enter_to_main_paint_s is not None:
            result.after_sign_in_s.append(app.enter_to_main_paint_s)
            result.main_window_shows.add(app.main_window_shows)
            result.ready_at_enter.append(app.ready_at_enter)
    return result
