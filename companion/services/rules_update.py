"""After the privacy rules change (an update of the app, or the clinic's own words), what was stored before is judged
again with them, once: a phrase the new rules keep off the glance is kept off it in last month's notes too. The
window does it in the background after it has painted; a command does it before its own work."""

from __future__ import annotations

from collections.abc import Callable

from companion.privacy.stored import fingerprint, recheck_stored, stored_fingerprint
from companion.storage.store import Store


def rules_changed(store: Store) -> bool:
    """Whether the stored facts were judged by other rules than today's."""
    return stored_fingerprint(store.engine) != fingerprint(store.content.privacy_spec)


def judge_stored_again(store: Store, progress: Callable[[int, int], None] | None = None) -> int | None:
    """How many stored facts became private (or changed category); None when the rules had not changed."""
    return recheck_stored(store.engine, store.content, progress=progress)
