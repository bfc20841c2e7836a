"""Append to the audit trail: one hash chain per office (a core module: every package that
makes an audited change writes through it; :mod:`hub.audit` verifies and reads).

Every audited act — an admin's change (pages, API, command line), a ticket's
disposition, status change (approval, rejection…) or transfer
(:mod:`hub.audit.projections`), a letter's issue or revocation — calls :func:`record` in
the transaction that makes it, so an entry exists exactly when the change does.

An entry's hash is the SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of
its fields with the previous entry's hash among them (:func:`digest`). Appends to one
chain are serialized by the chain's head row: one upsert increments its ``seq`` under
the row lock and returns the previous hash; the lock is held until commit, so a
concurrent append to the same office waits (PostgreSQL), and a rolled-back one gives
its number back. On SQLite the single writer connection serializes every write anyway.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit_models import GENESIS, AuditEntry, AuditHead
from hub.clock import iso
from hub.principal import Principal
from hub.uow import Unit

#: the chain of acts that concern no office
NO_OFFICE = 0


def stamp(at: datetime) -> str:
    """The time as the hash sees it: UTC, microseconds (what both databases keep)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hashed_fields(e: AuditEntry) -> dict[str, Any]:
    """What an entry's hash covers: every column but ``id`` and ``hash`` itself."""
    return {
        "chain": e.chain,
        "seq": e.seq,
        "at": stamp(e.at),
        "actor_id": e.actor_id,
        "actor_role": e.actor_role,
        "action": e.action,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "office_id": e.office_id,
        "summary": e.summary,
        "prev_hash": e.prev_hash,
    }


def digest(e: AuditEntry) -> str:
    return hashlib.sha256(canonical(hashed_fields(e))).hexdigest()


async def _take_head(session: AsyncSession, chain: int) -> tuple[int, str]:
    """Lock the chain's head row (made on first use) and move it on: (new seq, prev hash)."""
    bump = {"seq": AuditHead.seq + 1}
    stmt: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(AuditHead).values(chain=chain, seq=1, hash=GENESIS)
        stmt = pg.on_conflict_do_update(index_elements=[AuditHead.chain], set_=bump)
    else:
        lite = sqlite.insert(AuditHead).values(chain=chain, seq=1, hash=GENESIS)
        stmt = lite.on_conflict_do_update(index_elements=[AuditHead.chain], set_=bump)
    row = (await session.execute(stmt.returning(AuditHead.seq, AuditHead.hash))).one()
    return int(row[0]), str(row[1])


async def record(
    unit: Unit,
    actor: Principal | None,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    office_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to ``office_id``'s chain (``actor`` None is the command line).

    ``before``/``after`` (an admin's change) or ``summary`` must hold no personal data.
    """
    body: dict[str, Any] = dict(summary or {})
    if before is not None:
        body["before"] = before
    if after is not None:
        body["after"] = after
    return await append(
        unit,
        actor.user_id if actor else None,
        actor.role.value if actor else "cli",
        action,
        target_type,
        target_id,
        office_id,
        body,
    )


async def append(
    unit: Unit,
    actor_id: int | None,
    actor_role: str,
    action: str,
    target_type: str,
    target_id: int | None,
    office_id: int | None,
    summary: dict[str, Any],
) -> AuditEntry:
    """Append an entry as :func:`record` does, the actor given by id and role."""
    # a JSON round trip now, so the hash covers exactly what the database gives back
    body = json.loads(json.dumps(summary, ensure_ascii=False))
    chain = office_id if office_id is not None else NO_OFFICE
    session = unit.session
    seq, prev = await _take_head(session, chain)
    entry = AuditEntry(
        actor_id=actor_id,
        actor_role=actor_role,
        action=action,
        target_type=target_type,
        target_id=target_id,
        office_id=office_id,
        summary=body,
        at=unit.ctx.clock.now(),
        chain=chain,
        seq=seq,
        prev_hash=prev,
    )
    entry.hash = digest(entry)
    session.add(entry)
    await session.execute(update(AuditHead).where(AuditHead.chain == chain).values(hash=entry.hash))
    return entry


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, before and after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def entry_view(e: AuditEntry, actor_name: str | None = None) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": iso(e.at),
        "actor_id": e.actor_id,
        "actor_role": e.actor_role,
        "actor_name": actor_name,
        "action": e.action,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "office_id": e.office_id,
        "summary": e.summary,
        "chain": e.chain,
        "seq": e.seq,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


async def latest(session: AsyncSession, before_id: int | None, limit: int) -> list[dict[str, Any]]:
    """Entries of every chain, newest first; ``before_id`` pages back (admins)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [entry_view(e) for e in await session.scalars(query)]
