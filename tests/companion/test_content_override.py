"""A clinic's own content files in <COMPANION_HOME>/content replace the shipped phrases."""

from __future__ import annotations

import json

import pytest

from companion.content import shipped_categories
from companion.errors import CompanionError
from companion.read.briefing import build_glance
from companion.services import emotions, notes
from companion.services.audit_trail import audit_log
from companion.storage.store import open_store

CLINIC_NURSE = """
[[steps]]
key = "name"
label = "Name"
phrase = "Sounds like this has been really hard."

[[steps]]
key = "understand"
label = "Understand"
phrase = "I can understand why you feel that way."

[[steps]]
key = "respect"
label = "Respect"
phrase = "You have been so patient with all of this."

[[steps]]
key = "support"
label = "Support"
phrase = "We will work on this together."

[[steps]]
key = "explore"
label = "Explore"
phrase = "Tell me more about that."
"""


@pytest.fixture
def clinic_store(companion_home, db_path, make_patient):
    """A store opened after the clinic wrote its files (content is read when the store opens)."""
    stores = []

    def open_with(**files: str):
        (companion_home / "content").mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (companion_home / "content" / f"{name}.toml").write_text(text, encoding="utf-8")
        opened = open_store(str(db_path))
        stores.append(opened)
        return opened

    yield open_with
    for opened in stores:
        opened.engine.dispose()


def test_a_clinic_nurse_file_changes_the_phrases_on_the_glance(store, clinic_store, visit_id):
    # A cue that names no emotion emotions.toml knows: nurse.toml's own (neutral) phrases are shown.
    emotions.add_cue(store, visit_id, "Quiet, looking down", "Nurse")
    shipped = build_glance(store, visit_id).cues[0].steps[0].phrase
    assert shipped == store.content.nurse_steps[0].phrase
    assert shipped != "Sounds like this has been really hard."

    clinic = clinic_store(nurse=CLINIC_NURSE)

    steps = build_glance(clinic, visit_id).to_json()["emotion_checklist"][0]["steps"]
    assert steps[0] == {
        "text": "Sounds like this has been really hard.",
        "step": "name",
        "label": "Name",
        "ticked": False,
    }
    assert shipped not in [s["text"] for s in steps]


def test_a_clinic_override_leaves_the_other_files_as_shipped(store, clinic_store):
    clinic = clinic_store(nurse=CLINIC_NURSE)

    assert clinic.content.practices == store.content.practices
    assert clinic.content.privacy_spec == store.content.privacy_spec


def test_a_clinic_sensitive_category_adds_to_the_shipped_ones(clinic_store, visit_id):
    clinic = clinic_store(
        sensitive='[categories.finances]\nlabel = "Finances"\n[categories.finances.languages.en]\n'
        'strong = ["(in )?debt collect*", "bankrupt*"]\n'
    )

    note = notes.add_note(clinic, visit_id, "social", "Debt collectors call every day", "Nurse").result

    assert note.sensitive and note.category == "finances"
    assert build_glance(clinic, visit_id).story == ()
    # Adding a category must not silently drop the shipped ones (HIV, substance use...).
    assert notes.add_note(clinic, visit_id, "social", "Drinks alcohol daily", "Nurse").result.sensitive


def test_a_clinic_adds_its_own_words_to_a_shipped_category_and_takes_one_out(clinic_store, visit_id):
    clinic = clinic_store(
        sensitive="[categories.substance_use.languages.en]\n"
        'strong = ["kickin(g)? it with (the|his|her) homies"]\nremove = ["booze*"]\n'
    )

    kept = notes.add_note(clinic, visit_id, "social", "Kicking it with his homies every night", "Nurse").result
    dropped = notes.add_note(clinic, visit_id, "social", "Booze cruise for the company party", "Nurse").result

    assert kept.sensitive and kept.category == "substance_use"
    assert not dropped.sensitive  # the clinic's choice: that shipped phrase misfired there
    assert notes.add_note(clinic, visit_id, "social", "Heroin again since May", "Nurse").result.sensitive


def test_a_clinic_that_edits_its_file_has_the_edit_read_at_the_next_start_and_back_again(clinic_store, visit_id):
    """The rules are built once per process for the same files: an edit must still be read, and undoing it too."""
    words = "Kicking it with his homies every night"
    added = 'strong = ["kickin(g)? it with (the|his|her) homies"]\n'
    first = clinic_store(sensitive=f"[categories.substance_use.languages.en]\n{added}")
    edited = clinic_store(sensitive="[categories.substance_use.languages.en]\nremove = []\n")
    again = clinic_store(sensitive=f"[categories.substance_use.languages.en]\n{added}")

    verdicts = [notes.add_note(s, visit_id, "social", words, "Nurse").result.sensitive for s in (first, edited, again)]

    assert verdicts == [True, False, True]


def test_a_clinic_keeps_a_whole_topic_private_by_default(clinic_store, visit_id):
    clinic = clinic_store(sensitive='[topics]\nprivate = ["culture"]\n')

    note = notes.add_note(
        clinic, visit_id, "social", "Observes Ramadan; fasting until sunset", "Nurse", topic="culture"
    ).result

    assert note.sensitive
    assert not notes.add_note(clinic, visit_id, "social", "Loves her garden", "Nurse", topic="joy").result.sensitive


def test_a_clinic_phrase_written_wrong_is_named_when_the_app_starts(clinic_store):
    with pytest.raises(CompanionError, match=r"the phrase '\(unclosed' cannot be read"):
        clinic_store(sensitive='[categories.hiv.languages.en]\nstrong = ["(unclosed"]\n')


def test_a_regular_expression_escape_is_named_rather_than_never_matching(clinic_store):
    """`\\d` or `\\w+` would be read as the letters themselves and match nothing: the phrase would look kept and
    protect no one."""
    with pytest.raises(CompanionError, match=r"cannot be read: a backslash is not read"):
        clinic_store(sensitive='[categories.hiv.languages.en]\nstrong = ["viral load \\\\d+"]\n')


@pytest.mark.parametrize(
    ("phrase", "why"),
    [
        ("(denies|reports) @SI", "@ is read only first"),  # the capitals of a part: never matched, five shipped so
        ("hears (her|his) .{0,20}voice", "a { or } is not read"),  # a regular expression's count
        ("pills ... ?", "a \\? or \\* has nothing to act on"),  # these failed only when a text held "pills"
        ("pills???", "a \\? or \\* has nothing to act on"),
        ("pills []", "a \\[ \\] is empty or holds a bracket"),
        ("pills [^]", "a \\[ \\] is empty or holds a bracket"),
        ("oraquick (at home )?... positive", "a \\.\\.\\. is a gap only with a space on each side"),  # one shipped so
        ("took...pills", "a \\.\\.\\. is a gap only with a space on each side"),
    ],
)
def test_a_phrase_that_could_never_match_is_named_when_the_app_starts(clinic_store, phrase, why):
    with pytest.raises(CompanionError, match=f"cannot be read: {why}"):
        clinic_store(sensitive=f'[categories.mental_health.languages.en]\nstrong = ["{phrase}"]\n')


def test_a_phrase_of_more_gaps_than_the_app_can_try_is_named_when_the_app_starts(clinic_store):
    """Each ` ... ` multiplies the ways a text is tried (tests/companion/test_privacy_phrases_cannot_hang.py)."""
    with pytest.raises(CompanionError, match=r"cannot be read: more than 3 \.\.\. in one phrase"):
        clinic_store(sensitive='[categories.hiv.languages.en]\nstrong = ["a ... b ... c ... d ... e"]\n')


@pytest.mark.parametrize("written", ["zq/xv reactive", "Q=Z", "qz.xv.", "zq&xv scheduled", "inside, got out"])
def test_a_phrase_with_signs_inside_its_words_is_found(clinic_store, visit_id, written):
    """A text's words are its runs of letters: a phrase written "ag/ab" or "u=u" was looked for as one word and
    never tried (37 shipped phrases and exceptions); each is found by its longest word, or always tried. (Words no
    shipped phrase holds, so only the clinic's can find them.)"""
    clinic = clinic_store(sensitive=f'[categories.hiv.languages.en]\nstrong = ["{written}"]\n')
    assert notes.add_note(clinic, visit_id, "social", f"Note: {written.upper()} today", "Nurse").result.sensitive


def test_a_broken_clinic_file_is_reported_clearly(clinic_store):
    with pytest.raises(CompanionError, match="nurse.toml is not valid TOML"):
        clinic_store(nurse="[[steps]\nkey = ")


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("Sounds like this has been\\nreally hard.", "nurse.toml name has a line break"),
        ("Sounds like \\u202ethis has been hard.", "nurse.toml name contains text-direction control characters"),
    ],
)
def test_a_clinic_phrase_that_is_not_one_line_of_plain_text_is_one_clear_line(clinic_store, written, named):
    """The glance shows each NURSE phrase as one line of plain text, as anything typed: a clinic's phrase with a
    line break or a direction override loaded without a word (attack round 33), and the override would turn the
    phrase around on screen. Held to what typed text is held to when the app starts."""
    nurse = CLINIC_NURSE.replace("Sounds like this has been really hard.", written)
    with pytest.raises(CompanionError, match=named):
        clinic_store(nurse=nurse)


def test_an_incomplete_clinic_file_is_reported_clearly(clinic_store):
    with pytest.raises(CompanionError, match="incomplete or malformed"):
        clinic_store(nurse='[[steps]]\nkey = "name"\n')


def test_facts_stored_before_a_clinic_adds_words_are_judged_again(store, clinic_store, visit_id, cli, db_path):
    before = notes.add_note(store, visit_id, "social", "Kicking it with his homies every night", "Nurse").result
    assert not before.sensitive
    clinic = clinic_store(
        sensitive='[categories.substance_use.languages.en]\nstrong = ["kickin(g)? it with his homies"]\n'
    )

    code, out, _ = cli("privacy", "recheck", "--db", db_path)
    assert code == 0 and "1 stored fact became private" in out
    assert build_glance(store, visit_id).story == ()
    again = cli("privacy", "recheck", "--db", db_path)[1]
    assert "nothing to do" in again  # the rules have not changed since
    # In the audit log once (the run that judged), by whom and with which rules: the note left the glance then.
    entries = [entry for entry in audit_log(store) if entry["action"] == "privacy recheck"]
    assert len(entries) == 1 and entries[0]["who"].startswith("command line")
    assert entries[0]["detail"] == f"1 stored fact became private (rules {clinic.content.privacy_fingerprint})"
    cli("privacy", "recheck", "--force", "--db", db_path)
    forced = [entry for entry in audit_log(store) if entry["action"] == "privacy recheck"][1:]
    assert [entry["detail"].endswith(", forced)") for entry in forced] == [True]


def test_after_the_rules_change_any_command_judges_stored_facts_first(store, clinic_store, visit_id, cli, db_path):
    """An update of the app (or the clinic's own words) whose rules catch more: last month's note that they now
    keep private must not be printed by the next command, nor shown on the glance, until someone thinks of
    `privacy recheck`. The first command judges stored facts again, once, and says so on stderr."""
    notes.add_note(store, visit_id, "social", "Kicking it with his homies every night", "Nurse")
    clinic_store(sensitive='[categories.substance_use.languages.en]\nstrong = ["kickin(g)? it with his homies"]\n')

    code, out, err = cli("show", str(visit_id), "--json", "--db", db_path)

    assert code == 0 and "homies" not in out and json.loads(out)["private_count"] == 1
    assert "1 stored fact became private" in err
    assert [e["detail"][:28] for e in audit_log(store) if e["action"] == "privacy recheck"] == [
        "1 stored fact became private"
    ]
    assert build_glance(store, visit_id).story == ()
    assert cli("show", str(visit_id), "--json", "--db", db_path)[2] == ""  # once: the rules have not changed since


def test_stored_facts_are_judged_again_in_batches_each_written_apart(
    store, clinic_store, visit_id, make_patient, monkeypatch
):
    """A large clinic's millions of notes are judged a batch at a time, and only the facts that change are written
    (another desk's save never waits for the judging); every batch is judged, whatever its size."""
    from companion.privacy import stored

    texts = ["Zorblat at the park", "Reads at night", "zorblat again", "Garden on Sundays", "More ZORBLAT"]
    for text in texts:
        notes.add_note(store, visit_id, "social", text, "Nurse")
    clinic = clinic_store(sensitive='[categories.substance_use.languages.en]\nstrong = ["zorblat"]\n')
    monkeypatch.setattr(stored, "BATCH", 2)
    told = []

    changed = stored.recheck_stored(clinic.engine, clinic.content, progress=told.append)

    assert changed == 3
    assert [n.text for n in build_glance(clinic, visit_id).story] == ["Garden on Sundays", "Reads at night"]
    assert told == sorted(told) and len(told) >= 3  # after each batch
    assert stored.recheck_stored(clinic.engine, clinic.content) is None  # done: the fingerprint is the new rules'


def test_the_name_line_of_patients_stored_before_the_rules_is_judged_again_too(store, clinic_store, visit_id):
    """Pronouns and a preferred name show beside the name on every screen: what today's rules (or pronouns that
    hold more than pronouns) leave out at a registration is taken out of what an earlier version stored too."""
    from sqlalchemy import update

    from companion.privacy import stored
    from companion.services.patients import patient_details
    from companion.services.visits import visit_row
    from companion.storage.models import Patient

    patient = visit_row(store, visit_id).patient_id
    with store.writing() as session:  # as an earlier version let them be stored
        values = {"pronouns": "she/her, trans", "preferred_name": "Lexi Sunflower"}
        values["preferred_language"] = "Português, quero me matar"  # a sentence the rules cannot read
        session.exec(update(Patient).where(Patient.id == patient).values(**values))
        session.commit()
    clinic = clinic_store(sensitive='[categories.sexuality_gender.languages.en]\nstrong = ["sunflower"]\n')

    assert stored.recheck_stored(clinic.engine, clinic.content) == 1
    details = patient_details(clinic, patient)
    assert (details.pronouns, details.preferred_name, details.language) == ("", "", "")  # nothing private now


def test_rules_that_would_hide_most_stored_facts_are_not_applied_by_themselves(
    store, clinic_store, visit_id, cli, db_path
):
    """An everyday word in a clinic's file ("the"): applied by itself it would hide every fact for good (facts
    only ever become more private). The command goes on, says why, and changes nothing; asked for by hand
    (`privacy recheck`), the rules apply."""
    for n in range(25):
        notes.add_note(store, visit_id, "social", f"Walks the dog {n} times a week", "Nurse")
    clinic_store(sensitive='[categories.substance_use.languages.en]\nstrong = ["the"]\n')

    code, out, err = cli("show", str(visit_id), "--json", "--db", db_path)

    assert code == 0 and "may be too broad; nothing was changed" in err
    assert len(build_glance(store, visit_id).story) == 3 and json.loads(out)["private_count"] == 0
    assert cli("privacy", "recheck", "--db", db_path)[0] == 0
    assert build_glance(store, visit_id).story == ()


def test_two_desks_with_different_rules_each_judge_once_not_at_every_start(
    store, clinic_store, visit_id, companion_home
):
    """A clinic file on one workstation and not on the other (one database): each set of rules judges what is
    stored once; neither judges everything again at every start of the other."""
    from companion.privacy import stored

    notes.add_note(store, visit_id, "social", "Zorblat at the park", "Nurse")
    with_file = clinic_store(sensitive='[categories.substance_use.languages.en]\nstrong = ["zorblat"]\n')
    assert stored.recheck_stored(with_file.engine, with_file.content) == 1
    (companion_home / "content" / "sensitive.toml").unlink()
    without = clinic_store()

    for _ in range(2):  # each start of either desk: nothing to judge again (the shipped rules judged at the start)
        assert stored.recheck_stored(without.engine, without.content) is None
        assert stored.recheck_stored(with_file.engine, with_file.content) is None


def test_until_stored_facts_are_judged_a_window_reads_them_by_todays_rules(store, clinic_store, visit_id):
    """The window judges stored facts in its background after it has painted; the glance it paints first (or a
    screenshot) reads each fact by today's rules meanwhile, so a note they hide is never on the screen."""
    from companion.services import rules_update

    notes.add_note(store, visit_id, "social", "Out with the zorblat crew most nights", "Nurse")
    clinic = clinic_store(sensitive='[categories.substance_use.languages.en]\nstrong = ["zorblat crew"]\n')

    assert rules_update.judge_as_read_until_done(clinic)
    glance = build_glance(clinic, visit_id)
    assert glance.story == () and glance.private_count == 1
    assert rules_update.judge_stored_again(clinic) == 1
    rules_update.done_judging(clinic)
    assert build_glance(clinic, visit_id).story == () and not rules_update.judge_as_read_until_done(clinic)


def test_a_clinic_category_without_a_label_is_one_clear_line(store, clinic_store, cli, db_path):
    """A category of the clinic's own with no label (the words behind the reveal): every command said "an
    unexpected problem ... (KeyError)", exit 70 (attack round 14)."""
    try:
        clinic_store(sensitive='[categories.newcat.languages.en]\nstrong = ["zorbex"]\n')
    except CompanionError as exc:
        assert "needs a label" in str(exc)
    code, _out, err = cli("visits", "--db", db_path)
    assert code != 70 and "unexpected" not in err and "needs a label" in err


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ('[categories.hiv]\nstrong = ["my numbers came back"]\n', "[categories.hiv] has 'strong'"),  # no language
        ('strong = ["zorbex"]\n', "the file has 'strong'"),
        ('[categories.hiv.languages.en]\nstrongs = ["zorbex"]\n', "[categories.hiv.languages.en] has 'strongs'"),
        ("[topics]\nprivate = 4\n", "[topics] private must be a list"),
        ("[categories]\nhiv = 3\n", "[categories.hiv] must be a table"),
    ],
)
def test_a_clinic_list_where_nothing_reads_it_is_named_with_the_file_when_the_app_starts(
    clinic_store, companion_home, written, named
):
    """Phrases one level too high were once taken without a word and never read: the clinic believed the words
    private, and the glance showed them."""
    with pytest.raises(CompanionError) as refused:
        clinic_store(sensitive=written)
    assert named in str(refused.value) and str(companion_home / "content" / "sensitive.toml") in str(refused.value)


def test_a_clinic_that_adds_a_languages_phrases_has_text_in_its_letters_read_not_held_back(
    store, clinic_store, visit_id
):
    """Text written largely in letters the phrases do not use cannot be read, so it is held behind the reveal; a
    clinic that adds Vietnamese phrases has Vietnamese read by them, like English and Spanish."""
    said = "Tôi muốn tự làm"  # I want to do it myself
    assert notes.add_note(store, visit_id, "social", said, "Nurse").result.sensitive

    clinic = clinic_store(sensitive=in_every_category("vi", suicide_self_harm=["tự tử", "muốn chết"]))

    assert not notes.add_note(clinic, visit_id, "practical", said, "Nurse").result.sensitive
    assert notes.add_note(clinic, visit_id, "practical", "Tôi muốn tự tử", "Nurse").result.sensitive


def in_every_category(language: str, **own: list[str]) -> str:
    """A clinic file with phrases in `language` for every shipped category (a word of its own for the rest)."""
    return "".join(
        f"[categories.{key}.languages.{language}]\nstrong = {json.dumps(own.get(key, [f'zqx{key}']))}\n"
        for key in shipped_categories()
    )


@pytest.mark.parametrize("tag", ["ru", "vi"])
def test_phrases_for_one_category_in_a_new_language_keep_its_other_private_facts_held_back(
    store, clinic_store, visit_id, tag
):
    """A clinic adding HIV words in Russian made Russian text read by HIV words alone: "wants to kill himself"
    went onto the glance. A language is read once every category has phrases in it."""
    said = {"ru": "Сын говорит, что он хочет покончить с собой", "vi": "Con trai nói muốn tự tử"}[tag]
    hiv = {"ru": ["вич", "спид"], "vi": ["hiv", "nhiễm hiv"]}[tag]
    clinic = clinic_store(sensitive=f"[categories.hiv.languages.{tag}]\nstrong = {json.dumps(hiv)}\n")

    assert notes.add_note(clinic, visit_id, "social", said, "Nurse").result.sensitive
    assert not clinic.content.privacy.lexicon.reads(tag)  # an import tagged in it stays behind the reveal too


@pytest.mark.parametrize(
    ("name", "written", "named"),
    [
        ("sensitive_codes", '[categories.hiv]\nicd10 = "Z21"\n', "icd10 must be a list of codes"),
        ("sensitive_codes", '[categories.hiv]\nicd_10 = ["K21"]\n', "has 'icd_10', which nothing reads"),
        ("sensitive_codes", "[categories.hiv.icd10]\nx = 1\n", "icd10 must be a list of codes"),
        ("sensitive_codes", '[categories.hiv]\nloinc = [""]\n', "loinc must be a list of codes"),
        ("sensitive", '[topics]\nprivate = ["familly"]\n', "unknown topic ('familly')"),
        ("sensitive", '[categories.hiv.languages.en]\nremove = ["no such phrase"]\n', "matches no entry"),
        ("sensitive", '[categories.hiv]\nlabels = "R"\n', "labels must be a list"),
        ("emotions", '[families.worry.languages.en]\nwords = "afraid"\n', "words must be a list"),
    ],
)
def test_a_clinic_file_that_would_quietly_drop_a_protection_is_named_when_the_app_starts(
    clinic_store, companion_home, name, written, named
):
    """A code written without its list's brackets replaced the shipped HIV codes with the letters of one code, a
    misspelt list or topic was read by nothing, a `remove` with a typo left the clinic believing a phrase gone:
    each was taken without a word, and "Dx B20" went onto the glance."""
    with pytest.raises(CompanionError) as refused:
        clinic_store(**{name: written})
    assert named in str(refused.value) and str(companion_home / "content" / f"{name}.toml") in str(refused.value)


@pytest.mark.parametrize("kind", ["folder", "broken link"])
def test_a_clinic_file_that_is_not_a_file_is_named_not_passed_over(clinic_store, companion_home, tmp_path, kind):
    """A link to a share that did not mount, or a folder, was taken as "no clinic file": its words stopped applying
    on that desk without a word."""
    place = companion_home / "content" / "sensitive.toml"
    place.parent.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        place.mkdir()
    else:
        place.symlink_to(tmp_path / "share-not-mounted" / "sensitive.toml")

    with pytest.raises(CompanionError, match="sensitive.toml is not a file that can be read"):
        clinic_store()


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("pause_seconds = inf\n", "pause_seconds must be a whole number of seconds from 0 to 300"),
        ("pause_seconds = -5\n", "pause_seconds must be a whole number"),
        ("pause_seconds = 2.5\n", "pause_seconds must be a whole number"),
        ('steps = "Breathe"\n', "ritual.toml steps must be a list of texts"),
        ("steps = [1, 2]\n", "each of ritual.toml steps must be a text"),
        ("steps = []\n", "ritual.toml steps must be a list of texts"),
        (f"steps = [{', '.join(f'{chr(34)}Step {n}{chr(34)}' for n in range(20))}]\n", "ritual.toml has 20 steps"),
        (f'steps = ["{"Breathe " * 40}"]\n', "each of ritual.toml steps is 319 characters; the limit is 200"),
        ('steps = ["Breathe\\u202e out"]\n', "each of ritual.toml steps contains text-direction control"),
        ('steps = ["Ring\\u0007"]\n', "each of ritual.toml steps contains control characters"),
    ],
)
def test_a_clinic_ritual_out_of_range_or_of_the_wrong_kind_is_one_clear_line(clinic_store, written, named):
    """`pause_seconds = inf` stopped every command as "an unexpected problem"; a text alone became one step per
    letter. A ritual longer than a clinician may save (20 steps, a step of 319 characters, one holding a direction
    override or a bell) loaded without a word, and the prep card then offered a default the clinician could not
    save back (attack round 33): held to the same limits at start-up."""
    with pytest.raises(CompanionError, match=named):
        clinic_store(ritual=written)


def test_a_clinic_question_written_without_brackets_is_one_clear_line(clinic_store):
    with pytest.raises(CompanionError, match="questions.toml rooming must be a list of texts"):
        clinic_store(questions='rooming = "What matters?"\n')
