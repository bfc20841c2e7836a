"""search and reports at city scale: an index for every way a ticket is found (hub.search)
and for the periods of the monthly report (hub.reports).

- the text of a ticket (number, queue label, applicant's name; a part of any): on SQLite an
  FTS5 table ``ticket_fts`` with the ``trigram`` tokenizer (rowid = the ticket id), kept by
  triggers on ``tickets``; on PostgreSQL a ``pg_trgm`` GIN index over
  ``lower(number) || ' ' || lower(queue_label) || ' ' || lower(applicant_name)`` (the
  extension is created if missing: it is a trusted one, the database's owner may);
- ``tickets.queue_no`` and ``tickets.phone_last4`` alone, for a search over many offices
  (``ix_tickets_office_phone4`` serves one office);
- ``tickets.decided_at`` and ``tickets.closed_at``: the monthly report reads the requests
  decided and completed in its period (hub.reports.store).

Revision ID: 0013_search_indexes
Revises: 0012_search_audit
Create Date: 2026-12-01 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_search_indexes"
down_revision: str | None = "0012_search_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The PostgreSQL expression of the trigram index (hub.search uses the same).
PG_TICKET_TEXT = "lower(number) || ' ' || lower(queue_label) || ' ' || lower(applicant_name)"

_COLUMNS = "number, queue_label, applicant_name"
_NEW = "new.id, new.number, new.queue_label, new.applicant_name"
SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE ticket_fts USING fts5({_COLUMNS}, tokenize = 'trigram')",
    f"""CREATE TRIGGER ticket_fts_insert AFTER INSERT ON tickets BEGIN
         INSERT INTO ticket_fts(rowid, {_COLUMNS}) VALUES ({_NEW});
       END""",
    f"""CREATE TRIGGER ticket_fts_update AFTER UPDATE OF {_COLUMNS} ON tickets BEGIN
         DELETE FROM ticket_fts WHERE rowid = old.id;
         INSERT INTO ticket_fts(rowid, {_COLUMNS}) VALUES ({_NEW});
       END""",
    """CREATE TRIGGER ticket_fts_delete AFTER DELETE ON tickets BEGIN
         DELETE FROM ticket_fts WHERE rowid = old.id;
       END""",
    f"INSERT INTO ticket_fts(rowid, {_COLUMNS}) SELECT id, {_COLUMNS} FROM tickets",
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_index("ix_tickets_queue_no", "tickets", ["queue_no"])
    op.create_index("ix_tickets_phone_last4", "tickets", ["phone_last4"])
    op.create_index("ix_tickets_decided_at", "tickets", ["decided_at"])
    op.create_index("ix_tickets_closed_at", "tickets", ["closed_at"])
    if _sqlite():
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            f"CREATE INDEX ix_tickets_text_trgm ON tickets "
            f"USING gin (({PG_TICKET_TEXT}) gin_trgm_ops)"
        )


def downgrade() -> None:
    if _sqlite():
        for name in ("ticket_fts_insert", "ticket_fts_update", "ticket_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS ticket_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_tickets_text_trgm")
    op.drop_index("ix_tickets_closed_at", table_name="tickets")
    op.drop_index("ix_tickets_decided_at", table_name="tickets")
    op.drop_index("ix_tickets_phone_last4", table_name="tickets")
    op.drop_index("ix_tickets_queue_no", table_name="tickets")
