"""The patient's own words: the language a priority was typed or answered in (check-in, a portal's questionnaire),
and the earlier words of a next step the patient corrected on the screen turned toward them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
    op.create_table(
        "nextsteprevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("next_step_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["next_step_id"], ["nextstep.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("nextsteprevision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nextsteprevision_next_step_id"), ["next_step_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nextsteprevision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nextsteprevision_next_step_id"))
    op.drop_table("nextsteprevision")
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_column("language")
