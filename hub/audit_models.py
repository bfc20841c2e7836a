"""The audit trail's tables: the entries, and one head row per chain.

Each entry belongs to the chain of its office (``chain`` = the office id, 0 for acts
that concern no office: a city-wide service, the command line's reference data) and
holds ``prev_hash``, the hash of the entry before it in that chain, and ``hash``, the
SHA-256 of its own canonical JSON with ``prev_hash`` in it (:func:`hub.audit_chain.digest`).
``seq`` numbers a chain's entries from 1 without gaps. The head row (``audit_heads``)
holds the chain's last ``seq`` and ``hash``: appending updates it under its row lock, so
appends to one chain queue (PostgreSQL) — on SQLite the one writer already serializes
them — and deleting the last entries shows as a head the entries no longer reach.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from hub.clock import utcnow
from hub.models import Base, BigId

#: The ``prev_hash`` of a chain's first entry.
GENESIS = "0" * 64


class AuditEntry(Base):
    """One audited act: who, when, what, on what, and a summary without personal data.

    The summary holds roles, ids, statuses, office and service fields, ticket and letter
    numbers — never a name, phone, NIK, address, password or free text (notes and
    reasons stay on the ticket's timeline). Append-only: the mapper refuses updates and
    deletes (below); what is changed beneath the ORM, ``asinan-hub audit verify`` finds.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_office_id_id", "office_id", "id"),
        UniqueConstraint("chain", "seq", name="uq_audit_log_chain_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the actor's role then, or ``cli`` for the command line
    actor_role: Mapped[str] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(48))
    target_type: Mapped[str] = mapped_column(String(24))
    target_id: Mapped[int | None] = mapped_column(BigId)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: the office whose chain holds the entry (``office_id``, or 0)
    chain: Mapped[int] = mapped_column(BigId, default=0)
    seq: Mapped[int] = mapped_column(BigId)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The last entry of a chain: its ``seq`` and ``hash`` (the row appends lock)."""

    __tablename__ = "audit_heads"

    chain: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigId, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


def _append_only(mapper: Mapper[Any], connection: Connection, target: AuditEntry) -> None:
    raise RuntimeError("audit_log is append-only")


event.listen(AuditEntry, "before_update", _append_only)
event.listen(AuditEntry, "before_delete", _append_only)
