"""The search use case: one read, tickets and comments (:mod:`hub.search.service`)."""

from __future__ import annotations

from typing import Any

from hub.context import Hub
from hub.principal import Principal
from hub.search import service


async def search(hub: Hub, p: Principal, q: str, limit: int) -> dict[str, Any]:
    """``{"tickets": [...], "comments": [...]}``: what ``p`` may see that matches ``q``."""
    async with hub.reader() as session:
        found = await service.search(session, p, q, limit)
    return {"tickets": found.tickets, "comments": found.comments}
