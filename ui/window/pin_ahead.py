"""The PIN checked while it is typed, on a thread of its own, so that the Enter finds the answer ready: the hash
(argon2, which lets go of the interpreter while it works) took 20 to 30 ms here, a quarter of the 100 ms from the
PIN's Enter to the painted glance (DESIGN.md, performance budgets), and the first one of a process 35 to 120 ms
(its 19 MiB are fresh memory). The answer counts nothing and shows nothing: the Enter signs in through
companion.services.auth.sign_in as always, which takes it only if it is for that very try. A right PIN whose Enter
will sign in at once is also told (`on_right`), so that the window can be readied before the Enter
(ui.window.start_up)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from companion.services.pins import MIN_PIN

if TYPE_CHECKING:
    from companion.read.models import ClinicianView
    from companion.services.auth import PinCheck
    from companion.services.database import Store

_thread: ThreadPoolExecutor | None = None  # one for every sign-in panel: hashes run one at a time
# A check still hashing is waited for (a hash or two at most); one held up longer (a database that does not
# answer) is left, and the Enter checks the PIN itself.
ANSWER_WAIT_S = 1.0


def _checking_thread() -> ThreadPoolExecutor:
    global _thread
    if _thread is None:
        _map_large_blocks_on_their_own()
        _thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="companion-pin")
    return _thread


class PinAhead:
    """One per sign-in panel: `typed()` as the PIN changes, `answer()` at its Enter."""

    def __init__(self, on_right: Callable[[int, ClinicianView], None] | None = None) -> None:
        """`on_right(asked, clinician)`: called on the checking thread when the PIN of check number `asked` is right
        and its Enter will sign `clinician` in at once; `still_typed(asked)` says whether it is still the PIN typed."""
        self._on_right = on_right
        self._latest = 0  # a check asked for earlier is skipped when its turn comes
        self._asked: tuple[int, str] | None = None
        self._future: Future | None = None

    def typed(self, store: Store | None, clinician_id: int | None, pin: str) -> None:
        self._latest += 1
        self._asked, self._future = None, None
        if store is None or clinician_id is None or len(pin) < MIN_PIN:
            return
        self._asked = (clinician_id, pin)
        self._future = _checking_thread().submit(self._check, self._latest, store, clinician_id, pin)

    def answer(self, clinician_id: int, pin: str) -> PinCheck | None:
        """The check of this PIN for this clinician, waiting for it if it is still hashing; None if there is none
        (typed otherwise than by keys, or it failed: sign_in then checks the PIN itself)."""
        future, asked = self._future, self._asked
        if future is None or asked != (clinician_id, pin):
            return None
        try:
            return future.result(timeout=ANSWER_WAIT_S)
        except Exception:  # noqa: BLE001 (the Enter's own check says what is wrong, if anything)
            return None

    def still_typed(self, asked: int) -> bool:
        return asked == self._latest

    def _check(self, asked: int, store: Store, clinician_id: int, pin: str) -> PinCheck | None:
        if asked != self._latest:  # typed on since: not worth hashing
            return None
        from companion.services import auth

        answer = auth.check_ahead(store, clinician_id, pin)
        if answer is not None and answer.right and self._on_right is not None and self.still_typed(asked):
            clinician = auth.signs_in_at_once(store, answer)
            if clinician is not None:
                self._on_right(asked, clinician)
        return answer


def _map_large_blocks_on_their_own() -> None:
    """argon2's 9 MiB, freed after each hash, goes back to the system. The first does: glibc maps a block that large
    on its own and unmaps it when freed; but it then raises that threshold to the block's size, so every later
    hash's block came from the heap of the checking thread and stayed there for the session: 9 MB more for any PIN
    of five digits or more (each prefix of four or more is checked) or one mistyped. Fixing the threshold at
    glibc's own default keeps it from rising (as MALLOC_MMAP_THRESHOLD_ would); elsewhere there is nothing to do."""
    import contextlib
    import ctypes

    m_mmap_threshold, default = -3, 128 * 1024
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).mallopt(m_mmap_threshold, default)
