"""Hidden is not forgotten: the glance says how many private items it holds back (never what kind), the prep card
shows them behind a reveal that is recorded, safety items first, a private visit reason never reaches the day's
list, and finishing a visit never quietly defers a private priority nobody has read."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlmodel import select

from companion.services import notes, priorities
from companion.services.audit_trail import audit_log
from companion.services.booking import add_visit
from companion.services.reflection import set_reflection
from companion.services.visits import set_status, visit_row
from companion.storage.models import Visit
from tests.ui.conftest import clinician_id, visible_texts, visit_of

CATEGORY_WORDS = ("substance", "alcohol", "suicide", "abuse", "safety", "hiv", "private category")


def test_the_glance_counts_what_it_holds_back_without_naming_it(make_window, store):
    visit = visit_of(store, "Frank")  # "Drinks 4-5 beers most nights" is private
    window = make_window()
    window.open_visit(visit, "glance")
    glance = window.views["glance"]

    assert glance.held_back.isVisible()
    assert glance.held_back.text() == "1 private item: read it at the door"
    shown = visible_texts(glance).lower()
    assert "beers" not in shown and not any(word in shown for word in CATEGORY_WORDS)

    notes.add_note(store, visit, "emotion", "Tearful about her son's overdose", "Jonas Lindqvist")
    window.open_visit(visit_of(store, "Søren"), "glance")
    window.open_visit(visit, "glance")
    assert glance.held_back.text() == "2 private items: read them at the door"


def test_the_prep_card_reveals_private_items_safety_first_and_records_it(make_window, store, qtbot):
    visit = visit_of(store, "Frank")
    notes.add_note(store, visit, "social", "Afraid to go home to his brother", "Jonas Lindqvist")
    window = make_window()
    window.open_visit(visit, "prepare")
    card = window.views["prepare"]
    assert "Afraid" not in visible_texts(card) and "beers" not in visible_texts(card)

    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    lines = card.sensitive.text().replace("\u2068", "").replace("\u2069", "").splitlines()
    assert lines == ["Safety · Afraid to go home to his brother", "Substance use · Drinks 4-5 beers most nights"]
    assert [e["action"] for e in audit_log(store) if e["visit_id"] == visit][-1] == "reveal private items"


def test_a_private_reason_shows_on_no_screen_others_see_and_behind_the_prep_cards_reveal(make_window, store, qtbot):
    doctor = clinician_id(store, "Dr. Amara Okafor")
    with store.session() as session:
        theirs = session.exec(select(Visit.id).where(Visit.clinician_id == doctor)).all()
    last = max((visit_row(store, v) for v in theirs), key=lambda row: row.scheduled_at)
    private = add_visit(
        store, last.patient_id, doctor, last.scheduled_at + timedelta(minutes=20), "PrEP follow-up"
    ).result.id
    window = make_window()

    def says(view: str) -> str:
        return visible_texts(window.views[view])

    assert "PrEP" not in says("today") and "Reason private" in says("today")
    window.views["recentre"].show_visit(last.id)  # the pause after the visit before it: "Next: ..."
    assert "Reason private" in window.views["recentre"].next_line.text()
    assert "PrEP" not in window.views["recentre"].next_line.text()
    window.show_view("rooming", private)
    assert "PrEP" not in says("rooming") and "Reason private" in says("rooming")
    window.show_view("prepare", private)
    card = window.views["prepare"]
    assert "PrEP" not in says("prepare") and "Reason private" in says("prepare")
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert card.sensitive.text().replace("\u2068", "").replace("\u2069", "").splitlines()[0] == (
        "Reason for the visit · PrEP follow-up"
    )
    set_status(store, private, "done")
    set_reflection(store, doctor, True)
    window.show_view("reflect")
    assert "PrEP" not in says("reflect") and "Reason private" in says("reflect")


def answer(qtbot, button_text: str) -> None:
    """Press a button of the question the window asks, as a person would."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    next(b for b in box.buttons() if b.text() == button_text).click()


def test_finishing_asks_before_deferring_a_private_priority_nobody_read(make_window, store, qtbot):
    visit = visit_of(store, "Zoë")
    secret = priorities.add_priority(store, visit, "Talk about my drinking").result
    window = make_window()
    window.open_visit(visit, "glance")
    glance = window.views["glance"]

    glance.finish_visit()
    question = glance.private_question
    assert question.text() == "1 private item, not read yet: read it at the door"
    assert question.defaultButton().text() == "Read on the prep card"
    answer(qtbot, "Read on the prep card")
    assert window.current_view() == "prepare"  # nothing finished, nothing deferred
    assert next(p for p in priorities.agenda(store, visit) if p.id == secret.id).state == "open"

    window.open_visit(visit, "glance")
    glance.finish_visit()
    answer(qtbot, "Finish anyway")
    qtbot.waitUntil(lambda: visit_row(store, visit).status == "done")
    assert next(p for p in priorities.priorities_of_visit(store, visit) if p.id == secret.id).state == "deferred"


def test_once_read_behind_the_reveal_finishing_asks_nothing(make_window, store, qtbot):
    visit = visit_of(store, "Zoë")
    priorities.add_priority(store, visit, "Talk about my drinking")
    window = make_window()
    window.open_visit(visit, "prepare")
    window.views["prepare"].sensitive_button.setChecked(True)
    window.open_visit(visit, "glance")

    window.views["glance"].finish_visit()

    assert QApplication.activeModalWidget() is None
    qtbot.waitUntil(lambda: visit_row(store, visit).status == "done")
