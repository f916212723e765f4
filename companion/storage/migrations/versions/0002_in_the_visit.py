"""In the visit: the conversation's moments, next steps, sensitive and correctable priorities, reflection

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nextstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("nextstep", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nextstep_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "priorityrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priority.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("priorityrevision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priorityrevision_priority_id"), ["priority_id"], unique=False)

    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reflection_enabled", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("retracted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("retraction_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listen_started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("listen_seconds", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("something_else_asked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("agenda_agreed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("teach_back_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("ask_tell_ask_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("done_at")
        batch_op.drop_column("ask_tell_ask_at")
        batch_op.drop_column("teach_back_at")
        batch_op.drop_column("agenda_agreed_at")
        batch_op.drop_column("something_else_asked_at")
        batch_op.drop_column("listen_seconds")
        batch_op.drop_column("listen_started_at")

    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_column("retraction_reason")
        batch_op.drop_column("retracted_at")
        batch_op.drop_column("sensitive")

    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.drop_column("reflection_enabled")

    with op.batch_alter_table("priorityrevision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priorityrevision_priority_id"))

    op.drop_table("priorityrevision")
    with op.batch_alter_table("nextstep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nextstep_visit_id"))

    op.drop_table("nextstep")
