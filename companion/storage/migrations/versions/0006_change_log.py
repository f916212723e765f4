"""The change log: each saved transaction says what it changed (kinds and ids), so other workstations refresh
only the views it concerns. On PostgreSQL a trigger sends each entry with NOTIFY; the triggers of 0003, which
said only "something in this table changed", go.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHANNEL = "companion_changes"
# Frozen here, as 0003 made them.
OLD_WATCHED = ("patient", "visit", "priority", "contextnote", "noterevision", "nursetick", "nextstep", "focusritual")


def upgrade() -> None:
    op.create_table(
        "changelog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in OLD_WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS companion_notify()")
    # The origin is a hex token without spaces: "origin payload" needs no quoting.
    op.execute(
        f"""
        CREATE FUNCTION companion_changelog_notify() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', NEW.origin || ' ' || NEW.payload);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        "CREATE TRIGGER changelog_notify AFTER INSERT ON changelog "
        "FOR EACH ROW EXECUTE FUNCTION companion_changelog_notify()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS changelog_notify ON changelog")
        op.execute("DROP FUNCTION IF EXISTS companion_changelog_notify()")
        op.execute(
            """
            CREATE OR REPLACE FUNCTION companion_notify() RETURNS trigger AS $$
            BEGIN
                PERFORM pg_notify('companion_changes', TG_TABLE_NAME);
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        for table in OLD_WATCHED:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION companion_notify()"
            )
    op.drop_table("changelog")
