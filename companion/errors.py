"""One exception type for problems a user can fix; the CLI and the window show its message as is."""

from __future__ import annotations


class CompanionError(Exception):
    """A clear, one-line problem with the user's input or environment. Never carries patient names."""
