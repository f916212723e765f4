"""Core schema: patients, clinicians, visits, priorities, context notes, NURSE ticks, rituals, drafts

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinician",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sa.Enum("nurse", "physician", "other", name="role"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clinician_name"), ["name"], unique=False)

    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("preferred_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pronouns", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("preferred_language", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "focusritual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("pause_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinician.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("clinician_id"),
    )
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "status", sa.Enum("scheduled", "roomed", "prepared", "in_visit", "done", name="visitstatus"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinician.id"],
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_clinician_id"), ["clinician_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_scheduled_at"), ["scheduled_at"], unique=False)

    op.create_table(
        "contextnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum("social", "practical", "emotion", name="notekind"), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("retracted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("retraction_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contextnote_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contextnote_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "field"),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Enum("today", "lasting", name="scope"), nullable=False),
        sa.Column("source", sa.Enum("patient", "nurse", "clinician", name="source"), nullable=False),
        sa.Column("state", sa.Enum("open", "addressed", "deferred", name="prioritystate"), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_priority_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "ritualrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("pause_seconds", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinician.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ritualrun", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ritualrun_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "noterevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["contextnote.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("noterevision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_noterevision_note_id"), ["note_id"], unique=False)

    op.create_table(
        "nursetick",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column(
            "step", sa.Enum("name", "understand", "respect", "support", "explore", name="nursestep"), nullable=False
        ),
        sa.Column("ticked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["contextnote.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("note_id", "step"),
    )
    with op.batch_alter_table("nursetick", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nursetick_note_id"), ["note_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nursetick", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nursetick_note_id"))

    op.drop_table("nursetick")
    with op.batch_alter_table("noterevision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_noterevision_note_id"))

    op.drop_table("noterevision")
    with op.batch_alter_table("ritualrun", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ritualrun_visit_id"))

    op.drop_table("ritualrun")
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_visit_id"))
        batch_op.drop_index(batch_op.f("ix_priority_patient_id"))

    op.drop_table("priority")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_visit_id"))

    op.drop_table("draft")
    with op.batch_alter_table("contextnote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contextnote_visit_id"))
        batch_op.drop_index(batch_op.f("ix_contextnote_patient_id"))

    op.drop_table("contextnote")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_scheduled_at"))
        batch_op.drop_index(batch_op.f("ix_visit_patient_id"))
        batch_op.drop_index(batch_op.f("ix_visit_clinician_id"))

    op.drop_table("visit")
    op.drop_table("focusritual")
    op.drop_table("patient")
    with op.batch_alter_table("clinician", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinician_name"))

    op.drop_table("clinician")
