"""The window's colours, in one place: the calm theme every clinic starts with, and a high-contrast one (Ctrl+Alt+H,
or the desktop's own high-contrast setting). Every pair of text and background colour meets WCAG 2.2 AA (4.5:1,
3:1 for large text) in both, and the lines that mark a field or a bar meet 3:1 (tests/ui/test_accessibility.py).

The style sheet (resources/styles/companion.qss) names colours as `@name`; each theme gives every name a colour.
The base ink and paper are the application palette's, not a style sheet rule on every widget: such a rule makes
each label paint its own background, about a sixth of every repaint (benchmarks/: switch p95). A whole palette
of our own, so a dark desktop theme changes none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

_NAME = re.compile(r"@([a-z_]+)")


@dataclass(frozen=True)
class Theme:
    key: str
    palette: dict[str, str]  # QPalette role: colour
    colours: dict[str, str]  # the style sheet's and the views' named colours


def _palette(ink: str, paper: str, field: str, alternate: str, highlight: str, highlighted: str, placeholder: str):
    return {
        "WindowText": ink,
        "Text": ink,
        "ButtonText": ink,
        "ToolTipText": ink,
        "Window": paper,
        "Button": paper,
        "ToolTipBase": paper,
        "Base": field,
        "AlternateBase": alternate,
        "Highlight": highlight,
        "HighlightedText": highlighted,
        "PlaceholderText": placeholder,
    }


CALM = Theme(
    "calm",
    _palette("#1f2a30", "#f7f5f0", "#ffffff", "#f1efe9", "#d6e6ec", "#14323f", "#5f6b70"),
    {
        "ink": "#1f2a30",
        "paper": "#f7f5f0",
        "field": "#ffffff",
        "title": "#4d6470",  # section titles and the moment's prompt
        "strong": "#14323f",  # the patient's name, a chosen row
        "needs": "#5a4a2a",  # language, interpreter, practical needs
        "quiet": "#5f6b70",  # hints and counts: still 4.5:1
        "notice_paper": "#e6eef0",
        "curtain": "#5f6b70",
        "curtain_paper": "#ecebe6",
        "private": "#5a2a2a",
        "private_paper": "#f3e9e6",
        "error": "#8a2b1f",
        "edge": "#7a868b",  # the line around a field or a button: 3:1 on paper and on white
        "focus": "#2f6f86",
        "selected": "#d6e6ec",
        "selected_ink": "#14323f",
        "closed": "#56636a",  # a cancelled or missed visit: still there, no longer calling for attention
        "unassigned_paper": "#f6eedb",  # a visit waiting for a nurse to give it to someone
        "bar": "#3f7489",  # the practice chart
        "track": "#e3e7e6",
    },
)

HIGH_CONTRAST = Theme(
    "high_contrast",
    _palette("#000000", "#ffffff", "#ffffff", "#f0f0f0", "#ffe066", "#000000", "#3d3d3d"),
    {
        "ink": "#000000",
        "paper": "#ffffff",
        "field": "#ffffff",
        "title": "#000000",
        "strong": "#000000",
        "needs": "#000000",
        "quiet": "#2b2b2b",
        "notice_paper": "#fff3b0",
        "curtain": "#000000",
        "curtain_paper": "#ffffff",
        "private": "#7a0000",
        "private_paper": "#ffffff",
        "error": "#9e0000",
        "edge": "#000000",
        "focus": "#003a80",
        "selected": "#ffe066",  # a chosen row: black on yellow, never colour alone (the focus ring is blue)
        "selected_ink": "#000000",
        "closed": "#3d3d3d",
        "unassigned_paper": "#e3e3e3",  # grey, not the selection's yellow
        "bar": "#003a80",
        "track": "#d0d0d0",
    },
)

THEMES = {theme.key: theme for theme in (CALM, HIGH_CONTRAST)}
_current = CALM


def style_sheet(theme: Theme) -> str:
    """The style sheet with the theme's colours in place of its `@names` (an unknown name is a KeyError)."""
    text = files("resources").joinpath("styles", "companion.qss").read_text(encoding="utf-8")
    return _NAME.sub(lambda match: theme.colours[match.group(1)], text)


def apply_theme(app, theme: Theme) -> None:
    global _current
    _current = theme
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    palette = QPalette(QColor(theme.palette["Window"]))
    for role, colour in theme.palette.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(theme))


def colour(name: str) -> QColor:
    """A named colour of the theme in use, for what a view paints itself (Today's rows, the practice chart)."""
    return QColor(_current.colours[name])


def current() -> Theme:
    return _current


def desktop_wants_high_contrast() -> bool:
    hints = QGuiApplication.styleHints()  # held: the accessibility hints live as long as it does
    return hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast
