"""Use cases of reports: read the numbers (one read transaction), render an export."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from hub.context import Hub
from hub.principal import Principal
from hub.reports import export
from hub.reports.period import period_of
from hub.reports.report import Ask, build_report, check_reader


@dataclass(frozen=True)
class Query:
    first: str | None = None
    last: str | None = None
    office_id: int | None = None
    service: str | None = None


@dataclass(frozen=True)
class Export:
    body: bytes
    media_type: str
    filename: str


MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def report(hub: Hub, p: Principal, q: Query) -> dict[str, Any]:
    check_reader(p)
    ask = Ask(period_of(q.first, q.last, hub.clock.now()), q.office_id, q.service)
    async with hub.reader() as session:
        return await build_report(session, p, ask)


async def export_report(hub: Hub, p: Principal, q: Query, kind: str) -> Export:
    """The report as ``csv`` or ``xlsx``, rendered off the event loop."""
    data = await report(hub, p, q)
    render = export.to_csv if kind == "csv" else export.to_xlsx
    body = await asyncio.to_thread(render, data)
    return Export(body, MEDIA[kind], export.filename(data, kind))
