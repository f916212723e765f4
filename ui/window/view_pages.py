"""The window's views, each built when it is first needed. After the PIN the window paints with only the view it
opens on built (Today, or the visit asked for); the views of the clinician's day are built one per turn of the
event loop right after that first paint (`build_ahead`), so a later switch is as quick as ever. From the PIN's
Enter to the painted glance: 100 ms (DESIGN.md, performance budgets); building every view first took a third of
it. A view outside the role's day (ui.views.registry, `ahead_for`) is built when first opened, and one never
opened costs no memory (the window's memory budget, 1.2 times a bare window's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.views.registry import BY_KEY, ViewSpec


class ViewPages(Mapping[str, QWidget]):
    """Every view of ui.views.registry by its key, as a dict of them would be; each page of `stack` once built."""

    def __init__(self, stack: QStackedWidget, make: Callable[[ViewSpec], QWidget]) -> None:
        self._stack = stack
        self._make = make
        self._built: dict[str, QWidget] = {}
        self._ahead: list[str] | None = None  # still to build ahead; None until build_ahead is called

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

    def build_ahead(self, keys: Iterable[str]) -> None:
        """Build these views, one per turn of the event loop: keys typed meanwhile wait for one view at most."""
        self._ahead = [key for key in keys if key not in self._built]
        self._build_next()

    def ahead_built(self) -> bool:
        """Whether every view asked for ahead is built (tests wait for it, as a person's first key would)."""
        return self._ahead is not None and not self._ahead

    def _build_next(self) -> None:
        while self._ahead and self._ahead[0] in self._built:  # opened meanwhile
            self._ahead.pop(0)
        if not self._ahead:
            return
        self[self._ahead.pop(0)]
        QTimer.singleShot(0, self._stack, self._build_next)  # dropped with the window, if it closes first
