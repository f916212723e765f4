"""What a PIN is: 4 to 12 ASCII digits. Known to the sign-in's PIN field before the database layer loads (it paints
first, ui.window.start_up); companion.services.auth keeps them as hashes."""

from __future__ import annotations

import itertools

from companion.errors import CompanionError

MIN_PIN, MAX_PIN = 4, 12


def check_pin(pin: str) -> str:
    if not (pin.isdigit() and pin.isascii() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise CompanionError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits from 0 to 9")  # not another script's digits
    return pin


# Lines on a phone's keypad (1 2 3 / 4 5 6 / 7 8 9 / 0 below 8) and its corners, each way: after years and
# repeated pairs, what lists of the PINs people choose (and what anyone guessing tries) start with.
KEYPAD_LINES = frozenset(
    line
    for pattern in ("2580", "1470", "3690", "0147", "0258", "0369", "1590", "3570", "1379", "1397", "1793", "7913")
    for line in (pattern, pattern[::-1])
) | {"1004"}  # and "10-04", high in every published list of PINs chosen
# The keypad's four small squares, each traced from any corner either way round (1254, 5698, 2563...).
KEYPAD_SQUARES = frozenset(
    loop[start:] + loop[:start]
    for square in ("1254", "2365", "4587", "5698")
    for loop in (square, square[::-1])
    for start in range(4)
)


def check_new_pin(pin: str) -> str:
    """A PIN being set: the form of any PIN, and not one of those tried first: the same digit throughout (1111),
    digits that step evenly (1234, which is also the demo's published PIN, 9876, 2468, 1357, or 7890 past the 9), a
    block repeated (1212, 123123), two pairs (1122), a year (1990, 2024), or a line or a small square on the keypad
    (2580, 1254). A PIN set before this rule still signs in; it is only never given again."""
    check_pin(pin)
    if (
        _steps_evenly(pin)  # a step of 0 is the same digit throughout (1111)
        or _repeats_a_block(pin)
        or (len(pin) == 4 and pin[0] == pin[1] and pin[2] == pin[3])
        or (len(pin) == 4 and pin[:2] in ("19", "20"))
        or pin in KEYPAD_LINES
        or pin in KEYPAD_SQUARES
    ):
        raise CompanionError(
            "that PIN is among the first anyone would try (like 1111, 1234, 1212, 1990 or 2580); choose another"
        )
    return pin


def _steps_evenly(pin: str) -> bool:
    """The same step from each digit to the next (2468, 9630), or counting on by one past 9 to 0 (7890, 2109)."""
    steps = {int(after) - int(before) for before, after in itertools.pairwise(pin)}
    return len(steps) == 1 or {step % 10 for step in steps} in ({1}, {9})


def _repeats_a_block(pin: str) -> bool:
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in range(1, len(pin) // 2 + 1))
