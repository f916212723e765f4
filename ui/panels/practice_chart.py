"""A small weekly chart of one's own practice, drawn with QPainter: one bar per practice."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.services.reflection import PRACTICES, WeekPractice
from ui.window import theme
from ui.window.labels import tr

ROW_HEIGHT = 34


class PracticeChart(QWidget):
    """Bars show the share of the week's finished visits in which each practice was done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.week: WeekPractice | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(ROW_HEIGHT * len(PRACTICES) + 4)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(380, ROW_HEIGHT * len(PRACTICES) + 4)

    def set_week(self, week: WeekPractice | None) -> None:
        self.week = week
        self.update()

    def rows(self) -> list[tuple[str, int, int]]:
        """(label, done, out of) per practice: what the bars show, also for screen readers and tests."""
        if self.week is None:
            return []
        return [(tr(label), *self.week.share(key)) for key, label in PRACTICES]

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_width = self.width() * 0.45
        bar_width = self.width() - label_width - 70
        for index, (label, done, total) in enumerate(self.rows()):
            top = index * ROW_HEIGHT + 4
            painter.setPen(theme.colour("ink"))
            painter.drawText(QRectF(0, top, label_width, ROW_HEIGHT - 8), Qt.AlignmentFlag.AlignVCenter, label)
            track = QRectF(label_width, top + 6, bar_width, ROW_HEIGHT - 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.colour("track"))
            painter.drawRoundedRect(track, 4, 4)
            if total:
                painter.setBrush(theme.colour("bar"))
                painter.drawRoundedRect(QRectF(track.x(), track.y(), bar_width * done / total, track.height()), 4, 4)
            painter.setPen(theme.colour("ink"))
            painter.drawText(
                QRectF(label_width + bar_width + 8, top, 62, ROW_HEIGHT - 8),
                Qt.AlignmentFlag.AlignVCenter,
                f"{done}/{total}" if total else "–",
            )
        painter.end()
