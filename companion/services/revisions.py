"""New words for an item that keeps its earlier ones: the one way a priority or a next step is corrected, by a
nurse in Rooming or by the patient on the screen turned toward them."""

from __future__ import annotations

from sqlmodel import SQLModel

from companion.storage.store import Store


def revise_words(session, store: Store, row, text: str, earlier: SQLModel, language: str = "") -> bool:
    """Give `row` the words `text`, keeping its earlier words in `earlier` (a revision row made from them), and
    judge the new words as every text is (a private item stays private), in the language they were typed in when
    known. False when the words are the same."""
    if row.text == text:
        return False
    session.add(earlier)
    row.text = text
    verdict = store.content.privacy.judge(text, language=language).keep(
        row.sensitive, row.private_category, row.private_reason
    )
    row.sqlmodel_update(verdict.columns())
    session.add(row)
    return True
