"""FHIR import through `companion import` (the FHIR issue's command), each run in a child of its own: the speed
on the largest bundle in ../shared/fhir, timed inside the child after its imports so that only the import is
measured; and the peak memory on a generated bulk export (benchmarks.fhir_data), read from the child's own
high-water mark (VmHWM) after the import."""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import ROOT, Child
from benchmarks.fhir_data import write_export

SHARED_FHIR = ROOT.parent / "shared" / "fhir"


@dataclass(frozen=True)
class ImportResult:
    mb_per_s: float | None
    file: str | None
    reason: str  # why there is no figure, or what was measured


@dataclass(frozen=True)
class PeakResult:
    peak_mb: float | None
    export_mb: float
    reason: str  # why there is no figure, or what was measured
    mb_per_s: float | None = None
    start_mb: float | None = None  # the child's peak before the import (Python, the app's modules, the database)


def largest_bundle(folder: Path = SHARED_FHIR) -> Path | None:
    files = sorted(folder.rglob("*.json"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
    return files[-1] if files else None


def _run(env: dict[str, str], db: Path, files: list[Path]) -> dict | str:
    """The child's report of one `companion import`, or why there is none."""
    child = Child("benchmarks.fhir_import", [str(db), *map(str, files)], env)
    try:
        message = child.wait_for("imported", timeout=3600)
    except RuntimeError as exc:
        return f"the import failed: {str(exc)[-300:]}"
    finally:
        child.stop()
    if message["exit"] != 0:
        return f"`companion import` exited {message['exit']}: {message['err']}"
    return message


def measure_import(env: dict[str, str], workdir: Path, runs: int) -> ImportResult:
    bundle = largest_bundle()
    if bundle is None:
        return ImportResult(None, None, f"no FHIR files under {SHARED_FHIR}")
    if importlib.util.find_spec("companion.fhir") is None:
        return ImportResult(None, str(bundle), "companion.fhir is not importable yet (the FHIR importer is not in)")
    seconds = []
    for run in range(runs):
        message = _run(env, workdir / f"fhir-{run}.sqlite3", [bundle])
        if isinstance(message, str):
            return ImportResult(None, str(bundle), message)
        seconds.append(message["seconds"])
    megabytes = bundle.stat().st_size / 1e6
    best = min(seconds)  # the import is deterministic: the fastest run has the least noise from the machine
    return ImportResult(megabytes / best, str(bundle.relative_to(ROOT.parent)), f"{megabytes:.2f} MB in {best:.2f} s")


def measure_peak(env: dict[str, str], workdir: Path, megabytes: float) -> PeakResult:
    """Peak memory of one import of a generated export: Observation.ndjson of `megabytes` MB and its Patients."""
    folder = workdir / "fhir-export"
    folder.mkdir(exist_ok=True)
    patients, observations = write_export(folder, megabytes)
    try:
        message = _run(env, workdir / "fhir-peak.sqlite3", [patients, observations])
    finally:
        observations.unlink()
    if isinstance(message, str):
        return PeakResult(None, megabytes, message)
    peak, start = message["peak_kb"] / 1024, message["start_kb"] / 1024
    rate = megabytes / message["seconds"]
    return PeakResult(
        peak,
        megabytes,
        f"a {megabytes:.0f} MB NDJSON export of Observations (and its Patients) in {message['seconds']:.1f} s",
        mb_per_s=rate,
        start_mb=start,
    )


def _child(db: str, *files: str) -> None:
    """In the child: open a new database, load the importer, then time `companion import` alone."""
    import contextlib
    import io
    import time

    import companion.fhir  # noqa: F401 (loaded before the clock starts)
    from benchmarks.report import peak_rss_kb, report
    from companion.cli import main as cli
    from companion.storage.store import open_store

    open_store(db).engine.dispose()
    start_kb = peak_rss_kb()
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["import", *files, "--db", db])
    seconds = time.perf_counter() - started
    report(
        event="imported",
        exit=code,
        seconds=seconds,
        err=err.getvalue().strip()[-300:],
        peak_kb=peak_rss_kb(),
        start_kb=start_kb,
    )
    os.remove(db)


if __name__ == "__main__":
    _child(*sys.argv[1:])
