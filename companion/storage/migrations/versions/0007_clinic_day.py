"""A clinic's day: a visit may have no clinician yet (unassigned), may be by video, cancelled or missed; a
clinician may carry the identifier records name them by (the NPI). Visits that earlier imports gave the
placeholder clinician "Unassigned (imported)" become unassigned, and the placeholder goes when nothing else
names it.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PLACEHOLDER = "Unassigned (imported)"  # frozen here, as earlier imports named it


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    mode = sa.Enum("in_person", "video", name="visitmode")
    if postgres:  # SQLite stores these as text; PostgreSQL as enums
        op.execute("ALTER TYPE visitstatus ADD VALUE IF NOT EXISTS 'cancelled'")
        op.execute("ALTER TYPE visitstatus ADD VALUE IF NOT EXISTS 'no_show'")
        mode.create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.alter_column("clinician_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("mode", mode, nullable=False, server_default="in_person"))
    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identifier", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_clinician_identifier"), ["identifier"], unique=True)
    placeholder = sa.text("SELECT id FROM clinician WHERE name = :name AND pin_hash = ''").bindparams(name=PLACEHOLDER)
    for (placeholder_id,) in op.get_bind().execute(placeholder).all():
        op.execute(
            sa.text("UPDATE visit SET clinician_id = NULL WHERE clinician_id = :id").bindparams(id=placeholder_id)
        )
        op.execute(
            sa.text(
                "DELETE FROM clinician WHERE id = :id"
                " AND NOT EXISTS (SELECT 1 FROM focusritual WHERE clinician_id = :id)"
                " AND NOT EXISTS (SELECT 1 FROM ritualrun WHERE clinician_id = :id)"
            ).bindparams(id=placeholder_id)
        )


def downgrade() -> None:
    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinician_identifier"))
        batch_op.drop_column("identifier")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("mode")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS visitmode")
