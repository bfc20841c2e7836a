"""calendar: cuti bersama days per year; each ticket's at-risk instant and escalation markers.

Data: open tickets filed before this revision keep their ``due_at`` (a promise already
made); their ``at_risk_at`` is set to it, so they are never "at risk" before they are due.

Revision ID: 0010_calendar
Revises: 0009_desk
Create Date: 2026-12-01 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.models

revision: str = "0010_calendar"
down_revision: str | None = "0009_desk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cuti_bersama",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_cuti_bersama")),
    )
    with op.batch_alter_table("cuti_bersama", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cuti_bersama_year"), ["year"], unique=False)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name in ("at_risk_at", "at_risk_notified_at", "breached_notified_at"):
            batch_op.add_column(
                sa.Column(name, hub.models.UTCDateTime(timezone=True), nullable=True)
            )
    op.execute("UPDATE tickets SET at_risk_at = due_at")


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name in ("breached_notified_at", "at_risk_notified_at", "at_risk_at"):
            batch_op.drop_column(name)
    with op.batch_alter_table("cuti_bersama", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cuti_bersama_year"))
    op.drop_table("cuti_bersama")
