"""What a PIN is: 4 to 12 ASCII digits. Known to the sign-in's PIN field before the database layer loads (it paints
first, ui.window.start_up); companion.services.auth keeps them as hashes."""

from __future__ import annotations

from companion.errors import CompanionError

MIN_PIN, MAX_PIN = 4, 12


def check_pin(pin: str) -> str:
    if not (pin.isdigit() and pin.isascii() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise CompanionError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits")
    return pin
