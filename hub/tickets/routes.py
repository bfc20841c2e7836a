"""HTTP API of tickets: parse → who is asking → one service call → JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.errors import Invalid
from hub.http import hub_of, ok, principal, read_json
from hub.models import Channel, Role, TicketStatus
from hub.schemas import Id, Int, Payload, Seq, parse_query
from hub.tickets import actions, views


class TransitionIn(Payload):
    action: str = Field(min_length=1, max_length=32)
    version: Id
    reason: str | None = Field(default=None, max_length=1000)


class DisposeIn(Payload):
    version: Id
    note: str = Field(min_length=1, max_length=1000)
    to_user_id: Id | None = None
    to_role: Literal["front_office", "staff", "approver"] | None = None


class TransferIn(Payload):
    version: Id
    to_office_id: Id
    note: str = Field(min_length=1, max_length=1000)


class ListIn(Payload):
    status: TicketStatus | None = None
    service: str | None = Field(default=None, max_length=32)
    assignee: Id | None = None
    channel: Channel | None = None
    day: dt.date | None = Field(default=None, alias="date")
    office: Id | None = None
    cursor: Id | None = None
    limit: Int = Field(default=50, ge=1, le=200)


class EventsIn(Payload):
    after_seq: Seq = 0
    limit: Int = Field(default=200, ge=1, le=500)


def _ticket_id(request: Request) -> int:
    raw = request.path_params["ticket_id"]
    assert isinstance(raw, int)
    return raw


async def list_tickets(request: Request) -> Response:
    q = parse_query(ListIn, request.query_params)
    p = principal(request)
    f = views.TicketFilter(
        office_ids=frozenset({q.office}) if q.office else None,
        status=q.status,
        service_code=q.service,
        assignee_id=q.assignee,
        channel=q.channel,
        day=q.day,
    )
    items, cursor = await actions.list_tickets(hub_of(request), p, f, q.cursor, q.limit)
    return ok({"tickets": items, "next_cursor": cursor})


async def get_ticket(request: Request) -> Response:
    p = principal(request)
    return ok({"ticket": await actions.ticket(hub_of(request), p, _ticket_id(request))})


async def transition(request: Request) -> Response:
    body = await read_json(request, TransitionIn)
    p = principal(request)
    if body.action == "complete":  # the pickup checks the applicant's code first
        raise Invalid(
            "pickup_required",
            field="action",
        )
    view = await actions.transition(
        hub_of(request), p, _ticket_id(request), body.action, body.version, body.reason
    )
    return ok({"ticket": view})


async def dispose(request: Request) -> Response:
    body = await read_json(request, DisposeIn)
    p = principal(request)
    view = await actions.dispose(
        hub_of(request),
        p,
        _ticket_id(request),
        body.version,
        body.note,
        to_user_id=body.to_user_id,
        to_role=Role(body.to_role) if body.to_role else None,
    )
    return ok({"ticket": view})


async def transfer(request: Request) -> Response:
    body = await read_json(request, TransferIn)
    p = principal(request)
    view = await actions.transfer(
        hub_of(request), p, _ticket_id(request), body.version, body.to_office_id, body.note
    )
    return ok({"ticket": view})


async def events(request: Request) -> Response:
    q = parse_query(EventsIn, request.query_params)
    p = principal(request)
    page = await actions.events(hub_of(request), p, _ticket_id(request), q.after_seq, q.limit)
    return ok({"events": page.views(), "through_seq": page.through_seq})


async def dispositions(request: Request) -> Response:
    p = principal(request)
    rows = await actions.dispositions(hub_of(request), p, _ticket_id(request))
    return ok({"dispositions": rows})


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    return [
        Route("/api/tickets", list_tickets, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}", get_ticket, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/transition", transition, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/dispose", dispose, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/transfer", transfer, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/events", events, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/dispositions", dispositions, methods=["GET"]),
    ]
