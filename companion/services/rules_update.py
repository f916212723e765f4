"""After the privacy rules change (an update of the app, or the clinic's own words), what was stored before is judged
again with them, once: a phrase the new rules keep off the glance is kept off it in last month's notes too. The
window does it in the background after it has painted; a command does it before its own work."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import replace

from companion.privacy.stored import TOO_BROAD, judged_by, recheck_stored
from companion.storage.store import Store

# The databases whose stored facts today's rules have not judged yet, while a window judges them in its background:
# until it is done, what the window reads is judged as it is read (judged_as_read), so nothing the new rules hide
# is painted in the meantime.
_judging = weakref.WeakSet()


def rules_changed(store: Store) -> bool:
    """Whether the stored facts have not been judged by today's rules yet."""
    return store.content.privacy_fingerprint not in judged_by(store.engine)


def judge_stored_again(store: Store, progress: Callable[[int], None] | None = None) -> int | None:
    """How many stored facts became private; None when today's rules had judged them already. Refused, with
    nothing changed (companion.privacy.stored.RulesTooBroad), when the new rules would hide most of them."""
    return recheck_stored(store.engine, store.content, progress=progress, refuse_above=TOO_BROAD)


def judge_as_read_until_done(store: Store) -> bool:
    """Called by a window before it reads anything: whether stored facts wait to be judged by today's rules; if so,
    what it reads is judged as it is read until judge_stored_again has finished."""
    if rules_changed(store):
        _judging.add(store.engine)
        return True
    return False


def done_judging(store: Store) -> None:
    _judging.discard(store.engine)


def judged_as_read(store: Store, items):
    """The items (anything with `text` and `sensitive`), each made private if today's rules say so while stored
    facts wait to be judged again; as they are otherwise."""
    if store.engine not in _judging:
        return items
    judge = store.content.privacy.judge
    return type(items)(
        item if item.sensitive or not judge(item.text).private else replace(item, sensitive=True) for item in items
    )
