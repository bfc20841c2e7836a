"""The chain of offices above an office (kelurahan → kecamatan → kota), read once a minute.

Whose dashboards see a call or a queue change is the office and those above it. The
chain is one recursive query; :class:`OfficeCache` (one per app, in its
:class:`hub.context.Context`) keeps each answer for :data:`CHAIN_TTL` seconds of the
app's clock.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.clock import Clock
from hub.models import Office

#: How long an app reuses an office's chain of parents (offices are seeded, never moved,
#: while the hub runs; the bound only limits how stale a future move could get).
CHAIN_TTL = 60.0
#: Chains kept at most (past it the cache starts again empty).
MOST = 10_000


def _office_chain_query() -> Select[Any]:
    up = aliased(Office)
    chain = (
        select(Office.id, Office.parent_id, literal(0).label("depth"))
        .where(Office.id == bindparam("office_id"))
        .cte("chain", recursive=True)
    )
    chain = chain.union_all(
        select(up.id, up.parent_id, chain.c.depth + 1).where(
            up.id == chain.c.parent_id, chain.c.depth < 32
        )
    )
    return select(chain.c.id).order_by(chain.c.depth)


#: Built once: building a recursive CTE costs more Python than running it.
_OFFICE_CHAIN = _office_chain_query()


async def office_chain(session: AsyncSession, office_id: int) -> list[int]:
    """``office_id`` and its parents up to the kota, nearest first — one recursive query
    (as :func:`hub.queues.store.ancestors`, which asks once per level)."""
    ids: list[int] = []
    for oid in await session.scalars(_OFFICE_CHAIN, {"office_id": office_id}):
        if oid in ids:
            break  # a cycle: stop where ancestors() stops
        ids.append(oid)
    return ids


class OfficeCache:
    """:func:`office_chain` per office, each kept for ``ttl`` seconds of ``clock``."""

    def __init__(self, clock: Clock, ttl: float = CHAIN_TTL) -> None:
        self._clock = clock
        self.ttl = ttl
        self._chains: dict[int, tuple[float, list[int]]] = {}

    async def above(self, session: AsyncSession, office_id: int) -> list[int]:
        """``office_id`` and the offices above it, nearest first (one query, then kept)."""
        now = self._clock.monotonic()
        hit = self._chains.get(office_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        chain = await office_chain(session, office_id)
        if len(self._chains) > MOST:
            self._chains.clear()
        self._chains[office_id] = (now + self.ttl, chain)
        return chain
