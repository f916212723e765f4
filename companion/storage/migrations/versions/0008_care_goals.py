"""Care goals: a goal the care team set (an imported Goal the patient did not express, such as a lab target) has
its own table and shows on the prep card under its own heading, never as the patient's words. Earlier imports made
such goals lasting priorities "from the clinician"; they move to care goals, and the priority is retracted with the
reason (nothing is deleted). A priority this app exported and imported back keeps its place.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

MOVED = "a care goal from the health record, not the patient's words"  # frozen here, as the import says it
OWN_EXPORT = "Goal/companion-priority-%"  # this app's own Goals carry whose they are: they stay priorities


def upgrade() -> None:
    op.create_table(
        "caregoal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("set_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("private_category", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("private_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("retracted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("retraction_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("caregoal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_caregoal_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_caregoal_source_key"), ["source_key"], unique=True)
    _move_imported_clinician_goals()


def _move_imported_clinician_goals() -> None:
    """Lasting priorities an import made from a Goal the patient did not express become care goals."""
    when = sqlmodel.sql.sqltypes.UTCDateTime()
    priority = sa.table(
        "priority",
        sa.column("id"),
        sa.column("source_key"),
        sa.column("patient_id"),
        sa.column("text"),
        sa.column("scope"),
        sa.column("source"),
        sa.column("state"),
        sa.column("sensitive"),
        sa.column("private_category"),
        sa.column("private_reason"),
        sa.column("created_at", when),
        sa.column("retracted_at", when),
        sa.column("retraction_reason"),
    )
    goal = sa.table(
        "caregoal",
        *(sa.column(name) for name in ("source_key", "patient_id", "text", "set_by", "sensitive")),
        *(sa.column(name) for name in ("private_category", "private_reason", "retraction_reason")),
        sa.column("created_at", when),
        sa.column("updated_at", when),
        sa.column("retracted_at", when),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(priority).where(
            sa.or_(
                *(priority.c.source_key.like(f"Goal{mark}%") for mark in ("/", "?", "#"))
            ),  # id, identifier, content
            ~priority.c.source_key.like(OWN_EXPORT),
            sa.cast(priority.c.source, sa.String) == "clinician",  # PostgreSQL keeps these as enums
            sa.cast(priority.c.scope, sa.String) == "lasting",
            priority.c.retracted_at.is_(None),
        )
    ).mappings()
    now = datetime.now(UTC)
    for row in rows.all():
        done = str(row["state"]) == "addressed"
        bind.execute(
            sa.insert(goal).values(
                source_key=row["source_key"],
                patient_id=row["patient_id"],
                text=row["text"],
                set_by="",
                sensitive=row["sensitive"],
                private_category=row["private_category"],
                private_reason=row["private_reason"],
                created_at=row["created_at"],
                updated_at=now,
                retracted_at=now if done else None,
                retraction_reason="completed in the health record" if done else "",
            )
        )
        bind.execute(
            sa.update(priority).where(priority.c.id == row["id"]).values(retracted_at=now, retraction_reason=MOVED)
        )


def downgrade() -> None:
    with op.batch_alter_table("caregoal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_caregoal_source_key"))
        batch_op.drop_index(batch_op.f("ix_caregoal_patient_id"))
    op.drop_table("caregoal")
