"""The whole visit, driven by the keyboard as a clinician would: listen, agree, explore, close, pause, next."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from companion.read.summary import build_summary
from companion.services import emotions, encounter, priorities, reflection
from companion.storage.models import Visit
from tests.ui.conftest import clinician_id, visible_texts, visit_of

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press_alt(qtbot, window, key, box) -> None:
    """A mnemonic clicks its box after a short animation; wait for it as a person would see it."""
    before = box.isChecked()
    qtbot.keyClick(window, key, ALT)
    qtbot.waitUntil(lambda: box.isChecked() != before)


def follow_up_visit(store, visit_id: int, days: int) -> int:
    """Book the same patient with the same clinician some days later."""
    with store.writing() as session:
        visit = session.get(Visit, visit_id)
        later = Visit(
            patient_id=visit.patient_id,
            clinician_id=visit.clinician_id,
            scheduled_at=visit.scheduled_at + timedelta(days=days),
            reason="Follow-up",
        )
        session.add(later)
        session.commit()
        return later.id


def test_a_whole_visit_from_the_keyboard(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    window = make_window()
    window.views["recentre"].seconds = 1  # a short pause for the test; 20 s by default
    window.open_visit(visit, "glance")
    glance = window.views["glance"]
    assert "F5 when you sit down" in glance.moment.full_text()

    # Listen completely: one key starts the quiet cue, one key ends it.
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert glance.stage() == "listening"
    assert glance.moment.full_text().startswith("Listening · ")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    talk = encounter.conversation(store, visit)
    assert talk.status == "in_visit" and talk.listen_seconds is not None and talk.listen_seconds >= 0

    # Agree on what matters most: the agenda opens with the "something else" question.
    assert glance.body.currentWidget() is glance.agenda
    assert "“Is there something else you want to address today?”" in visible_texts(glance)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert glance.agenda.input.hasFocus()
    qtbot.keyClicks(glance.agenda.input, "My back at night")
    qtbot.keyClick(glance.agenda.input, Qt.Key.Key_Return)
    press_alt(qtbot, window, Qt.Key.Key_M, glance.agenda.mine)
    glance.agenda.input.setFocus()
    qtbot.keyClicks(glance.agenda.input, "Check blood pressure")
    qtbot.keyClick(glance.agenda.input, Qt.Key.Key_Return)
    agenda = priorities.agenda(store, visit)
    assert [(p.text, p.source) for p in agenda[-2:]] == [
        ("My back at night", "patient"),
        ("Check blood pressure", "clinician"),
    ]
    glance.agenda.items.setFocus()
    glance.agenda.items.setCurrentRow(2)  # "My back at night" goes first
    qtbot.keyClick(glance.agenda.items, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(glance.agenda.items, Qt.Key.Key_Up, ALT)
    assert priorities.agenda(store, visit)[0].text == "My back at night"
    qtbot.keyClick(window, Qt.Key.Key_G, CTRL)
    assert encounter.conversation(store, visit).agenda_agreed
    assert glance.body.currentWidget() is glance.main
    assert "1  My back at night" in visible_texts(glance)

    # Explore the emotional cue.
    press_alt(qtbot, window, Qt.Key.Key_N, glance.checklist.boxes["name"])
    press_alt(qtbot, window, Qt.Key.Key_E, glance.checklist.boxes["explore"])

    # Close well: what became of each item, a next step, teach-back and Ask-Tell-Ask.
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    assert glance.body.currentWidget() is glance.closing
    assert glance.closing.items.hasFocus()
    qtbot.keyClick(glance.closing.items, Qt.Key.Key_Space)  # "My back at night": addressed
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    qtbot.keyClicks(glance.closing.step_input, "Sleep diary for two weeks")
    qtbot.keyClick(glance.closing.step_input, Qt.Key.Key_Return)
    press_alt(qtbot, window, Qt.Key.Key_T, glance.closing.teach_back)
    press_alt(qtbot, window, Qt.Key.Key_A, glance.closing.ask_tell_ask)
    qtbot.keyClick(window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied == build_summary(store, visit)
    assert "- My back at night: addressed" in copied
    assert "- Refill of my heart pills: still open" in copied
    assert "- Sleep diary for two weeks" in copied
    assert "Tearful talking about his wife (NURSE steps used: Name, Explore)" in copied
    assert "Teach-back done" in copied

    # Done: the re-centring pause, then the next visit's prep card.
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: window.current_view() == "recentre")  # once saved: at once, or soon on a busy machine
    assert encounter.conversation(store, visit).status == "done"
    qtbot.waitUntil(lambda: window.current_view() == "prepare", timeout=15000)
    assert window.visit_id == visit_of(store, "Zoë")
    assert "Last time we did not get to: Talk about my sleep" in visible_texts(window.views["prepare"])

    # Whatever stayed open was deferred, and waits on Søren's next prep card.
    agenda = {p.text: p.state for p in priorities.agenda(store, visit)}
    assert agenda["Refill of my heart pills"] == "deferred"
    assert agenda["My back at night"] == "addressed"
    later = follow_up_visit(store, visit, days=14)
    window.open_visit(later, "prepare")
    shown = visible_texts(window.views["prepare"])
    assert "Last time we did not get to: Refill of my heart pills" in shown
    assert "My back at night" not in shown
    cue = emotions.cues_for_visit(store, visit)[0]
    assert {s.key for s in cue.steps if s.ticked} == {"name", "explore"}


def test_recentre_pause_is_skipped_with_one_key(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    window = make_window()
    window.open_visit(visit, "glance")
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    recentre = window.views["recentre"]
    assert window.current_view() == "recentre" and recentre.running()
    assert "Next: 09:30 · \u2068Knee pain follow-up\u2069" in recentre.next_line.text()  # isolated: any script
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.current_view() == "prepare"
    assert not recentre.running()


def test_recentre_pause_can_be_turned_off(make_window, store, qtbot):
    window = make_window()
    window.views["recentre"].enabled_box.setChecked(False)
    window.open_visit(visit_of(store, "Søren"), "glance")
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    assert window.current_view() == "prepare"
    assert window.visit_id == visit_of(store, "Zoë")


def test_hiding_during_the_pause_keeps_everything_hidden(make_window, store, qtbot):
    window = make_window()
    window.views["recentre"].seconds = 1
    window.open_visit(visit_of(store, "Søren"), "glance")
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window._current == "prepare", timeout=15000)
    assert window.current_view() == "hidden"
    assert "Zoë" not in visible_texts(window)


def test_prep_card_connects_with_the_story(make_window, store):
    window = make_window()
    window.open_visit(visit_of(store, "Zoë"), "prepare")
    shown = visible_texts(window.views["prepare"])
    assert "Last time: I want to run with my kids again" in shown
    assert "notice their efforts, celebrate progress" in shown


def test_private_reflection_is_opt_in_and_shows_own_practice(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    encounter.ask_something_else(store, visit)
    encounter.set_close_check(store, visit, "teach_back", True)
    encounter.finish_visit(store, visit)
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_5, CTRL)
    view = window.views["reflect"]
    assert window.current_view() == "reflect"
    assert not view.chart.isVisible()
    press_alt(qtbot, window, Qt.Key.Key_K, view.keep)
    assert reflection.reflection_enabled(store, clinician_id(store, "Dr. Amara Okafor"))
    assert view.chart.isVisible()
    assert view.chart.rows() == [
        ("Full agenda elicited", 1, 1),
        ("Focus ritual done", 0, 1),
        ("Cues explored", 0, 1),
        ("Teach-back done", 1, 1),
    ]
    assert "Private" not in build_summary(store, visit) and "reflection" not in build_summary(store, visit)


def test_reflection_belongs_to_one_clinician(make_window, store, qtbot):
    reflection.set_reflection(store, clinician_id(store, "Dr. Amara Okafor"), True)
    window = make_window("Dr. Priya Raman")
    window.show_view("reflect")
    assert not window.views["reflect"].keep.isChecked()
    assert not window.views["reflect"].chart.isVisible()


def test_summary_leaves_out_sensitive_facts(store):
    visit = visit_of(store, "Frank")
    priorities.add_priority(store, visit, "Help cutting down alcohol")
    text = build_summary(store, visit)
    assert "alcohol" not in text
    assert "sensitive items left out: 1" in text
    assert "Help cutting down alcohol" in build_summary(store, visit, include_sensitive=True)


def test_a_private_agenda_item_or_next_step_typed_on_the_glance_says_where_it_went(make_window, store, qtbot):
    """Ctrl+N and Ctrl+J take what the rules read as private off the lists others see, as Rooming does: the window
    says so, rather than the entry vanishing without a word. An everyday one says nothing."""
    window = make_window()
    visit = visit_of(store, "Zoë")
    window.open_visit(visit, "glance")
    glance = window.views["glance"]
    said = []
    window.ctx.message.connect(said.append)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.keyClicks(glance.agenda.input, "She wants her PrEP refill today")
    qtbot.keyClick(glance.agenda.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("Saved as private" in s for s in said))
    assert "PrEP" not in " ".join(visible_texts(glance))
    qtbot.keyClick(window, Qt.Key.Key_G, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    for step in ("Ice the knee twice a day", "Start PrEP daily, HIV and kidney labs in 3 months"):
        said.clear()
        qtbot.keyClicks(glance.closing.step_input, step)
        qtbot.keyClick(glance.closing.step_input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: glance.closing.step_input.text() == "")
    assert said == ["Saved as private: kept off the glance, behind the reveal."]
    assert [s.text for s in encounter.next_steps(store, visit) if s.sensitive] == [
        "Start PrEP daily, HIV and kidney labs in 3 months"
    ]


def test_ctrl_g_agrees_the_agenda_of_the_visit_on_the_glance(make_window, store, qtbot):
    """The agenda page is filled when it is shown: Ctrl+G pressed on the main page of a glance just opened, before
    F5, agreed nothing and said "No visit with id None". It agrees this visit's agenda, as the README says."""
    window = make_window()
    visit = visit_of(store, "Frank")
    window.open_visit(visit, "glance")
    qtbot.keyClick(window, Qt.Key.Key_G, CTRL)

    qtbot.waitUntil(lambda: encounter.conversation(store, visit).agenda_agreed)
    assert "None" not in window.notice.text()


def test_rooming_a_cancelled_visit_from_the_keyboard_says_why_and_leaves_it_closed(make_window, store, qtbot):
    from companion.services import booking, visits
    from tests.ui.test_lock import NURSE

    visit = visit_of(store, "Zoë")
    booking.close_visit(store, visit, "cancelled")
    window = make_window(NURSE)
    window.show_view("rooming", visit)
    qtbot.keyClick(window.views["rooming"], Qt.Key.Key_Return, CTRL)

    qtbot.waitUntil(lambda: "rooming does not reopen it" in window.notice.text())
    assert visits.visit_row(store, visit).status == "cancelled"
