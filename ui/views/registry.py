"""Every view, declared once: the window builds its pages, navigation, shortcuts, hints and audit from this list
(ui.main_window). A new view is one module plus one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QWidget

from companion.services.preferences import Preferences
from ui.views.admin import AdminView
from ui.views.glance import GlanceView
from ui.views.patient_view import PatientFacingView
from ui.views.prepare import PrepareView
from ui.views.recentre import RecentreView
from ui.views.reflection import ReflectionView
from ui.views.rooming import RoomingView
from ui.views.today import TodayView
from ui.window.context import AppContext

SEES_PATIENTS = frozenset({"nurse", "physician", "other"})
IN_THE_ROOM = frozenset({"physician", "other"})  # who prepares at the door, glances in the visit, pauses after it


@dataclass(frozen=True)
class ViewSpec:
    key: str  # the view's name on the command line (--view) and in code
    make: Callable[[AppContext, Preferences], QWidget]
    hint: str  # the keys that matter there, on the window's bottom line
    title: str = ""  # its navigation button; none for a view reached another way
    shortcut: str = ""
    needs_visit: bool = False  # it shows one visit (`show_visit`), chosen on Today
    audit: str = ""  # opening it shows a patient's record: recorded as this action
    nurse_hint: str = ""  # the hint for nurses, where they have keys others do not
    # The roles whose day goes through it: built for them right after the window's first paint, so it opens at
    # once. Anyone else gets it built the first time they open it (tens of milliseconds), and a view never opened
    # costs no memory: an admin's window holds no patient view at all.
    ahead_for: frozenset[str] = frozenset()
    # The roles it opens for (empty: everyone who sees patients). The visit's own acts, from the door to the pause
    # after it, are its clinician's: a nurse who pressed Ctrl+4 would close a physician's visit with Ctrl+D.
    only_for: frozenset[str] = frozenset()

    def hint_for(self, role: str) -> str:
        return self.nurse_hint if role == "nurse" and self.nurse_hint else self.hint


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "today",
        lambda ctx, _prefs: TodayView(ctx),
        QT_TR_NOOP("Enter open · Alt+←→ day · Alt+Home today · Ctrl+I import · Esc hide"),
        title=QT_TR_NOOP("Today"),
        shortcut="Ctrl+1",
        ahead_for=SEES_PATIENTS,
        nurse_hint=QT_TR_NOOP(
            "Enter open · Alt+←→ day · Ctrl+N new · A assign · M move · P patient · H check-in · N no-show"
            " · Del cancel · Ctrl+I import · Esc hide"
        ),
    ),
    ViewSpec(
        "rooming",
        lambda ctx, _prefs: RoomingView(ctx),
        QT_TR_NOOP("Enter add · Alt+↑↓ order · F2 edit · Ctrl+H history · Del retract · Esc hide"),
        title=QT_TR_NOOP("Rooming"),
        shortcut="Ctrl+2",
        needs_visit=True,
        audit="open rooming",
        ahead_for=frozenset({"nurse"}),
    ),
    ViewSpec(
        "prepare",
        lambda ctx, _prefs: PrepareView(ctx),
        QT_TR_NOOP("Space start · Ctrl+Enter go in · Ctrl+E ritual · Esc hide"),
        title=QT_TR_NOOP("Prepare"),
        shortcut="Ctrl+3",
        needs_visit=True,
        audit="open prep card",
        ahead_for=IN_THE_ROOM,
        only_for=IN_THE_ROOM,
    ),
    ViewSpec(
        "glance",
        lambda ctx, _prefs: GlanceView(ctx),
        QT_TR_NOOP("F5 listen · Ctrl+K cue · Ctrl+D close · F9 show the patient · Ctrl+P handout · Esc hide"),
        title=QT_TR_NOOP("Glance"),
        shortcut="Ctrl+4",
        needs_visit=True,
        audit="open glance",
        ahead_for=IN_THE_ROOM,
        only_for=IN_THE_ROOM,
    ),
    ViewSpec(
        "reflect",
        lambda ctx, _prefs: ReflectionView(ctx),
        QT_TR_NOOP("Only you see this · Alt+K on/off · Esc hide"),
        title=QT_TR_NOOP("Reflect"),
        shortcut="Ctrl+5",
    ),
    ViewSpec(
        "patient",
        lambda ctx, _prefs: PatientFacingView(ctx),
        QT_TR_NOOP("F9 back (your PIN) · ↑↓ choose · That's not what I meant: correct it, Enter saves · Esc hide"),
        needs_visit=True,
        audit="show the patient",
        only_for=IN_THE_ROOM,
    ),
    ViewSpec(
        "recentre",
        RecentreView,
        QT_TR_NOOP("Space or Enter skips the pause · Esc hide"),
        ahead_for=IN_THE_ROOM,
        only_for=IN_THE_ROOM,
    ),
    ViewSpec(
        "admin",
        lambda ctx, _prefs: AdminView(ctx),
        QT_TR_NOOP("Clinicians, PINs and settings · Ctrl+Shift+U lock"),
        ahead_for=frozenset({"admin"}),
    ),
)
BY_KEY = {spec.key: spec for spec in VIEWS}


def built_ahead(role: str) -> list[str]:
    """The views built right after the first paint for this role, in the order of its day."""
    return [spec.key for spec in VIEWS if role in spec.ahead_for]
