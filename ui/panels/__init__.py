"""Panels: parts of a view that show what the view has read (they never read it themselves)."""
