"""Check the audit chains: every entry's hash, its link to the one before, no gaps.

``asinan-hub audit verify [--office CODE]`` (:mod:`hub.audit.cli`) walks each chain in
``seq`` order and names its first broken entry:

- ``altered``: the entry's fields no longer give its stored hash (a row edited in place);
- ``missing``: the entry's ``seq`` is not the one after its predecessor's (rows deleted
  before it) — the entry named is the first one after the gap;
- ``relinked``: its ``prev_hash`` is not its predecessor's hash (an entry replaced, or
  the chain re-hashed from some point without the rest);
- ``truncated``: the chain's head row records a later ``seq`` or another hash than its
  last entry (the newest entries deleted).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit_chain import digest
from hub.audit_models import GENESIS, AuditEntry, AuditHead

BATCH = 1000


@dataclass(frozen=True)
class Break:
    chain: int
    problem: str  # altered | missing | relinked | truncated
    entry_id: int | None
    seq: int
    detail: str


@dataclass(frozen=True)
class ChainReport:
    chain: int
    entries: int
    broken: Break | None


async def chains(session: AsyncSession) -> list[int]:
    """Every chain that has a head or an entry."""
    heads = set(await session.scalars(select(AuditHead.chain)))
    heads.update(await session.scalars(select(AuditEntry.chain).distinct()))
    return sorted(heads)


async def verify_chain(session: AsyncSession, chain: int) -> ChainReport:
    """Walk ``chain`` from its first entry; stop at the first break."""
    expected, prev, after, count = 1, GENESIS, 0, 0
    while True:
        page = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.chain == chain, AuditEntry.seq > after)
                .order_by(AuditEntry.seq)
                .limit(BATCH)
            )
        )
        for e in page:
            count += 1
            if e.seq != expected:
                gap = f"{expected}" if e.seq == expected + 1 else f"{expected}–{e.seq - 1}"
                return ChainReport(chain, count, Break(chain, "missing", e.id, e.seq, gap))
            if e.prev_hash != prev:
                return ChainReport(chain, count, Break(chain, "relinked", e.id, e.seq, "prev_hash"))
            if digest(e) != e.hash:
                return ChainReport(chain, count, Break(chain, "altered", e.id, e.seq, "hash"))
            prev, expected, after = e.hash, e.seq + 1, e.seq
        if len(page) < BATCH:
            break
    head = await session.get(AuditHead, chain)
    last = expected - 1
    if head is not None and (head.seq != last or head.hash != prev):
        detail = f"head seq {head.seq}, last entry seq {last}"
        return ChainReport(chain, count, Break(chain, "truncated", None, head.seq, detail))
    return ChainReport(chain, count, None)


async def verify(session: AsyncSession, only: int | None = None) -> list[ChainReport]:
    """Reports of every chain (or of ``only``), in chain order."""
    targets = [only] if only is not None else await chains(session)
    return [await verify_chain(session, c) for c in targets]
