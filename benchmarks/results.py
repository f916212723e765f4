"""Figures against their budgets: the JSON file and the printed table."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Budget:
    limit: float | None  # None: reported, no budget
    unit: str
    at_least: bool = False  # a speed: the figure must reach the limit, not stay under it

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def shown(self) -> str:
        return "" if self.limit is None else f"{'>=' if self.at_least else '<='} {self.limit:g}"


# The second round's budgets (issue 18), in the order the table prints them.
BUDGETS = {
    "startup_ratio": Budget(1.0, "x bare"),
    "sign_in_to_glance_ms": Budget(100.0, "ms"),
    "switch_p95_ms": Budget(4.0, "ms"),
    "live_update_p95_ms": Budget(100.0, "ms"),
    "live_update_pg_p95_ms": Budget(20.0, "ms"),
    "idle_cpu_pct": Budget(0.2, "% core"),
    "rss_ratio": Budget(1.2, "x bare"),
    "import_mb_per_s": Budget(20.0, "MB/s", at_least=True),
    "import_peak_mb": Budget(400.0, "MB"),
    "purge_s": Budget(None, "s"),
}


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile: the value 95 % of samples are at or under."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Results:
    def __init__(self, quick: bool, machine: dict) -> None:
        self.data: dict = {"quick": quick, "machine": machine, "budgets": {}, "within_budget": {}, "details": {}}

    def figure(self, name: str, value: float | None, **details) -> None:
        budget = BUDGETS[name]
        self.data[name] = None if value is None else round(value, 3)
        self.data["budgets"][name] = {"limit": budget.limit, "at_least": budget.at_least}
        self.data["within_budget"][name] = None if value is None or budget.limit is None else budget.met(value)
        self.data["details"][name] = details

    def table(self) -> str:
        rows = [f"{'figure':<30}{'value':>10}  {'budget':>8}  {'unit':<8}  ok"]
        for name, budget in BUDGETS.items():
            if name not in self.data:
                continue
            value = self.data[name]
            ok = self.data["within_budget"][name]
            shown = "n/a" if value is None else f"{value:.3g}" if value < 100 else f"{value:.0f}"
            mark = "-" if ok is None else "yes" if ok else "NO"
            label = self.data["details"][name].get("label", name)  # e.g. with the size of what was measured
            rows.append(f"{label:<30}{shown:>10}  {budget.shown():>8}  {budget.unit:<8}  {mark}")
        return "\n".join(rows)

    def write(self, path: Path) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, indent=2)
            handle.write("\n")
