"""HTTP API of tickets: parse → who is asking → one service call → JSON."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub import logins
from hub.auth import make_access_code
from hub.clock import JAKARTA
from hub.context import Hub
from hub.errors import Invalid
from hub.http import client_address, hub_of, ok, page, principal_of, read_json
from hub.models import Channel, Office, Role, ServiceType, TicketStatus
from hub.schemas import Id, Int, Payload, Seq, parse_query
from hub.tickets import service
from hub.timeline import event_view


class CreateIn(Payload):
    service_code: str = Field(min_length=1, max_length=32)
    office_id: Id
    channel: Channel = Channel.online
    applicant_name: str | None = Field(default=None, max_length=120)
    applicant_phone: str | None = Field(default=None, max_length=20, pattern=r"^\+?[0-9 \-]{8,20}$")


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


async def create(request: Request) -> Response:
    body = await read_json(request, CreateIn)
    p = await principal_of(request)
    code = make_access_code()
    hub = hub_of(request)
    code_hash = await hub.passwords.hash(code)  # slow by design: off the loop, before the write
    new = service.NewTicket(
        service_code=body.service_code,
        office_id=body.office_id,
        channel=body.channel,
        applicant_name=body.applicant_name,
        applicant_phone=body.applicant_phone,
    )
    async with hub.unit() as unit:
        t = await service.create_ticket(unit, p, new, code_hash)
        view = await service.view(unit.session, p, t)
    return ok({"ticket": view, "access_code": code, "receipt_url": f"/tickets/{t.id}/receipt"}, 201)


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
    if body.action == "complete":  # the pickup checks the applicant's code first
        raise Invalid(
            "Serahkan surat lewat pengambilan / Hand the letter over with POST …/pickup",
            field="action",
        )
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
    """The 16 services and the offices, for forms (public)."""
    async with hub_of(request).reader() as session:
        services = list(await session.scalars(select(ServiceType).order_by(ServiceType.id)))
        offices = list(await session.scalars(select(Office).order_by(Office.id)))
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


RECEIPT = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Tanda Terima {number}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/receipt.css">
<script src="/static/receipt.js" defer></script></head><body>
<h1>ASINAN Kota Bogor</h1><p>Tanda terima permohonan / Application receipt</p>
<dl><dt>Nomor antrean / Queue</dt><dd class="big">{queue}</dd>
<dt>Nomor tiket / Ticket</dt><dd>{number}</dd>
<dt>Kode akses / Access code</dt><dd class="big">{code}</dd>
<dt>Layanan / Service</dt><dd>{service}</dd>
<dt>Pemohon / Applicant</dt><dd>{name}</dd>
<dt>Tanggal / Date</dt><dd>{created} WIB</dd></dl>
<p>Pantau tiket Anda di {site}/ dengan nomor tiket dan kode akses.<br>
Follow your ticket at {site}/ with the ticket number and access code.</p>
<button type="button" id="print">Cetak / Print</button></body></html>"""


async def receipt(request: Request) -> Response:
    """Printable receipt; shown only with the ticket's access code (as printed on it).

    Wrong codes are rate limited like the receipt login (per ticket and per address).
    """
    code = request.query_params.get("code", "").strip().upper()
    hub = hub_of(request)
    await logins.check_receipt_code(hub, client_address(request), _ticket_id(request), code)
    async with hub.reader() as session:
        t = await service.receipt_ticket(session, _ticket_id(request))
        svc = await service.service_of(session, t)
    html_text = RECEIPT.format(
        number=html.escape(t.number),
        queue=html.escape(t.queue_label),
        code=html.escape(code),
        service=html.escape(svc.name),
        name=html.escape(t.applicant_name),
        created=t.created_at.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M"),
        site=html.escape(f"{request.url.scheme}://{request.url.netloc}"),
    )
    return page(request, html_text, cache="no-store")


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    return [
        Route("/api/reference", reference, methods=["GET"]),
        Route("/api/tickets", create, methods=["POST"]),
        Route("/api/tickets", list_tickets, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}", get_ticket, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/transition", transition, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/dispose", dispose, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/transfer", transfer, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/events", events, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/dispositions", dispositions, methods=["GET"]),
        Route("/tickets/{ticket_id:id}/receipt", receipt, methods=["GET"]),
    ]
