"""The command line's FHIR commands: `import`, `patients`, `export`. Progress goes to stderr in plain text,
and only when there is enough work to wait for."""

from __future__ import annotations

import argparse
import json
import sys

from companion.cli.arguments import SOME_REFUSED, file_to_write, record_id
from companion.services.audit_trail import record
from companion.storage.store import Store
from companion.text import terminal_safe

PROGRESS_BYTES = 1_000_000  # a few small files import at once: no progress lines for them
PROGRESS_FILES = 10


def add_fhir_commands(commands, common: argparse.ArgumentParser) -> None:
    importer = commands.add_parser(
        "import", parents=[common], help="import FHIR R4 JSON (Bundle, resource, NDJSON); exit 3: resources skipped"
    )
    importer.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="files, or folders searched for *.json")
    importer.add_argument("--json", action="store_true", help="print the report as JSON")
    importer.set_defaults(run=_cmd_import, makes_database=True)

    patients = commands.add_parser("patients", parents=[common], help="list patients")
    patients.add_argument("--json", action="store_true", help="print JSON")
    patients.set_defaults(run=_cmd_patients)

    export = commands.add_parser("export", parents=[common], help="export a visit as a FHIR R4 Bundle")
    export.add_argument("visit", type=record_id, metavar="VISIT")
    export.add_argument("--fhir", required=True, type=file_to_write, metavar="FILE", help="the Bundle to write (JSON)")
    export.add_argument("--include-sensitive", action="store_true", help="include facts marked sensitive (labelled)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database)")
    export.set_defaults(run=_cmd_export)


class _Progress:
    """ "importing… 40% (saving file 3 of 12)", at most one line per tenth of the work."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._shown = -1
        self._tty = stream.isatty()

    def __call__(self, progress) -> None:
        tenth = int(progress.fraction * 10)
        if tenth <= self._shown:
            return
        self._shown = tenth
        line = f"importing… {tenth * 10}% ({progress.message().lower()})"
        self._stream.write(f"\r{line:<60}" if self._tty else f"{line}\n")
        self._stream.flush()

    def done(self) -> None:
        if self._tty and self._shown >= 0:
            self._stream.write("\n")


def _cmd_import(store: Store, args) -> int:
    from companion.fhir.files import expand_paths
    from companion.fhir.importer import import_paths

    files = expand_paths(args.paths)
    busy = len(files) > PROGRESS_FILES or sum(path.stat().st_size for path in files) > PROGRESS_BYTES
    shown = _Progress(sys.stderr) if busy else None
    try:
        report = import_paths(store, files, progress=shown).result
    finally:
        if shown is not None:
            shown.done()
    for skipped in report.skipped:
        print(f"companion: skipped {terminal_safe(skipped.line())}", file=sys.stderr)
    for advice in report.advice():
        print(f"companion: {terminal_safe(advice)}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        if report.unused:
            unused = ", ".join(f"{count} {what}" for what, count in sorted(report.unused.items()))
            print(f"not used: {terminal_safe(unused)}")  # a resource's type is the file's to choose
    # As a schedule's refused rows: a nightly script must notice a record it did not get, even one file of many.
    return SOME_REFUSED if report.skipped else 0


def _cmd_patients(store: Store, args) -> int:
    from companion.read.overview import list_patients

    rows = list_patients(store)
    record(store, "list patients", f"{len(rows)} patients")  # names are patient data: audited
    if args.json:
        data = [
            {
                "id": r.id,
                "text": r.preferred_name + (f" ({r.pronouns})" if r.pronouns else ""),
                "preferred_name": r.preferred_name,
                "recorded_name": r.recorded_name,
                "pronouns": r.pronouns,
                "language": r.language,
                "interpreter_needed": r.interpreter_needed,
                "visits": r.visits,
                "current_visit_id": r.current_visit_id,
            }
            for r in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        visits = f"{r.visits} visit{'s' if r.visits != 1 else ''}"
        print(f"{r.id:>5}  {r.preferred_name}  ({r.recorded_name}) · {visits}")
    if not rows:
        print("no patients yet (companion import FILE adds them)")
    return 0


def _cmd_export(store: Store, args) -> int:
    from companion.fhir.exporter import write_export

    data = write_export(store, args.visit, args.fhir, include_sensitive=args.include_sensitive, force=args.force)
    kinds = [entry["resource"]["resourceType"] for entry in data["entry"]]
    made = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))
    print(f"visit {args.visit} exported to {terminal_safe(str(args.fhir))}: {made}")
    return 0
