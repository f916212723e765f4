"""The words of the priorities one import writes, asked of the database once per visit and once per question, then
kept true as the writer adds and rewords items. Each answer of a response asks whether its visit already has its
words, which rank comes next, and which earlier item of its question said them: asked of the database per answer,
one response of 10,000 answers read its own earlier answers 10,000 times (time growing with the square of its size).

Ids are kept, not rows, and the rows are read back live (the session's identity map), so an item retracted,
reworded or re-keyed since it was noted is seen as it is now. On SQLite only the importer adds priorities while its
write lock is held; on PostgreSQL a priority another desk adds to the same visit during a long import is not seen
by it (the same words could be on the agenda twice). A visit or question not asked about for a while is forgotten
and read again when asked."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from sqlmodel import Session, select

from companion.fhir.answer_map import question_of
from companion.storage.models import Priority

HELD = 64  # visits and questions whose words are held at once; another one is read from the database


@dataclass
class _Words:
    ids: dict[str, list[int]] = field(default_factory=dict)  # casefolded words: the items that say them
    highest_rank: int = -1

    def note(self, row: Priority, earlier_text: str | None) -> None:
        if earlier_text is not None and row.id in (said := self.ids.get(earlier_text.casefold(), [])):
            said.remove(row.id)
        said = self.ids.setdefault(row.text.casefold(), [])
        if row.id not in said:
            said.append(row.id)
        self.highest_rank = max(self.highest_rank, row.rank)


class AgendaWords:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._visits: OrderedDict[int, _Words] = OrderedDict()
        self._questions: OrderedDict[tuple[int, str], _Words] = OrderedDict()

    def on_the_agenda(self, visit_id: int, text: str) -> bool:
        """Whether the visit has an item in these words (in any case) that is not retracted."""
        return any(row.retracted_at is None for row in self._saying(self._visit(visit_id), text))

    def next_rank(self, visit_id: int) -> int:
        return self._visit(visit_id).highest_rank + 1

    def given_to(self, patient_id: int, question: str, text: str) -> list[Priority]:
        """The patient's items made from answers to this question ("<response>#<linkId>#") in these words (each
        read as it is now: one another path re-keyed or moved since is not theirs)."""
        rows = self._saying(self._question(patient_id, question), text)
        return [row for row in rows if row.patient_id == patient_id and (row.source_key or "").startswith(question)]

    def saved(self, row: Priority, earlier_text: str | None = None) -> None:
        """An item was added (flushed: it has its id), or reworded from `earlier_text`."""
        for held, key in ((self._visits, row.visit_id), (self._questions, (row.patient_id, self._question_of(row)))):
            if key in held:
                held[key].note(row, earlier_text)

    def forget(self) -> None:
        """Priorities moved between visits other than by `saved` (companion.storage.waiting): read again."""
        self._visits.clear()
        self._questions.clear()

    def _saying(self, words: _Words, text: str) -> list[Priority]:
        wanted = text.casefold()
        rows = (self.session.get(Priority, row_id) for row_id in words.ids.get(wanted, []))
        return [row for row in rows if row is not None and row.text.casefold() == wanted]

    def _visit(self, visit_id: int) -> _Words:
        if visit_id not in self._visits:
            query = select(Priority.id, Priority.text, Priority.rank).where(Priority.visit_id == visit_id)
            self._visits[visit_id] = _read(self.session.exec(query).all())
        return _used(self._visits, visit_id)

    def _question(self, patient_id: int, question: str) -> _Words:
        key = (patient_id, question)
        if key not in self._questions:
            query = select(Priority.id, Priority.text, Priority.rank).where(
                Priority.patient_id == patient_id, Priority.source_key.startswith(question, autoescape=True)
            )
            self._questions[key] = _read(self.session.exec(query).all())
        return _used(self._questions, key)

    @staticmethod
    def _question_of(row: Priority) -> str | None:
        return question_of(row.source_key) if row.source_key and "#" in row.source_key else None


def _read(rows) -> _Words:
    words = _Words()
    for row_id, text, rank in rows:
        words.ids.setdefault(text.casefold(), []).append(row_id)
        words.highest_rank = max(words.highest_rank, rank)
    return words


def _used(held: OrderedDict, key) -> _Words:
    held.move_to_end(key)
    while len(held) > HELD:
        held.popitem(last=False)
    return held[key]
