"""Measure the performance budgets of ../shared/DESIGN.md, each against its floor in the same run.

    python benchmarks/run.py [--quick] --json FILE

Prints a table and writes every figure, its budget and details to FILE. --quick (CI) takes fewer samples
and a shorter idle window; the JSON says so. No budget is asserted: the figures are for people.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks.suite import main  # noqa: E402 (needs the path above)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
