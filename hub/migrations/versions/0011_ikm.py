"""ikm: the satisfaction survey's claims (one per request) and anonymous answers, call
ratings (#20 items 3-4).

Revision ID: 0011_ikm
Revises: 0010_calendar (re-chained after merging main, which has 0009_desk and 0010_calendar)
Create Date: 2026-12-01 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.models

revision: str = "0011_ikm"
down_revision: str | None = "0010_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = hub.models.BigId


def upgrade() -> None:
    op.create_table(
        "ikm_claims",
        sa.Column("ticket_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ikm_claims_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ikm_claims")),
    )
    op.create_table(
        "ikm_responses",
        sa.Column("id", BigId, nullable=False),
        sa.Column("office_id", BigId, nullable=False),
        sa.Column("service_type_id", BigId, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(f"u{i}", sa.SmallInteger(), nullable=False) for i in range(1, 10)),
        *(
            sa.CheckConstraint(f"u{i} BETWEEN 1 AND 4", name=op.f(f"ck_ikm_responses_u{i}"))
            for i in range(1, 10)
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_ikm_responses_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_types.id"],
            name=op.f("fk_ikm_responses_service_type_id_service_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ikm_responses")),
    )
    op.create_index(op.f("ix_ikm_responses_office_id"), "ikm_responses", ["office_id"])
    op.create_index(op.f("ix_ikm_responses_day"), "ikm_responses", ["day"])
    op.create_table(
        "call_ratings",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("office_id", BigId, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name=op.f("ck_call_ratings_rating")),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_ratings_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_call_ratings_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_ratings")),
    )
    op.create_index(op.f("ix_call_ratings_office_id"), "call_ratings", ["office_id"])
    op.create_index(op.f("ix_call_ratings_day"), "call_ratings", ["day"])


def downgrade() -> None:
    op.drop_table("call_ratings")
    op.drop_table("ikm_responses")
    op.drop_table("ikm_claims")
