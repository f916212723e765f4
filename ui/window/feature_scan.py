"""PySide6 reads the whole source of every module imported after it, to learn whether the module uses its
opt-in `from __feature__ import snake_case, true_property` syntax: each file read through `inspect.getsource`
and kept in `linecache` for the life of the process. For the app's own modules and the database layer that
cost about 70 ms and 25 MB at start (benchmarks/), for a feature this app never uses.

The scan's only answer is "this module uses PySide6" (its feature selection 0) or "ignore it" (-1). With no
module selecting a feature, both mean the same default Qt names, and a module that does write
`from __feature__ import ...` is still handled by PySide's import of `__feature__` itself. So the scan is told
to answer "ignore" at once. It lives in a private module of PySide6's support package: when a version
no longer has it, nothing is changed and the app works as before, only slower to start.

What the scan read before the skip is let go with it: the app skips it right after its own first import of
PySide6 (a few files), but a harness that imports PySide6 first (the benchmarks' probe, a test runner) has the
scan read every module imported in between, about 2 MB of lines kept for nothing. A traceback reads the lines it
shows again when it needs them.
"""

from __future__ import annotations

import linecache
import sys


def skip_feature_scan() -> bool:
    """Call right after the first import of PySide6; returns whether the scan is now skipped."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_no_feature
    linecache.clearcache()
    return True


def _uses_no_feature(_module) -> bool:
    return False
