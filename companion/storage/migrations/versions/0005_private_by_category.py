"""Private by category: each fact keeps its sensitivity category and why it is private; visit reasons can be
private; the visit records when its private items were first read. Stored facts are judged with the new rules
(only ever more private: what a person marked stays marked).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FACT_TABLES = ("priority", "contextnote", "nextstep")


def upgrade() -> None:
    for table in FACT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("private_category", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
            )
            batch_op.add_column(
                sa.Column("private_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
            )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_private", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column("reason_category", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("private_read_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    # What a person marked before categories existed stays private; its reason is "marked" until the rules say more.
    for table in FACT_TABLES:
        op.execute(sa.text(f"UPDATE {table} SET private_reason = 'marked' WHERE sensitive"))
    _judge_with_todays_rules()


def _judge_with_todays_rules() -> None:
    """The clinic's rules as they stand (shipped and its own files), applied to every stored fact."""
    from companion.content import load_content
    from companion.privacy.stored import FINGERPRINT_KEY, fingerprint, judge_stored
    from companion.storage.paths import data_dir

    content = load_content(data_dir() / "content")
    judge_stored(op.get_bind(), content.privacy)
    setting = sa.table("setting", sa.column("key"), sa.column("value"))
    op.execute(sa.insert(setting).values(key=FINGERPRINT_KEY, value=fingerprint(content.privacy_spec)))


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("private_read_at")
        batch_op.drop_column("reason_category")
        batch_op.drop_column("reason_private")
    for table in reversed(FACT_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("private_reason")
            batch_op.drop_column("private_category")
