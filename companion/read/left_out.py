"""What a paper or a pasted summary may carry: private items only when asked for, and a count of the rest."""

from __future__ import annotations


class PrivateFilter:
    """`keep(item)` for each item with a `sensitive` flag; `reason(row)` for the visit's reason; `left_out`
    counts what was held back (said to the clinician, never what it was)."""

    def __init__(self, include_sensitive: bool) -> None:
        self.include_sensitive = include_sensitive
        self.left_out = 0

    def keep(self, item) -> bool:
        if item.sensitive and not self.include_sensitive:
            self.left_out += 1
            return False
        return True

    def reason(self, row) -> str:
        """The visit's reason, unless it is private and private facts were not asked for."""
        if row.reason_private and not self.include_sensitive:
            self.left_out += bool(row.reason)
            return ""
        return row.reason
