"""Every patient's glance, the demo's and every one imported from ../shared/fhir, at the window's default size
and at its smallest: each key fact it shows (the name, language and needs, the moment's prompt, priorities,
story) is read whole, never cut with "…", and every widget lies inside the window."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from companion.fhir.importer import import_paths
from companion.read.overview import list_patients
from companion.services import booking
from companion.services.visits import current_visit_id, visit_row
from companion.storage.models import Visit
from tests.companion.fhir_samples import REAL_DATA
from tests.ui.conftest import clinician_id
from tests.ui.test_lock import DOCTOR
from ui.main_window import DEFAULT_SIZE, MIN_SIZE
from ui.window.widgets import ElidedLabel

pytestmark = pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"the shared FHIR examples are not at {REAL_DATA}")


@pytest.fixture
def every_patients_visit(store) -> list[int]:
    """The demo day plus every shared FHIR file; a patient the records give no visit gets one today."""
    import_paths(store, [REAL_DATA])
    visits = []
    for patient in list_patients(store):
        visit = current_visit_id(store, patient.id)
        if visit is None:
            when = datetime.combine(datetime.now().date(), time(17, 0))
            visit = booking.add_visit(store, patient.id, None, when, "").result.id
        _give_to(store, visit, clinician_id(store, DOCTOR))  # the glance is its clinician's
        visits.append(visit)
    return visits


def _give_to(store, visit_id: int, clinician: int) -> None:
    """The visit given to the clinician whose glance is measured. A visit the records closed keeps its clinician in
    the app (booking.assign_visit refuses it), so the test sets it where it is stored."""
    if visit_row(store, visit_id).open:
        booking.assign_visit(store, visit_id, clinician)
        return
    with store.writing() as session:
        row = session.get(Visit, visit_id)
        row.clinician_id = clinician
        session.add(row)
        session.commit()


def problems(window, visit: int) -> list[str]:
    glance = window.views["glance"]
    found = []
    inside = QRect(0, 0, window.width(), window.height())
    for label in glance.findChildren(ElidedLabel):
        if label.isVisible() and label.is_cut():
            found.append(f"visit {visit}: {label.objectName()} is cut: {label.text()!r}")
    for widget in glance.findChildren(QWidget):
        if widget.isVisible():
            place = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
            if not inside.contains(place):
                found.append(f"visit {visit}: {widget.objectName() or type(widget).__name__} lies outside {place}")
    return found


@pytest.mark.parametrize("size", [DEFAULT_SIZE, MIN_SIZE], ids=["default", "smallest"])
def test_every_patients_glance_shows_its_key_facts_whole_inside_the_window(
    make_window, store, every_patients_visit, size
):
    window = make_window(DOCTOR)
    window.resize(*size)
    assert (window.width(), window.height()) == size
    found = []
    for visit in every_patients_visit:
        window.open_visit(visit, "glance")
        QApplication.processEvents()
        assert window.current_view() == "glance"
        found += problems(window, visit)
    assert found == []
