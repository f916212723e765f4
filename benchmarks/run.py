"""Measure the performance budgets of ../shared/DESIGN.md, each against its floor in the same run.

    python benchmarks/run.py [--quick] [--patients N] [--notes N] --json FILE

Prints a table and writes every figure, its budget and details to FILE. The full run builds a clinic of
100,000 patients and 2,000,000 notes (the budgets' size; the JSON has its build time and size on disk);
--quick (CI) a tenth of it, fewer samples and a shorter idle window, and the JSON says so. --patients and
--notes choose another size. No budget is asserted: the figures are for people.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks.suite import main  # noqa: E402 (needs the path above)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
