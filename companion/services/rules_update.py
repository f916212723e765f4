"""After the privacy rules change (an update of the app, or the clinic's own words), what was stored before is judged
again with them, once: a phrase the new rules keep off the glance is kept off it in last month's notes too. The
window does it in the background after it has painted; a command does it before its own work."""

from __future__ import annotations

from collections.abc import Callable

from companion.privacy.stored import TOO_BROAD, fingerprint, judged_by, recheck_stored
from companion.storage.store import Store


def rules_changed(store: Store) -> bool:
    """Whether the stored facts have not been judged by today's rules yet."""
    return fingerprint(store.content.privacy_spec) not in judged_by(store.engine)


def judge_stored_again(store: Store, progress: Callable[[int], None] | None = None) -> int | None:
    """How many stored facts became private; None when today's rules had judged them already. Refused, with
    nothing changed (companion.privacy.stored.RulesTooBroad), when the new rules would hide most of them."""
    return recheck_stored(store.engine, store.content, progress=progress, refuse_above=TOO_BROAD)
