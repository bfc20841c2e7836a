"""64-bit keys: every id, seq and version a client may name is BIGINT on PostgreSQL.

``hub.schemas.Id`` accepts the signed 64-bit range; with INTEGER columns an id between
2**31 and 2**63 made asyncpg overflow (a 500) instead of answering ``not_found``. SQLite's
INTEGER is already 64-bit: nothing changes there. The sequences behind the serial keys
widen too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table → its integer columns that hold keys, seqs or versions
COLUMNS: dict[str, list[str]] = {
    "attachments": ["ticket_id", "event_seq"],
    "audit_log": ["id", "actor_id", "target_id", "office_id"],
    "auth_sessions": ["user_id", "ticket_id"],
    "calls": ["ticket_id", "office_id", "caller_id", "callee_user_id", "live_ticket_id"],
    "notification_prefs": ["user_id"],
    "notifications": ["id", "user_id", "ticket_id", "last_seq"],
    "office_hours": ["office_id"],
    "offices": ["id", "parent_id"],
    "otp_codes": ["id"],
    "push_subscriptions": ["id", "user_id"],
    "queue_counters": ["office_id", "last"],
    "read_positions": ["ticket_id", "reader_id", "seq"],
    "service_requirements": ["id", "service_type_id"],
    "service_types": ["id"],
    "sla_warnings": ["ticket_id"],
    "ticket_events": ["id", "ticket_id", "seq", "actor_id"],
    "tickets": [
        "id",
        "office_id",
        "service_type_id",
        "applicant_id",
        "assignee_id",
        "queue_no",
        "version",
        "last_seq",
    ],
    "users": ["id", "residence_office_id", "office_id"],
}
SERIAL_KEYS = [
    "audit_log",
    "notifications",
    "offices",
    "otp_codes",
    "push_subscriptions",
    "service_requirements",
    "service_types",
    "ticket_events",
    "tickets",
    "users",
]


def _alter(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    to = sa.BigInteger if kind == "bigint" else sa.Integer
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=to())
    for table in SERIAL_KEYS:
        op.execute(f"ALTER SEQUENCE IF EXISTS {table}_id_seq AS {kind}")


def upgrade() -> None:
    _alter("bigint")


def downgrade() -> None:
    _alter("integer")
