"""signaling tables

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("caller_id", sa.Integer(), nullable=False),
        sa.Column("caller_name", sa.String(length=120), nullable=False),
        sa.Column("caller_role", sa.String(length=24), nullable=False),
        sa.Column("caller_sid", sa.String(length=64), nullable=True),
        sa.Column("callee_key", sa.String(length=32), nullable=False),
        sa.Column("callee_user_id", sa.Integer(), nullable=True),
        sa.Column("answered_by_sid", sa.String(length=64), nullable=True),
        sa.Column(
            "media",
            sa.Enum("audio", "video", name="call_media", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("ringing", "active", "ended", name="call_status", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "completed",
                "missed",
                "declined",
                "busy",
                "cancelled",
                "failed",
                name="call_outcome",
                native_enum=False,
                length=12,
            ),
            nullable=True,
        ),
        sa.Column("live_ticket_id", sa.Integer(), nullable=True),
        sa.Column("live_callee_key", sa.String(length=32), nullable=True),
        sa.Column("awaiting_answer", sa.Boolean(), nullable=False),
        sa.Column("caller_lost_at", hub.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("callee_lost_at", hub.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ring_deadline", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", hub.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", hub.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_calls_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_calls_office_id_offices")
        ),
        sa.ForeignKeyConstraint(["caller_id"], ["users.id"], name=op.f("fk_calls_caller_id_users")),
        sa.ForeignKeyConstraint(
            ["callee_user_id"], ["users.id"], name=op.f("fk_calls_callee_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
        sa.UniqueConstraint("live_ticket_id", name=op.f("uq_calls_live_ticket_id")),
        sa.UniqueConstraint("live_callee_key", name=op.f("uq_calls_live_callee_key")),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calls_callee_key"), ["callee_key"], unique=False)
        batch_op.create_index(
            "ix_calls_status_ring_deadline", ["status", "ring_deadline"], unique=False
        )
        batch_op.create_index("ix_calls_office_created", ["office_id", "created_at"], unique=False)
        batch_op.create_index("ix_calls_ticket_created", ["ticket_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index("ix_calls_ticket_created")
        batch_op.drop_index("ix_calls_office_created")
        batch_op.drop_index("ix_calls_status_ring_deadline")
        batch_op.drop_index(batch_op.f("ix_calls_callee_key"))
    op.drop_table("calls")
