"""The glance in the visit: what a physician sees in two seconds, and what they can do by keyboard."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from companion.services import emotions, notes, priorities
from tests.ui.conftest import visible_texts, visit_of
from ui.main_window import WINDOW_TITLE
from ui.window.widgets import ElidedLabel


def open_glance(make_window, store, name):
    window = make_window()
    window.open_visit(visit_of(store, name), "glance")
    return window, window.views["glance"]


def test_glance_shows_priorities_story_and_cue_for_the_visit(make_window, store):
    window, glance = open_glance(make_window, store, "Søren")
    shown = visible_texts(glance)
    assert "Søren (he/him)" in shown and "English" in shown
    assert "I can't sleep since Karin died" in shown
    assert "Widowed in the spring; daughter lives nearby" in shown
    assert "Tearful talking about his wife" in shown
    assert "“I can see how sad this is.”" in shown  # each NURSE step shows a phrase fitting the cue's grief
    assert "frustrated" not in shown
    assert window.windowTitle() == WINDOW_TITLE


def test_glance_shows_three_priorities_and_counts_the_rest(make_window, store):
    visit = visit_of(store, "Søren")
    for text in ("Knee", "Dentist letter", "Flu shot"):
        priorities.add_priority(store, visit, text)
    _window, glance = open_glance(make_window, store, "Søren")
    shown = [row.full_text() for row in glance.priority_rows if row.isVisible()]
    assert len(shown) == 3
    assert glance.more_priorities.text() == "+2 more"
    assert "Flu shot" not in visible_texts(glance)


def test_sensitive_fact_never_reaches_the_glance(make_window, store):
    window, glance = open_glance(make_window, store, "Frank")
    assert "beers" not in visible_texts(glance)
    assert "Plays dominoes at the community centre" in visible_texts(glance)


def test_markup_and_right_to_left_text_are_shown_literally(make_window, store):
    visit = visit_of(store, "Aïcha")
    notes.add_note(store, visit, "social", "Teaches <b>primary school</b>; exams this week", "Jonas Lindqvist")
    notes.add_note(store, visit, "social", "<img src=x> <i>likes</i> & chess", "Jonas Lindqvist")
    window, glance = open_glance(make_window, store, "Aïcha")
    shown = visible_texts(glance)
    # Arabic the privacy rules cannot read waits behind the prep card's reveal, where it is shown as written.
    assert "أريد أن أفهم نتائج التحاليل" not in shown
    assert "Teaches <b>primary school</b>; exams this week" in shown
    assert "<img src=x> <i>likes</i> & chess" in shown
    for label in glance.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    window.show_view("prepare", visit)
    window.views["prepare"].sensitive_button.setChecked(True)
    assert "أريد أن أفهم نتائج التحاليل" in visible_texts(window.views["prepare"])
    # A row's whole text is in its tooltip, which Qt would render as markup: it reads literally there too.
    tooltips = []
    for row in glance.story_rows:
        document = QTextDocument()
        document.setHtml(row.toolTip())
        tooltips.append(document.toPlainText())
    assert "•  \u2068<img src=x> <i>likes</i> & chess\u2069" in tooltips


def press_alt(qtbot, window, key, box) -> None:
    """A mnemonic clicks its box after a short animation; wait for it as a person would see it."""
    before = box.isChecked()
    qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: box.isChecked() != before)


def ticked_steps(store, name):
    cue = emotions.cues_for_visit(store, visit_of(store, name))[-1]
    return {s.key for s in cue.steps if s.ticked}


def test_ticking_a_nurse_step_with_its_key_is_saved(make_window, store, qtbot):
    window, glance = open_glance(make_window, store, "Søren")
    boxes = glance.checklist.boxes
    press_alt(qtbot, window, Qt.Key.Key_N, boxes["name"])
    press_alt(qtbot, window, Qt.Key.Key_E, boxes["explore"])
    assert ticked_steps(store, "Søren") == {"name", "explore"}
    press_alt(qtbot, window, Qt.Key.Key_N, boxes["name"])  # untick
    assert ticked_steps(store, "Søren") == {"explore"}


def test_a_new_cue_takes_a_few_keystrokes(make_window, store, qtbot):
    window, glance = open_glance(make_window, store, "Frank")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert glance.checklist.new_cue.hasFocus()
    qtbot.keyClicks(glance.checklist.new_cue, "angry about wait")
    qtbot.keyClick(glance.checklist.new_cue, Qt.Key.Key_Return)
    assert glance.checklist.cue.full_text() == "angry about wait"
    assert glance.checklist.new_cue.text() == ""
    press_alt(qtbot, window, Qt.Key.Key_S, glance.checklist.boxes["support"])
    cues = emotions.cues_for_visit(store, visit_of(store, "Frank"))
    assert [c.text for c in cues] == ["angry about wait"]
    assert ticked_steps(store, "Frank") == {"support"}


def test_one_key_hides_everything_and_brings_it_back(make_window, store, qtbot):
    window, glance = open_glance(make_window, store, "Søren")
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.current_view() == "hidden"
    assert "Søren" not in visible_texts(window)
    assert "Karin" not in visible_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.current_view() == "glance"
    assert "Karin" in visible_texts(window)


def test_glance_fits_its_default_size_without_scrolling(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    for text in ("A long priority in the patient's own words about the dental surgery next month", "Two", "3"):
        priorities.add_priority(store, visit, text)
    for text in ("Sings in a choir", "Sister calls on Sundays", "Keeps bees"):
        notes.add_note(store, visit, "social", text, "Jonas Lindqvist")
    notes.add_note(store, visit, "practical", "Hard of hearing on the right; sit on his left", "Jonas Lindqvist")
    window, glance = open_glance(make_window, store, "Søren")
    assert (window.width(), window.height()) == (420, 640)
    assert glance.layout().minimumSize().height() <= glance.height()
    for child in glance.findChildren(QLabel):
        if child.isVisible():
            bottom = child.mapTo(glance, child.rect().bottomLeft()).y()
            assert bottom <= glance.height(), child.text()


def test_glance_type_is_large_enough_to_read_at_a_glance(make_window, store):
    _window, glance = open_glance(make_window, store, "Søren")
    assert all(row.font().pointSizeF() >= 16 for row in glance.priority_rows)
    assert glance.patient.font().pointSizeF() >= 16
    assert all(label.font().pointSizeF() >= 12 for label in glance.findChildren(QLabel))


def test_always_on_top_is_one_key_and_remembered(make_window, store, qtbot):
    window, _glance = open_glance(make_window, store, "Søren")
    assert not window.always_on_top()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.always_on_top()
    assert window._preferences.get("always_on_top") is True


def test_key_facts_are_shown_whole_not_cut(make_window, store):
    """The name, the interpreter need and a priority of ordinary length are read whole, not "…"."""
    _window, glance = open_glance(make_window, store, "Majo")
    assert glance.patient.text() == "Majo (she/her)"
    assert glance.needs.text().startswith("Spanish, interpreter")
    first = glance.priority_rows[0]
    assert "…" not in first.text()
    assert first.text().replace("\n", " ").replace("\u2068", "").replace("\u2069", "") == (
        "1  Quiero entender por qué cambiaron mi pastilla"
    )


def test_a_long_priority_is_shown_whole_and_a_short_window_shows_fewer_items_counted_as_more(qtbot, make_window, store):
    """The patient's words wrap and are read whole; when the window cannot hold every item, the story's last
    items go first, then priorities down to the first, each counted in "+N more", and nothing falls below the
    window's edge."""
    visit = visit_of(store, "Søren")
    long = "I want to understand why my tablets changed colour and whether the new ones are as strong as before"
    priorities.add_priority(store, visit, long)
    window, glance = open_glance(make_window, store, "Søren")
    row = next(r for r in glance.priority_rows if long in r.full_text())
    assert "\n" in row.text() and not row.is_cut()
    assert shows_its_own_text(row) and "…" not in row.text()

    window.resize(420, 900)
    qtbot.waitUntil(lambda: all(r.isVisible() for r in glance.priority_rows))
    assert not glance.more_priorities.isVisible()
    assert glance.layout().minimumSize().height() <= glance.height()

    window.resize(420, 470)
    qtbot.waitUntil(lambda: not glance.story_rows[0].isVisible())
    shown = [r for r in glance.priority_rows if r.isVisible()]
    assert glance.priority_rows[0] in shown
    assert all(not r.is_cut() and "…" not in r.text() for r in shown)
    hidden = len(glance.priority_rows) - len(shown)
    if hidden:
        assert glance.more_priorities.text() == f"+{hidden} more"
    assert glance.more_story.text() == f"+{len(glance.glance.story) + glance.glance.more_story} more"
    assert glance.layout().minimumSize().height() <= glance.height()


def test_switching_visits_back_and_forth_shows_each_visits_own_words(qtbot, make_window, store):
    """A row's shapes (one line, two lines) are worked out for its text: going back to a visit shows its long
    priority on two lines again, and a short text in its place is shown whole, never another text's cut."""
    long = "I want to understand why my tablets changed colour and whether the new ones are as strong as before"
    priorities.add_priority(store, visit_of(store, "Søren"), long)
    window, glance = open_glance(make_window, store, "Søren")
    window.resize(420, 900)
    row = next(r for r in glance.priority_rows if long in r.full_text())
    qtbot.waitUntil(lambda: "\n" in row.text())
    index = glance.priority_rows.index(row)

    for _ in range(2):
        window.open_visit(visit_of(store, "Majo"), "glance")
        assert all(shows_its_own_text(r) for r in glance.priority_rows + glance.story_rows if r.isVisible())

        window.open_visit(visit_of(store, "Søren"), "glance")
        assert all(shows_its_own_text(r) for r in glance.priority_rows + glance.story_rows if r.isVisible())
        assert "\n" in glance.priority_rows[index].text()
        assert glance.layout().minimumSize().height() <= glance.height()


def shows_its_own_text(row) -> bool:
    """What the row shows is the start of its own text (wrapped, perhaps cut with "…"), not another's."""
    plain = str.maketrans({"\n": " ", "\u2068": None, "\u2069": None})  # line breaks and direction isolates
    shown = row.text().translate(plain).removesuffix("…").rstrip()
    return bool(shown) and row.full_text().translate(plain).startswith(shown)


def test_a_glance_switched_to_looks_like_the_same_glance_opened_fresh(qtbot, qapp, make_window, store):
    """Which rows get a second line depends only on the visit and the window, never on the visits shown
    before it (layouts remember sizes: the previous visit's must not decide this one's room)."""
    long = "I want to understand why my tablets changed colour and whether the new ones are as strong as before"
    priorities.add_priority(store, visit_of(store, "Søren"), long)
    brother = "Her brother moved in last month after losing his job and now sleeps on the sofa"
    notes.add_note(store, visit_of(store, "Majo"), "social", brother, "Jonas Lindqvist")
    inhaler = "Frustrated that the pharmacy keeps running out of his inhaler every single month"
    emotions.add_cue(store, visit_of(store, "Frank"), inhaler, "Jonas Lindqvist")
    names = ("Søren", "Majo", "Frank", "Aïcha")

    def opened(window, name) -> list[tuple[str, str]]:
        window.open_visit(visit_of(store, name), "glance")
        for _ in range(3):  # the event loop runs between one switch and the next, as between key presses
            qapp.processEvents()
        glance = window.views["glance"]
        return [(row.objectName(), row.text()) for row in glance.findChildren(ElidedLabel) if row.isVisible()]

    window = make_window()
    window.resize(420, 600)
    switched = {}
    for name in names + names:
        switched[name] = opened(window, name)
    for name in names:
        fresh = make_window()
        fresh.resize(420, 600)
        assert switched[name] == opened(fresh, name), name


def test_the_glance_stays_light_on_a_dark_desktop(qapp, make_window, store):
    """A desktop in dark mode changes none of the calm colours: dark ink on paper, white fields."""
    from PySide6.QtGui import QColor, QPalette

    from ui.app import apply_style

    qapp.setPalette(QPalette(QColor("#202020")))  # what a dark desktop theme hands the app...
    apply_style(qapp)  # ...before the app applies its style, as it starts
    _window, glance = open_glance(make_window, store, "Søren")

    role = QPalette.ColorRole
    view, box, field = glance.palette(), glance.checklist.boxes["name"].palette(), glance.checklist.new_cue.palette()
    assert (view.color(role.Window).name(), view.color(role.WindowText).name()) == ("#f7f5f0", "#1f2a30")
    assert (box.color(role.Base).name(), box.color(role.WindowText).name()) == ("#ffffff", "#1f2a30")
    assert (field.color(role.Base).name(), field.color(role.Text).name()) == ("#ffffff", "#1f2a30")
    assert view.color(role.ToolTipBase).name() == "#f7f5f0"  # tooltips: ink on paper too


def test_a_video_visit_says_so_and_asks_for_the_camera_not_a_chair(make_window, store, qtbot):
    from companion.services import booking

    visit = visit_of(store, "Søren")
    window, glance = open_glance(make_window, store, "Søren")
    assert "sit down" in glance.moment.full_text() and "Video visit" not in visible_texts(glance)

    booking.set_video(store, visit, True)
    window.open_visit(visit, "prepare")
    assert "Video visit" in window.views["prepare"].reason.text()
    window.open_visit(visit, "glance")

    assert glance.needs.full_text().startswith("Video visit")
    assert "camera" in glance.moment.full_text() and "sit down" not in glance.moment.full_text()
    qtbot.keyClick(glance, Qt.Key.Key_F5)  # listening: the Presence cue, in its video form, is on the tooltip
    qtbot.waitUntil(lambda: "camera" in glance.moment.toolTip())


def test_the_step_being_ticked_keeps_the_keyboard_while_the_glance_makes_room(qtbot, make_window, store):
    """A NURSE step has the focus (Alt+N); the window grows, and every phrase comes back: the focus stays on the
    step, so the next key press still ticks it and nothing typed goes astray."""
    window, glance = open_glance(make_window, store, "Søren")
    window.show()
    qtbot.waitExposed(window)
    window.resize(380, 420)
    phrases = glance.checklist.phrase_labels.values()
    qtbot.waitUntil(lambda: sum(label.isVisible() for label in phrases) <= 1)  # only the next step's phrase
    box = glance.checklist.boxes["understand"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    window.resize(420, 1000)
    qtbot.waitUntil(lambda: all(label.isVisible() for label in phrases))
    assert box.hasFocus()
    assert all(row.isVisible() for row in glance.story_rows if row.full_text())


NEEDS = (
    "Uses a wheelchair; the wide room",
    "Hard of hearing on the left; sit on her right",
    "Needs large print",
    "Brings her own glucose meter",
    "Prefers the window open",
    "Her daughter drives her; leave by 10:30",
    "Allergic to latex gloves",
    "Cannot lie flat for long",
)


def test_practical_needs_show_as_many_as_fit_whole_and_count_the_rest(make_window, store, qtbot):
    visit = visit_of(store, "Majo")  # Spanish, with an interpreter: always on the line
    for need in NEEDS:
        notes.add_note(store, visit, "practical", need, "Jonas Lindqvist")
    window, glance = open_glance(make_window, store, "Majo")
    qtbot.wait(5)

    line = glance.needs.full_text()
    assert line.startswith("Spanish, interpreter") and not glance.needs.is_cut()  # never cut: counted instead
    shown = [need for need in NEEDS if need in line]
    counted = int(re.search(r"\+(\d+) more on the prep card", line).group(1))
    assert 0 < len(shown) < len(NEEDS) and len(shown) + counted == len(NEEDS)
    # One more need would not have fitted: the line holds as many as it can.
    count = f" · +{counted} more on the prep card"
    one_more = f" · {NEEDS[len(shown)]}" + (f" · +{counted - 1} more on the prep card" if counted > 1 else "")
    longer = line.replace(count, one_more)
    assert longer != line
    assert not glance.needs.fits(longer, glance.needs.width())

    window.resize(900, 1000)  # room for them all: each need, and no count
    qtbot.waitUntil(lambda: "more on the prep card" not in glance.needs.full_text())
    assert all(need in glance.needs.full_text() for need in NEEDS)


def test_the_smallest_window_shortens_what_can_wait_rather_than_squeeze_the_cue_and_nurse_steps(
    qtbot, make_window, store
):
    """At 380x560 a long name, practical needs, a long first priority and a long cue left no room even with the
    fewest items: the layout squeezed the cue mid-line and the NURSE steps until their rows overlapped (attack
    round 33). The lines that can wait give up lines instead, each ending in "…" with the whole in its tooltip;
    a larger window gives them back."""
    from PySide6.QtWidgets import QCheckBox

    from companion.services import patients
    from companion.services.visits import visit_row

    visit = visit_of(store, "Majo")
    patient = visit_row(store, visit).patient_id
    name = "María del Carmen Hernández-Villalobos de la Fuente"
    needs = "Needs a wheelchair-accessible room and a large-print handout"
    patients.edit_patient(
        store, patient, recorded_name=name, preferred_name="Maricarmen Hernández-Villalobos", pronouns="she/her",
        language="Spanish", interpreter_needed=True, needs=needs,
    )  # fmt: skip
    first = "Wants to understand why her ankles keep swelling even though she takes the water pill every morning"
    priorities.add_priority(store, visit, first)
    cue = (
        "Frustrated and angry that the pharmacy keeps running out of her water pill and that nobody calls her back "
        "when she leaves a message about the refill"
    )
    notes.add_note(store, visit, "emotion", cue, "Jonas Lindqvist")
    window, glance = open_glance(make_window, store, "Maricarmen")

    window.resize(380, 560)
    qtbot.wait(50)

    boxes = [box for box in glance.checklist.findChildren(QCheckBox) if box.isVisible()]
    assert len(boxes) == 5 and all(box.height() >= box.sizeHint().height() for box in boxes)  # none overlaps
    shown_cue = glance.checklist.cue
    assert shown_cue.height() >= shown_cue.sizeHint().height()  # no line of it cut by the layout
    assert glance.layout().minimumSize().height() <= glance.height()
    shortened = [label for label in (glance.needs, glance.priority_rows[0], shown_cue) if label.is_cut()]
    assert shortened and all(label.text().endswith("…") for label in shortened)
    assert all(label.toolTip().replace("\u2068", "").replace("\u2069", "") for label in shortened)

    window.resize(900, 1000)
    qtbot.waitUntil(lambda: not any(label.is_cut() for label in (glance.needs, glance.patient, shown_cue)))
    assert "…" not in glance.patient.text() and not any(row.is_cut() for row in glance.priority_rows)
