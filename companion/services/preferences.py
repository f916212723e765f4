"""Per-workstation choices (who signed in last, always on top), kept in a small owner-only JSON file. Reading them
needs no database layer: the sign-in paints from them before SQLAlchemy loads (ui.window.start_up)."""

from __future__ import annotations

import json
from pathlib import Path

from companion.errors import CompanionError
from companion.location import database_key, without_password
from companion.read.models import ClinicianView
from companion.storage.paths import data_dir, write_private_file

FILE_NAME = "preferences.json"


class Preferences:
    """Remembers choices per database, since clinician ids belong to one database."""

    def __init__(self, database_key: str, folder: Path | None = None) -> None:
        self._path = (folder or data_dir()) / FILE_NAME
        self._key = database_key
        self._all = self._load()

    @classmethod
    def of_database(cls, location: str | None) -> Preferences:
        """This workstation's choices for the database at `location` (--db, COMPANION_DB or the default)."""
        return cls(database_key(location))

    def _load(self) -> dict:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        # Keys written by an earlier version held a PostgreSQL URL's password: kept without it from now on.
        return {without_password(key): value for key, value in data.items()}

    def get(self, name: str, default=None):
        return self._all.get(self._key, {}).get(name, default)

    def set(self, name: str, value) -> bool:
        return self.update({name: value})

    def update(self, values: dict) -> bool:
        """Several choices in one write of the file; whether they were written. A file that cannot be written (a
        full disk, a read-only folder, a name another user holds) keeps them for this session only: a convenience
        never stops a clinician signing in or working; the window says so where it matters (ui.window.appearance)."""
        self._all.setdefault(self._key, {}).update(values)
        try:
            write_private_file(self._path, json.dumps(self._all, indent=2))
        except (OSError, CompanionError):
            return False
        return True

    def remember_clinician(self, clinician: ClinicianView) -> None:
        """Who signed in here last: preselected at the next sign-in, their name shown before the database opens.
        A clinician's name and role only, never anything of a patient."""
        self.update({"clinician_id": clinician.id, "clinician_name": clinician.name, "clinician_role": clinician.role})

    def remembered_clinician(self) -> ClinicianView | None:
        """Who signed in here last, as remembered (None when only the id is known, or the file was edited into
        something else). The sign-in shows it until the database's own list is in."""
        clinician_id, name, role = (self.get(key) for key in ("clinician_id", "clinician_name", "clinician_role"))
        if type(clinician_id) is int and isinstance(name, str) and name and isinstance(role, str) and role:
            return ClinicianView(id=clinician_id, name=name, role=role)
        return None
