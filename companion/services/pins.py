"""What a PIN is: 4 to 12 ASCII digits. Known to the sign-in's PIN field before the database layer loads (it paints
first, ui.window.start_up); companion.services.auth keeps them as hashes."""

from __future__ import annotations

from companion.errors import CompanionError

MIN_PIN, MAX_PIN = 4, 12


DIGITS = "0123456789"


def check_pin(pin: str) -> str:
    if not (pin.isdigit() and pin.isascii() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise CompanionError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits from 0 to 9")  # not another script's digits
    return pin


def check_new_pin(pin: str) -> str:
    """A PIN being set: the form of any PIN, and not one of those tried first: the same digit throughout (1111), or
    consecutive digits up or down (1234, which is also the demo's published PIN, or 9876). A PIN set before this
    rule still signs in; it is only never given again."""
    check_pin(pin)
    if len(set(pin)) == 1 or pin in DIGITS or pin in DIGITS[::-1]:
        raise CompanionError("that PIN is among the first anyone would try (like 1111 or 1234); choose another")
    return pin
