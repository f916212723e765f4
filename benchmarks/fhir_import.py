"""FHIR import speed on the largest bundle in ../shared/fhir, through `companion import` (the FHIR issue's
command), timed inside a child after its imports so that only the import itself is measured."""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import ROOT, Child

SHARED_FHIR = ROOT.parent / "shared" / "fhir"


@dataclass(frozen=True)
class ImportResult:
    mb_per_s: float | None
    file: str | None
    reason: str  # why there is no figure, or what was measured


def largest_bundle(folder: Path = SHARED_FHIR) -> Path | None:
    files = sorted(folder.rglob("*.json"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
    return files[-1] if files else None


def measure_import(env: dict[str, str], workdir: Path, runs: int) -> ImportResult:
    bundle = largest_bundle()
    if bundle is None:
        return ImportResult(None, None, f"no FHIR files under {SHARED_FHIR}")
    if importlib.util.find_spec("companion.fhir") is None:
        return ImportResult(None, str(bundle), "companion.fhir is not importable yet (the FHIR importer is not in)")
    seconds = []
    for run in range(runs):
        child = Child("benchmarks.fhir_import", [str(bundle), str(workdir / f"fhir-{run}.sqlite3")], env)
        try:
            message = child.wait_for("imported", timeout=600)
        except RuntimeError as exc:
            return ImportResult(None, str(bundle), f"the import failed: {str(exc)[-300:]}")
        finally:
            child.stop()
        if message["exit"] != 0:
            return ImportResult(None, str(bundle), f"`companion import` exited {message['exit']}: {message['err']}")
        seconds.append(message["seconds"])
    megabytes = bundle.stat().st_size / 1e6
    best = min(seconds)  # the import is deterministic: the fastest run has the least noise from the machine
    return ImportResult(megabytes / best, str(bundle.relative_to(ROOT.parent)), f"{megabytes:.2f} MB in {best:.2f} s")


def _child(bundle: str, db: str) -> None:
    """In the child: open a new database, load the importer, then time `companion import` alone."""
    import contextlib
    import io
    import time

    import companion.fhir  # noqa: F401 (loaded before the clock starts)
    from benchmarks.report import report
    from companion import cli
    from companion.store import open_store

    open_store(db).engine.dispose()
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["import", bundle, "--db", db])
    seconds = time.perf_counter() - started
    report(event="imported", exit=code, seconds=seconds, err=err.getvalue().strip()[-300:])
    os.remove(db)


if __name__ == "__main__":
    _child(*sys.argv[1:3])
