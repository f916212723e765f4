"""The record's resource whose value an imported story item (one per patient and question) shows now, so that
the record deleting that resource, or moving it to another patient, takes the item off (companion.fhir.items).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contextnote_record_key"), ["record_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contextnote_record_key"))
        batch_op.drop_column("record_key")
