"""Which imported answers are the patient's story: the facts a person would tell (home, work, family, food and other
needs, faith, what brings joy, and the rest of their social history), not administrative answers, screening scores,
demographics or answers that say there is no need.

The lists live in resources/content/story_codes.toml (a clinic adds to them); this module reads them and judges one
answer at a time, on its question's code, its categories and its words, then on the answer itself."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

NO_NEED = "an answer that says there is no need"
DECLINED = "an answer that tells nothing: declined or unknown"
# The prefix of the reason an earlier item is retracted with when the newest answer leaves the story: a later answer
# that is story again brings that item back (one a person retracted stays retracted).
LEFT_STORY = "left the story: "


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as the record gives it: its code and its words (either may be empty)."""

    code: str = ""
    words: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    """The story's verdict on one answer: its topic ("" for a safety item without one), or why it is left out."""

    topic: str = ""
    left_out: str = ""


NEGATION = re.compile(r"\b(?:not|no|never|unsafe|nunca|insegur[oa])\b|n't\b", re.IGNORECASE)


def word_pattern(words: Iterable[str]) -> re.Pattern | None:
    """The words of a list as one pattern: whole words, any case, `*` at the end of a word for any ending."""
    parts = []
    for phrase in words:
        tokens = str(phrase).strip().split()
        if not tokens:
            continue
        body = r"\s+".join(
            re.escape(token[:-1]) + r"\w*" if token.endswith("*") else re.escape(token) for token in tokens
        )
        parts.append(body + ("" if tokens[-1].endswith("*") else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE) if parts else None


def said(words: str) -> str:
    """An answer's words as the lists write them: lower case, one space, no closing full stop."""
    return " ".join(words.replace("\u2019", "'").lower().split()).rstrip(".!")


class StoryRules:
    """story_codes.toml, read once per import."""

    def __init__(self, spec: dict, safety_codes: Iterable[str] = ()) -> None:
        topics = spec.get("topics", {})  # its shape and topics are checked as it is read (companion.content)
        self.topic_codes = {code: name for name, table in topics.items() for code in table.get("codes", [])}
        self.topic_categories = {c: name for name, table in topics.items() for c in table.get("categories", [])}
        self.topic_words = [(name, word_pattern(table.get("words", []))) for name, table in topics.items()]
        groups = spec.get("leave_out", {})
        reasons = {name: str(table.get("reason", f"{name}, not the patient's story")) for name, table in groups.items()}
        self.left_codes = {code: reasons[name] for name, table in groups.items() for code in table.get("codes", [])}
        self.left_categories = {c: reasons[name] for name, table in groups.items() for c in table.get("categories", [])}
        self.left_words = [(reasons[name], word_pattern(table.get("words", []))) for name, table in groups.items()]
        self.safety_codes = frozenset(safety_codes)
        self.safety_categories = frozenset(spec.get("safety", {}).get("categories", []))
        negative = spec.get("negative", {})
        self.no_codes = frozenset(negative.get("answers", []))
        self.no_words = frozenset(said(w) for w in negative.get("words", []))
        self.declined_codes = frozenset(negative.get("declined_answers", []))
        self.declined_words = frozenset(said(w) for w in negative.get("declined_words", []))
        self.reversed = frozenset(negative.get("reversed", []))
        self.reversed_questions = word_pattern(negative.get("reversed_question_words", []))
        self.yes_codes = frozenset(negative.get("reversed_answers", []))
        self.yes_words = frozenset(said(w) for w in negative.get("reversed_words", []))

    @classmethod
    def from_content(cls, content) -> StoryRules:
        """The clinic's story lists, with the question codes of the safety categories of sensitive_codes.toml."""
        sets = content.privacy_spec["sensitive_codes"]["categories"]
        safety = {
            code
            for key in content.safety_categories
            for system in ("loinc", "snomed")
            for code in sets.get(key, {}).get(system, [])
        }
        return cls(content.story_spec, safety)

    def concerns(self, code: str, categories: Iterable[str]) -> bool:
        """Whether an Observation outside social history is still about the story (a listed code or domain)."""
        return (
            code in self.topic_codes
            or code in self.left_codes
            or code in self.safety_codes
            or any(c in self.topic_categories or c in self.safety_categories for c in categories)
        )

    def is_story_question(self, code: str) -> bool:
        return code in self.topic_codes

    def choose(
        self, code: str, categories: Iterable[str], wording: str, answers: list[Answer], ruled_out: bool = False
    ) -> Choice:
        """The verdict on one answer: its question first (code, categories, safety, words), then the answer itself
        (an answer that says there is no need, or tells nothing, is left out; so is one a clinician ruled out)."""
        question = self._question(code, set(categories), wording)
        if question.left_out:
            return question
        if ruled_out:
            return Choice(left_out=NO_NEED)
        if answers and all(self._declined(a) for a in answers):
            return Choice(left_out=DECLINED)
        reversed_question = code in self.reversed or self._asks_if_safe(wording)
        if answers and all(self._declined(a) or self._no_need(a, reversed_question) for a in answers):
            return Choice(left_out=NO_NEED)
        return question

    def _asks_if_safe(self, wording: str) -> bool:
        """A question asked the other way round by its words ("Do you feel safe where you live?"), not one that
        asks about not feeling safe ("a time you did not feel safe at home?"): there a "yes" is the need."""
        if self.reversed_questions is None or not self.reversed_questions.search(wording):
            return False
        return not NEGATION.search(wording)

    def _question(self, code: str, categories: set[str], wording: str) -> Choice:
        if code in self.safety_codes:  # a safety question is kept whatever list it is also in
            return Choice(self.topic_codes.get(code, ""))
        if code in self.left_codes:  # before the topics: a clinic leaving out a shipped story code is heard
            return Choice(left_out=self.left_codes[code])
        if code in self.topic_codes:
            return Choice(self.topic_codes[code])
        for category in sorted(categories):
            if category in self.topic_categories:
                return Choice(self.topic_categories[category])
        for category in sorted(categories):
            if category in self.left_categories:
                return Choice(left_out=self.left_categories[category])
        if categories & self.safety_categories:
            return Choice()
        for reason, pattern in self.left_words:
            if pattern is not None and pattern.search(wording):
                return Choice(left_out=reason)
        for topic, pattern in self.topic_words:
            if pattern is not None and pattern.search(wording):
                return Choice(topic)
        return Choice()  # social history the lists do not name (smoking, say): the story, without a topic

    def _declined(self, answer: Answer) -> bool:
        if answer.words:
            return said(answer.words) in self.declined_words
        return answer.code in self.declined_codes

    def _no_need(self, answer: Answer, reversed_question: bool) -> bool:
        """Words decide when the answer has them (a record may carry a wrong code); its code only when it has none."""
        codes, words = (self.yes_codes, self.yes_words) if reversed_question else (self.no_codes, self.no_words)
        if answer.words:
            return said(answer.words) in words
        return answer.code in codes
