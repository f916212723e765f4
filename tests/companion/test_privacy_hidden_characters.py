"""A private fact is read as a person sees it: a soft hyphen pasted from a web page, a zero-width space or a letter of
another script drawn like a Latin one does not carry it past the privacy rule (on the glance it reads the same).
Text that would reorder itself on screen, or that shows nothing at all, is refused where it is typed."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.errors import CompanionError
from companion.read.briefing import build_glance
from companion.services import notes, priorities
from companion.text import clean_text

SOFT_HYPHEN, ZERO_WIDTH, WORD_JOINER, BYTE_ORDER_MARK = "\u00ad", "\u200b", "\u2060", "\ufeff"
NON_JOINER, JOINER = "\u200c", "\u200d"


@pytest.mark.parametrize(
    "text",
    [
        f"talk about my su{SOFT_HYPHEN}icidal thoughts",
        f"thoughts of self{SOFT_HYPHEN}injury",  # a soft hyphen where the hyphen goes: dropped, one word is left
        f"I{ZERO_WIDTH}want{ZERO_WIDTH}to{ZERO_WIDTH}die",  # zero-width spaces between words: run together on screen
        f"he{NON_JOINER}hits{NON_JOINER}me",  # any other character of no width between words: the same
        f"positive{JOINER}for{JOINER}HIV",
        f"cutting{WORD_JOINER}herself again",
        f"my{BYTE_ORDER_MARK}husband{BYTE_ORDER_MARK}hits{BYTE_ORDER_MARK}me",
        "history_of_self_harm",  # a system's name for a thing: underscores between the words
        "HIV_positive, on ART",
        "<p>bangs <b>his head</b> on the wall when upset</p>",  # tags a record kept in its text
        "<div>Mi esposo me <i>pega</i> cuando toma</div>",
        "tested positive for&#8203;HIV",  # a zero-width space as a character reference
        "she is H<wbr>IV positive",  # inline tags inside a word
        "H<abbr>IV</abbr> clinic on Tuesday",
        "selfinjurious behavior",
        f"Newly diagnosed H{ZERO_WIDTH}IV positive",
        f"denies S{WORD_JOINER}I",
        f"my husband h{BYTE_ORDER_MARK}its me",
        "thoughts of su\u0456cide",  # a Cyrillic і
        "Newly diagnosed H\u0399V",  # a Greek capital iota
        "on \uff30\uff52\uff25\uff30 now",  # full-width letters
        f"ideaci{ZERO_WIDTH}ón suicida",
        "Refill my HI\ufe0fV meds",  # a variation selector: a mark without a combining class
        "HI\u034fV clinic moved",  # the combining grapheme joiner
        "su\u0131cidal thoughts again",  # a Turkish keyboard's dotless i
        "My HI\u03bd clinic moved",  # a Greek nu, drawn as a v
        "my \u029c\u026a\u1d20 clinic",  # small capitals
        "H\u13a5\u13d9 results",  # Cherokee letters drawn as I and V
        "Newly diagnosed H\uab75V",  # Cherokee's small letter, drawn as its capital
        "denies \ua731\u026a",  # small capitals read as capitals, where capitals count ("SI")
        "HI\u3164V and HI\u2800V",  # a Hangul filler and Braille's blank show nothing
        "Mi esposo me golpe&oacute; la semana pasada",  # HTML character references some records put in plain text
        "V&iacute;ctima de violaci&oacute;n en 2019",
        "Newly diagnosed H&#73;V",
    ],
)
def test_hidden_characters_and_look_alike_letters_do_not_hide_a_private_fact(text):
    assert load_content().privacy.judge(text).private


@pytest.mark.parametrize(
    "apostrophe",
    ["'", "\u2019", "\u2018", "`", "\u00b4", "\u02bc", "\u2032", "\u201b"],  # a modifier letter, a prime
)
def test_any_mark_typed_for_an_apostrophe_is_one(apostrophe):
    """Whatever a keyboard or a phone puts between "don" and "t", the phrase still reads it."""
    assert load_content().privacy.judge(f"I don{apostrophe}t want to live anymore").private
    assert load_content().privacy.judge(f"C{apostrophe}est dur, j{apostrophe}ai peur de lui").private  # French


@pytest.mark.parametrize(
    "text",
    [
        "She\u02bcs okay, he\u02bcs fine",
        "Patient\u02bcs wife\u02bcs car is here",
        "Hawai\u02bbi",
        "O\u02bbzbek\u02bcs son",
    ],
)
def test_a_modifier_letter_typed_for_an_apostrophe_is_no_other_language(text):
    """The mark some keyboards type for an apostrophe is a letter to Unicode, and not Latin; everyday English with it
    is not a language the rules cannot read, so it stays on the glance."""
    assert not load_content().privacy.judge(text).private


def test_a_fact_saved_with_a_hidden_character_stays_off_the_glance(store, visit_id):
    priorities.add_priority(store, visit_id, f"talk about my su{SOFT_HYPHEN}icidal thoughts")
    notes.add_note(store, visit_id, "social", f"Newly diagnosed H{ZERO_WIDTH}IV positive", "Nurse")

    glance = build_glance(store, visit_id)

    assert glance.priorities == () and glance.story == ()
    assert glance.private_count == 2


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u061c"])
def test_a_direction_mark_that_would_reorder_numbers_is_refused(mark):
    with pytest.raises(CompanionError, match="text-direction"):
        clean_text(f"Dose 10{mark} 20 mg", "the step")
    arabic = "أريد أن أفهم نتائج التحاليل (HbA1c 7.2%)"  # a mark at the start: a right-to-left keyboard's own
    assert clean_text(f"{mark}{arabic}", "the priority") == arabic  # dropped: in a summary's line it would reorder
    with pytest.raises(CompanionError, match="text-direction"):
        clean_text(f"{arabic}{mark} 20 mg", "the priority")


@pytest.mark.parametrize("text", [ZERO_WIDTH * 3, "\u3164", f"{SOFT_HYPHEN} {WORD_JOINER}", "\U000e0069\U000e0067"])
def test_text_that_shows_nothing_is_refused_as_empty(text):
    with pytest.raises(CompanionError, match="is empty"):
        clean_text(text, "the priority")


def test_characters_that_show_nothing_are_not_kept_so_a_name_is_one_patient():
    assert clean_text(f"Ann{ZERO_WIDTH} Lee", "the name") == "Ann Lee"
    assert clean_text(f"su{SOFT_HYPHEN}icidal thoughts", "the note") == "suicidal thoughts"
    assert clean_text("👩\u200d⚕️ thanks", "the note") == "👩\u200d⚕️ thanks"  # a joiner an emoji needs stays


def test_ordinary_text_in_any_script_is_kept_exactly():
    for text in ("Zoë", "أريد أن أفهم", "他很担心", "Søren", "👩‍⚕️ thanks", "naïve café"):
        assert clean_text(text, "the note") == text


def test_tags_nested_to_any_depth_are_read_past_once():
    """Taking a tag out can make another ("<<b>b>"): the text is read once without the tags found, never again and
    again (50,000 levels would overflow a reader that recursed)."""
    text = "<" * 50_000 + "b>" * 50_000 + " bangs <b>his head</b> on the wall when upset"
    assert load_content().privacy.judge(text).private


@pytest.mark.parametrize("text", ["meth\xadod", "meth\xadodology review", "rape\xadseed oil", "weed\xading the garden"])
def test_a_soft_hyphen_marks_where_a_word_breaks_and_is_only_dropped(text):
    """Pasted web text carries soft hyphens at syllables: "meth-od" is no drug, whatever its first half says."""
    assert not load_content().privacy.judge(text).private


@pytest.mark.parametrize("padding", [" ", "\n", "\t"])
def test_a_tag_left_open_before_a_long_run_of_spaces_is_read_in_time(padding):
    """An opened tag that never closes, then thousands of spaces: judged once, without going back over the run for
    every length it could have had (seconds before). Run in the test's own time; no timing asserted."""
    for text in (f"Note <b{padding * 20_000}end", f"<a{padding * 201}" * 500):
        assert not load_content().privacy.judge(text).private


@pytest.mark.parametrize(
    "text",
    [
        # full-width, bold, circled
        "\uff28\uff41\uff50\uff50\uff59\u3000\uff2d\uff4f\uff4e\uff44\uff41\uff59 see everyone at 9",
        "\U0001d409\U0001d41e\U0001d427\U0001d427\U0001d41a \U0001d411., \U0001d411\U0001d40d | Family Medicine",
        "\u24d1\u24e1\u24d4\u24d0\u24db\u24d5\u24d0\u24e2\u24e3 at 8, \u24db\u24e4\u24dd\u24d2\u24d7 at noon",
    ],
)
def test_latin_letters_drawn_otherwise_are_no_other_language(text):
    """Full-width, bold or circled letters (a signature, a pasted greeting) are the Latin letters they draw: the
    note is read, not hidden as a language the rules cannot read."""
    assert not load_content().privacy.judge(text).private
