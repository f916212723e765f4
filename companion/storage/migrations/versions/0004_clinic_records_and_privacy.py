"""Clinic records and privacy: where imported records came from, sign-in PINs, the audit log, settings

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

# Frozen here: a migration must not change when the app's code does later.
APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS auditevent_no_update BEFORE UPDATE ON auditevent "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS auditevent_no_delete BEFORE DELETE ON auditevent "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION companion_audit_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON auditevent "
        "FOR EACH ROW EXECUTE FUNCTION companion_audit_append_only()",
    ],
}

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite stores the role as text; PostgreSQL as an enum
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'admin'")
    op.create_table(
        "auditevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("clinician_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditevent_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditevent_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pin_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("failed_pins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("observed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contextnote_source_key"), ["source_key"], unique=True)

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_patient_source_key"), ["source_key"], unique=True)

    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_priority_source_key"), ["source_key"], unique=True)

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_visit_source_key"), ["source_key"], unique=True)

    # The audit log is append-only, enforced by the database (the same statements as companion.storage.audit).
    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_source_key"))
        batch_op.drop_column("source_key")

    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_source_key"))
        batch_op.drop_column("source_key")

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_source_key"))
        batch_op.drop_column("source_key")

    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contextnote_source_key"))
        batch_op.drop_column("observed_at")
        batch_op.drop_column("code")
        batch_op.drop_column("source_key")

    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_pins")
        batch_op.drop_column("pin_hash")

    op.drop_table("setting")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditevent_patient_id"))
        batch_op.drop_index(batch_op.f("ix_auditevent_at"))

    op.drop_table("auditevent")
