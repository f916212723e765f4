"""FHIR import, each run in a child of its own: the speed on the largest bundle in ../shared/fhir, and the peak
memory of `companion import` on a generated bulk export (benchmarks.fhir_data), read from the child's own
high-water mark (VmHWM) after the import.

The speed is that of the import itself (`import_paths`, which `companion import` and the window's import dialog
call), timed in a child that has the app loaded as the window has after its first import: the modules, the
database and its content with the privacy rules, the FHIR models (fhir.resources loads each element type the first
time it validates one), and the start-up's garbage collected. A 1.6 MB bundle imports in a tenth of a second, so
loading all that in the same clock would measure the start-up, not the import. The whole command in a new process
(`companion import`, timed from the call after Python and the command line have loaded: content, rules and models
load inside its clock) is measured too, in the same child before the rest, and reported beside it."""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from benchmarks.child import ROOT, Child
from benchmarks.fhir_data import write_export, write_first_bundle

SHARED_FHIR = ROOT.parent / "shared" / "fhir"


@dataclass(frozen=True)
class ImportResult:
    mb_per_s: float | None  # the import itself, in a process that has the app loaded
    file: str | None
    reason: str  # why there is no figure, or what was measured
    command_mb_per_s: float | None = None  # the whole `companion import` in a new process, start-up included


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


def _run(env: dict[str, str], mode: str, db: Path, files: list[Path]) -> dict | str:
    """The child's report of one `companion import` (and in mode "import", of the import itself after it), or why
    there is none."""
    child = Child("benchmarks.fhir_import", [mode, str(db), *map(str, files)], env)
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
    first = write_first_bundle(workdir / "fhir-first.json")
    seconds, command = [], []
    for run in range(runs):
        message = _run(env, "import", workdir / f"fhir-{run}.sqlite3", [bundle, first])
        if isinstance(message, str):
            return ImportResult(None, str(bundle), message)
        seconds.append(message["seconds"])
        command.append(message["command_seconds"])
    megabytes = bundle.stat().st_size / 1e6
    best, cold = min(seconds), min(command)  # the import is deterministic: the fastest run has the least noise
    return ImportResult(
        megabytes / best,
        str(bundle.relative_to(ROOT.parent)),
        f"{megabytes:.2f} MB in {best * 1000:.0f} ms (best of {runs}, median {median(seconds) * 1000:.0f} ms); "
        f"the whole `companion import` in a new process: {cold:.2f} s, {megabytes / cold:.1f} MB/s",
        command_mb_per_s=megabytes / cold,
    )


def measure_peak(env: dict[str, str], workdir: Path, megabytes: float) -> PeakResult:
    """Peak memory of one import of a generated export: Observation.ndjson of `megabytes` MB and its Patients."""
    folder = workdir / "fhir-export"
    folder.mkdir(exist_ok=True)
    patients, observations = write_export(folder, megabytes)
    try:
        message = _run(env, "command", workdir / "fhir-peak.sqlite3", [patients, observations])
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


def _child(mode: str, db: str, *files: str) -> None:
    """In the child: open a new database, then time `companion import` of the files. In mode "import" (files: the
    bundle, then a first one), then time the import itself of the bundle into another new database, after a first
    import of the small bundle has loaded what the window has loaded by then."""
    import contextlib
    import gc
    import io
    import time

    import companion.fhir  # noqa: F401 (loaded before the clock starts)
    from benchmarks.report import peak_rss_kb, report
    from companion.cli import main as cli
    from companion.storage.store import open_store

    measured = files[:1] if mode == "import" else files
    open_store(db).engine.dispose()
    start_kb = peak_rss_kb()
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["import", *measured, "--db", db])
    seconds = time.perf_counter() - started
    fields = {"exit": code, "err": err.getvalue().strip()[-300:], "peak_kb": peak_rss_kb(), "start_kb": start_kb}
    os.remove(db)
    if mode == "import" and code == 0:
        from companion.fhir.importer import import_paths

        db = f"{db}-warm.sqlite3"
        store = open_store(db)  # as the window opens its database and content when it starts
        import_paths(store, files[1:])  # its first import: a small bundle of another patient
        gc.collect()  # the start-up's garbage, so that collecting it is not counted as the import's
        started = time.perf_counter()
        import_paths(store, measured)
        fields |= {"command_seconds": seconds, "seconds": time.perf_counter() - started}
        store.engine.dispose()
        os.remove(db)
    else:
        fields["seconds"] = seconds
    report(event="imported", **fields)


if __name__ == "__main__":
    _child(*sys.argv[1:])
