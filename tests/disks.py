"""Small filesystems of a test's own (tmpfs, mounted as root, as CI runs): a disk that fills up, or one that
is read-only, without touching anything else on the machine."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(folder: Path, size_mb: int, *, holding: Path | None = None, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `size_mb` at `folder/disk`, with a copy of `holding` on it, remounted read-only if asked."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mount = folder / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(mount)], check=True)
    try:
        if holding is not None:
            (mount / holding.name).write_bytes(holding.read_bytes())
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
