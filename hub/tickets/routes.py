"""HTTP API of tickets: parse → who is asking → one service call → JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.http import hub_of, ok, principal_of, read_json
from hub.intake.requirements import forms_by_service
from hub.models import Channel, Office, Role, ServiceType, TicketStatus
from hub.schemas import Id, Int, Payload, Seq, parse_query
from hub.tickets import service
from hub.timeline import event_view


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
    p = await principal_of(request)
    f = service.TicketFilter(
        office_ids=frozenset({q.office}) if q.office else None,
        status=q.status,
        service_code=q.service,
        assignee_id=q.assignee,
        channel=q.channel,
        day=q.day,
    )
    async with hub_of(request).reader() as session:
        items, cursor = await service.list_for(session, p, f, q.cursor, q.limit)
    return ok({"tickets": items, "next_cursor": cursor})


async def get_ticket(request: Request) -> Response:
    p = await principal_of(request)
    async with hub_of(request).reader() as session:
        t = await service.visible_ticket(session, p, _ticket_id(request))
        return ok({"ticket": await service.view(session, p, t)})


async def transition(request: Request) -> Response:
    body = await read_json(request, TransitionIn)
    p = await principal_of(request)
    async with hub_of(request).unit() as unit:
        t = await service.transition(
            unit, p, _ticket_id(request), body.action, body.version, body.reason
        )
        view = await service.view(unit.session, p, t)
    return ok({"ticket": view})


async def dispose(request: Request) -> Response:
    body = await read_json(request, DisposeIn)
    p = await principal_of(request)
    async with hub_of(request).unit() as unit:
        t = await service.dispose(
            unit,
            p,
            _ticket_id(request),
            body.version,
            body.note,
            to_user_id=body.to_user_id,
            to_role=Role(body.to_role) if body.to_role else None,
        )
        view = await service.view(unit.session, p, t)
    return ok({"ticket": view})


async def transfer(request: Request) -> Response:
    body = await read_json(request, TransferIn)
    p = await principal_of(request)
    async with hub_of(request).unit() as unit:
        t = await service.transfer(
            unit, p, _ticket_id(request), body.version, body.to_office_id, body.note
        )
        view = await service.view(unit.session, p, t)
    return ok({"ticket": view})


async def events(request: Request) -> Response:
    q = parse_query(EventsIn, request.query_params)
    p = await principal_of(request)
    async with hub_of(request).reader() as session:
        rows = await service.timeline(session, p, _ticket_id(request), q.after_seq, q.limit)
    return ok({"events": [event_view(e) for e in rows]})


async def dispositions(request: Request) -> Response:
    p = await principal_of(request)
    async with hub_of(request).reader() as session:
        rows = await service.dispositions(session, p, _ticket_id(request))
    return ok({"dispositions": [event_view(e) for e in rows]})


async def reference(request: Request) -> Response:
    """The 16 services (with the documents each needs and its form) and the offices (public)."""
    async with hub_of(request).reader() as session:
        services = list(await session.scalars(select(ServiceType).order_by(ServiceType.id)))
        offices = list(await session.scalars(select(Office).order_by(Office.id)))
        forms = await forms_by_service(session)
    return ok(
        {
            "services": [
                {
                    "code": s.code,
                    "name": s.name,
                    "name_en": s.name_en,
                    "risk": s.risk.value,
                    "office_level": s.office_level.value,
                    "sla_hours": s.sla_hours,
                    **forms.get(s.id, {"requirements": [], "fields": []}),
                }
                for s in services
            ],
            "offices": [
                {
                    "id": o.id,
                    "code": o.code,
                    "name": o.name,
                    "level": o.level.value,
                    "parent_id": o.parent_id,
                }
                for o in offices
            ],
        }
    )


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    return [
        Route("/api/reference", reference, methods=["GET"]),
        Route("/api/tickets", list_tickets, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}", get_ticket, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/transition", transition, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/dispose", dispose, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/transfer", transfer, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/events", events, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/dispositions", dispositions, methods=["GET"]),
    ]
