"""Words the views show for stored values, in one place so translations can follow."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.window.translations import translated


def tr(text: str) -> str:
    """The words in the window's language (ui.window.translations), else as written."""
    return translated(text) or QCoreApplication.translate("companion", text)


def status_label(status: str) -> str:
    return {
        "scheduled": tr("Scheduled"),
        "roomed": tr("Roomed"),
        "prepared": tr("Prepared"),
        "in_visit": tr("In visit"),
        "done": tr("Done"),
        "cancelled": tr("Cancelled"),
        "no_show": tr("No-show"),
    }.get(status, status)


def topic_label(topic: str) -> str:
    return {
        "family": tr("Family"),
        "work": tr("Work"),
        "home": tr("Home"),
        "culture": tr("Culture and beliefs"),
        "joy": tr("What brings joy"),
        "needs": tr("Social needs"),
        "hearing": tr("Hearing"),
        "vision": tr("Vision"),
        "mobility": tr("Mobility"),
        "interpreter": tr("Interpreter"),
    }.get(topic, topic)


def source_label(source: str) -> str:
    return {"patient": tr("Patient"), "nurse": tr("Nurse"), "clinician": tr("Clinician")}.get(source, source)


def state_label(state: str) -> str:
    return {"open": tr("open"), "addressed": tr("addressed"), "deferred": tr("deferred")}.get(state, state)


def role_label(role: str) -> str:
    labels = {"physician": tr("Physician"), "nurse": tr("Nurse"), "other": tr("Other clinician"), "admin": tr("Admin")}
    return labels.get(role, role)
