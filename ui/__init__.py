"""PySide6 widgets for Encounter Companion; data comes only through companion's services."""
