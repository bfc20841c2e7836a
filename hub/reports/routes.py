"""HTTP of reports: ``/api/reports`` (JSON) and its CSV / XLSX exports (§17)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.http import hub_of, ok, principal
from hub.reports import actions
from hub.schemas import Id, Payload, parse_query

Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ReportIn(Payload):
    first: Day | None = Field(default=None, alias="from")
    last: Day | None = Field(default=None, alias="to")
    office_id: Id | None = None
    service: Annotated[str, Field(min_length=1, max_length=32)] | None = None


def _query(request: Request) -> actions.Query:
    q = parse_query(ReportIn, request.query_params)
    return actions.Query(q.first, q.last, q.office_id, q.service)


async def get_report(request: Request) -> Response:
    return ok(
        {"report": await actions.report(hub_of(request), principal(request), _query(request))}
    )


def exporter(kind: str) -> Any:
    async def endpoint(request: Request) -> Response:
        done = await actions.export_report(
            hub_of(request), principal(request), _query(request), kind
        )
        return Response(
            done.body,
            media_type=done.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{done.filename}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return endpoint


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    return [
        Route("/api/reports", get_report, methods=["GET"]),
        Route("/api/reports/export.csv", exporter("csv"), methods=["GET"]),
        Route("/api/reports/export.xlsx", exporter("xlsx"), methods=["GET"]),
    ]
