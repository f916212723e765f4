"""Record numbers a health record gives a patient, so that a later file naming the patient by one alone finds
them (companion.fhir.writer); never national numbers. And when the record last changed each resource imported,
so that an older version imported after a newer one changes nothing.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patientidentifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patientidentifier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patientidentifier_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_patientidentifier_patient_id"), ["patient_id"], unique=False)
    op.create_table(
        "recordversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recordversion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recordversion_key"), ["key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("recordversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recordversion_key"))
    op.drop_table("recordversion")
    with op.batch_alter_table("patientidentifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patientidentifier_patient_id"))
        batch_op.drop_index(batch_op.f("ix_patientidentifier_key"))
    op.drop_table("patientidentifier")
