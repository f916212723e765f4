"""People's and pets' names inside a note: "wife Chela cooks", "Dr. Weed is her cardiologist", "dog named Whiskey",
"Molly is my daughter". A word the rules read as private alone (a drug's street name, a drink) is read as a name
where the text writes it as one, so the note is judged on everything else it says ("sister Molly overdosed" stays
private); anywhere else it is read as the word it is ("took Molly at a rave")."""

from __future__ import annotations

import re

# Words the rules read as private alone that are also people's or pets' names: a preferred name "Molly", a surname
# "Gay", "Weed", "Bender", a given name "Brandy", a dog called Whiskey.
NAMES_THAT_ARE_WORDS = frozenset(
    (
        "gay",
        "molly",
        "mona",
        "roxy",
        "blunt",
        "weed",
        "brandy",
        "chela",
        "paco",
        "dyke",
        "bender",
        "beer",
        "beers",
        "lean",
        "kush",
        "marica",
        "carcel",
        "white",
        "whiskey",
        "whisky",
        "bourbon",
        "tequila",
        "crystal",
        "tina",
        "charlie",
        "henny",
    )
)
# Surnames and given names that are the rules' words too, read as names only where every word is a name (a
# patient's recorded or preferred name, a clinician's, an author's): "Elliott Sober", "Garfield Sobers", "Chris
# Booze", "Hans Rape" (German), "Viola Davis", "Tusi" (Samoan), "Sean Condon" (Irish; condón unaccented). In a note
# they stay the words they more often are there ("husband sober since May", "hermano viola a": the Spanish for rapes;
# "se mete tusi": a drug). Not a word that starts a longer phrase of the rules: read as a name, "Jane Roe Huntington
# disease" would keep its remark (some 500 surnames, given names and words like them were tried against the rules).
NAMES_IN_A_NAME = NAMES_THAT_ARE_WORDS | frozenset(("sober", "sobers", "booze", "rape", "viola", "tusi", "condon"))
# What stands for such a name while the rest of a text is judged: a surname the rules know nothing of.
ANY_NAME = "Lee"

_KIN = (
    "daughter|son|wife|husband|sister|brother|mother|mom|mum|father|dad|cousin|aunt|uncle|niece|nephew|grandson|"
    "granddaughter|grandma|grandpa|grandmother|grandfather|stepson|stepdaughter|"
    "(?:brother|sister|son|daughter|mother|father)-in-law|hijo|hija|esposa|esposo|nieta|nieto|hermana|hermano|"
    "t[ií]a|t[ií]o|sobrina|sobrino|abuela|abuelo|cu[ñn]ada|cu[ñn]ado"
)
# Before a name, anyone close will do ("neighbor Brandy"); after one, only kin and roles: "Weed is my friend" and
# "Crystal is my partner now" may well be about the drug.
_PEOPLE = rf"{_KIN}|neighbou?r|friend|partner|caregiver|carer|aide|roommate|vecina|vecino|amiga|amigo"
_PETS = "dog|cat|puppy|kitten|horse|pony|pet|parrot|rabbit|bird|perro|perra|gato|gata|caballo"
_TITLES = r"(?:dr|mr|mrs|ms|mx|prof|sr|sra|srta|dra|don|do[ñn]a)\.?"
# Not "called": "what she called crystal" is the drug.
_NAMING = r"named|nicknamed|goes by|llamad[oa]|se llama"
# What comes after a name at the start of a note: "Molly is my daughter", "Paco, her son, translates", "Roxy the
# cat", "Brandy from the pharmacy", "Molly's wedding". From a place where people work only: "Weed from the
# dispensary" and "Beer from the corner store" are the things.
_AFTER = (
    rf"\s*(?:,\s*)?(?:(?:is|was|es)\s+)?(?:my|her|his|their|our|the|su|mi)\s+(?:{_KIN}|{_PETS}|care manager|"
    r"case manager|nurse|doctor|pharmacist|interpreter|driver|landlord)\b|\s+from\s+the\s+(?:pharmacy|clinic|"
    r"office|front desk|agency|senior center|school|church|insurance|county|hospital|lab|library|bank)\b|"
    r"'s\s+(?:wedding|birthday|party|graduation|baby|house|school|funeral|visit)\b"
)


def _word(names: str) -> str:
    return rf"\b(?P<name>{names})\b"


_NAMES = "|".join(sorted(NAMES_THAT_ARE_WORDS, key=len, reverse=True))
# Where any case will do: after a title, a relation or a pet, or a word that names.
_AFTER_A_NAMING_WORD = re.compile(
    rf"\b(?:{_TITLES}|(?:{_PEOPLE}|{_PETS}),?|{_NAMING})\s+" + _word(_NAMES), re.IGNORECASE
)
# Where the capital tells: the name, capitalised, followed by what is said of a person.
_BEFORE_WHAT_A_NAME_IS = re.compile(rf"\b(?P<name>{_NAMES})(?={_AFTER})", re.IGNORECASE)
# Any surname after a title, written as a name is, a capital and small letters ("Dr. Condon", "Dr. Deporter", "Mrs.
# Herrin"): a word that is a private word or one slip from one is the person's name there. Written otherwise ("mr.
# pott", "Dr. HIV clinic") only the names above are read so.
_SURNAME_AFTER_A_TITLE = re.compile(rf"(?i:\b{_TITLES})\s+(?P<name>[^\W\d_]+(?:-[^\W\d_]+|['’][^\W\d_]{{2,}})*)\b")


def names_read_as_names(text: str) -> str:
    """The text with each of those words that it writes as a name read as a plain name (ANY_NAME)."""
    one_case = text.isupper() or text.islower()  # a note in one case: the capital tells nothing
    text = _AFTER_A_NAMING_WORD.sub(lambda found: _as_a_name(found), text)
    if one_case:
        return text
    text = _SURNAME_AFTER_A_TITLE.sub(lambda found: _as_a_name(found, capitalised=True), text)
    return _BEFORE_WHAT_A_NAME_IS.sub(lambda found: _as_a_name(found, capitalised=True), text)


def _as_a_name(found: re.Match[str], capitalised: bool = False) -> str:
    name = found.group("name")
    if capitalised and not (name[:1].isupper() and name[1:].islower()):
        return found.group(0)
    start, end = found.span("name")
    whole = found.group(0)
    return whole[: start - found.start()] + ANY_NAME + whole[end - found.start() :]
