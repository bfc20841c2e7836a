"""desk: the offices' canned replies (#18 item 8). Internal notes need no table: they
are timeline events of kind ``internal_note``.

Revision ID: 0009_desk
Revises: 0008_intake
Create Date: 2026-12-02 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.models

revision: str = "0009_desk"
down_revision: str | None = "0008_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "canned_replies",
        sa.Column("id", BIG, nullable=False),
        sa.Column("office_id", BIG, nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", BIG, nullable=False),
        sa.Column("updated_by_id", BIG, nullable=True),
        sa.Column("created_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_canned_replies_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_canned_replies_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("office_id", "title", name="uq_canned_replies_office_title"),
    )
    op.create_index(
        op.f("ix_canned_replies_office_id"), "canned_replies", ["office_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_canned_replies_office_id"), table_name="canned_replies")
    op.drop_table("canned_replies")
