"""The window's views, each built when it is first needed. After the PIN the window paints with only the view it
opens on built (Today, or the visit asked for); the others are built one per turn of the event loop right after
that first paint (`build_rest`), so a later switch is as quick as ever. From the PIN's Enter to the painted
glance: 100 ms (DESIGN.md, performance budgets); building every view first took a third of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.views.registry import BY_KEY, ViewSpec


class ViewPages(Mapping[str, QWidget]):
    """Every view of ui.views.registry by its key, as a dict of them would be; each page of `stack` once built."""

    def __init__(self, stack: QStackedWidget, make: Callable[[ViewSpec], QWidget]) -> None:
        self._stack = stack
        self._make = make
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        view = self._built.get(key)
        if view is None:
            view = self._make(BY_KEY[key])
            self._built[key] = view
            self._stack.addWidget(view)
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(BY_KEY)

    def __len__(self) -> int:
        return len(BY_KEY)

    def built(self, key: str) -> bool:
        """Whether the view exists yet (one never built has nothing to save, stop or hold)."""
        return key in self._built

    def build_rest(self) -> None:
        """Build the next view not built yet, and come back on the next turn of the event loop for the one after:
        keys typed meanwhile wait for one view at most."""
        missing = next((key for key in BY_KEY if key not in self._built), None)
        if missing is None:
            return
        self[missing]
        QTimer.singleShot(0, self._stack, self.build_rest)  # dropped with the window, if it closes first
