"""The emotion checklist on the glance: one line until a cue is noted, then phrases that fit the emotion the cue
names, shown whole."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.services import emotions, notes, priorities
from tests.ui.conftest import visible_texts, visit_of
from tests.ui.test_glance_view import open_glance, press_alt
from ui.panels.emotion_checklist import COLUMN_GAP

NURSE = "Jonas Lindqvist"


def phrase(glance, step: str) -> str:
    return glance.checklist.phrase_labels[step].full_text()


def test_with_no_cue_the_checklist_is_one_line(make_window, store):
    _window, glance = open_glance(make_window, store, "Majo")  # no cue noted in her visit
    checklist = glance.checklist

    assert checklist.new_cue.isVisible() and "Ctrl+K" in checklist.new_cue.placeholderText()
    assert not any(box.isVisible() for box in checklist.boxes.values())
    assert not any(label.isVisible() for label in checklist.phrase_labels.values())
    assert checklist.height() <= checklist.new_cue.height() + 8
    title, field = checklist.title.geometry(), checklist.new_cue.geometry()
    assert abs(title.center().y() - field.center().y()) <= 4 and title.right() < field.left()  # side by side
    shown = visible_texts(glance)
    assert "Emotion" in shown and "Name" not in shown and "Explore" not in shown


def test_a_grief_cue_gets_phrases_about_sadness_not_frustration(make_window, store):
    _window, glance = open_glance(make_window, store, "Søren")  # "Tearful talking about his wife"

    shown = visible_texts(glance)
    assert "Tearful talking about his wife" in shown
    assert phrase(glance, "name") == "“I can see how sad this is.”"
    assert "“I wish things were different.”" in glance.checklist.wish.full_text()
    assert "Tell me more" in glance.checklist.wish.full_text()
    assert "frustrat" not in shown.lower()


def test_the_first_cue_opens_the_checklist_with_phrases_for_its_emotion(make_window, store, qtbot):
    window, glance = open_glance(make_window, store, "Majo")
    one_line = glance.checklist.height()

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(glance.checklist.new_cue, "llora al hablar de su madre")
    qtbot.keyClick(glance.checklist.new_cue, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: glance.checklist.boxes["name"].isVisible())
    assert glance.checklist.cue.full_text() == "llora al hablar de su madre"
    assert phrase(glance, "name") == "“Veo lo triste que es esto.”"  # a Spanish cue: Spanish phrases
    assert glance.checklist.wish.full_text().startswith("“Ojalá")
    qtbot.waitUntil(lambda: glance.checklist.height() > 4 * one_line)
    press_alt(qtbot, window, Qt.Key.Key_N, glance.checklist.boxes["name"])
    [cue] = emotions.cues_for_visit(store, visit_of(store, "Majo"))
    assert [s.key for s in cue.steps if s.ticked] == ["name"]


def test_an_emotion_the_lexicon_does_not_know_gets_the_neutral_phrases(make_window, store):
    emotions.add_cue(store, visit_of(store, "Frank"), "Quiet, looking down", NURSE)

    _window, glance = open_glance(make_window, store, "Frank")

    neutral = store.content.nurse_steps
    assert [phrase(glance, s.key) for s in neutral] == [f"“{s.phrase}”" for s in neutral]


def test_a_denied_worry_is_not_answered_as_worry(make_window, store):
    emotions.add_cue(store, visit_of(store, "Frank"), "Not worried about the scan", NURSE)

    _window, glance = open_glance(make_window, store, "Frank")

    assert phrase(glance, "name") == f"“{store.content.nurse_steps[0].phrase}”"
    assert "worr" not in " ".join(label.full_text() for label in glance.checklist.phrase_labels.values())


def test_each_cue_shows_its_own_phrases_and_ticks_its_own_steps(make_window, store, qtbot):
    visit = visit_of(store, "Frank")
    worried = emotions.add_cue(store, visit, "Worried about the biopsy", NURSE).result
    emotions.add_cue(store, visit, "Angry about the wait", NURSE)
    window, glance = open_glance(make_window, store, "Frank")

    assert glance.checklist.cue.full_text() == "Angry about the wait"  # the newest first
    assert phrase(glance, "name") == "“This sounds frustrating.”"
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert glance.checklist.cue.full_text() == "Worried about the biopsy"
    assert phrase(glance, "name") == "“I can see this worries you.”"
    assert "1 of 2" in glance.checklist.position.text()

    press_alt(qtbot, window, Qt.Key.Key_E, glance.checklist.boxes["explore"])

    ticked = {c.id: [s.key for s in c.steps if s.ticked] for c in emotions.cues_for_visit(store, visit)}
    assert ticked[worried.id] == ["explore"]
    assert sum(ticked.values(), []) == ["explore"]


def test_phrases_are_shown_whole_plain_and_within_the_window(make_window, store, qtbot):
    """Every phrase of every family, on a glance at its default size: the whole text, wrapped rather than cut,
    as plain text, never squeezed below its lines, and inside the window."""
    visit = visit_of(store, "Søren")
    for text in ("A long priority in the patient's own words about the dental surgery next month", "Two", "3"):
        priorities.add_priority(store, visit, text)
    for text in ("Sings in a choir", "Sister calls on Sundays", "Keeps bees"):
        notes.add_note(store, visit, "social", text, NURSE)  # a full glance: the phrases must still not be squeezed
    cues = [
        "<b>Worried</b> about the scan",
        "hopeful about the new job",
        "too much going on",
        "avergonzado por su peso",
    ]
    for text in cues:
        emotions.add_cue(store, visit, text, NURSE)
    window, glance = open_glance(make_window, store, "Søren")
    assert (window.width(), window.height()) == (420, 640)

    for text in reversed(cues):
        qtbot.wait(5)  # the layout places the fitted sizes at the next turn of the event loop, before it paints
        assert glance.checklist.cue.full_text() == text  # markup is shown as typed
        [cue] = [c for c in emotions.cues_for_visit(store, visit) if c.text == text]
        checklist = glance.checklist
        # The column the checklist breaks the phrases for is the one the grid gives them.
        column = checklist.width() - max(box.sizeHint().width() for box in checklist.boxes.values()) - COLUMN_GAP
        for step in cue.steps:
            label = checklist.phrase_labels[step.key]
            assert label.full_text() == f"“{step.phrase}”" and not label.is_cut()  # whole, on as many lines as it takes
            assert label.textFormat() == Qt.TextFormat.PlainText
            assert label.text().split() == label.full_text().split()  # its own words, only broken into lines
            if label.isHidden():
                continue  # short of room: only the next step's phrase is shown (compact)
            assert label.width() == column
            assert label.height() >= label.sizeHint().height()  # every line of it shown
            assert max(map(label.fontMetrics().horizontalAdvance, label.text().split("\n"))) <= label.width()
            assert label.mapTo(glance, label.rect().bottomLeft()).y() <= glance.height()
        wish = glance.checklist.wish
        assert wish.full_text() == f"“{cue.wish}”  ·  “{cue.more}”" and not wish.is_cut()
        assert wish.height() >= wish.sizeHint().height()
        assert wish.mapTo(glance, wish.rect().bottomLeft()).y() <= glance.height()
        qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(1)  # the layout settles as between key presses
