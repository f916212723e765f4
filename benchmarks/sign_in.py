"""Sign-in for the measured windows: when the app asks for a PIN, the benchmark's physician gets one and the
child types it like a person would (benchmarks.probe). Without sign-in in the app, nothing is needed."""

from __future__ import annotations

import importlib.util

from companion.services.clinicians import get_clinician
from companion.services.preferences import Preferences
from companion.storage.database import url_for
from companion.storage.store import open_store

PIN = "2846"


def prepare(path: str, clinician_id: int) -> str:
    """Remember the clinician on this workstation, as the app does once they have signed in here (their name is
    shown before the database opens), and give them a PIN; returns the PIN to type, or ""."""
    store = open_store(path)
    try:
        Preferences(url_for(path)).remember_clinician(get_clinician(store, clinician_id))
        if importlib.util.find_spec("companion.services.auth") is None:
            return ""
        from companion.services import auth

        if auth.needs_first_admin(store):
            auth.create_first_admin(store, "Bench Admin", "1573")
        auth.set_pin(store, clinician_id, PIN)
    finally:
        store.engine.dispose()
    return PIN
