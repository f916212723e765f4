"""Benchmarks for the performance budgets of ../shared/DESIGN.md; `python benchmarks/run.py --help`."""
