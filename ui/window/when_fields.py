"""The day and time fields of the forms that book and move visits, alike in both: a day picked or typed, a time
typed as HH:MM (a clinic books on the quarter hour but may write any minute)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QT_TR_NOOP, QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit

from companion.text import FIRST_DAY, LAST_DAY  # the days the app takes anywhere (command line, imports)

TIME_FORMAT = "%H:%M"
TIME_PROBLEM = QT_TR_NOOP("Write the time as HH:MM, for example 14:15.")


def day_field(day: date, display: str = "ddd d MMM yyyy") -> QDateEdit:
    field = QDateEdit(QDate(day.year, day.month, day.day))
    field.setDisplayFormat(display)
    field.setDateRange(QDate(FIRST_DAY), QDate(LAST_DAY))
    return field


def next_quarter_hour(now: datetime) -> time:
    start = now.replace(minute=now.minute // 15 * 15, second=0, microsecond=0) + timedelta(minutes=15)
    return start.time()


class TimeField(QLineEdit):
    """HH:MM; `clock()` is the time written, or None when it is not a time of day."""

    def __init__(self, shown: time) -> None:
        super().__init__(f"{shown:%H:%M}")
        self.setPlaceholderText("HH:MM")
        self.setMaxLength(5)

    def clock(self) -> time | None:
        try:
            return datetime.strptime(self.text().strip(), TIME_FORMAT).time()
        except ValueError:
            return None
