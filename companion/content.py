"""The evidence the app carries (Presence 5, NURSE, rituals, questions, sensitive-fact rules).

Defaults live in resources/content; a clinic overrides them with a file of the same name in
`<data dir>/content/`: its tables merge into the shipped ones, other values replace them. The privacy files and
emotions.toml are added to instead (lists grow; `remove` takes a shipped phrase out).
"""

from __future__ import annotations

import copy
import threading
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path

from companion.errors import CompanionError
from companion.privacy.lexicon import PHRASE_LISTS, Lexicon, build_category
from companion.privacy.rules import CodeSets, PrivacyRules
from companion.read.emotion_family import NURSE_KEYS, EmotionLexicon, Phrases
from companion.read.note_kinds import TOPICS
from companion.text import MAX_PAUSE_SECONDS, MAX_RITUAL_STEPS, MAX_SHORT, clean_text

CONTENT_FILES = ("presence", "nurse", "ritual", "questions")
PRIVACY_FILES = ("sensitive", "sensitive_codes")  # a clinic's file adds to these rather than replacing
PRACTICE_KEYS = ("prepare", "listen", "agree", "connect", "explore")


@dataclass(frozen=True)
class Practice:
    key: str
    title: str
    cue: str
    video_cue: str = ""  # its form for a video visit, where the in-room cue does not apply (sit, lean in)

    def for_video(self) -> Practice:
        return replace(self, cue=self.video_cue or self.cue)


@dataclass(frozen=True)
class NurseStepContent:
    key: str
    label: str
    phrase: str  # the neutral phrase, for an emotion emotions.toml does not know (content.emotions has the others)


@dataclass(frozen=True)
class Content:
    practices: tuple[Practice, ...]
    nurse_steps: tuple[NurseStepContent, ...]
    ritual_steps: tuple[str, ...]
    ritual_pause_seconds: int
    rooming_questions: tuple[str, ...]
    something_else: str
    story_questions: tuple[str, ...]
    privacy_spec: dict = field(repr=False, compare=False)  # sensitive.toml and sensitive_codes.toml, as read
    emotion_spec: dict = field(repr=False, compare=False)  # emotions.toml and nurse.toml, as read
    # story_codes.toml as read (added to by a clinic's file): what of a record is the story (companion.fhir.story)
    story_spec: dict = field(default_factory=dict, repr=False, compare=False)

    def practice(self, key: str) -> Practice:
        return next(p for p in self.practices if p.key == key)

    @cached_property
    def safety_categories(self) -> frozenset[str]:
        """Suicide, self-harm and abuse (and any a clinic marks so): read first behind the reveal. Known without
        building the lexicon."""
        categories = self.privacy_spec["sensitive"]["categories"]
        return frozenset(key for key, table in categories.items() if table.get("safety"))

    def category_label(self, key: str) -> str:
        """A category's words, for the prep card behind its reveal only."""
        return str(self.privacy_spec["sensitive"]["categories"].get(key, {}).get("label", ""))

    @cached_property
    def private_topics(self) -> frozenset[str]:
        """Topics the clinic keeps private by default ([topics] private in sensitive.toml)."""
        return frozenset(self.privacy_spec["sensitive"].get("topics", {}).get("private", []))

    def category_hl7(self, key: str) -> str:
        """A category's ActInformationSensitivityPolicy code, for an exported label ("" where HL7 has none)."""
        return str(self.privacy_spec["sensitive"]["categories"].get(key, {}).get("hl7", ""))

    @cached_property
    def emotions(self) -> EmotionLexicon:
        """A cue's emotion family and its phrases (companion.read.emotion_family). Built on first use: a few
        milliseconds the sign-in need not pay. A clinic's own emotions.toml or nurse.toml is built when the content
        loads, so a mistake in it is named at once."""
        return build_emotions(self.emotion_spec["emotions"], self.emotion_spec["nurse"])

    @cached_property
    def privacy_fingerprint(self) -> str:
        """The rules' fingerprint (companion.privacy.stored): a few milliseconds, worked out once."""
        from companion.privacy.stored import fingerprint

        return fingerprint(self.privacy_spec)

    @cached_property
    def privacy(self) -> PrivacyRules:
        """What is private (companion.privacy). Built on first use: thousands of phrases cost a twelfth of a second,
        which the sign-in and the glance (that read stored verdicts) never need to pay; and built once per process
        for the same files (_BUILT_RULES)."""
        key = self.privacy_fingerprint
        rules = _BUILT_RULES.get(key)
        if rules is None:
            try:
                rules = build_privacy(self.privacy_spec)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a clinic's file: one clear line
                raise CompanionError(f"the privacy rules (sensitive.toml) are incomplete or malformed: {exc}") from exc
            with _BUILT_RULES_LOCK:  # the window builds them on its save thread (ui.main_window), others may too
                while len(_BUILT_RULES) >= KEPT_RULES:
                    del _BUILT_RULES[next(iter(_BUILT_RULES))]  # the oldest: a clinic's files changed since
                _BUILT_RULES[key] = rules
        return rules


# The rules built from the same files (the same fingerprint) are the same rules, and nothing changes them once
# built: a process that opens a store again (a restored backup, a reopened database, the tests' thousands of
# stores) builds them once. A few are kept, as a clinic's own files may change while a process runs.
_BUILT_RULES: dict[str, PrivacyRules] = {}
_BUILT_RULES_LOCK = threading.Lock()
KEPT_RULES = 3


def load_content(override_dir: Path | None = None) -> Content:
    """Read the shipped content and apply a clinic's overrides, if any."""
    raw = {name: _read(name, override_dir) for name in CONTENT_FILES}
    try:
        content = Content(
            practices=tuple(Practice(**p) for p in raw["presence"]["practices"]),
            nurse_steps=tuple(NurseStepContent(**s) for s in raw["nurse"]["steps"]),
            ritual_steps=_ritual_steps(raw["ritual"]["steps"]),
            ritual_pause_seconds=_pause(raw["ritual"]["pause_seconds"]),
            rooming_questions=_texts(raw["questions"]["rooming"], "questions.toml rooming"),
            something_else=_text(raw["questions"]["something_else"], "questions.toml something_else"),
            story_questions=_texts(raw["questions"]["story"], "questions.toml story"),
            privacy_spec={name: _read(name, override_dir, adding=True) for name in PRIVACY_FILES},
            emotion_spec={"emotions": _read("emotions", override_dir, adding=True), "nurse": raw["nurse"]},
            story_spec=_read("story_codes", override_dir, adding=True),
        )
        if override_dir is not None and any((override_dir / f"{n}.toml").is_file() for n in ("emotions", "nurse")):
            _ = content.emotions  # a clinic's phrases are read now, so a mistake is named when the app starts
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CompanionError(f"the content files are incomplete or malformed: {exc}") from exc
    _check_complete(content)
    _check_story_lists(content.story_spec)
    return content


def shipped_categories() -> tuple[str, ...]:
    """The categories the app ships (resources/content/sensitive.toml): together they are what "private" covers."""
    return tuple(_parsed_shipped("sensitive")["categories"])


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a text in quotes")
    return value


def _texts(value: object, where: str) -> tuple[str, ...]:
    """A list of texts: a text alone would be read letter by letter, a number shown as one."""
    if not isinstance(value, list) or not value:
        raise ValueError(f'{where} must be a list of texts, as {where.split()[-1]} = ["..."]')
    return tuple(_text(item, f"each of {where}") for item in value)


def _ritual_steps(value: object) -> tuple[str, ...]:
    """A clinic's ritual held to the limits a clinician's own is (companion.services.rituals): the default the prep
    card shows must be one the clinician can save back (20 steps loaded, and changing only the pause was refused),
    and a step is one line of plain text like any other (no control or direction-override characters)."""
    texts = _texts(value, "ritual.toml steps")
    steps = tuple(clean_text(step, "each of ritual.toml steps", MAX_SHORT) for step in texts)
    if len(steps) > MAX_RITUAL_STEPS:
        raise ValueError(f"ritual.toml has {len(steps)} steps; a ritual has at most {MAX_RITUAL_STEPS}")
    return steps


def _pause(value: object) -> int:
    # inf, nan and 1e308 are TOML numbers; a clinician's own pause is held to the same range in the app.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PAUSE_SECONDS:
        raise ValueError(f"ritual.toml pause_seconds must be a whole number of seconds from 0 to {MAX_PAUSE_SECONDS}")
    return value


def build_emotions(spec: dict, nurse: dict) -> EmotionLexicon:
    """Each cue's emotion family and phrases (emotions.toml), with nurse.toml's neutral phrases for an emotion it
    does not know: the steps' own, in emotions.toml's fallback language, and those of nurse.toml [languages.*]."""
    steps = {step["key"]: step["phrase"] for step in nurse["steps"]}
    own = Phrases.from_table({**steps, "wish": nurse["wish"], "more": nurse["more"]}, "nurse.toml")
    neutral = {str(spec.get("fallback_language", "en")): own}
    for language, table in nurse.get("languages", {}).items():
        neutral[language] = Phrases.from_table(table, f"nurse.toml [languages.{language}]")
    return EmotionLexicon(spec, neutral)


def build_privacy(spec: dict) -> PrivacyRules:
    """The privacy rules from the two files."""
    built = [build_category(key, table) for key, table in spec["sensitive"]["categories"].items()]
    codes = CodeSets(spec["sensitive_codes"]["categories"])
    labels = {label: category.key for category in built for label in category.labels}
    tables = spec["sensitive"]["categories"]
    # A language is read only once every shipped category has phrases in it (companion.privacy.lexicon): until
    # then text in it stays behind the reveal, as text in any language the rules are not written in.
    core = [key for key in shipped_categories() if key in tables] or list(tables)
    languages = set.intersection(*(set(tables[key].get("languages", {})) for key in core)) if core else set()
    lexicon = Lexicon(built, languages, spec["sensitive"].get("typing_slips", {}).get("everyday", []))
    return PrivacyRules(lexicon, codes, labels, spec["sensitive"].get("topics", {}).get("private", []))


def _check_complete(content: Content) -> None:
    """The app points to each practice and NURSE step by key: a clinic's file must keep all of them."""
    for what, found, needed in (
        ("presence.toml practices", {p.key for p in content.practices}, PRACTICE_KEYS),
        ("nurse.toml steps", {s.key for s in content.nurse_steps}, NURSE_KEYS),
    ):
        if missing := [key for key in needed if key not in found]:
            raise CompanionError(f"the content files are incomplete: {what} lack {', '.join(missing)}")


def _check_story_lists(spec: dict) -> None:
    """story_codes.toml, shipped and the clinic's, has the shape companion.fhir.story reads: tables of lists of
    words or codes, and only the story topics Rooming knows. A mistake is named when the app starts."""

    def words(value, where: str) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise CompanionError(f"story_codes.toml: {where} must be a list of words or codes in quotes")

    for section in ("topics", "leave_out", "safety", "negative"):
        tables = spec.get(section, {})
        if not isinstance(tables, dict):
            raise CompanionError(f"story_codes.toml: [{section}] must be a table")
        for name, value in tables.items():
            if section in ("topics", "leave_out"):
                if not isinstance(value, dict):
                    raise CompanionError(f"story_codes.toml: [{section}.{name}] must be a table")
                for key, listed in value.items():
                    if key != "reason":
                        words(listed, f"{section}.{name}.{key}")
            else:
                words(value, f"{section}.{name}")
    social = TOPICS["social"]
    if unknown := [name for name in spec.get("topics", {}) if name not in social]:
        raise CompanionError(f"story_codes.toml names an unknown topic ({', '.join(unknown)}); use {', '.join(social)}")


@cache
def _parsed_shipped(name: str) -> dict:
    """A shipped content file, parsed once per process (sensitive.toml alone takes a tenth of a second); never
    changed: _read hands out copies, which a clinic's file adds to."""
    return tomllib.loads(files("resources").joinpath("content", f"{name}.toml").read_text(encoding="utf-8"))


def _read(name: str, override_dir: Path | None, adding: bool = False) -> dict:
    data = copy.deepcopy(_parsed_shipped(name))
    if override_dir is not None:
        override = override_dir / f"{name}.toml"
        if override.is_file():
            try:
                clinic = tomllib.loads(override.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise CompanionError(f"the clinic's {override.name} is not valid TOML: {exc}") from exc
            except OSError as exc:
                raise CompanionError(f"the clinic's {override} cannot be read: {exc.strerror or exc}") from exc
            try:
                if adding and name == "sensitive":
                    _check_phrases(clinic)
                if adding and name == "sensitive_codes":
                    _check_codes(clinic)
                (_add if adding else _merge)(data, clinic)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise CompanionError(f"the clinic's {override} cannot be used: {exc}") from exc
        elif override.exists() or override.is_symlink():
            # A folder, or a link to a share that did not mount: the clinic's own words would silently not apply.
            raise CompanionError(f"the clinic's {override} is not a file that can be read (a folder, or a broken link)")
    return data


# Where a clinic's sensitive.toml may put what: a phrase list written anywhere else would be read by nothing.
_CLINIC_PRIVACY_KEYS = {
    "": {"categories", "topics", "typing_slips", "remove"},
    "topics": {"private", "remove"},
    "typing_slips": {"everyday", "remove"},
    "category": {"label", "hl7", "labels", "safety", "languages", "remove"},
    "language": {*PHRASE_LISTS, "remove"},
}


def _check_phrases(clinic: dict) -> None:
    """A clinic's own phrases are read when the app starts, so a mistake is named at once (the shipped ones are
    checked by the tests; all of them are indexed only when first needed). So is a list in a place nothing reads
    (`[categories.hiv] strong = [...]`, without its language): the clinic would believe its words private."""
    _known_keys(clinic, "", "the file")
    topics = _table(clinic.get("topics", {}), "[topics]")
    _known_keys(topics, "topics", "[topics]")
    known = sorted({topic for listed in TOPICS.values() for topic in listed})
    for name in ("private", "remove"):
        listed = topics.get(name, [])
        if not isinstance(listed, list):
            raise ValueError(f"[topics] {name} must be a list of topics")
        if unknown := [topic for topic in listed if topic not in known]:  # a typo would keep nothing private
            raise ValueError(f"[topics] {name} names an unknown topic ({unknown[0]!r}); use {', '.join(known)}")
    slips = _table(clinic.get("typing_slips", {}), "[typing_slips]")
    _known_keys(slips, "typing_slips", "[typing_slips]")
    for name in ("everyday", "remove"):
        if not all(isinstance(word, str) for word in _list(slips.get(name, []), f"[typing_slips] {name}")):
            raise ValueError(f"[typing_slips] {name} must be a list of words in quotes")
    for key, table in _table(clinic.get("categories", {}), "[categories]").items():
        _known_keys(_table(table, f"[categories.{key}]"), "category", f"[categories.{key}]")
        for tag, language in _table(table.get("languages", {}), f"[categories.{key}.languages]").items():
            where = f"[categories.{key}.languages.{tag}]"
            _known_keys(_table(language, where), "language", where)
        build_category(key, {"label": key, **table})


# What a clinic's sensitive_codes.toml may hold in a category, as the shipped file does (companion.privacy.rules).
_CODE_LISTS = ("loinc", "snomed", "icd10", "cpt", "hcpcs", "coded", "mixed_panels", "sources")


def _check_codes(clinic: dict) -> None:
    """A clinic's codes: a misspelt list name would be read by nothing, and a code written without its list's
    brackets would replace the shipped list with the letters of one code."""
    if unknown := sorted(set(clinic) - {"categories"}):
        raise ValueError(f"the file has {unknown[0]!r}, which nothing reads; codes go in [categories.<category>]")
    for key, table in _table(clinic.get("categories", {}), "[categories]").items():
        where = f"[categories.{key}]"
        for name, value in _table(table, where).items():
            if name == "hl7":
                if not isinstance(value, str):
                    raise ValueError(f"{where} hl7 must be a code in quotes")
            elif name in (*_CODE_LISTS, "remove"):
                if not isinstance(value, list) or not all(isinstance(code, str) and code.strip() for code in value):
                    raise ValueError(f'{where} {name} must be a list of codes in quotes, as {name} = ["..."]')
            else:
                raise ValueError(
                    f"{where} has {name!r}, which nothing reads (it may hold: hl7, {', '.join(_CODE_LISTS)}, remove)"
                )


def _list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list, in [ ]")
    return value


def _table(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a table")
    return value


def _known_keys(table: dict, kind: str, where: str) -> None:
    unknown = sorted(set(table) - _CLINIC_PRIVACY_KEYS[kind])
    if unknown:
        allowed = ", ".join(sorted(_CLINIC_PRIVACY_KEYS[kind]))
        raise ValueError(
            f"{where} has {unknown[0]!r}, which nothing reads (it may hold: {allowed}); phrases go in "
            f"[categories.<category>.languages.<language>] as {', '.join(PHRASE_LISTS[:-1])} or {PHRASE_LISTS[-1]}"
        )


def _merge(shipped: dict, override: dict) -> None:
    """Tables merge entry by entry (a clinic adding a sensitive category keeps the shipped ones);
    any other value, lists included, replaces the shipped one."""
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(shipped.get(key), dict):
            shipped[key].update(value)
        else:
            shipped[key] = value


def _add(shipped: dict, clinic: dict) -> None:
    """A clinic's privacy file adds: tables merge at every depth and lists of phrases or codes grow; what it lists
    under `remove` leaves every list of the same table (a shipped phrase that misfires in that clinic)."""
    for key, value in clinic.items():
        if isinstance(shipped.get(key), list | dict) and type(value) is not type(shipped[key]):
            # A phrase where a list belongs would replace the shipped list (and be read letter by letter).
            kind = "a list, in [ ]" if isinstance(shipped[key], list) else "a table"
            raise ValueError(f"{key} must be {kind}, as in the shipped file")
        if isinstance(value, dict):
            _add(shipped.setdefault(key, {}), value)
        elif isinstance(value, list) and isinstance(shipped.get(key), list) and key != "remove":
            shipped[key] = shipped[key] + [item for item in value if item not in shipped[key]]
        elif key != "remove":
            shipped[key] = value
    for gone in clinic.get("remove", []):
        lists = [name for name, value in shipped.items() if isinstance(value, list) and gone in value]
        if not lists:  # a typo would leave the shipped entry in force while the clinic believes it gone
            raise ValueError(f"remove = [{gone!r}] matches no entry of that table")
        for name in lists:
            shipped[name] = [item for item in shipped[name] if item != gone]
