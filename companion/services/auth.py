"""Signing in with a name and a PIN. PINs are stored only as argon2id hashes; wrong PINs cost time."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed, ClinicianView
from companion.services.clinicians import clinician_view, new_clinician
from companion.services.lookup import get_or_fail
from companion.storage.changes import changed
from companion.storage.models import Clinician, Role, stored_utc, utcnow
from companion.storage.store import Store

MIN_PIN, MAX_PIN = 4, 12
FREE_TRIES = 5  # wrong PINs in a row before the delay starts
FIRST_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 300

# argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane; Password Storage Cheat Sheet).
# The library's default (RFC 9106 low-memory: 64 MiB, 4 lanes) took 64 MB and about 0.15 s on the window's
# thread at every sign-in, which alone broke the memory budget (DESIGN.md: peak at most 1.3x a bare window).
# A 4-12 digit PIN is protected by the growing delay after wrong PINs, not by the hash's cost; older hashes
# are rehashed with this setting at the next sign-in (check_needs_rehash below).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class SignInRefused(CompanionError):
    """A wrong PIN or a sign-in too soon after several wrong ones; `wait_seconds` says how long to wait."""

    def __init__(self, message: str, wait_seconds: int = 0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def check_pin(pin: str) -> str:
    if not (pin.isdigit() and pin.isascii() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise CompanionError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits")
    return pin


def set_pin(store: Store, clinician_id: int, pin: str) -> Changed[ClinicianView]:
    """Set or reset a PIN (admins reset others'); also clears any wrong-PIN delay."""
    digest = _hasher.hash(check_pin(pin))
    with store.writing() as session:
        row = get_or_fail(session, Clinician, clinician_id, "clinician")
        row.pin_hash, row.failed_pins, row.locked_until = digest, 0, None
        session.add(row)
        session.commit()
        return changed(session, clinician_view(row))


def sign_in(store: Store, clinician_id: int, pin: str, now: datetime | None = None) -> ClinicianView:
    """The clinician if the PIN is right. After five wrong PINs in a row each try must wait, longer each
    time (5 s, 10 s, 20 s ... up to 5 minutes), which makes guessing a 4-digit PIN impractical. A try made while
    it must wait is not checked, but it counts: hammering makes the next wait longer."""
    now = now or utcnow()
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
        if locked_until is not None and now < locked_until:
            row.failed_pins += 1
            session.add(row)
            session.commit()
            wait = int((locked_until - now).total_seconds()) + 1
            raise SignInRefused(f"too many wrong PINs; try again in {wait} s", wait)
        try:
            _hasher.verify(row.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            row.failed_pins += 1
            wait = _delay(row.failed_pins)
            row.locked_until = now + timedelta(seconds=wait) if wait else None
            session.add(row)
            session.commit()
            message = "wrong PIN" + (f"; try again in {wait} s" if wait else "")
            raise SignInRefused(message, wait) from None
        if _hasher.check_needs_rehash(row.pin_hash):
            row.pin_hash = _hasher.hash(pin)
        row.failed_pins, row.locked_until = 0, None
        session.add(row)
        session.commit()
        return clinician_view(row)


def needs_first_admin(store: Store) -> bool:
    """A new database has no admin yet: the first run creates one."""
    with store.session() as session:
        return session.exec(select(Clinician.id).where(Clinician.role == Role.admin)).first() is None


def create_first_admin(store: Store, name: str, pin: str) -> Changed[ClinicianView]:
    if not needs_first_admin(store):
        raise CompanionError("this database already has an admin; ask them to add you")
    return add_clinician_with_pin(store, name, "admin", pin)


def add_clinician_with_pin(store: Store, name: str, role: str, pin: str) -> Changed[ClinicianView]:
    """A new clinician who can sign in at once: both in one commit (never a clinician without their PIN)."""
    digest = _hasher.hash(check_pin(pin))
    with store.writing() as session:
        row = new_clinician(session, name, role)
        row.pin_hash = digest
        session.add(row)
        session.commit()
        return changed(session, clinician_view(row))


def _delay(failed: int) -> int:
    if failed < FREE_TRIES:
        return 0
    return min(FIRST_DELAY_SECONDS * 2 ** (failed - FREE_TRIES), MAX_DELAY_SECONDS)
