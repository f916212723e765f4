"""Two things a health record says that hold over time: the security labels on a patient's own record (a
restricted patient's facts, imported in this file or a later one, are private), and the end of an alert's period
(a flag active till a day to come is no longer shown after it) (companion.fhir.writer, companion.fhir.items).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("record_labels", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.drop_column("ends_at")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("record_labels")
