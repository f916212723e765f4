"""A clinic's schedule file (CSV) as visits: the front desk's export, imported again and again as it changes.

The file is read and checked whole before anything is written (a file that is not UTF-8, not CSV, too large,
without the required columns or with a quote left open over the rows after it writes nothing); the rows are then
written in one transaction. A row that cannot be imported is refused with its line number and the reason, before
anything of it is written, and the rest goes in. Visits are matched by the schedule's external id
("schedule|<external_id>"), so importing the same file again changes nothing, and only a value the file has changed
since it was last imported updates its visit: a visit a nurse moved or assigned in the app stays so (what the file
said is kept as digests, companion.fhir.record_said).

A name is not a person. A patient is found by the record number (`mrn`) the file gives (one the schedule gave them
before, or one of their health record's identifiers), else by the name (whatever its case, spaces, Unicode form and
kind of apostrophe or dash: _name_key), never when two patients could be meant: a patient whose record number or
birth date the schedule knows otherwise is not the row's; a row is refused when more than one patient could be its,
or when the file itself names two people of that name and a patient of it has nothing to tell which. What a row says
of who the patient is (`mrn`, `birth_date`) is kept as claims (PatientIdentifier "schedule-mrn|..." and
"schedule-born|<patient>|<date>") for the next files. An empty clinician books a visit unassigned and never takes an
assigned one back (a nurse assigned it). A row that books a patient at a time they already have a visit with the
same clinician (the row repeated under another external_id, or the visit booked by hand too) is refused, naming that
visit. Messages name lines, columns and ids, never a patient.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, select

from companion.errors import CompanionError
from companion.fhir.record_said import ALL, WhatTheRecordSaid
from companion.privacy.name_line import left_off_the_name_line
from companion.privacy.rules import PrivacyRules
from companion.read.models import Changed
from companion.services.booking import NO_SHOW_ON_ITS_DAY, SEES_PATIENTS, before_its_day, parse_when, slot_minute
from companion.services.names import NAME_JOINERS
from companion.services.retention import kept_since
from companion.services.visits import status_words
from companion.storage.changes import changed
from companion.storage.models import (
    CLOSED_STATUSES,
    NOT_TAKING_PLACE,
    Clinician,
    Patient,
    PatientIdentifier,
    Visit,
    VisitMode,
    VisitStatus,
)
from companion.storage.sqlite_file import is_database_or_side_file
from companion.storage.store import Store
from companion.storage.waiting import take_what_waited
from companion.text import FIRST_DAY, LAST_DAY, MAX_SHORT, as_kept, clean_text

REQUIRED = ("external_id", "date", "time", "patient_name", "preferred_name", "language", "clinician", "reason")
# duration: read, not kept (no visit length); mrn and birth_date: who the patient is, kept only in their key.
OPTIONAL = ("pronouns", "interpreter", "video", "duration_minutes", "mrn", "birth_date", "status")
# The names other programs' exports give the same columns.
ALIASES = {
    "dob": "birth_date",
    "date_of_birth": "birth_date",
    "medical_record_number": "mrn",
    "mrn_number": "mrn",
    "appointment_status": "status",
    "appt_status": "status",
    "visit_status": "status",
    "booking_status": "status",
    "estado": "status",
    "estado_de_la_cita": "status",
}
# What a scheduling system's status says of the visit, read casefolded with any spaces, dashes or underscores: it
# takes place (booked, or under way: the app's own progress is the nurse's and the physician's), or it will not.
# English and Spanish, FHIR's Appointment.status codes among them, each alone or first ("Cancelled - patient
# request", "No show (late)"); anything else refuses the row (a word before it too: "not cancelled").
STATUS_WORDS: dict[str, VisitStatus] = {
    **dict.fromkeys(
        (
            "booked", "scheduled", "confirmed", "pending", "proposed", "reserved", "arrived",
            "checked in", "checked out", "fulfilled", "completed", "seen", "agendada", "agendado", "programada",
            "programado", "confirmada", "confirmado", "reservada", "pendiente", "llegó", "atendida", "atendido",
        ),
        VisitStatus.scheduled,
    ),
    **dict.fromkeys(
        (
            "cancelled", "canceled", "cancel", "cancellation", "entered in error", "cancelada", "cancelado",
            "anulada", "anulado", "late cancel", "late cancellation", "late cancelled", "late canceled",
            # who cancelled, named first (a word before the status that only says who)
            "patient cancelled", "patient canceled", "pt cancelled", "pt canceled", "clinic cancelled",
            "clinic canceled", "provider cancelled", "provider canceled", "paciente canceló",
        ),
        VisitStatus.cancelled,
    ),
    **dict.fromkeys(
        ("no show", "noshow", "missed", "dna", "did not attend", "no asistió", "no se presentó", "ausente"),
        VisitStatus.no_show,
    ),
}  # fmt: skip
# A place on a waiting list, not a booking (FHIR's `waitlist`, which the record's import makes no visit of either).
NOT_BOOKED = ("waitlist", "wait list", "waitlisted", "waiting list", "lista de espera")
NOT_BOOKED_YET = "the status says the patient is on a waiting list, not booked: no visit is made until a file books it"

MAX_BYTES = 20_000_000  # a schedule of months fits in a few megabytes
MAX_ROWS = 20_000
VISIT_KEY, PATIENT_KEY = "schedule|", "schedule-patient|"
# Spanish too: a clinic that speaks it exports "sí" and "no" (and "si", typed without its accent).
YES, NO = ("yes", "true", "1", "y", "sí", "si"), ("no", "false", "0", "n")
_CHUNK = 500  # ids per IN (...) query
MOVED_BEFORE_RETENTION = (
    "the row moves its visit to before what the clinic keeps (retention); not imported: the visit stays as it is "
    "(cancel it in the app if it did not take place)"
)


@dataclass(frozen=True)
class RefusedRow:
    line: int  # where the row starts, counting lines as an editor does
    external_id: str
    reason: str

    def text(self) -> str:
        shown = f" ({self.external_id[:40]!r})" if self.external_id else ""
        return f"line {self.line}{shown}: {self.reason}"


@dataclass(frozen=True)
class ScheduleReport:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    patients_added: int = 0
    refused: tuple[RefusedRow, ...] = ()
    too_old: int = 0  # rows dated before the clinic's retention: left out, as a purge would remove them
    ignored_columns: tuple[str, ...] = ()

    def summary(self) -> str:
        if not self.rows:
            return "the schedule has no rows; nothing to import"
        left_out = f", {self.too_old} left out (older than the clinic keeps visits)" if self.too_old else ""
        return (
            f"schedule: {_count(self.rows, 'row')}; visits: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.refused)} refused{left_out}; "
            f"{_count(self.patients_added, 'patient')} added"
        )

    def to_json(self) -> dict:
        return {
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": [{"line": r.line, "external_id": r.external_id, "reason": r.reason} for r in self.refused],
            "too_old": self.too_old,
            "patients_added": self.patients_added,
            "ignored_columns": list(self.ignored_columns),
        }


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class _Booking:
    """One row, checked: every value clean, the clinician found."""

    line: int
    external_id: str
    when: datetime
    recorded_name: str
    preferred_name: str
    pronouns: str
    language: str
    interpreter: bool | None  # None: the file does not say
    clinician_id: int | None
    reason: str
    video: bool | None
    mrn: str = ""
    birth_date: date | None = None
    name_shortened: bool = False  # the rules left words of the written name out of the one kept (_judged)
    status: VisitStatus | None = None  # None: the file has no status column, or the cell is empty
    reason_private: bool = False  # the rules' verdict on the reason (_judged)
    reason_category: str | None = None

    @property
    def key(self) -> str:
        return VISIT_KEY + self.external_id

    def said(self) -> dict[str, object]:
        """What the row says of its visit, as kept between imports (its digests)."""
        said = {"when": self.when, "clinician": self.clinician_id, "reason": self.reason, "video": self.video}
        return said if self.status is None else {**said, "status": self.status}

    def of_patient(self) -> dict[str, object]:
        """What the row says of its patient, as kept between imports (its digests): a blank cell says nothing."""
        values = {
            "preferred_name": self.preferred_name,
            "pronouns": self.pronouns,
            "preferred_language": self.language,
            "interpreter": self.interpreter,
        }
        return {column: value for column, value in values.items() if value not in ("", None)}


class _Refused(Exception):
    """A row that is not imported; nothing of it has been written."""


def import_schedule(store: Store, path: Path | str) -> Changed[ScheduleReport]:
    """Import a schedule file; one transaction. The file itself unusable: CompanionError, nothing written."""
    header, width, records, ignored = _table(_read_text(Path(path), store.sqlite_file))
    # While retention is set, a row older than it is left out, as a FHIR import leaves such a visit out: a schedule
    # exported with its history would otherwise bring back, every night, what the purge removed.
    kept = kept_since(store)
    bookings, refused, too_old = _check_rows(header, width, records, _clinicians(store), kept)
    people_named = _people_named(bookings)  # old rows too: a name the file gives two people stays ambiguous
    old = [booking for booking in bookings if kept is not None and booking.when < kept]
    bookings = [booking for booking in bookings if kept is None or booking.when >= kept]
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    # Judged before the write lock is taken: the rules are a third of the work, and other desks wait for the lock
    # (a schedule of 20,000 rows held it for over a minute, past the wait after which a save gives up).
    bookings = [_judged(store.content.privacy, booking) for booking in bookings]
    with store.writing() as session:
        moved_back = _kept_visits(session, [booking.key for booking in old], kept)
        for booking in old:
            if booking.key in moved_back:  # said plainly, not dropped: the app would go on showing it as booked
                refused.append(RefusedRow(booking.line, booking.external_id, MOVED_BEFORE_RETENTION))
            else:
                too_old += 1
        writer = _Writer(session, [b.key for b in bookings], people_named=people_named)
        for booking in bookings:
            try:
                counts[writer.apply(booking)] += 1
            except _Refused as exc:
                refused.append(RefusedRow(booking.line, booking.external_id, str(exc)))
        for booking, visit_id in writer.forget_second_bookings():
            counts["added"] -= 1
            refused.append(RefusedRow(booking.line, booking.external_id, _second_booking(visit_id)))
        writer.remember_new_visits()
        session.commit()
        report = ScheduleReport(
            rows=len(records),
            patients_added=writer.patients_added,
            refused=tuple(sorted(refused, key=lambda r: r.line)),
            too_old=too_old,
            ignored_columns=ignored,
            **counts,
        )
        return changed(session, report)


def _people_named(bookings: list[_Booking]) -> dict[str, int]:
    """How many people the file's rows name by each name, told apart by record number and birth date."""
    people: dict[str, set[tuple]] = {}
    for booking in bookings:
        if booking.mrn or booking.birth_date:
            people.setdefault(_name_key(booking.recorded_name), set()).add((booking.mrn.casefold(), booking.birth_date))
    return {name: len(who) for name, who in people.items()}


def _read_text(path: Path, database: Path | None) -> str:
    """The whole file as text, or one line saying why not (read at most MAX_BYTES; never a FIFO or device,
    never the database's own files: closing a descriptor of them would drop SQLite's locks)."""
    try:
        if database is not None and is_database_or_side_file(path, database):
            raise CompanionError(f"{path} is the database or one of its own files, not a schedule")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CompanionError(f"the schedule {path} is not a plain file")
        if info.st_size > MAX_BYTES:
            raise CompanionError(f"the schedule is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} (split it)")
        with path.open("rb") as source:
            data = source.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CompanionError(f"cannot read the schedule {path}: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_BYTES:
        raise CompanionError(f"the schedule is over {MAX_BYTES:,} bytes (split it)")
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # Excel's "Unicode Text": its mark says so
    start = data[:200]
    if not utf16 and start and start.count(0) * 4 >= len(start):  # every other byte nothing: a stray one is a row's
        raise CompanionError(
            "the schedule looks like UTF-16 text without its byte-order mark (or not text at all); save it as CSV UTF-8"
        )
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        encoding = "UTF-16" if utf16 else "UTF-8"
        raise CompanionError(f"the schedule is not {encoding} text (line {line}); save it as CSV UTF-8") from None
    if not text.strip():
        raise CompanionError("the schedule is empty; it starts with a header row naming its columns")
    return text


def _column(name: str) -> str:
    # Any spaces (a no-break one), and nothing of what shows nothing: "Appointment\u00a0Status" is a column read.
    column = "_".join(as_kept(name).casefold().replace("-", " ").split())
    return ALIASES.get(column, column)


def _delimiter(first_line: str) -> str:
    """Comma, or the semicolon or tab of a spreadsheet saved in another locale, whichever names more columns."""
    try:
        return max((",", ";", "\t"), key=lambda d: len(set(map(_column, next(csv.reader([first_line], delimiter=d))))))
    except csv.Error as exc:
        raise CompanionError(f"the schedule is not CSV: {exc} (line 1)") from None


def _lines(text: str) -> list[str]:
    """The file's lines as the csv module and an editor count them (LF, CRLF and an old Mac's CR), ends kept."""
    return io.StringIO(text, newline="").readlines()


def _records(lines: list[str], delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """(line where the record starts, line where it ends, fields), skipping blank lines and rows of empty fields."""
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CompanionError(f"the schedule is not CSV: {exc} (line {start})") from None
        if any(value.strip() for value in fields):
            yield start, reader.line_num, fields


def _breaks_csv(lines: list[str], delimiter: str) -> int | None:
    """The line (counted from 1) where CSV's own rules break (a quote closed before another character than a
    separator, or never), else None; the csv module, not strict, reads on."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        for _fields in reader:
            pass
    except csv.Error:
        return reader.line_num
    return None


def _reads_as_a_row(line: str, delimiter: str, named_width: int) -> bool:
    """Whether a line, read alone, holds every named column: a row swallowed into a cell, not a cell's second line
    (a few words typed after Alt+Enter)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), [])) >= named_width
    except csv.Error:
        return False


def _misshapen(fields: list[str], header: dict[str, int], width: int) -> bool:
    """Short of a named column, or a value past the header's columns (unnamed ones may be left out)."""
    return len(fields) < max(header.values()) + 1 or any(value.strip() for value in fields[width:])


def _refuse_a_quote_left_open(lines: list[str], start: int, end: int, delimiter: str, named_width: int) -> None:
    """A record over several lines is a cell typed over two lines (a spreadsheet's Alt+Enter: CSV written right,
    its row is refused for the line break), or a quote left open: the csv module then reads on to the end of the
    file, or to a later row's quote, and every row between becomes one cell. Told apart as CSV's own rules tell
    them: a quote that closes in the middle of a later cell (the one opening "Delgado, Francisco"), or never, is
    not CSV; one that closes cleanly (an inch mark: 5'10") has taken in lines that read as rows of their own.
    The file is refused whole, naming the line, rather than that row refused and the lines after it read again:
    where the cell was meant to end is a guess (a program that lost one quote may have lost others), a report
    with one row refused reads as an ordinary day's where the clinic's IT needs to look (exit 2, not 3), and the
    file, one quote fixed, imports again as if the first try had not been."""
    swallowed = lines[start - 1 : end]
    broken = _breaks_csv(swallowed, delimiter)
    if broken is None and not any(_reads_as_a_row(line, delimiter, named_width) for line in swallowed[1:]):
        return  # a cell over two lines: its row is refused for it (_check_rows)
    if broken is not None and _breaks_csv([*swallowed, '"'], delimiter) is None:  # a quote at the end closes it
        said = "is never closed"
    elif broken == 1:  # a quote of its own line broke the rules first: which one runs on is not told
        said = "is not closed on its line"
    else:
        said = f"is closed only on line {start - 1 + (broken or len(swallowed))}"
    raise CompanionError(
        f"line {start} opens a quote that {said}: lines {start} to {end} would be read as one cell; nothing was "
        "imported"
    )


def _table(text: str) -> tuple[dict[str, int], int, list[tuple[int, list[str]]], tuple[str, ...]]:
    """The header's named columns (name -> position), how many columns it has (a spreadsheet's spacer columns
    have no name), the data records and the columns the app does not use."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # a long field is refused as a row, not the file
    lines = _lines(text)
    delimiter = _delimiter(re.split(r"\r\n|\r|\n", text.lstrip("\r\n"), maxsplit=1)[0])
    records = _records(lines, delimiter)
    try:
        _start, _end, names = next(records)
    except StopIteration:
        raise CompanionError("the schedule is empty; it starts with a header row naming its columns") from None
    header: dict[str, int] = {}
    twice: tuple[str, int, int] | None = None
    for position, name in enumerate(map(_column, names)):
        if not name:
            continue  # an unnamed column: its values are ignored, by position
        if name in header:
            twice = twice or (name, header[name], position)
            continue
        header[name] = position
    # Whether the first row is a header at all comes first: a file without one has a patient's row there, whose
    # values must not be read back as column names.
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CompanionError(
            f"the schedule's header row lacks the columns {', '.join(missing)} "
            f"(it needs {', '.join(REQUIRED)}; is the first row a header, separated by commas?)"
        )
    if twice is not None:
        name, first, second = twice
        if name in REQUIRED + OPTIONAL:
            raise CompanionError(f"the column {name!r} appears twice in the header")
        raise CompanionError(f"columns {first + 1} and {second + 1} of the header have the same name")
    ignored = tuple(name[:40] for name in header if name not in REQUIRED + OPTIONAL)
    rows = []
    for start, end, fields in records:
        if end > start:
            _refuse_a_quote_left_open(lines, start, end, delimiter, max(header.values()) + 1)
        rows.append((start, fields))
        if len(rows) > MAX_ROWS:
            raise CompanionError(f"the schedule has more than {MAX_ROWS:,} rows; split it")
    return header, len(names), rows, ignored


def _clinicians(store: Store) -> dict[str, tuple[int, bool]]:
    """Clinician name (exact, then any case when only one has it) -> (id, sees patients). Spaces are any spaces: a
    scheduling system writes "Dr. Ada Park" with a no-break space as often as not (_spaced)."""
    with store.session() as session:
        rows = session.exec(select(Clinician.id, Clinician.name, Clinician.role)).all()
    found: dict[str, tuple[int, bool]] = {}
    folded: dict[str, list[tuple[int, bool]]] = {}
    for clinician_id, name, role in rows:
        found[_spaced(name)] = (clinician_id, role in SEES_PATIENTS)
        folded.setdefault(_spaced(name).casefold(), []).append((clinician_id, role in SEES_PATIENTS))
    for name, matches in folded.items():
        if len(matches) == 1:
            found.setdefault(name, matches[0])
    return found


def _spaced(name: str) -> str:
    """The words of a name with one plain space between each (a no-break or double space, a tab)."""
    return " ".join(name.split())


def _kept_visits(session: Session, keys: list[str], kept: datetime | None) -> set[str]:
    """Of these visit keys, those of visits here dated within what the clinic keeps."""
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found |= set(
            session.exec(select(Visit.source_key).where(Visit.source_key.in_(chunk), Visit.scheduled_at >= kept))
        )
    return found


def _older_than(values: dict[str, str], kept: datetime | None) -> bool:
    """Whether a row's date and time, if they read as one, are before what the clinic keeps."""
    try:
        return kept is not None and parse_when(f"{values['date'].strip()} {values['time'].strip()}") < kept
    except CompanionError:
        return False


def _check_rows(
    header, width, records, clinicians, kept: datetime | None
) -> tuple[list[_Booking], list[RefusedRow], int]:
    """The rows checked, those refused, and how many others were left out unchecked for their age: an old row of
    a history export naming a clinician who has left is not news every night."""
    bookings: list[_Booking] = []
    refused: list[RefusedRow] = []
    too_old = 0
    first_line: dict[str, int] = {}
    for line, fields in records:
        # As the visit's key keeps it (a zero-width space or a direction mark shows nothing): "S1" and "S1\u200b" are
        # one booking, and the second would have replaced the first.
        external_id = as_kept(fields[header["external_id"]]) if header["external_id"] < len(fields) else ""
        try:
            if _misshapen(fields, header, width):
                # Not even the external id is named: in a shifted row its column holds a name or a reason.
                external_id = ""
                raise CompanionError(f"the row has {len(fields)} fields where the header has {width}")
            if external_id and external_id in first_line:
                raise CompanionError(f"the external_id appears again (first on line {first_line[external_id]})")
            if external_id:
                first_line[external_id] = line
            values = {name: fields[i] for name, i in header.items()}
            try:
                bookings.append(_booking(line, values, clinicians))
            except CompanionError:
                if not _older_than(values, kept):
                    raise
                too_old += 1
        except CompanionError as exc:
            refused.append(RefusedRow(line, external_id, str(exc)))
    return bookings, refused, too_old


def _optional(value: str, what: str) -> str:
    return clean_text(value, what, MAX_SHORT) if value.strip() else ""


def _flag(values: dict[str, str], column: str) -> bool | None:
    # As typed text is kept: a right-to-left keyboard's direction mark or a spreadsheet's zero-width space around a
    # "sí" shows nothing, and the word is read.
    value = unicodedata.normalize("NFC", as_kept(values.get(column, "")).casefold())
    if not value:
        return None
    if value in YES or value in NO:
        return value in YES
    # Not echoed: a column shifted by a stray comma puts a reason or a note here, and the report is read by others.
    raise CompanionError(f"{column} is neither yes nor no; use yes or no")


def _status(values: dict[str, str], when: datetime) -> VisitStatus | None:
    cell = values.get("status", "")
    if not as_kept(cell):
        return None
    said = _plain(clean_text(cell, "the status", MAX_SHORT))  # a line break or a control character refuses the row
    words = said.split(" ")
    # The longest status the cell starts with, whole words: "cancelled by clinic", "no show patient".
    starts = [" ".join(words[:length]) for length in range(len(words), 0, -1)]
    if any(start in _NOT_BOOKED for start in starts):
        raise CompanionError(NOT_BOOKED_YET)
    status = next((_STATUS_READ[start] for start in starts if start in _STATUS_READ), None)
    if status is None:  # not echoed, as any value a shifted column may have put there
        raise CompanionError("the status is none this import reads; use booked, cancelled or no-show")
    if status is VisitStatus.no_show and before_its_day(when):  # as `visit no-show` refuses it
        raise CompanionError(NO_SHOW_ON_ITS_DAY)
    return status


def _booking(line: int, values: dict[str, str], clinicians: dict[str, tuple[int, bool]]) -> _Booking:
    """One row's values, checked as the command line checks them; CompanionError says what is wrong."""
    external_id = clean_text(values["external_id"], "the external_id", MAX_SHORT)
    when = parse_when(f"{values['date'].strip()} {values['time'].strip()}", echo=False)
    if not FIRST_DAY <= when.date() <= LAST_DAY:
        raise CompanionError(f"the date is outside {FIRST_DAY} to {LAST_DAY}")
    clinician_id = None
    if values["clinician"].strip():
        name = _spaced(values["clinician"])
        clinician_id, sees_patients = clinicians.get(name) or clinicians.get(name.casefold()) or (None, False)
        if clinician_id is None:
            # not echoed: a schedule with its columns shifted has a patient's name here, and the lines go to logs
            raise CompanionError("the clinician column names no clinician added here")
        if not sees_patients:
            raise CompanionError(f"clinician {clinician_id} is an administrator and sees no patients")
    return _Booking(
        line=line,
        external_id=external_id,
        when=when,
        recorded_name=clean_text(values["patient_name"], "the patient name", MAX_SHORT),
        preferred_name=_optional(values["preferred_name"], "the preferred name"),
        pronouns=_optional(values.get("pronouns", ""), "the pronouns"),
        language=_optional(values["language"], "the language"),
        interpreter=_flag(values, "interpreter"),
        clinician_id=clinician_id,
        reason=_optional(values["reason"], "the reason"),
        video=_flag(values, "video"),
        status=_status(values, when),
        mrn=_optional(values.get("mrn", ""), "the mrn"),
        birth_date=_birth_date(values.get("birth_date", "")),
    )


def _birth_date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        born = date.fromisoformat(value.strip())
    except ValueError:
        born = None
    if born is None or not FIRST_DAY <= born <= LAST_DAY:
        # Not echoed, as every value of a row that may be shifted.
        raise CompanionError("the birth_date is not a date as YYYY-MM-DD")
    return born


@dataclass
class _Writer:
    """Writes checked rows in the caller's transaction; each row's refusal comes before any of its writes."""

    session: Session
    keys: list[str]
    patients_added: int = 0
    visits: dict[str, Visit] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    added: list[tuple[Visit, _Booking]] = field(default_factory=list)
    people_named: dict[str, int] = field(default_factory=dict)  # name: how many people the file's rows name by it
    mrn_owner: dict[str, int] = field(default_factory=dict)  # a record number the schedule gave: its patient
    claims: dict[int, tuple[set[str], set[str]]] = field(default_factory=dict)  # patient: (mrns, birth dates)
    record_numbers: dict[str, set[int]] = field(default_factory=dict)  # a health record identifier's value: patients

    def __post_init__(self) -> None:
        for start in range(0, len(self.keys), _CHUNK):
            chunk = self.keys[start : start + _CHUNK]
            self.visits |= {
                v.source_key: v for v in self.session.exec(select(Visit).where(Visit.source_key.in_(chunk)))
            }
        for patient_id, name, source_key in self.session.exec(
            select(Patient.id, Patient.recorded_name, Patient.source_key)
        ):
            self.by_name.setdefault(_name_key(name), []).append(patient_id)
            if source_key:
                self.by_key[_as_matched(source_key)] = patient_id
        for key, patient_id in self.session.exec(select(PatientIdentifier.key, PatientIdentifier.patient_id)):
            if patient_id is None:
                continue
            numbers, births = self.claims.setdefault(patient_id, (set(), set()))
            if key.startswith(SCHEDULE_MRN):
                self.mrn_owner[key.removeprefix(SCHEDULE_MRN)] = patient_id
                numbers.add(key.removeprefix(SCHEDULE_MRN))
            elif key.startswith(SCHEDULE_BORN):
                births.add(key.rpartition("|")[2])
            elif key.startswith(RECORD_IDENTIFIER):  # "Patient?identifier=system|value": the value may be an mrn
                self.record_numbers.setdefault(key.rpartition("|")[2].casefold(), set()).add(patient_id)
        self.said = WhatTheRecordSaid(self.session)
        self.said.expect(self.keys)

    def apply(self, booking: _Booking) -> str:
        """ "added", "updated" or "unchanged"; _Refused before anything is written. `booking`: as _judged left it,
        found, keyed and written by what may show (nothing private stored)."""
        visit = self.visits.get(booking.key)
        if visit is None:
            self._add(booking)
            return "added"
        patient = self.session.get(Patient, visit.patient_id)
        if not self._same_patient(patient, booking):
            raise _Refused(f"visit {visit.id} was booked for another patient; a new visit needs a new external_id")
        # Only what the file says otherwise than last time: a visit moved or assigned in the app stays so.
        news = self.said.changed(booking.key, booking.said())
        new = (lambda name: True) if news is ALL else news.__contains__
        changes: dict[str, object] = {}
        if new("when") and visit.scheduled_at != booking.when:
            changes["scheduled_at"] = booking.when
        if new("clinician") and booking.clinician_id is not None and visit.clinician_id != booking.clinician_id:
            changes["clinician_id"] = booking.clinician_id  # no clinician named: a nurse's assignment stays
        if new("reason") and visit.reason != booking.reason:
            changes |= self._reason(booking)
        if new("video") and booking.video is not None and (visit.mode is VisitMode.video) != booking.video:
            changes["mode"] = VisitMode.video if booking.video else VisitMode.in_person
        if new("status") and booking.status not in (None, _as_a_schedule_says(visit.status)):
            changes["status"] = booking.status
        # A visit under way (roomed, prepared, being seen) is not cancelled from afar: the desk knows better.
        under_way = "status" in changes and visit.status is not VisitStatus.scheduled
        if changes and (visit.status in CLOSED_STATUSES or under_way):
            # Said once: kept as what the file said, the same file tomorrow is not refused again every night.
            self.said.remember(booking.key, booking.said(), visit.id, adding=True)
            status = status_words(visit.status)
            raise _Refused(f"visit {visit.id} is {status}; the row's changes were not applied")
        for column, value in changes.items():
            setattr(visit, column, value)
        # Beside what the file said before: an empty status cell says nothing (a visit reopened here after a file
        # cancelled it is not cancelled again by the next file that says cancelled once more).
        self.said.remember(booking.key, booking.said(), visit.id, adding=True)
        filled = self._fill(patient, booking)
        return "updated" if changes or filled else "unchanged"

    def _same_patient(self, patient: Patient, booking: _Booking) -> bool:
        """Whether a row of a visit already booked is still of the visit's patient: their record number, else
        their name (or the name the schedule added them under), and nothing the schedule knows otherwise."""
        if self._contradicts(patient.id, booking):
            return False
        if self._confirms(patient.id, booking):
            return True
        return _as_matched(patient.source_key) == _patient_key(booking) or (
            _name_key(patient.recorded_name) == _name_key(booking.recorded_name)
        )

    def forget_second_bookings(self) -> list[tuple[_Booking, int]]:
        """The visits this file added that book a patient again at the time they already have a visit with the same
        clinician (a row repeated under a new external_id, or a visit booked here by hand that the desk's file books
        too): taken back before the commit, each with the visit it repeats. A cancelled or missed visit repeats
        nothing, and the first of a file's own repeated rows stays."""
        taking_place = [(visit, booking) for visit, booking in self.added if visit.status not in NOT_TAKING_PLACE]
        if not taking_place:
            return []
        self.session.flush()  # ids, and the file's own visits among those read back
        patients = sorted({visit.patient_id for visit, _booking in taking_place})
        slot_of: dict[int, tuple] = {}  # visit: (patient, minute, clinician), as the database holds them
        for start in range(0, len(patients), _CHUNK):
            query = select(Visit.id, Visit.patient_id, Visit.scheduled_at, Visit.clinician_id).where(
                Visit.patient_id.in_(patients[start : start + _CHUNK]), Visit.status.not_in(NOT_TAKING_PLACE)
            )
            slot_of |= {
                visit_id: (patient_id, slot_minute(scheduled_at), clinician_id)
                for visit_id, patient_id, scheduled_at, clinician_id in self.session.exec(query)
            }
        first: dict[tuple, int] = {}  # the lowest id of each slot: the visit booked first
        for visit_id, slot in slot_of.items():
            first[slot] = min(visit_id, first.get(slot, visit_id))
        repeated = [(visit, booking) for visit, booking in taking_place if first[slot_of[visit.id]] != visit.id]
        for visit, booking in repeated:
            self.session.delete(visit)
            del self.visits[booking.key]
        gone = {id(visit) for visit, _booking in repeated}
        self.added = [(visit, booking) for visit, booking in self.added if id(visit) not in gone]
        return [(booking, first[slot_of[visit.id]]) for visit, booking in repeated]

    def remember_new_visits(self) -> None:
        """What the file said of each visit it added, kept once they have ids (one flush for the file)."""
        if self.added:
            self.session.flush()
        for visit, booking in self.added:
            self.said.remember(booking.key, booking.said(), visit.id)
        take_what_waited(self.session, [(visit, ()) for visit, _booking in self.added])  # the portal's words for them

    @staticmethod
    def _reason(booking: _Booking) -> dict[str, object]:
        return {
            "reason": booking.reason,
            "reason_private": booking.reason_private,
            "reason_category": booking.reason_category,
        }

    def _patient_for(self, booking: _Booking) -> int:
        """The patient the row's record number names, else the one patient the row can mean, else a new one.
        Two or more it could mean: refused, never a guess (one's notes on the other's glance)."""
        key = _patient_key(booking)
        owner = self.mrn_owner.get(booking.mrn.casefold()) if booking.mrn else None
        if owner is None and booking.mrn and len(self.record_numbers.get(booking.mrn.casefold(), ())) == 1:
            owner = next(iter(self.record_numbers[booking.mrn.casefold()]))  # their health record's own number
        if owner is not None:
            if self._contradicts(owner, replace(booking, mrn="")):
                raise _Refused("the mrn names a patient with another birth_date; book this visit by hand")
            if not self._may_be_named(owner, booking):
                raise _Refused("the mrn names a patient of another name; book this visit by hand")
            patient_id = owner
        else:
            could_be = set(self.by_name.get(_name_key(booking.recorded_name), []))
            if key in self.by_key:  # added by an earlier schedule under this name, renamed in the app since
                could_be.add(self.by_key[key])
            could_be = {p for p in could_be if not self._contradicts(p, booking)}
            confirmed = {p for p in could_be if self._confirms(p, booking)}
            namesakes = self.people_named.get(_name_key(booking.recorded_name), 0) > 1
            if len(confirmed) == 1:
                could_be = confirmed
            elif booking.name_shortened and could_be:
                # The name kept is part of the name written ("Mary" of "Mary Huntington") or none of it: a patient kept
                # under it may be anyone of that first name, and two people would become one record. A row with a
                # record number or birth date no one here has is someone new; one without is refused.
                if not (booking.mrn or booking.birth_date):
                    raise _Refused(
                        "the patient's name holds words kept off screens, so it is not matched by name; "
                        "give an mrn or birth_date, or book this visit by hand"
                    )
                could_be = set()
            elif namesakes and (could_be or not (booking.mrn or booking.birth_date)):
                # A row that says only the name, of a file naming two people by it, is neither of them for sure:
                # refused whatever the rows' order (made first, it took the name the others then could not).
                raise _Refused("the file names several patients with this name; book this visit by hand")
            if len(could_be) > 1:
                raise _Refused(f"{len(could_be)} patients have this recorded name; book this visit by hand")
            if not could_be:
                patient_id = self._new_patient(booking, key)
                self._claim(patient_id, booking)
                self.said.remember(_said_of(patient_id), booking.of_patient(), adding=True)
                return patient_id
            patient_id = could_be.pop()
        self._claim(patient_id, booking)
        self._fill(self.session.get(Patient, patient_id), booking)
        return patient_id

    def _fill(self, patient: Patient, booking: _Booking) -> bool:
        """A known patient: the schedule fills only what is still empty and may say an interpreter is needed; it
        never changes what was recorded in the app. Only what the schedule says anew: pronouns a nurse cleared,
        or an interpreter she found was not needed, stay as she left them when tomorrow's file says the same."""
        said = booking.of_patient()
        if not said:
            return False  # a row that says nothing of the patient (another of their visits, its cells blank)
        news = self.said.changed(_said_of(patient.id), said)
        filled = False
        for column in ("preferred_name", "pronouns", "preferred_language"):
            if said.get(column) and not getattr(patient, column) and (news is ALL or column in news):
                setattr(patient, column, said[column])
                filled = True
        if booking.interpreter and not patient.interpreter_needed and (news is ALL or "interpreter" in news):
            patient.interpreter_needed = True
            filled = True
        self.said.remember(_said_of(patient.id), said, adding=True)
        return filled

    def _may_be_named(self, patient_id: int, booking: _Booking) -> bool:
        """Whether the row's name may be this patient's: one word in common with the name the app keeps, or the
        name an earlier schedule added them under. A record number mistyped into another patient's (a digit off)
        would file the visit, and the nurse's notes, under someone else; a middle name left out, or a married
        name, still shares a word."""
        if self.by_key.get(_patient_key(booking)) == patient_id:
            return True
        patient = self.session.get(Patient, patient_id)
        kept = _name_words(patient.recorded_name) | _name_words(patient.preferred_name or "")
        return bool(_name_words(booking.recorded_name) & kept)

    def _contradicts(self, patient_id: int, booking: _Booking) -> bool:
        """The schedule knows this patient by another record number or birth date than the row's."""
        numbers, births = self.claims.get(patient_id, (set(), set()))
        return bool(
            (booking.mrn and numbers and booking.mrn.casefold() not in numbers)
            or (booking.birth_date and births and booking.birth_date.isoformat() not in births)
        )

    def _confirms(self, patient_id: int, booking: _Booking) -> bool:
        numbers, births = self.claims.get(patient_id, (set(), set()))
        return bool(
            (booking.mrn and booking.mrn.casefold() in numbers)
            or (booking.birth_date and booking.birth_date.isoformat() in births)
        )

    def _claim(self, patient_id: int, booking: _Booking) -> None:
        """Keep who the row says the patient is, for the next rows and files."""
        numbers, births = self.claims.setdefault(patient_id, (set(), set()))
        if booking.mrn and booking.mrn.casefold() not in self.mrn_owner:
            number = booking.mrn.casefold()
            self.session.add(PatientIdentifier(key=SCHEDULE_MRN + number, patient_id=patient_id))
            self.mrn_owner[number] = patient_id
            numbers.add(number)
        if booking.birth_date and booking.birth_date.isoformat() not in births:
            born = booking.birth_date.isoformat()
            self.session.add(PatientIdentifier(key=f"{SCHEDULE_BORN}{patient_id}|{born}", patient_id=patient_id))
            births.add(born)

    def _new_patient(self, booking: _Booking, key: str) -> int:
        """Keyed by their name, unless a namesake the schedule added has that key (the claims tell them apart)."""
        taken = key in self.by_key
        row = Patient(
            source_key=None if taken else key,
            recorded_name=booking.recorded_name,
            preferred_name=booking.preferred_name,
            pronouns=booking.pronouns,
            preferred_language=booking.language,
            interpreter_needed=bool(booking.interpreter),
        )
        self.session.add(row)
        self.session.flush()
        if not taken:
            self.by_key[key] = row.id
        self.by_name.setdefault(_name_key(booking.recorded_name), []).append(row.id)
        self.patients_added += 1
        return row.id

    def _add(self, booking: _Booking) -> None:
        row = Visit(
            source_key=booking.key,
            patient_id=self._patient_for(booking),
            clinician_id=booking.clinician_id,
            scheduled_at=booking.when,
            mode=VisitMode.video if booking.video else VisitMode.in_person,
            status=booking.status or VisitStatus.scheduled,
            **self._reason(booking),
        )
        self.session.add(row)
        self.visits[booking.key] = row
        self.added.append((row, booking))


def _second_booking(visit_id: int) -> str:
    return (
        f"the patient already has visit {visit_id} at that time with that clinician; it was not booked twice "
        "(a repeated row, or a visit also booked by hand)"
    )


def _as_a_schedule_says(status: VisitStatus) -> VisitStatus:
    """The app's own status as a schedule's would say it: the visit takes place (or took place), or it will not."""
    return status if status in NOT_TAKING_PLACE else VisitStatus.scheduled


def _judged(privacy: PrivacyRules, booking: _Booking) -> _Booking:
    """The row as it may be kept. Pronouns, language and a preferred name of more than one word are shown with the
    name on every screen: words the rules keep private are left out (the row's visit is booked all the same). The
    reason is kept whole, with the rules' verdict on it."""
    left_off = left_off_the_name_line(
        booking.preferred_name,
        booking.pronouns,
        booking.language,
        lambda words: privacy.judge(words, as_name=True).private,  # letters beside a name tell nothing
    )
    public_name = privacy.public_name(booking.recorded_name)
    reason = privacy.judge(booking.reason)
    return replace(
        booking,
        recorded_name=public_name,
        name_shortened=public_name != booking.recorded_name,
        preferred_name="" if "preferred_name" in left_off else booking.preferred_name,
        pronouns="" if "pronouns" in left_off else booking.pronouns,
        language="" if "preferred_language" in left_off else booking.language,
        reason_private=reason.private,
        reason_category=reason.category,
    )


SCHEDULE_MRN, SCHEDULE_BORN = "schedule-mrn|", "schedule-born|"  # claims, in PatientIdentifier
RECORD_IDENTIFIER = "Patient?identifier="  # a health record's identifier of the patient (companion.fhir)


def _patient_key(booking: _Booking) -> str:
    """The patient's own key when the schedule adds them: the name as matched (who they are is kept as claims)."""
    return PATIENT_KEY + _name_key(booking.recorded_name)


def _as_matched(source_key: str | None) -> str | None:
    """A patient's key as rows are matched to it: one an earlier version gave (the name only casefolded) too."""
    if source_key and source_key.startswith(PATIENT_KEY):
        return PATIENT_KEY + _name_key(source_key.removeprefix(PATIENT_KEY))
    return source_key


# What a keyboard, a word processor or another system types for the apostrophe, quote and hyphen of a name.
_TYPOGRAPHIC = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4`", "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"')
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
)


def _name_key(name: str) -> str:
    """A name as rows and patients are matched by it, never as it is kept: the same letters however encoded
    (some systems write "ë" as e and a combining diaeresis; NFKC also reads a full-width letter as its letter),
    one kind of apostrophe, quote and hyphen, one space between words, any case. Not
    companion.privacy.phrases.normalize, made to match a lexicon's phrases: it drops accents (Renée would be
    Renee, who may be someone else), reads look-alike letters of other scripts as Latin and writes shorthand out
    ("Abt" is "about"): more names the same than the same person."""
    # Before and after NFKC: it turns an acute accent (´) into a space and a combining mark, and a double prime
    # (″) into two primes, which then read as apostrophes.
    plain = unicodedata.normalize("NFKC", name.translate(_TYPOGRAPHIC)).translate(_TYPOGRAPHIC)
    words = (word.strip(NAME_JOINERS) for word in unicodedata.normalize("NFKC", plain.casefold()).split())
    return " ".join(word for word in words if word)  # a joiner at a word's edge joins nothing (names._draws_nothing)


def _name_words(name: str) -> set[str]:
    """The words of a name without their accents: a schedule's system may write José as Jose."""
    return set(_without_accents(name).replace(",", " ").replace("-", " ").split())


def _without_accents(text: str) -> str:
    """As names are matched (_name_key), and without accents."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", _name_key(text)) if not unicodedata.combining(ch))


def _plain(words: str) -> str:
    """Read as names are (_without_accents), stops and dashes aside, one space between words: "No-Show", "no_show",
    "No–show.", "No  se presentó", a full-width "ＣＡＮＣＥＬＬＥＤ"."""
    return " ".join("".join(c if c.isalnum() else " " for c in _without_accents(words)).split())


_STATUS_READ = {_plain(words): status for words, status in STATUS_WORDS.items()}
_NOT_BOOKED = frozenset(_plain(words) for words in NOT_BOOKED)


def _said_of(patient_id: int) -> str:
    """The key of what schedules said of a patient (RecordSaid, as a health record's import keeps its own)."""
    return f"schedule-patient-said|{patient_id}"
