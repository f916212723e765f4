"""Encounter Companion's domain: data, storage, services and the command line (no Qt here)."""

from __future__ import annotations

__version__ = "0.1.0"
