"""Signing in with a name and a PIN. PINs are stored only as argon2id hashes; wrong PINs cost time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed, ClinicianView
from companion.services.clinicians import clinician_view, new_clinician
from companion.services.lookup import get_or_fail
from companion.services.names import shown_name
from companion.services.pins import check_new_pin, check_pin
from companion.storage import audit
from companion.storage.changes import changed
from companion.storage.models import Clinician, Patient, Role, stored_utc, utcnow
from companion.storage.store import Store

FREE_TRIES = 5  # wrong PINs in a row before the delay starts
FIRST_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 300

# argon2id with one of the five settings OWASP's Password Storage Cheat Sheet gives as equal in defence (46 MiB and
# 1 pass, 19 MiB and 2, 12 MiB and 3, 9 MiB and 4, 7 MiB and 5; 1 lane): 9 MiB and 4 passes, the same time as
# 19 MiB and 2 here, with 10 MB less at the window's peak (the PIN is checked while it is typed; DESIGN.md: peak
# memory at most 1.2x a bare window). The library's default (RFC 9106 low-memory: 64 MiB, 4 lanes) alone broke
# that budget. A 4-12 digit PIN is protected by the growing delay after wrong PINs, not by the hash's cost; older
# hashes are rehashed with this setting at the next sign-in (check_needs_rehash below).
_hasher = PasswordHasher(time_cost=4, memory_cost=9 * 1024, parallelism=1)


class SignInRefused(CompanionError):
    """A wrong PIN or a sign-in too soon after several wrong ones; `wait_seconds` says how long to wait."""

    def __init__(self, message: str, wait_seconds: int = 0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def set_pin(store: Store, clinician_id: int, pin: str, *, published: bool = False) -> Changed[ClinicianView]:
    """Set or reset a PIN (admins reset others'); also clears any wrong-PIN delay. `published`: the demo's PIN,
    which everyone knows, for its invented people only (companion.demo); any other PIN must not be a guessable one."""
    digest = _hasher.hash(check_pin(pin) if published else check_new_pin(pin))
    with store.writing() as session:
        row = get_or_fail(session, Clinician, clinician_id, "clinician")
        row.pin_hash, row.failed_pins, row.locked_until = digest, 0, None
        session.add(row)
        session.commit()
        return changed(session, clinician_view(row))


@dataclass(frozen=True)
class PinCheck:
    """A PIN checked against a clinician's stored hash before its Enter (check_ahead)."""

    clinician_id: int
    pin: str
    pin_hash: str
    right: bool

    def answers(self, clinician_id: int, pin: str, pin_hash: str) -> bool:
        """Whether it is the answer for this try: the same clinician, PIN and hash (not reset since)."""
        return (self.clinician_id, self.pin, self.pin_hash) == (clinician_id, pin, pin_hash)


def check_ahead(store: Store, clinician_id: int, pin: str) -> PinCheck | None:
    """Check a PIN while it is typed, off the window's thread (the hash lets go of the interpreter), so that its
    Enter finds the answer ready: the hash is 20 to 30 of the 100 ms from the Enter to the glance (DESIGN.md).
    Nothing is counted, written or shown: only sign_in, given the answer, decides, counting a wrong PIN and any
    wait as it always does. None for what cannot be a PIN, or a clinician without one."""
    try:
        check_pin(pin)
    except CompanionError:
        return None
    with store.session() as session:
        pin_hash = session.exec(select(Clinician.pin_hash).where(Clinician.id == clinician_id)).first()
    return PinCheck(clinician_id, pin, pin_hash, _right_pin(pin_hash, pin)) if pin_hash else None


def signs_in_at_once(store: Store, checked: PinCheck, now: datetime | None = None) -> ClinicianView | None:
    """Whom the Enter of this PIN, checked ahead and right, will sign in without writing anything (the usual
    sign-in: no wrong PIN before it, no wait running, the hash current, not the demo's PIN in a clinic): the window
    may be readied for them before the Enter (ui.window.start_up). None when the Enter has more to do than that, or
    would refuse. Reads only; sign_in still decides at the Enter."""
    if not checked.right:
        return None
    with store.session() as session:
        row = session.get(Clinician, checked.clinician_id)
        if (
            not _usual(row)
            or not checked.answers(row.id, checked.pin, row.pin_hash)
            or _must_wait(row, now or utcnow())
        ):
            return None
        try:
            _refuse_the_published_pin_in_a_clinic(session, row, checked.pin)
        except CompanionError:
            return None
        return clinician_view(row)


def _usual(row: Clinician | None) -> bool:
    """The usual sign-in, which writes nothing when the PIN is right: a PIN set, no wrong one before it, and the
    hash made with today's setting (an older one is rehashed, a write)."""
    return (
        row is not None and bool(row.pin_hash) and not row.failed_pins and not _hasher.check_needs_rehash(row.pin_hash)
    )


def _must_wait(row: Clinician, now: datetime) -> bool:
    locked_until = stored_utc(row.locked_until)
    return locked_until is not None and now < locked_until


def sign_in(
    store: Store,
    clinician_id: int,
    pin: str,
    now: datetime | None = None,
    checked: PinCheck | None = None,
    *,
    counted: bool = True,
) -> ClinicianView:
    """The clinician if the PIN is right. After five wrong PINs in a row each try must wait, longer each
    time (5 s, 10 s, 20 s ... up to 5 minutes), which makes guessing a 4-digit PIN impractical. A try made while
    it must wait is not checked, but it counts: hammering makes the next wait longer. `checked`: the answer of
    check_ahead, taken only if it is for this very try (else the PIN is checked here). `counted=False`: the wrong
    tries are counted where they were typed instead (a screen a patient holds, ui.window.sign_in): a patient
    must not be able to lock a clinician out of every workstation; a wait already running still applies. Each
    wrong PIN is in the audit log either way."""
    now = now or utcnow()
    # The usual sign-in (the right PIN, no wrong one before it, no wait running, the hash current) writes nothing:
    # read, without the write lock, so another desk's long save never holds a clinician at the lock.
    with store.session() as session:
        row = session.get(Clinician, clinician_id)
        if _usual(row):
            ahead = checked is not None and checked.answers(clinician_id, pin, row.pin_hash)
            right = checked.right if ahead else _right_pin(row.pin_hash, pin)
            if right and not _must_wait(row, now):
                _refuse_the_published_pin_in_a_clinic(session, row, pin)
                return clinician_view(row)
            checked = PinCheck(clinician_id, pin, row.pin_hash, right)  # counted below, not hashed again
    with store.writing() as session:
        # The row stays locked until this check is counted: parallel wrong PINs (eight workstations, a script)
        # each wait their turn and each moves the counter, so the growing delay cannot be raced. SQLite's BEGIN
        # IMMEDIATE already serialises; PostgreSQL needs the row lock.
        row = session.exec(select(Clinician).where(Clinician.id == clinician_id).with_for_update()).first()
        if row is None:
            raise CompanionError(f"no clinician with id {clinician_id}")
        if not row.pin_hash:
            raise SignInRefused("no PIN is set for this clinician yet; an admin sets it")
        locked_until = stored_utc(row.locked_until)
        longest = now + timedelta(seconds=MAX_DELAY_SECONDS)
        ran_ahead = locked_until is not None and locked_until > longest
        if ran_ahead:
            # Set by a workstation whose clock ran ahead (a day, a year): from this clock, the longest wait at most,
            # so nobody is kept out of every desk for that long. (A desk whose clock is wrong skips or shortens waits
            # at that desk anyway: clocks are the workstations' administrators' to keep right.)
            row.locked_until = locked_until = longest
        if locked_until is not None and now < locked_until:
            with audit.acting(AT_THE_SIGN_IN):
                if counted:
                    row.failed_pins += 1
                session.add(_refused(row, "tried while it must wait", counted))
                session.add(row)
                session.commit()
            wait = int((locked_until - now).total_seconds()) + 1
            raise SignInRefused(f"too many wrong PINs; try again in {wait} s", wait)
        ahead = checked is not None and checked.answers(clinician_id, pin, row.pin_hash)
        if not (checked.right if ahead else _right_pin(row.pin_hash, pin)):
            if not counted:  # recorded all the same: an auditor sees every PIN tried, wherever it was typed
                with audit.acting(AT_THE_SIGN_IN):
                    session.add(_refused(row, "wrong PIN", counted))
                    session.commit()
                raise SignInRefused("wrong PIN", 0)
            row.failed_pins += 1
            wait = wait_after_wrong_pins(row.failed_pins)
            row.locked_until = now + timedelta(seconds=wait) if wait else None
            session.add(row)
            with audit.acting(AT_THE_SIGN_IN):
                session.add(_refused(row, "wrong PIN"))
                session.commit()
            message = "wrong PIN" + (f"; try again in {wait} s" if wait else "")
            raise SignInRefused(message, wait)
        _refuse_the_published_pin_in_a_clinic(session, row, pin)
        if _hasher.check_needs_rehash(row.pin_hash):
            row.pin_hash = _hasher.hash(pin)
        with audit.acting(audit.Actor(row.name, row.id)):
            if row.failed_pins:  # the guesses ended in a sign-in: by whom is the question an auditor asks next
                session.add(
                    audit.entry("sign-in", None, None, f"clinician {row.id} after {row.failed_pins} wrong PINs")
                )
            row.failed_pins, row.locked_until = 0, None
            session.add(row)
            session.commit()
        return clinician_view(row)


PUBLISHED_PIN_CLOSED = (
    "the demo's PIN is published, and a clinic's own clinicians sign in to this database, so it no longer opens "
    "it; an admin gives this person a PIN of their own (companion clinician reset-pin)"
)


def _refuse_the_published_pin_in_a_clinic(session, row: Clinician, pin: str) -> None:
    """The demo's people sign in with a PIN the README prints. Once the database is a clinic's (someone else who
    sees patients has a PIN of their own: the demo made in the default place, then used for real), that PIN would
    open the clinic's day to anyone who read it. Only the demo's people are held back: a clinic's own clinician
    whose PIN was 1234 before such PINs were refused still signs in with it. Refused as a problem, not as a wrong
    PIN: a screen that counts wrong PINs must not count it."""
    from companion.demo import CLINICIANS, DEMO_PIN  # the demo's invented people (it imports this module)

    demo_people = [name for name, _ in CLINICIANS]
    if pin != DEMO_PIN or row.name not in demo_people:
        return
    someone_else = select(Clinician.id).where(
        Clinician.pin_hash != "", Clinician.role != Role.admin, Clinician.name.not_in(demo_people)
    )
    if session.exec(someone_else).first() is not None:
        raise CompanionError(PUBLISHED_PIN_CLOSED)


# Who tries a PIN is not known until it is right: the log names the clinician tried, never the PIN typed.
AT_THE_SIGN_IN = audit.Actor("someone at the sign-in")
SETTING_UP = audit.Actor("whoever set up this database at the sign-in")  # its first admin, before anyone signs in


def _refused(row: Clinician, why: str, counted: bool = True):
    """A refused sign-in as the audit log keeps it: the clinician tried, never the PIN typed. One typed on a screen a
    patient held is not counted against the clinician (sign_in's `counted`): it says so instead of a count."""
    tally = f"{row.failed_pins} in a row" if counted else "typed on a screen a patient held, not counted"
    return audit.entry("sign-in refused", None, None, f"clinician {row.id}: {why}, {tally}")


# How IT adds the admin of a database already in use (the sign-in and the refusal say it).
ADD_ADMIN = "companion clinician add --name NAME --role admin --db DATABASE"


def needs_first_admin(store: Store) -> bool:
    """A new database, with nobody and nothing in it yet: whoever sets it up creates the first admin at the sign-in.
    A database that already holds clinicians or patients (the demo, an import, one set up from the command line)
    gets its admin from the command line only (ADD_ADMIN, by whoever can reach the database): offered at the
    sign-in, anyone at the keyboard could make themselves admin there and reset a clinician's PIN to sign in as
    them."""
    with store.session() as session:
        return _empty(session)


def _empty(session) -> bool:
    return session.exec(select(Clinician.id)).first() is None and session.exec(select(Patient.id)).first() is None


def create_first_admin(store: Store, name: str, pin: str) -> Changed[ClinicianView]:
    """Checked again in the saving transaction: the form may have been opened before another workstation added
    someone, or created the first admin at the same moment. Nobody is signed in yet: the audit log names the
    set-up (it named nobody)."""
    with audit.acting(SETTING_UP):
        return add_clinician_with_pin(store, name, "admin", pin, only_if_empty=True)


def add_clinician_with_pin(
    store: Store, name: str, role: str, pin: str, *, only_if_empty: bool = False
) -> Changed[ClinicianView]:
    """A new clinician who can sign in at once: both in one commit (never a clinician without their PIN)."""
    digest = _hasher.hash(check_new_pin(pin))
    name = shown_name(store, name, "the clinician's name")
    with store.writing() as session:
        if only_if_empty and not _empty(session):
            raise CompanionError(f"this database is already in use; its admin is added with `{ADD_ADMIN}`")
        row = new_clinician(session, name, role)
        row.pin_hash = digest
        session.add(row)
        session.commit()
        return changed(session, clinician_view(row))


def _right_pin(pin_hash: str, pin: str) -> bool:
    try:
        _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
    return True


def wait_after_wrong_pins(failed: int) -> int:
    """Seconds to wait after this many wrong PINs in a row."""
    if failed < FREE_TRIES:
        return 0
    return min(FIRST_DELAY_SECONDS * 2 ** (failed - FREE_TRIES), MAX_DELAY_SECONDS)
