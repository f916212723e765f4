"""What the health record said of a patient or a visit when an import last wrote it, by the resource's key: a nightly
feed of the same records leaves a nurse's corrections (companion.fhir.record_said).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recordsaid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recordsaid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recordsaid_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_recordsaid_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recordsaid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recordsaid_visit_id"))
        batch_op.drop_index(batch_op.f("ix_recordsaid_key"))
    op.drop_table("recordsaid")
