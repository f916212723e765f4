"""Figures against their budgets: the JSON file and the printed table."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

# (name, budget, unit, "the figure must stay at or under the budget")
BUDGETS = {
    "startup_ratio": (1.2, "x bare"),
    "switch_p95_ms": (8.0, "ms"),
    "live_update_p95_ms": (1000.0, "ms"),
    "live_update_pg_p95_ms": (1000.0, "ms"),
    "idle_cpu_pct": (0.5, "% core"),
    "rss_ratio": (1.3, "x bare"),
    "import_mb_per_s": (None, "MB/s"),
    "import_peak_mb": (400.0, "MB"),
}


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile: the value 95 % of samples are at or under."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Results:
    def __init__(self, quick: bool, machine: dict) -> None:
        self.data: dict = {"quick": quick, "machine": machine, "budgets": {}, "within_budget": {}, "details": {}}

    def figure(self, name: str, value: float | None, **details) -> None:
        budget = BUDGETS[name][0]
        self.data[name] = None if value is None else round(value, 3)
        self.data["budgets"][name] = budget
        self.data["within_budget"][name] = None if value is None or budget is None else value <= budget
        self.data["details"][name] = details

    def table(self) -> str:
        rows = [f"{'figure':<24}{'value':>10}  {'budget':>8}  {'unit':<8}  ok"]
        for name, (budget, unit) in BUDGETS.items():
            if name not in self.data:
                continue
            value = self.data[name]
            ok = self.data["within_budget"][name]
            shown = "n/a" if value is None else f"{value:.3g}" if value < 100 else f"{value:.0f}"
            mark = "-" if ok is None else "yes" if ok else "NO"
            label = self.data["details"][name].get("label", name)  # e.g. with the size of what was measured
            rows.append(f"{label:<24}{shown:>10}  {'' if budget is None else budget:>8}  {unit:<8}  {mark}")
        return "\n".join(rows)

    def write(self, path: Path) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, indent=2)
            handle.write("\n")
