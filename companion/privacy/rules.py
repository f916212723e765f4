"""One rule for what is private, applied wherever others can see the screen: a fact is private when the person who
wrote it marks it, when its FHIR security label or its code says so, when its wording does (companion.sensitivity),
or when the clinic keeps its topic private by default. The verdict names the category and why, so a fact can be
labelled when it leaves the app and listed, safety items first, behind the prep card's reveal."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from companion.privacy.lexicon import Category, Lexicon
from companion.privacy.names_in_text import ANY_NAME, NAMES_IN_A_NAME, NAMES_THAT_ARE_WORDS, names_read_as_names
from companion.privacy.other_languages import written_in
from companion.privacy.phrases import normalize

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
# Procedure codes, as visits are typed by them (Encounter.type): a psychotherapy hour is CPT 90837.
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# This app's own code for a category HL7 has no code for (legal and immigration status), in exported labels.
CATEGORY_SYSTEM = "https://encounter-companion.example/fhir/CodeSystem/sensitivity-category"
RESTRICTED = ("R", "V")  # confidentiality: restricted, very restricted
# ActCode sensitivities with no category of their own here: private all the same. With them the role sensitivities
# (ActInformationSensitivityPolicy): an adolescent's confidential information, a celebrity's, an employee's, a place
# (a shelter's address), social services, diagnosis, drug information, a patient's or a person's own request.
OTHER_SENSITIVITIES = (
    "TBOO", "SPI", "SCA", "SICKLE", "COGN", "DVD", "IDS",
    "ADOL", "CEL", "EMP", "LOCIS", "SOC", "DIA", "DRGIS", "PDS", "PRS",
)  # fmt: skip
# US privacy laws as labels: 42 CFR Part 2 protects substance-use treatment records, HIPAA's psychotherapy notes
# rule a therapist's notes, and 38 U.S.C. 7332 the VA's records of drug and alcohol use, HIV and sickle cell
# (several kinds: restricted without one category).
US_PRIVACY_LAW = "http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw"
LAW_CATEGORIES = {"42CFRPART2": "substance_use", "HIPAAPSYNOTES": "mental_health", "TITLE38SECTION7332": ""}

MARKED, LABEL, CODE, WORDING, TOPIC, LANGUAGE = "marked", "label", "code", "wording", "topic", "language"
# The same systems under the names older records and converted C-CDA documents give them: FHIR STU3's hl7.org/fhir/v3
# addresses and HL7's OIDs. canonical_system() also reads https, a trailing slash and a SNOMED CT edition alike.
BARE_OID = re.compile(r"[0-2](?:\.\d+)+")
# The code systems of security labels: one of them on a resource's meta.tag, where some systems file it, is a label.
LABEL_SYSTEMS = frozenset({CONFIDENTIALITY, ACT_CODE, US_PRIVACY_LAW, CATEGORY_SYSTEM})
SYSTEM_ALIASES = {
    "urn:oid:2.16.840.1.113883.6.1": LOINC,
    "urn:oid:2.16.840.1.113883.6.96": SNOMED,
    "urn:oid:2.16.840.1.113883.6.90": ICD10_SYSTEMS[0],
    "urn:oid:2.16.840.1.113883.6.3": ICD10_SYSTEMS[1],
    "urn:oid:2.16.840.1.113883.6.12": CPT,
    "urn:oid:2.16.840.1.113883.6.285": HCPCS,
    "http://hl7.org/fhir/v3/Confidentiality": CONFIDENTIALITY,
    "urn:oid:2.16.840.1.113883.5.25": CONFIDENTIALITY,
    "http://hl7.org/fhir/v3/ActCode": ACT_CODE,
    "urn:oid:2.16.840.1.113883.5.4": ACT_CODE,
    "http://hl7.org/fhir/v3/ActUSPrivacyLaw": US_PRIVACY_LAW,
    "urn:oid:2.16.840.1.113883.5.1138": US_PRIVACY_LAW,
}
# An ICD-10-CM code as a nurse types it into a note ("Dx F33.2", "T14.91XA coded at the ED"): a capital letter, two
# more characters, then a dot and up to four. U is left out (U07.1 is COVID-19, and no U code is private).
ICD10_WRITTEN = re.compile(r"(?<![\w.])([A-TV-Z]\d[\dAB](?:\.[\dA-Z]{1,4})?)(?!\w)")
# Typed in small letters, a code is one when it has its decimals ("f33.2"), or when a word that names a diagnosis
# stands before it ("dx f32", "icd10: b20"); "b12 shot" and "the f150" stay words.
ICD10_SMALL = re.compile(r"(?<![\w.])([a-tv-z]\d[\dab]\.[\da-z]{1,4})(?!\w)")
ICD10_AFTER_DX = re.compile(
    r"\b(?:dx|ddx|hx|icd|icd-?10(?:-?cm)?|diagnosis|diagnóstico|diagnostico|code|código|codigo)\b[\s:#.-]*"
    r"([a-tv-z]\d[\dab](?:\.[\da-z]{1,4})?)(?!\w)",
    re.IGNORECASE,
)
ICD10_SHAPE = re.compile(r"\d")  # every code holds a digit (in any script's digits too)
# Words before a number that names a place, not a diagnosis: "bus F10", "apartment F32", "room O80", "exit Z21".
_PLACES = (
    "bus route highway hwy road rd exit apartment apt unit suite ste room rm bed bay gate seat row lot building "
    "bldg floor level wing block platform line train flight stand door locker box"
)
PLACE_WORDS = frozenset(_PLACES.split())


@lru_cache(maxsize=4096)  # an import asks it of every coding it reads, and a file names a few dozen systems
def canonical_system(system: str) -> str:
    """A code system's address as this app's tables name it."""
    system = system.strip()
    if BARE_OID.fullmatch(system):  # "2.16.840.1.113883.5.25", an OID written without its urn:oid: prefix
        system = f"urn:oid:{system}"
    scheme, separator, rest = system.partition("://")
    host, slash, path = rest.partition("/")
    # A URL's scheme and host are not case-sensitive ("HTTP://TERMINOLOGY.HL7.ORG/..."); its path is.
    address = f"{scheme.lower()}{separator}{host.lower()}{slash}{path}" if separator else system
    if address.startswith("https://"):
        address = "http://" + address.removeprefix("https://")
    address = address.rstrip("/")
    if address[:8].lower() == "urn:oid:":  # "URN:OID:2.16.840.1.113883.5.25": the scheme is not case-sensitive
        address = "urn:oid:" + address[8:]
    # A label's value set named where its code system belongs ("http://terminology.hl7.org/ValueSet/v3-...")
    address = address.replace("terminology.hl7.org/ValueSet/v3-", "terminology.hl7.org/CodeSystem/v3-")
    if address.startswith(SNOMED + "/"):  # an edition or a version: http://snomed.info/sct/731000124108/version/...
        return SNOMED
    return SYSTEM_ALIASES.get(address, address)


@dataclass(frozen=True)
class Verdict:
    private: bool
    category: str = ""  # a category's key; "" when none is known (marked by hand, or restricted without a kind)
    reason: str = ""  # MARKED, LABEL, CODE, WORDING, TOPIC or LANGUAGE

    def columns(self) -> dict:
        """The verdict as a fact's stored columns (companion.storage.models: Priority, ContextNote, NextStep)."""
        return {"sensitive": self.private, "private_category": self.category, "private_reason": self.reason}

    def keep(self, earlier_private: bool, earlier_category: str = "", earlier_reason: str = "") -> Verdict:
        """Never less private than before: a fact someone marked, or the rules caught once, stays private."""
        if earlier_private and not self.private:
            return Verdict(True, earlier_category, earlier_reason or MARKED)
        if earlier_private and earlier_reason == MARKED:
            return Verdict(True, self.category or earlier_category, MARKED)
        return self


PUBLIC = Verdict(False)


class CodeSets:
    """Codes that make a fact private, by category: exact LOINC and SNOMED codes and `coded` "system|code" pairs of
    other systems, ICD-10 codes by prefix, CPT and HCPCS codes alone or as "first-last" ranges."""

    def __init__(self, tables: dict[str, dict]) -> None:
        self._exact: dict[tuple[str, str], str] = {}
        self._icd10: list[tuple[str, str]] = []
        self._ranges: list[tuple[str, str, str, str]] = []  # (system, first, last, category)
        for key, table in tables.items():
            for code in table.get("loinc", []):
                self._exact[(LOINC, code)] = key
            for code in table.get("snomed", []):
                self._exact[(SNOMED, code)] = key
            for pair in table.get("coded", []):
                system, code = pair.rsplit("|", 1)
                self._exact[(canonical_system(system), code)] = key
            self._icd10 += [(prefix.upper().replace(".", ""), key) for prefix in table.get("icd10", [])]
            for system, name in ((CPT, "cpt"), (HCPCS, "hcpcs")):
                for written in table.get(name, []):
                    first, _, last = written.partition("-")
                    self._ranges.append((system, first, last or first, key))
        self._icd10.sort(key=lambda item: -len(item[0]))  # the most specific prefix first

    def category_of(self, system: str, code: str) -> str | None:
        system = canonical_system(system)
        if not code:
            return None
        if system in ICD10_SYSTEMS:
            bare = code.upper().replace(".", "")  # "R45.851" or, as claims data writes it, "R45851"
            return next((key for prefix, key in self._icd10 if bare.startswith(prefix)), None)
        if system in (CPT, HCPCS):  # five characters each, so a range is read in the codes' own order
            bare = code.strip().upper()
            return next(
                (
                    key
                    for where, first, last, key in self._ranges
                    if where == system and len(bare) == len(first) and first <= bare <= last
                ),
                None,
            )
        found = self._exact.get((system, code))
        if found is None and not system:  # a questionnaire item named by its LOINC code alone ("76690-7")
            found = self._exact.get((LOINC, code))
        return found

    def category_written(self, text: str) -> str | None:
        """The category of the first private ICD-10-CM code written in the text (read as a person sees it: full-width
        or look-alike letters are the code too), if any; not a place's number: "bus F10", "room O80", "exit Z21"."""
        if not ICD10_SHAPE.search(text):  # most texts hold no digit, so no code: not worth reading again
            return None
        seen = normalize(text, keep_case=True)
        for pattern in (ICD10_WRITTEN, ICD10_SMALL, ICD10_AFTER_DX):
            for written in pattern.finditer(seen):
                before = seen[: written.start(1)].split()[-1:]
                if before and before[0].lower().strip(".:#") in PLACE_WORDS:
                    continue
                if key := self.category_of(ICD10_SYSTEMS[0], written.group(1).upper()):
                    return key
        return None


NO_NAME = "Name not recorded"  # a patient's placeholder until a record names them
# A word of a name: letters, joined by an apostrophe or a hyphen (O'Brien, Smith-Jones).
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ABBREVIATED = frozenset(("mrs", "sra", "dra", "sta", "srta"))  # with a period, as an initial or Dr. and Jr. are


def public_name(text: str, is_private: Callable[[str], bool], otherwise: str = NO_NAME) -> str:
    """A person's name as it may show on every screen (a patient's recorded name, a clinician's, an author's): the
    name a record or a registration wrote, without what was added to it that the rules keep private ("Jane Roe
    (HIV clinic pt)", "Jane Roe, HIV positive", "Dr. Kim, Methadone Maintenance Program" are Jane Roe and Dr. Kim);
    `otherwise` when no name comes first. A name of words alone is judged with the names the rules' words hold read
    as names (Robert Gay is a person, "Kay Doe Suicide Watch" is Kay Doe and a remark). What follows a comma is
    judged, as "Roe, Jill" gives a name there and "Jane Roe, HIV positive" a remark. The surnames read as names
    only in a name ("Elliott Sober") are read as words once a remark is left out: "Kay Doe Rape Crisis Center" is
    Kay Doe."""
    text = text.strip()
    shown = _name_publicly(text, is_private, otherwise, NAMES_IN_A_NAME)
    return shown if shown == text else _name_publicly(text, is_private, otherwise, NAMES_THAT_ARE_WORDS)


def _name_publicly(text: str, is_private: Callable[[str], bool], otherwise: str, names: frozenset[str]) -> str:
    name = _name_first(text)
    surname, comma, given = name.partition(",")
    if comma and given.strip() and is_private(_read_as_names(given, names)[0]):
        name = surname.strip()
    elif name == text:
        return _words_publicly(text, is_private, otherwise, names)
    if not is_private(text):
        return text
    return _words_publicly(name, is_private, otherwise, names) if name else otherwise


def _words_publicly(name: str, is_private: Callable[[str], bool], otherwise: str, names: frozenset[str]) -> str:
    """A name of words alone, less the remark it ends with: "Kay Doe Suicide Watch" is Kay Doe, "Gender Clinic" and
    "Sexual health clinic front desk" no name. Names that are also the rules' words are read as names ("Mary Ann
    Gay", "Jesús Gay López", "Ryan White")."""
    read, words, starts, ends = _read_as_names(name, names)
    if not is_private(read):
        return name
    kept = len(words)
    while kept and is_private(read[: ends[kept - 1]]):  # the remark starts with the shortest private ending
        last = ends[kept - 1]
        kept = next((first for first in range(kept - 1, -1, -1) if is_private(read[starts[first] : last])), 0)
    return name[: words[kept - 1].end()] if kept else otherwise


def _read_as_names(name: str, names: frozenset[str]) -> tuple[str, list[re.Match[str]], list[int], list[int]]:
    """The name as the rules judge it, each of its words the rules also hold read as a name ("Gay" as "Lee"; in
    small letters only when the whole name is: "ROBERT GAY" and "robert gay" from old records, not "Jo gay");
    with its words, and where each starts and ends in what is judged."""
    uniform = name.islower() or name.isupper()

    def as_a_name(part: str) -> str:
        return ANY_NAME if part.casefold() in names and (uniform or not part.islower()) else part

    words = list(_NAME_WORD.finditer(name))
    read, starts, ends, at = "", [], [], 0
    for word in words:
        read += name[at : word.start()]
        starts.append(len(read))
        read += "".join(map(as_a_name, re.split(r"([-'’])", word.group())))
        ends.append(len(read))
        at = word.end()
    return read + name[at:], words, starts, ends


def _name_first(text: str) -> str:
    """The words of a name a text starts with: letters (with ' and -), an initial or a title with its period
    ("J.", "Dr.", "Mrs."), one comma (Last, First); anything else ends it: a bracket, a sign, a spaced dash."""
    end, commas = 0, 0
    for token in re.finditer(r"\S+", text):
        word = token.group()
        comma = word.endswith(",")
        word = word.removesuffix(",")
        period = word.endswith(".")
        word = word.removesuffix(".")
        abbreviation = len(word) <= 2 or word.lower() in _ABBREVIATED
        if not _NAME_WORD.fullmatch(word) or (period and not abbreviation):
            break
        end = token.end() - comma
        commas += comma
        if commas > 1:  # "Roe, Jill, methadone pt": the name ends at the second comma
            break
    return text[:end]


class PrivacyRules:
    def __init__(
        self, lexicon: Lexicon, codes: CodeSets, labels: dict[str, str], private_topics: Iterable[str] = ()
    ) -> None:
        self.lexicon = lexicon
        self.codes = codes
        self._labels = labels  # an ActCode sensitivity label -> category key
        self.private_topics = frozenset(private_topics)

    def category(self, key: str) -> Category | None:
        return self.lexicon.by_key.get(key)

    def public_name(self, text: str, otherwise: str = NO_NAME) -> str:
        """The name in `text` as every screen may show it (module public_name)."""
        return public_name(text, lambda words: self.judge(words, as_name=True).private, otherwise)

    def judge(
        self,
        text: str = "",
        *,
        marked: bool = False,
        topic: str = "",
        codes: Iterable[tuple[str, str]] = (),
        labels: Iterable[tuple[str, str]] = (),
        language: str = "",
        as_name: bool = False,
    ) -> Verdict:
        """Whether a fact is private, in what category and why. `codes` and `labels` are (system, code) pairs:
        the fact's codes and the FHIR security labels of the resource it came from. `language` is the one its
        record declares: a text in a language the phrases are not written in cannot be read by them, so it is
        kept private (behind the reveal, where the clinician reads it) rather than shown unread. So is a text
        written largely in letters English and Spanish do not use, whatever its record declares (a patient types
        in their own language at check-in and at the desk, where no language is declared): a name's letters
        (`as_name`) say nothing of what it tells."""
        by_label = self._by_label(labels)
        by_code = next((key for system, code in codes if (key := self.codes.category_of(system, code))), "")
        by_code = by_code or self.codes.category_written(text) or ""
        worded = self.lexicon.category_of(names_read_as_names(text))  # "wife Chela", "Dr. Weed": names
        by_wording = worded.key if worded is not None else ""
        if marked:
            return Verdict(True, by_code or by_wording, MARKED)
        if by_label is not None:
            return Verdict(True, by_label or by_code or by_wording, LABEL)
        if by_code:
            return Verdict(True, by_code, CODE)
        if by_wording:
            return Verdict(True, by_wording, WORDING)
        if topic and topic in self.private_topics:
            return Verdict(True, "", TOPIC)
        if language and not self.lexicon.reads(language):
            return Verdict(True, "", LANGUAGE)
        if not as_name and (self.lexicon.written_unread(text) or written_in(text, self.lexicon.reads)):
            return Verdict(True, "", LANGUAGE)
        return PUBLIC

    def _by_label(self, labels: Iterable[tuple[str, str]]) -> str | None:
        """The category a resource's security labels give it; "" for restricted without a kind; None: no label."""
        found: str | None = None
        for written_system, written_code in labels:
            system = canonical_system(written_system)
            if system == CATEGORY_SYSTEM and self.category(written_code) is not None:
                return written_code
            code = written_code.strip().upper()  # HL7's codes are capitals: an export's "psy", "r" or "HIV " means them
            if code in self._labels and system in ("", ACT_CODE):
                return self._labels[code]
            if code in LAW_CATEGORIES and system in ("", ACT_CODE, US_PRIVACY_LAW):
                return LAW_CATEGORIES[code]
            # Restricted under ActCode's address: a confidentiality code filed under the wrong system still says so
            if (code in RESTRICTED and system in ("", CONFIDENTIALITY, ACT_CODE)) or (
                code in OTHER_SENSITIVITIES and system in ("", ACT_CODE)
            ):
                found = ""
        return found
