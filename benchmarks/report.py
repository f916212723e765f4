"""How a measured child talks to the benchmark: one JSON object per line on stdout (no Qt here, so any
child can use it)."""

from __future__ import annotations

import json
from pathlib import Path


def report(**fields) -> None:
    print(json.dumps(fields), flush=True)


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def peak_rss_kb() -> int:
    """This process's highest resident memory so far, in KiB. VmHWM, not getrusage's ru_maxrss: Linux
    carries ru_maxrss over from the parent across fork and exec, so a child would report its parent's peak."""
    return _status_kb("VmHWM:")


def rss_kb() -> int:
    """This process's resident memory now, in KiB."""
    return _status_kb("VmRSS:")
