"""Per-workstation choices (who is signed in, always on top), kept in a small owner-only JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from companion.storage.paths import data_dir, write_private_file

FILE_NAME = "preferences.json"


class Preferences:
    """Remembers choices per database, since clinician ids belong to one database."""

    def __init__(self, database_key: str, folder: Path | None = None) -> None:
        self._path = (folder or data_dir()) / FILE_NAME
        self._key = database_key
        self._all = self._load()

    def _load(self) -> dict:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, name: str, default=None):
        return self._all.get(self._key, {}).get(name, default)

    def set(self, name: str, value) -> None:
        self._all.setdefault(self._key, {})[name] = value
        write_private_file(self._path, json.dumps(self._all, indent=2))
