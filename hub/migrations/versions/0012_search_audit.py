"""search and the tamper-evident audit: the audit trail becomes one hash chain per office,
tickets get the last four digits of their phone as a search key, comments a full-text index.

- ``audit_log`` gains ``chain`` (the office id, 0 for acts without one), ``seq``,
  ``prev_hash`` and ``hash``; existing entries are chained in id order, per office, as
  :func:`hub.audit_chain.digest` does; ``audit_heads`` holds each chain's last entry.
- ``tickets.phone_last4`` (filled from ``applicant_phone``), indexed with the office.
- the full text of comments and internal notes: on SQLite an FTS5 table ``comment_fts``
  (rowid = the event id) kept by triggers on ``ticket_events`` (insert, edit, delete of a
  ``comment`` or ``internal_note``); on PostgreSQL a GIN index over
  ``to_tsvector('simple', payload->>'body')`` of those rows, which the database keeps itself.

Revision ID: 0012_search_audit
Revises: 0010_calendar
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.models
from hub.audit_chain import NO_OFFICE, canonical
from hub.audit_models import GENESIS

revision: str = "0012_search_audit"
down_revision: str | None = "0010_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = hub.models.BigId

#: The PostgreSQL expression the comment index is built on (hub.search uses the same).
PG_COMMENT_TSV = "to_tsvector('simple', coalesce(payload->>'body', ''))"

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE comment_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TRIGGER comment_fts_insert AFTER INSERT ON ticket_events
       WHEN new.kind IN ('comment', 'internal_note') BEGIN
         INSERT INTO comment_fts(rowid, body)
         VALUES (new.id, coalesce(json_extract(new.payload, '$.body'), ''));
       END""",
    """CREATE TRIGGER comment_fts_update AFTER UPDATE OF payload ON ticket_events
       WHEN new.kind IN ('comment', 'internal_note') BEGIN
         DELETE FROM comment_fts WHERE rowid = old.id;
         INSERT INTO comment_fts(rowid, body)
         VALUES (new.id, coalesce(json_extract(new.payload, '$.body'), ''));
       END""",
    """CREATE TRIGGER comment_fts_delete AFTER DELETE ON ticket_events
       WHEN old.kind IN ('comment', 'internal_note') BEGIN
         DELETE FROM comment_fts WHERE rowid = old.id;
       END""",
    """INSERT INTO comment_fts(rowid, body)
       SELECT id, coalesce(json_extract(payload, '$.body'), '') FROM ticket_events
       WHERE kind IN ('comment', 'internal_note')""",
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _chain_existing() -> None:
    """Chain the entries written before this revision, in id order per office."""
    import hashlib
    import json
    from datetime import UTC

    conn = op.get_bind()
    log = sa.table(
        "audit_log",
        sa.column("id", BigId), sa.column("at", hub.models.UTCDateTime()),
        sa.column("actor_id", BigId), sa.column("actor_role", sa.String()),
        sa.column("action", sa.String()), sa.column("target_type", sa.String()),
        sa.column("target_id", BigId), sa.column("office_id", BigId),
        sa.column("summary", sa.JSON()), sa.column("chain", BigId), sa.column("seq", BigId),
        sa.column("prev_hash", sa.String()), sa.column("hash", sa.String()),
    )  # fmt: skip
    heads: dict[int, tuple[int, str]] = {}
    for row in conn.execute(sa.select(log).order_by(log.c.id)).mappings().all():
        chain = row["office_id"] if row["office_id"] is not None else NO_OFFICE
        seq, prev = heads.get(chain, (0, GENESIS))
        summary = json.loads(json.dumps(row["summary"] or {}, ensure_ascii=False))
        fields = {
            "chain": chain, "seq": seq + 1,
            "at": row["at"].astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": row["actor_id"], "actor_role": row["actor_role"],
            "action": row["action"], "target_type": row["target_type"],
            "target_id": row["target_id"], "office_id": row["office_id"],
            "summary": summary, "prev_hash": prev,
        }  # fmt: skip
        digest = hashlib.sha256(canonical(fields)).hexdigest()
        conn.execute(
            log.update().where(log.c.id == row["id"]).values(
                chain=chain, seq=seq + 1, prev_hash=prev, hash=digest, summary=summary
            )
        )  # fmt: skip
        heads[chain] = (seq + 1, digest)
    head_table = sa.table(
        "audit_heads", sa.column("chain", BigId), sa.column("seq", BigId),
        sa.column("hash", sa.String()),
    )  # fmt: skip
    if heads:
        op.bulk_insert(
            head_table, [{"chain": c, "seq": s, "hash": h} for c, (s, h) in heads.items()]
        )


def _fill_phone_last4() -> None:
    conn = op.get_bind()
    tickets = sa.table(
        "tickets", sa.column("id", BigId), sa.column("applicant_phone", sa.String()),
        sa.column("phone_last4", sa.String()),
    )  # fmt: skip
    rows = conn.execute(
        sa.select(tickets.c.id, tickets.c.applicant_phone).where(
            tickets.c.applicant_phone.is_not(None)
        )
    ).all()
    for ticket_id, phone in rows:
        conn.execute(
            tickets.update()
            .where(tickets.c.id == ticket_id)
            .values(phone_last4=hub.models.phone_last4(phone))
        )


def upgrade() -> None:
    op.create_table(
        "audit_heads",
        sa.Column("chain", BigId, autoincrement=False, nullable=False),
        sa.Column("seq", BigId, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_heads")),
    )
    # added in place with defaults (SQLite's ADD COLUMN), filled below, then kept as is
    op.add_column("audit_log", sa.Column("chain", BigId, nullable=False, server_default="0"))
    op.add_column("audit_log", sa.Column("seq", BigId, nullable=False, server_default="0"))
    op.add_column(
        "audit_log",
        sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=""),
    )
    op.add_column(
        "audit_log", sa.Column("hash", sa.String(length=64), nullable=False, server_default="")
    )
    _chain_existing()
    with op.batch_alter_table("audit_log") as batch:
        for name in ("chain", "seq", "prev_hash", "hash"):
            batch.alter_column(name, server_default=None)
        batch.create_unique_constraint("uq_audit_log_chain_seq", ["chain", "seq"])

    op.add_column("tickets", sa.Column("phone_last4", sa.String(length=4), nullable=True))
    op.create_index("ix_tickets_office_phone4", "tickets", ["office_id", "phone_last4"])
    _fill_phone_last4()

    if _sqlite():
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            f"CREATE INDEX ix_ticket_events_comment_tsv ON ticket_events "
            f"USING gin ({PG_COMMENT_TSV}) WHERE kind IN ('comment', 'internal_note')"
        )


def downgrade() -> None:
    if _sqlite():
        for name in ("comment_fts_insert", "comment_fts_update", "comment_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS comment_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_ticket_events_comment_tsv")
    op.drop_index("ix_tickets_office_phone4", table_name="tickets")
    op.drop_column("tickets", "phone_last4")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("uq_audit_log_chain_seq", type_="unique")
    for name in ("hash", "prev_hash", "seq", "chain"):
        op.drop_column("audit_log", name)
    op.drop_table("audit_heads")
