"""Where the app keeps its files: the user data directory, owner-only."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from platformdirs import user_data_path

APP_NAME = "encounter-companion"


def data_dir() -> Path:
    """The folder for the database, preferences and clinic content; COMPANION_HOME overrides it."""
    override = os.environ.get("COMPANION_HOME")
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    return ensure_private_dir(path)


def ensure_private_dir(path: Path) -> Path:
    """Create the folder owner-only if it is missing (it will hold health information). A folder that exists
    keeps its mode: it may be shared on purpose (a /tmp-like folder, a clinic's share), and the app protects only
    what it makes."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    return path


def write_private_file(path: Path, text: str) -> None:
    """Write a small file that only its owner can read, replacing it atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def sqlite_uri(path: Path | str, mode: str) -> str:
    """SQLite's own URI for a file, for sqlite3.connect(..., uri=True): the name escaped, so a "?" or "#" in a
    folder's name stays part of it. `mode` "ro" or "rw": neither creates a missing file."""
    return f"file:{quote(str(path))}?mode={mode}"
