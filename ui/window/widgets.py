"""Small reusable widgets: plain-text labels, section titles, and inputs that save as they are typed."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeySequence, QShortcut, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QWidget,
)

from companion.text import MAX_TEXT
from ui.window.appearance import BASE_SIZE, zoomed
from ui.window.labels import tr

if TYPE_CHECKING:  # the sign-in uses these widgets and paints before the database layer loads (ui.window.start_up)
    from companion.services.drafts import DraftKey

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


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` literally: Qt renders a tooltip that looks like markup as rich text, so the
    text is escaped inside a paragraph that keeps its spaces and line breaks."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def isolate(text: str) -> str:
    """Wrap user text in a Unicode direction isolate, so a right-to-left priority after "1." or beside
    other text keeps its own direction without reordering what surrounds it."""
    return f"\u2068{text}\u2069"


def shown_reason(visit) -> str:
    """A visit's reason as every screen shows it (others can see them all): a private one (an HIV follow-up, a coded
    diagnosis) only as "Reason private"; the prep card shows it behind its reveal."""
    return tr("Reason private") if visit.reason_private else isolate(visit.reason)


def dialog_buttons(dialog: QDialog, action: str) -> tuple[QHBoxLayout, QPushButton]:
    """Cancel (Esc) and the dialog's action (Enter, the default button), right-aligned: every dialog alike."""
    act = QPushButton(action)
    act.setDefault(True)  # Enter presses it
    act.clicked.connect(dialog.accept)
    cancel = QPushButton(tr("Cancel  (Esc)"))
    cancel.setAutoDefault(False)
    cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(cancel)
    row.addWidget(act)
    return row, act


def scroll_area(content: QWidget) -> QScrollArea:
    """A frameless area that scrolls only up and down (views other than the glance may scroll)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    return scroll


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    return plain_label(text, role="sectionTitle", wrap=False, parent=parent)


def point_size(widget: QWidget, points: float, bold: bool = False) -> None:
    """Set type size in code where the glance rules depend on it (QSS alone is easy to lose); the size is
    remembered so text zoom scales it (ui.window.appearance)."""
    widget.setProperty(BASE_SIZE, points)
    font = QFont(widget.font())
    font.setPointSizeF(zoomed(points))
    font.setBold(bold)
    widget.setFont(font)


def show_together(container: QWidget, wanted: list[tuple[QWidget, bool]]) -> None:
    """Show and hide widgets inside `container` at the cost of one relayout. Qt lays every parent of a widget
    out again, at once, each time one is shown; a glance switch showing a few rows and phrases paid that many
    times (benchmarks/). Hidden while they change, the container is laid out once when it shows again, before
    anything is painted. Not while the keyboard is inside it: hiding it would move the focus away."""
    changes = [(widget, shown) for widget, shown in wanted if widget.isHidden() == shown]
    focus = QApplication.focusWidget()
    together = (
        sum(shown for _, shown in changes) > 1
        and container.isVisible()
        and not (focus is not None and container.isAncestorOf(focus))
    )
    if together:
        container.hide()
    for widget, shown in changes:
        widget.setVisible(shown)
    if together:
        container.show()
    if changes:
        sizes_changed(container)


def sizes_changed(container: QWidget) -> None:
    """Make the window's next layout see what changed inside `container`. Layouts cache their sizes: hiding a
    widget clears only the cache of the layout directly around it, not that of a layout nested beside it (a grid
    in a box) nor its container's size as the layouts above remember it. Left so, the first layout after a
    switch used the old sizes (the previous visit's story rows counted, the NURSE steps squeezed under them) and
    the next one moved everything: a frame that flashed, and twice the layout and paint (benchmarks/)."""
    layout = container.layout()
    if layout is not None:
        for nested in (layout, *layout.findChildren(QLayout)):
            nested.invalidate()
    while container is not None and not container.isWindow():
        container.updateGeometry()
        container = container.parentWidget()


class ElidedLabel(QLabel):
    """Plain text wrapped at word boundaries on at most `max_lines` lines. A text longer than that (rare: the
    read models shorten long imported texts, and the glance shows fewer items rather than cut one) ends at a
    whole word with an ellipsis, and the whole text is in the tooltip. The glance uses it so no row can push
    the view past one screen, and every key fact it shows is shown whole.

    Each shape of the text (a width and a number of lines) is worked out once: a glance switch shapes a dozen
    labels, and the same texts come back as the clinician moves between visits."""

    def __init__(self, text: str = "", parent: QWidget | None = None, max_lines: int = 1) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self._cut = False
        self._max_lines = max_lines
        # (width, lines, screen's pixel ratio and dots per inch): (text shown, cut). A text measures differently
        # on a screen of another density, so the screen is part of the key.
        self._shapes: dict[tuple, tuple[str, bool]] = {}
        self.setMinimumWidth(1)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        if text != self._full:
            self._full = text
            self._shapes.clear()
            self.setToolTip(plain_tooltip(text))
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # only the width changes where lines break
            self._elide()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # text zoom
            self._shapes.clear()
            self._elide()

    def is_cut(self) -> bool:
        return self._cut

    def set_max_lines(self, lines: int) -> None:
        if lines != self._max_lines:
            self._max_lines = lines
            self._elide()

    def shown_lines(self) -> int:
        """How many lines the text takes as shaped now."""
        return self.text().count("\n") + 1 if self.text() else 0

    def fits(self, text: str, width: int) -> bool:
        """Whether `text` would be shown whole at `width` (nothing about the label changes)."""
        width = max(width, 40)
        return self._one_line(text, width) or len(self._wrapped(text, width)) <= self._max_lines

    def lines_height(self) -> int:
        """The height of its lines as reshape broke them (polished then, so with the style sheet's font)."""
        return self.sizeHint().height()

    def reshape(self, width: int) -> None:
        """Break the lines at the width the layout is about to give the label (its own is still the old one)."""
        self.ensurePolished()  # the style sheet's font first: polishing later breaks them again at the old width
        self._elide(width)

    def _elide(self, width: int | None = None) -> None:
        width = max(self.width() if width is None else width, 40)
        key = (width, self._max_lines, self.devicePixelRatioF(), self.logicalDpiY())
        if key not in self._shapes:
            if len(self._shapes) > 64:  # resizing the window by hand passes through many widths
                self._shapes.clear()
            self._shapes[key] = self._shape(width)
        shown, self._cut = self._shapes[key]
        if shown != self.text():
            self.setText(shown)

    def _shape(self, width: int) -> tuple[str, bool]:
        metrics = self.fontMetrics()
        if self._one_line(self._full, width):
            return self._full, False  # most rows: one line, a measure and no wrapping
        lines = self._wrapped(self._full, width)
        if len(lines) <= self._max_lines:
            return "\n".join(lines), False
        kept = lines[: self._max_lines - 1]
        words = " ".join(lines[self._max_lines - 1 :]).split(" ")
        last = ""
        for word in words:
            longer = f"{last} {word}" if last else word
            if metrics.horizontalAdvance(f"{longer}…") > width:
                break
            last = longer
        if not last:  # one word wider than the line (a long number, a link): only then a cut inside it
            last = metrics.elidedText(words[0], Qt.TextElideMode.ElideRight, width)
        return "\n".join([*kept, last if last.endswith("…") else f"{last.rstrip(' ,;:·-')}…"]), True

    def _one_line(self, text: str, width: int) -> bool:
        return "\n" not in text and self.fontMetrics().horizontalAdvance(text) <= width

    def _wrapped(self, text: str, width: int) -> list[str]:
        """The text broken into lines at word boundaries (inside a word only when it is wider than the line),
        as Qt would lay it out at this width."""
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        lines = []
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(width)
                lines.append(paragraph[line.textStart() : line.textStart() + line.textLength()].strip())
            layout.endLayout()
        return lines or [""]


class DraftLineEdit(QLineEdit):
    """A line whose words are kept as a draft of one visit while they are typed (after a short pause, on
    focus-out, and on demand) and submitted on Enter. `save_draft(key, text)` keeps them; an empty text clears
    the draft. The save that enters the words clears the draft in its own commit (AppContext.submit).

    Words the privacy rules read as private (`is_private`) are covered while nobody is typing into the line: a
    draft put back when the visit opens again, perhaps days later with family in the room, is dots until the
    clinician types on the line, clicks it or presses its shortcut, as an entered item stays off the screen until
    revealed. Having the focus is not enough: a view gives it to its first line by itself."""

    submitted = Signal(str)

    def __init__(
        self,
        placeholder: str,
        field: str,
        save_draft: Callable[[DraftKey, str], None],
        parent: QWidget | None = None,
        is_private: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._is_private = is_private
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(placeholder)  # the line has no label of its own: its prompt names it
        self.setMaxLength(MAX_TEXT * 2)  # longer text is refused by the service with a clear message
        self.field = field
        self.visit_id: int | None = None
        self._save_draft = save_draft
        self._dirty = False
        self.pending = False  # entered, being saved (or waiting for the database to come back)
        self._timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.textEdited.connect(self._on_edited)
        self.returnPressed.connect(self._submit)

    @property
    def draft_key(self) -> DraftKey | None:
        return (self.visit_id, self.field) if self.visit_id is not None else None

    def show_visit(self, visit_id: int, draft: str) -> None:
        """The line of another visit: what was typed for the one before is kept as its draft first, and this
        visit's draft is put back. The same visit again keeps the line as it is: the stored draft may be
        older (its save waits while the disk is full or the database away) and must not wipe what was typed."""
        if visit_id == self.visit_id:
            return
        self.flush()
        self.visit_id = visit_id
        self.setText(draft)

    def flush(self) -> None:
        """Save the draft now if anything was typed since the last save."""
        if self._dirty:
            self._timer.stop()
            self._dirty = False
            if self.draft_key is not None:
                self._save_draft(self.draft_key, self.text())

    def let_go(self) -> None:
        """Another clinician signed in: the words stay saved as their writer's draft (saved at the lock) and leave
        the line; the next visit shown puts back the new clinician's own."""
        self._timer.stop()
        self._dirty = False
        self.pending = False  # an entry still waiting is the previous clinician's: it saves, the line is free
        self.visit_id = None
        self.setText("")  # not clear(): Ctrl+Z would bring their words back (setText empties the undo history)

    def forget_draft_timer(self) -> None:
        """The words are being entered, and their save clears the draft: no draft save may follow it."""
        self._timer.stop()
        self._dirty = False

    def accept_submission(self, submitted: str) -> None:
        """`submitted` was saved as a real item. The line lets go of it; words typed after it while it was being
        saved stay (and become the draft)."""
        current = self.text()
        if current == submitted:
            self.clear()
            return
        if current.startswith(submitted):
            self.setText(current[len(submitted) :].lstrip())
        self.keep_as_draft()  # what stays is new: it is the draft now

    def keep_as_draft(self) -> None:
        """The words on the line are to be kept as its draft (soon, as if just typed)."""
        self._on_edited(self.text())

    def discard(self) -> None:
        """Cancelled: the words and their draft go."""
        self.clear()
        self._dirty = True
        self.flush()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        self.flush()
        super().focusOutEvent(event)
        self._cover()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.uncover()  # typing on the line is the clinician's own act (the glance may give it focus by itself)
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.uncover()
        super().mousePressEvent(event)

    def uncover(self) -> None:
        """Show the words: the clinician is working on this line (a key, a click, its shortcut)."""
        self.setEchoMode(QLineEdit.EchoMode.Normal)
        self.setToolTip("")

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override: every way words are put on the line)
        super().setText(text)
        self._cover()

    def _cover(self) -> None:
        covered = self._is_private is not None and bool(self.text()) and self._is_private(self.text())
        self.setEchoMode(QLineEdit.EchoMode.Password if covered else QLineEdit.EchoMode.Normal)
        self.setToolTip(tr("Private words kept as a draft: they show when you type on this line") if covered else "")

    def _on_edited(self, _text: str) -> None:
        self._dirty = True
        self._timer.start()

    def _submit(self) -> None:
        if self.text().strip():
            self.submitted.emit(self.text())


def fill_list(widget: QListWidget, rows: list[tuple[str, object]]) -> None:
    """Replace a list's items (text shown literally, data kept in UserRole), keeping the selected row."""
    current = widget.currentItem().data(Qt.ItemDataRole.UserRole) if widget.currentItem() else None
    widget.clear()
    for text, data in rows:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        widget.addItem(item)
        if data == current:
            widget.setCurrentItem(item)


MAX_VISIBLE_ROWS = 6
MAX_LIST_HEIGHT = 220
ROW_PADDING = 8  # the item padding in companion.qss (3 px) top and bottom, and the row's margins


class FittingList(QListWidget):
    """A list as tall as its rows (up to a few), so the nurse sees every row without scrolling inside it.
    Wrapped rows change height with the width, hence the refit on every resize."""

    def __init__(self, name: str, title: str = "") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(title)  # what a screen reader says on reaching the list
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
        height = sum(heights or [metrics.height()]) + 2 * self.frameWidth() + 4
        self.setFixedHeight(min(height, MAX_LIST_HEIGHT))  # one very long row must not stretch the window

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refit()


def moved_order(items: QListWidget, step: int) -> tuple[list, int] | None:
    """The list's ids (each item's UserRole) with the selected one moved `step` places, and the row it lands
    on; None when there is nothing selected or no room to move."""
    row, target = items.currentRow(), items.currentRow() + step
    if row < 0 or not 0 <= target < items.count():
        return None
    ids = [items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(items.count())]
    ids.insert(target, ids.pop(row))
    return ids, target


def space_key(view: QWidget, action: Callable[[], None]) -> None:
    """Space as a view's key (start the ritual, skip the pause), except on a focused button or check box: there
    it presses it, as Space does everywhere else (a view-wide shortcut would take it first)."""

    def pressed() -> None:
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and view.isAncestorOf(focused):
            focused.animateClick()
        else:
            action()

    QShortcut(QKeySequence("Space"), view, pressed)


def list_shortcut(widget: QListWidget, keys: str, action) -> None:
    """A key that acts on the focused list only (each section has its own list with the same keys)."""
    shortcut = QShortcut(QKeySequence(keys), widget, action)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
