"""Small reusable widgets: plain-text labels, section titles, and inputs that save as they are typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

DRAFT_DELAY_MS = 400


def plain_label(text: str = "", *, role: str = "", wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    """A label that always shows its text literally: user text is never rendered as markup."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    if role:
        label.setObjectName(role)  # styled by resources/styles/companion.qss
    return label


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    return plain_label(text, role="sectionTitle", wrap=False, parent=parent)


def point_size(widget: QWidget, points: float, bold: bool = False) -> None:
    """Set type size in code where the glance rules depend on it (QSS alone is easy to lose)."""
    font = QFont(widget.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    widget.setFont(font)


class ElidedLabel(QLabel):
    """One line of plain text, cut with an ellipsis to fit; the whole text stays in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.setMinimumWidth(1)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 40)))


class DraftLineEdit(QLineEdit):
    """A line that saves what is typed (after a short pause, on focus-out, and on demand) and submits
    on Enter. `save_draft` gets the current text; an empty text clears the draft."""

    submitted = Signal(str)

    def __init__(self, placeholder: str, save_draft: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(2000)
        self._save_draft = save_draft
        self._dirty = False
        self._timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.textEdited.connect(self._on_edited)
        self.returnPressed.connect(self._submit)

    def flush(self) -> None:
        """Save the draft now if anything was typed since the last save."""
        if self._dirty:
            self._timer.stop()
            self._dirty = False
            self._save_draft(self.text())

    def restore(self, text: str) -> None:
        """Put back a draft saved earlier (after a restart or a crash)."""
        self.setText(text)

    def accept_submission(self) -> None:
        """The text was saved as a real item: empty the line and its draft."""
        self.clear()
        self._dirty = True
        self.flush()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        self.flush()
        super().focusOutEvent(event)

    def _on_edited(self, _text: str) -> None:
        self._dirty = True
        self._timer.start()

    def _submit(self) -> None:
        if self.text().strip():
            self.submitted.emit(self.text())


def fill_list(widget: QListWidget, rows: list[tuple[str, object]], keep_selection: bool = True) -> None:
    """Replace a list's items (text shown literally, data kept in UserRole), keeping the selected row."""
    current = widget.currentItem().data(Qt.ItemDataRole.UserRole) if widget.currentItem() else None
    widget.clear()
    for text, data in rows:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        widget.addItem(item)
        if keep_selection and data == current:
            widget.setCurrentItem(item)


MAX_VISIBLE_ROWS = 6
ROW_PADDING = 8  # the item padding in companion.qss, top and bottom


class FittingList(QListWidget):
    """A list as tall as its rows (up to a few), so the nurse sees every row without scrolling inside it.
    Wrapped rows change height with the width, hence the refit on every resize."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def refit(self) -> None:
        # QListView's own row hints ignore word wrap, so measure the wrapped text directly.
        metrics = self.fontMetrics()
        width = max(self.viewport().width() - ROW_PADDING, 40)
        heights = [
            metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, self.item(i).text()).height()
            + ROW_PADDING
            for i in range(min(self.count(), MAX_VISIBLE_ROWS))
        ]
        self.setFixedHeight(sum(heights or [metrics.height()]) + 2 * self.frameWidth() + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refit()


def list_shortcut(widget: QListWidget, keys: str, action) -> None:
    """A key that acts on the focused list only (each section has its own list with the same keys)."""
    shortcut = QShortcut(QKeySequence(keys), widget, action)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
