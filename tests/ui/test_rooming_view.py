"""Rooming: the nurse types what matters to the patient; everything is saved as it is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.services import audit_trail, notes, priorities, visits
from companion.storage.store import open_store
from tests.ui.conftest import gone, open_dialog, type_into, visible_texts, visit_of
from ui.window.edit_dialog import EditDialog

NURSE = "Jonas Lindqvist"


def open_rooming(make_window, store, name, **kwargs):
    window = make_window(NURSE, **kwargs)
    window.open_visit(visit_of(store, name), "rooming")
    return window, window.views["rooming"]


def test_nurse_types_a_priority_and_it_is_listed_and_saved(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    assert rooming.priorities.input.hasFocus()
    qtbot.keyClicks(rooming.priorities.input, "My knee hurts on stairs")
    qtbot.keyClick(rooming.priorities.input, Qt.Key.Key_Return)
    assert "1. My knee hurts on stairs" in visible_texts(rooming)
    saved = priorities.agenda(store, visit_of(store, "Lan"))
    assert [(p.text, p.source, p.scope) for p in saved] == [("My knee hurts on stairs", "patient", "today")]
    assert rooming.priorities.input.text() == ""


def test_lasting_priority_from_the_keyboard(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(rooming.priorities.lasting.isChecked)
    rooming.priorities.input.setFocus()
    qtbot.keyClicks(rooming.priorities.input, "Walk to the market again")
    qtbot.keyClick(rooming.priorities.input, Qt.Key.Key_Return)
    assert [p.scope for p in priorities.agenda(store, visit_of(store, "Lan"))] == ["lasting"]


def test_reorder_priorities_with_alt_arrows(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Majo")
    items = rooming.priorities.items
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    order = [p.text for p in priorities.agenda(store, visit_of(store, "Majo"))]
    assert order == ["My feet tingle at night", "Quiero entender por qué cambiaron mi pastilla"]
    shown = items.item(0).text().replace("\u2068", "").replace("\u2069", "").replace("\u00a0", " ")
    assert shown.startswith("1. My feet tingle at night  · Jonas Lindqvist · ")  # who wrote it, and when
    assert items.currentRow() == 0


def test_social_note_with_topic_is_saved_for_later_visits(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    section = rooming.notes["social"]
    section.topic.setCurrentIndex(section.topic.findData("joy"))
    section.input.setFocus()
    qtbot.keyClicks(section.input, "Grows herbs on the balcony")
    qtbot.keyClick(section.input, Qt.Key.Key_Return)
    saved = notes.notes_for_visit(store, visit_of(store, "Lan"), "social")
    assert [(n.text, n.topic, n.lasting, n.author) for n in saved] == [
        ("Grows herbs on the balcony", "joy", True, NURSE)
    ]
    assert "What brings joy: Grows herbs on the balcony" in visible_texts(rooming)


def answer(qtbot, text: str) -> None:
    """Type into the edit dialog that just opened, and Enter."""
    dialog = open_dialog(qtbot, EditDialog)
    type_into(qtbot, dialog.line, text)
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)


def test_edit_keeps_history_and_retract_asks_for_a_reason(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Søren")
    section = rooming.notes["social"]
    section.items.setFocus()
    section.items.setCurrentRow(0)
    qtbot.keyClick(section.items, Qt.Key.Key_F2)
    answer(qtbot, "Widowed in March; daughter Mette lives nearby")
    note_id = section.items.item(0).data(Qt.ItemDataRole.UserRole)
    assert notes.note_history(store, note_id) == [("Widowed in the spring; daughter lives nearby", NURSE)]
    assert "(edited)" in section.items.item(0).text()
    section.items.setCurrentRow(0)
    qtbot.keyClick(section.items, Qt.Key.Key_Delete)
    answer(qtbot, "Wrong patient")
    texts = [n.text for n in notes.notes_for_visit(store, visit_of(store, "Søren"), "social")]
    assert "Widowed in March; daughter Mette lives nearby" not in texts
    assert "Widowed in March" not in visible_texts(rooming)


def test_a_correction_begun_before_the_patients_own_says_so_and_keeps_their_words(make_window, store, qtbot):
    """F2 on a priority; meanwhile the patient corrects it on the screen turned to them. The nurse's Enter saves her
    words (nothing typed is lost) and says the patient's newer ones are in the history, never silently."""
    from companion.services import checkin

    window, rooming = open_rooming(make_window, store, "Søren")
    section = rooming.priorities
    section.items.setFocus()
    section.items.setCurrentRow(0)
    priority_id = section.selected_id()
    said = []
    window.ctx.message.connect(said.append)
    qtbot.keyClick(section.items, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, EditDialog)
    checkin.correct_as_patient(store, priority_id, "My back at night, and the water tablets", language="en")
    type_into(qtbot, dialog.line, "My back at night (metoprolol)")
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("meanwhile" in s for s in said))
    assert "My back at night, and the water tablets" in priorities.priority_history(store, priority_id)


def test_empty_or_overlong_text_gets_a_clear_message_and_is_kept(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    rooming.notes["emotion"].input.setText("x" * 2000 + "  ")
    rooming.notes["emotion"].add("   ")
    assert window.notice.isVisible()
    assert "empty" in window.notice.text()
    assert notes.notes_for_visit(store, visit_of(store, "Lan"), "emotion") == []


def test_roomed_with_ctrl_enter(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert visits.visit_row(store, visit_of(store, "Lan")).status == "roomed"


def test_typed_text_survives_closing_the_window(make_window, store, db_path, qtbot):
    """A note entered and a line still being typed are both there after a restart."""
    window, rooming = open_rooming(make_window, store, "Lan")
    rooming.notes["social"].input.setFocus()
    qtbot.keyClicks(rooming.notes["social"].input, "Son drives her to visits")
    qtbot.keyClick(rooming.notes["social"].input, Qt.Key.Key_Return)
    qtbot.keyClicks(rooming.notes["social"].input, "Likes to be called Co Lan by")
    window.close()

    restarted_store = open_store(str(db_path))
    again, rooming_again = open_rooming(make_window, restarted_store, "Lan", db=restarted_store)
    assert "Son drives her to visits" in visible_texts(rooming_again)
    assert rooming_again.notes["social"].input.text() == "Likes to be called Co Lan by"
    restarted_store.engine.dispose()


def test_draft_is_saved_while_typing_without_closing(make_window, store, qtbot):
    """A crash loses nothing: the draft reaches the database shortly after typing pauses."""
    window, rooming = open_rooming(make_window, store, "Lan")
    qtbot.keyClicks(rooming.priorities.input, "Need a work note")
    visit = visit_of(store, "Lan")
    qtbot.waitUntil(lambda: window.ctx.my_drafts(visit).get("priority") == "Need a work note")


def test_sensitive_facts_are_masked_while_rooming_until_revealed(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Frank")
    assert "beers" not in visible_texts(rooming)
    social = rooming.notes["social"].items
    covered = [social.item(i).text() for i in range(social.count()) if "Private: hidden" in social.item(i).text()]
    assert covered and all(row.startswith("Private: hidden") for row in covered)  # no topic names it either
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Drinks 4-5 beers most nights" in visible_texts(rooming)
    shown = [social.item(i).text() for i in range(social.count())]
    assert any(text.startswith("Social needs: ") and "Drinks 4-5 beers" in text for text in shown)
    window.show_view("today")
    window.show_view("rooming")
    assert "beers" not in visible_texts(rooming)


def test_opening_rooming_and_revealing_its_private_facts_are_recorded_and_a_reveal_stays_with_its_patient(
    make_window, store, qtbot
):
    """Access reviews need every read of a record: opening Rooming is recorded as opening the glance is, and so is
    each reveal of its private facts. Rooming another patient covers them again."""
    window, rooming = open_rooming(make_window, store, "Frank")
    frank, lan = visit_of(store, "Frank"), visit_of(store, "Lan")

    def entries(action: str) -> list[int]:
        return [e["visit_id"] for e in audit_trail.audit_log(store) if e["action"] == action]

    qtbot.waitUntil(lambda: frank in entries("open rooming"))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: entries("reveal private items on rooming") == [frank])

    window.open_visit(lan, "rooming")
    assert not rooming.reveal_button.isChecked()
    window.open_visit(frank, "rooming")
    assert "beers" not in visible_texts(rooming)


def test_a_fact_can_be_marked_sensitive_by_hand(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    section = rooming.notes["social"]
    section.sensitive.setChecked(True)
    section.input.setFocus()
    qtbot.keyClicks(section.input, "Recently separated")
    qtbot.keyClick(section.input, Qt.Key.Key_Return)
    assert "kept off the glance" in window.notice.text()
    window.show_view("glance")
    assert "separated" not in visible_texts(window.views["glance"])


def test_a_priority_is_corrected_and_retracted_from_the_keyboard(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Majo")
    items = rooming.priorities.items
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_F2)
    answer(qtbot, "My feet tingle and burn at night")
    visit = visit_of(store, "Majo")
    corrected = priorities.agenda(store, visit)[1]
    assert corrected.text == "My feet tingle and burn at night"
    assert priorities.priority_history(store, corrected.id) == ["My feet tingle at night"]
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_Delete)
    answer(qtbot, "Said by mistake")
    assert [p.text for p in priorities.agenda(store, visit)] == ["Quiero entender por qué cambiaron mi pastilla"]


def test_a_failed_correction_keeps_the_dialog_and_the_words(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Majo")
    items = rooming.priorities.items
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, EditDialog)
    assert dialog.text() == "My feet tingle at night"
    dialog.line.setText("x" * 2001)
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.text() == "x" * 2001  # what was typed is still there, not lost
    assert window.notice.isVisible()
    type_into(qtbot, dialog.line, "Feet tingle")
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog))
    assert priorities.agenda(store, visit_of(store, "Majo"))[1].text == "Feet tingle"


def test_esc_cancels_an_edit_and_the_window_is_never_blocked(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Majo")
    items = rooming.priorities.items
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, EditDialog)  # the test goes on while it is open: nothing waits on it
    type_into(qtbot, dialog.line, "Not this")
    qtbot.keyClick(dialog.line, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog))
    visit = visit_of(store, "Majo")
    assert priorities.agenda(store, visit)[1].text == "My feet tingle at night"
    assert not any(field.startswith("edit:") for field in window.ctx.my_drafts(visit))
    qtbot.keyClick(items, Qt.Key.Key_F2)
    assert open_dialog(qtbot, EditDialog).text() == "My feet tingle at night"


def test_every_declared_note_kind_has_its_section_topics_and_lasting_choice(make_window, store, qtbot):
    """A note kind is declared once (companion.read.note_kinds): Rooming offers each, as declared, and saves it."""
    from companion.read.note_kinds import NOTE_KINDS

    window, rooming = open_rooming(make_window, store, "Lan")
    assert list(rooming.notes) == [spec.kind.value for spec in NOTE_KINDS]
    for spec in NOTE_KINDS:
        section = rooming.notes[spec.kind.value]
        offered = [section.topic.itemData(i) for i in range(1, section.topic.count())]
        assert offered == list(spec.topics)
        assert section.lasting.isVisibleTo(rooming) is spec.can_last
        topic = spec.topics[-1] if spec.topics else ""
        section.topic.setCurrentIndex(section.topic.findData(topic))
        type_into(qtbot, section.input, f"A {spec.kind.value} fact worth knowing")
        qtbot.keyClick(section.input, Qt.Key.Key_Return)
        saved = [n for n in notes.notes_for_visit(store, visit_of(store, "Lan"), spec.kind.value)]
        assert (saved[-1].text, saved[-1].topic, saved[-1].lasting) == (
            f"A {spec.kind.value} fact worth knowing",
            topic,
            spec.can_last,
        )


def test_correcting_a_covered_private_item_asks_for_the_audited_reveal_first(make_window, store, qtbot):
    """F2 on a row that reads "Private: hidden" would put its words in the correction box: it says to reveal
    first, and after the reveal (which is recorded) the correction opens with the words."""
    window, rooming = open_rooming(make_window, store, "Frank")
    section, row = next(
        (s, i)
        for s in (rooming.priorities, *rooming.notes.values())
        for i in range(s.items.count())
        if "Private: hidden" in s.items.item(i).text()
    )
    section.items.setFocus()
    section.items.setCurrentRow(row)

    qtbot.keyClick(section.items, Qt.Key.Key_F2)

    assert not [w for w in window.findChildren(EditDialog) if w.isVisible()]
    assert "Ctrl+Shift+S" in window.notice.text()
    assert "beers" not in visible_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    section.items.setFocus()
    section.items.setCurrentRow(row)
    qtbot.keyClick(section.items, Qt.Key.Key_F2)
    assert "beers" in open_dialog(qtbot, EditDialog).text()
    assert [e["action"] for e in audit_trail.audit_log(store)].count("reveal private items on rooming") == 1
