"""Who uses the app: nurses, physicians and other clinicians."""

from __future__ import annotations

from sqlmodel import select

from companion.errors import CompanionError
from companion.models import Clinician, Role
from companion.readmodels import ClinicianView
from companion.store import Store
from companion.text import MAX_SHORT, clean_text, parse_choice


def _view(row: Clinician) -> ClinicianView:
    return ClinicianView(id=row.id, name=row.name, role=row.role.value)


def list_clinicians(store: Store) -> list[ClinicianView]:
    with store.session() as session:
        rows = session.exec(select(Clinician).order_by(Clinician.name)).all()
        return [_view(row) for row in rows]


def get_clinician(store: Store, clinician_id: int) -> ClinicianView | None:
    with store.session() as session:
        row = session.get(Clinician, clinician_id)
        return _view(row) if row else None


def add_clinician(store: Store, name: str, role: str) -> ClinicianView:
    name = clean_text(name, "the clinician's name", MAX_SHORT)
    role_value = parse_choice(Role, role, "role")
    with store.session() as session:
        if session.exec(select(Clinician.id).where(Clinician.name == name)).first() is not None:
            raise CompanionError(f"a clinician named {name!r} already exists; choose them from the list")
        row = Clinician(name=name, role=role_value)
        session.add(row)
        session.commit()
        session.refresh(row)
        return _view(row)
