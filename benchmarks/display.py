"""A private X server for the benchmark's windows, so "first paint" is a real paint on a real screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def screen() -> Iterator[dict[str, str]]:
    """Environment variables for child processes: an Xvfb display when Xvfb is installed, else Qt's
    offscreen platform (which still paints into a backing store, only not to a screen)."""
    if shutil.which("Xvfb") is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    number = next(n for n in range(300, 400) if not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 15
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        yield {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    finally:
        server.terminate()
        server.wait(timeout=10)


def child_env(extra: dict[str, str], root: Path, home: Path) -> dict[str, str]:
    """The environment of a measured child: the repository importable, its own data folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "COMPANION_DB")}
    env.update(extra, PYTHONPATH=str(root), COMPANION_HOME=str(home))
    return env
