"""Audit use cases: a supervisor reads an office's trail; the command line verifies chains.

Each opens its own read (``hub.reader()``) and calls :mod:`hub.audit.trail` or
:mod:`hub.audit.verify`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hub.audit import trail
from hub.audit.verify import ChainReport, verify
from hub.context import Hub
from hub.errors import NotFound
from hub.models import Office
from hub.principal import Principal


async def office_trail(
    hub: Hub, p: Principal, office_id: int | None, before_seq: int | None, limit: int
) -> dict[str, Any]:
    """The offices ``p`` may read and one office's entries, newest first (the first of
    those offices when none is named)."""
    async with hub.reader() as session:
        offices = await trail.readable_offices(session, p)
        if office_id is None:
            if not offices:
                return {"offices": [], "office_id": None, "entries": [], "more": False}
            office_id = int(offices[0]["id"])
        entries, more = await trail.office_trail(session, p, office_id, before_seq, limit)
        return {"offices": offices, "office_id": office_id, "entries": entries, "more": more}


async def verify_chains(
    hub: Hub, office_code: str | None
) -> tuple[list[ChainReport], dict[int, str]]:
    """Verify every chain, or the chain of the office with this code (``not_found``);
    with every office's code by id, to name the chains."""
    async with hub.reader() as session:
        codes = {o.id: o.code for o in await session.scalars(select(Office))}
        only = None
        if office_code is not None:
            only = next((i for i, c in codes.items() if c == office_code), None)
            if only is None:
                raise NotFound("office_not_found", office=office_code)
        return await verify(session, only), codes
