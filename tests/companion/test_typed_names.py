"""A name typed at this desk or on the command line (a note's author, a clinician's, a patient's) shows on every
screen: one carrying a private remark is refused, by field and never by its words, and nothing is saved; names
alone stay names (companion.privacy.rules.public_name)."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.errors import CompanionError
from companion.services import auth, encounter, notes
from companion.services.clinicians import add_clinician, list_clinicians

REMARKED = [
    "Dr. Kim, Methadone Maintenance Program",
    "Ann (HIV clinic)",
    "Ryan White HIV Program case manager",
    "nurse Jo - suicide watch",
]
NAMES = ["Robert Gay", "Gay, Robert", "María de los Ángeles García López", "Dr. O'Brien-Smith", "Molly Bender",
         "Elliott Sober", "Hans Rape", "Viola Davis"]  # fmt: skip


@pytest.mark.parametrize("author", REMARKED)
def test_a_notes_author_typed_on_the_command_line_with_a_private_remark_is_refused(
    cli, db_path, visit_id, store, author
):
    code, out, err = cli(
        "note", "add", visit_id, "--kind", "social", "--text", "Lives alone", "--author", author, "--db", db_path
    )
    assert code != 0 and out == ""
    assert err.startswith("companion: error: The author would show private words on every screen")
    assert author not in err and err.count("\n") == 1
    assert notes.notes_for_visit(store, visit_id) == []


@pytest.mark.parametrize("author", NAMES)
def test_a_name_alone_is_a_notes_author(cli, db_path, visit_id, store, author):
    code, _out, err = cli(
        "note", "add", visit_id, "--kind", "social", "--text", "Lives alone", "--author", author, "--db", db_path
    )
    assert code == 0, err
    assert [n.author for n in notes.notes_for_visit(store, visit_id)] == [author]


def test_a_clinician_stored_before_names_were_checked_still_writes_notes_and_next_steps(store, visit_id):
    """The window writes the signed-in clinician's own name: a name an earlier version stored is not checked on
    every note, or that clinician could write nothing."""
    notes.add_note(store, visit_id, "social", "Lives with her sister", "Dr Kim Methadone Clinic")
    encounter.add_next_step(store, visit_id, "Labs in two weeks", "Dr Kim Methadone Clinic")
    assert [n.author for n in notes.notes_for_visit(store, visit_id)] == ["Dr Kim Methadone Clinic"]


def test_a_clinician_named_with_a_private_remark_is_refused_with_or_without_a_pin(store):
    before = list_clinicians(store)
    with pytest.raises(CompanionError, match="^The clinician's name would show private words"):
        add_clinician(store, "Dr. Kim (methadone clinic)", "physician")
    with pytest.raises(CompanionError, match="^The clinician's name would show private words"):
        auth.add_clinician_with_pin(store, "Dr. Kim, HIV clinic", "physician", "4826")
    assert list_clinicians(store) == before
    assert add_clinician(store, "Dr. Robert Gay", "physician").result.name == "Dr. Robert Gay"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Ryan White HIV Program case manager", "Ryan White"),  # a name, and a program after it
        ("Sexual health clinic front desk", "X"),  # a role: nothing of it is a name
        ("Gender Clinic", "X"),  # two words written as a name are judged too
        ("Roe, Molly", "Roe, Molly"),
        ("Mona Ann Lee", "Mona Ann Lee"),
        ("María de los Ángeles García López", "María de los Ángeles García López"),  # particles are not words
        ("Jesús Gay López de la Torre", "Jesús Gay López de la Torre"),
        ("Maria Kim Nguyen Lopez", "Maria Kim Nguyen Lopez"),
        # A surname that is a private word is a name only in a name without a remark: the remark may start with it.
        ("Elliott Sober", "Elliott Sober"),
        ("Sobers, Garfield", "Sobers, Garfield"),
        ("Kay Doe Rape Crisis Center", "Kay Doe"),
        ("Kay Doe sober", "Kay Doe"),
        ("Dr. Sean Condon", "Dr. Sean Condon"),  # an Irish surname, and the Spanish for condom written unaccented
        ("Jane Roe, uses condon", "Jane Roe"),
    ],
)
def test_what_follows_a_name_of_words_is_judged_and_the_name_is_not(written, shown):
    assert load_content().privacy.public_name(written, "X") == shown


def test_a_clinician_whose_name_reads_the_same_as_one_added_is_refused(store):
    """One person on the sign-in list twice ("Dr. Amara Okafor", "dr. amara okafor"), and a schedule naming either
    could not tell which is meant: the second is refused, naming the first."""
    add_clinician(store, "Dr. Amara Okafor", "physician")
    before = list_clinicians(store)
    # A tester added each of the last four: the sign-in list showed two entries that looked the same.
    for twin in ("dr. amara okafor", "DR. AMARA OKAFOR", "Dr. Amara  Okafor", "Dr. Amára Okafor",
                 "Ｄr. Amara Okafor"):  # fmt: skip
        with pytest.raises(CompanionError, match="^a clinician named 'Dr. Amara Okafor' already exists"):
            add_clinician(store, twin, "nurse")
    assert list_clinicians(store) == before
    assert add_clinician(store, "Dr. Amara Okafor-Reyes", "physician").result.name == "Dr. Amara Okafor-Reyes"
    # Marks that make another name are not read past: Vietnamese Hùng and Hưng are two people.
    assert [add_clinician(store, name, "nurse").result.name for name in ("Hùng Tran", "Hưng Tran")] == [
        "Hùng Tran",
        "Hưng Tran",
    ]


# Each reads on a list as a name already there, or carries what no screen shows: "Kate" with a Cyrillic "а" or a
# Greek "ο", a joiner between Latin letters, an invisible separator, a grapheme joiner, a word spelled in tag
# characters (an export would carry it), a tab where a space was meant.
LOOKS_LIKE_ANOTHER = {
    "cyrillic a": "K\u0430te Lee",
    "greek o": "J\u03bfhn Lee",
    "joiner between latin letters": "Ann\u200dLee",
    "joiner at a word's end": "Dr. Amara Okafor\u200c",
    "invisible separator": "Ann\u2063Lee",
    "grapheme joiner": "Ka\u034fte Lee",
    "tag characters": "Ann\U000e0048\U000e0049\U000e0056 Lee",
    "tab": "Ann\tLee",
}
# Names in scripts that need a joiner, and names whose words are each in one alphabet.
WRITTEN_IN_ONE_ALPHABET = [
    "محمد\u200cرضا",  # Persian: the ZWNJ keeps the two parts of the name apart
    "\u0915\u094d\u200d\u0937\u092e\u093e",  # Devanagari: a ZWJ after the virama
    "Σοφία Παπαδοπούλου",
    "Наталья Smith",
    "Nguyễn Thị Hưng",
    "O'Brien-Núñez",
]


@pytest.mark.parametrize("name", LOOKS_LIKE_ANOTHER.values(), ids=LOOKS_LIKE_ANOTHER.keys())
def test_a_name_that_would_read_as_another_is_refused_and_not_echoed(cli, db_path, store, name):
    before, listed_before = list_clinicians(store), cli("patients", "--db", db_path)[1]
    code, out, err = cli("patient", "add", "--name", name, "--db", db_path)
    assert code == 2 and out == ""
    assert err.startswith("companion: error: the recorded name ")
    assert name not in err and "Lee" not in err and err.count("\n") == 1
    assert cli("patients", "--db", db_path)[1] == listed_before
    with pytest.raises(CompanionError, match="^the clinician's name "):
        add_clinician(store, name, "nurse")
    assert list_clinicians(store) == before


@pytest.mark.parametrize("name", WRITTEN_IN_ONE_ALPHABET)
def test_names_in_every_script_are_kept_exactly(cli, db_path, store, name):
    code, _out, err = cli("patient", "add", "--name", name, "--preferred-name", name, "--db", db_path)
    assert code == 0, err
    assert name in cli("patients", "--db", db_path)[1]
    assert add_clinician(store, name, "nurse").result.name == name


@pytest.mark.parametrize(
    "name", ["Elliott Sober", "Chris Booze", "Hans Rape", "Viola Davis", "Tusi Amani", "Mary Condon", "Condon, Mary"]
)
def test_a_patient_whose_surname_is_a_private_word_can_be_registered(cli, db_path, name):
    """Refused before ("would show private words"): the desk could not register the patient by their name."""
    code, _out, err = cli("patient", "add", "--name", name, "--db", db_path)
    assert code == 0, err
    assert name in cli("patients", "--db", db_path)[1]
