"""Care goals: goals the care team set, imported from a health record (a clinician's target, a relative's wish, or a
goal that names nobody). They are read for the prep card only, under their own heading: never the patient's words,
never on the glance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from companion.storage.models import CareGoal
from companion.storage.store import Store


@dataclass(frozen=True)
class CareGoalView:
    id: int
    text: str
    set_by: str  # who expressed it, as the record names them; "" when it does not say
    sensitive: bool = False  # private: behind the prep card's reveal only
    category: str = ""  # the sensitivity category of a private one (companion.privacy)


def care_goals(store: Store, patient_id: int) -> list[CareGoalView]:
    """The patient's current care goals (not completed or withdrawn), oldest first."""
    with store.session() as session:
        query = (
            select(CareGoal)
            .where(CareGoal.patient_id == patient_id, CareGoal.retracted_at.is_(None))
            .order_by(CareGoal.created_at, CareGoal.id)
        )
        return [
            CareGoalView(
                id=row.id,
                text=row.text,
                set_by=row.set_by,
                sensitive=row.sensitive,
                category=row.private_category,
            )
            for row in session.exec(query).all()
        ]
