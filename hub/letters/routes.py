"""HTTP of letters: the letter and its PDF, revocation, pickup, electronic receipt, the
counter's lookup, the offices' letter settings, and the public check ``/verify/{code}``.

Parse → who is asking → (a slow check off the loop, before any write) → one service
call → JSON, PDF or a printable page.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from pydantic import Field, StrictBool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.accounts.nik import NikVault
from hub.context import Hub
from hub.errors import HubError, Invalid, NotFound, RateLimited
from hub.http import client_address, hub_of, ok, page, principal_of, read_json
from hub.letters import office_settings, pages, pickup, service
from hub.letters.document import printable
from hub.letters.pdf import render_letter
from hub.letters.verify import VERIFY_LOOKUPS, public_letter
from hub.policy import check_administer
from hub.ratelimit import RECEIPT_FAILURES
from hub.schemas import Id, Payload, parse_query
from hub.tickets.service import view as ticket_view

Text = Annotated[str, Field(min_length=1, max_length=500)]


class RevokeIn(Payload):
    reason: Text


class PickupIn(Payload):
    version: Id
    access_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    scanned: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    id_checked: StrictBool = False
    collector_name: Annotated[str, Field(min_length=1, max_length=120)] | None = None


class LookupIn(Payload):
    q: Annotated[str, Field(min_length=1, max_length=500)]


class SettingsIn(Payload):
    number_template: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    electronic_delivery: StrictBool | None = None


WRONG_CODE = "Kode akses salah / Wrong access code"


def _id(request: Request, name: str = "ticket_id") -> int:
    raw = request.path_params[name]
    assert isinstance(raw, int)
    return raw


def public_origin(hub: Hub, request: Request) -> str:
    """The origin a letter's QR code names: this request's, if it is one of the hub's
    allowed origins, else the first of them (never a Host header someone made up)."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    allowed = hub.settings.allowed_origins
    return origin if origin in allowed else allowed[0]


class LetterRoutes:
    def __init__(self, hub: Hub) -> None:
        config = hub.settings.accounts
        self.vault = NikVault(config.nik_encryption_key, config.nik_hash_key)

    async def letter(self, request: Request) -> Response:
        p = await principal_of(request)
        async with hub_of(request).reader() as session:
            info = await pickup.pickup_info(session, p, _id(request))
        return ok(info)

    async def pdf(self, request: Request) -> Response:
        p = await principal_of(request)
        hub = hub_of(request)
        async with hub.reader() as session:
            t, letter = await service.ticket_and_letter(session, p, _id(request))
            service.check_download(p, t, letter)
        nik = None
        if letter.applicant_nik_cipher:
            try:
                nik = self.vault.decrypt(letter.applicant_nik_cipher)
            except ValueError:
                nik = None  # another key: the letter prints without it
        url = f"{public_origin(hub, request)}/verify/{letter.verify_code}"
        doc = printable(letter, service.issued_on(letter), nik, url)
        body = await asyncio.to_thread(render_letter, doc)
        name = f"surat-{t.number}.pdf"
        return Response(
            body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def revoke(self, request: Request) -> Response:
        body = await read_json(request, RevokeIn)
        p = await principal_of(request)
        async with hub_of(request).unit() as unit:
            letter = await service.revoke_letter(unit, p, _id(request), body.reason)
            t, _ = await service.ticket_and_letter(unit.session, p, _id(request))
            view = service.letter_view(t, letter, p)
        return ok({"letter": view})

    async def receive(self, request: Request) -> Response:
        await read_json(request, Payload)
        p = await principal_of(request)
        async with hub_of(request).unit() as unit:
            letter = await pickup.receive_electronically(unit, p, _id(request))
            t, _ = await service.ticket_and_letter(unit.session, p, _id(request))
            view = service.letter_view(t, letter, p)
            ticket = await ticket_view(unit.session, p, t)
        return ok({"letter": view, "ticket": ticket})

    async def hand_over(self, request: Request) -> Response:
        body = await read_json(request, PickupIn)
        p = await principal_of(request)
        hub = hub_of(request)
        ticket_id = _id(request)
        async with hub.reader() as session:
            check = await pickup.check_counter(session, p, ticket_id)
            if (body.access_code is None) == (body.scanned is None):
                raise Invalid("Isi kode akses atau pindai QR / Give access_code or scanned")
            if body.scanned is not None:
                await pickup.check_scan(session, p, ticket_id, body.scanned)
        if body.scanned is not None and not body.id_checked:
            raise Invalid("Periksa KTP pemohon / Check the applicant's ID card", field="id_checked")
        if body.access_code is not None:
            key = f"pickup:t:{ticket_id}"
            await hub.limiter.hit(key, RECEIPT_FAILURES)  # kept on a wrong code
            code = body.access_code.strip().upper()
            if not await hub.passwords.verify(check.code_hash, code):
                raise Invalid(WRONG_CODE, field="access_code")
            await hub.limiter.refund(key, RECEIPT_FAILURES)
        method = "access_code" if body.access_code is not None else "qr"
        async with hub.unit() as unit:
            t, letter = await pickup.hand_over(
                unit, p, ticket_id, body.version, method, body.collector_name
            )
            view = service.letter_view(t, letter, p)
            ticket = await ticket_view(unit.session, p, t)
        return ok({"ticket": ticket, "letter": view, "receipt_url": view["pickup_receipt_url"]})

    async def lookup(self, request: Request) -> Response:
        q = parse_query(LookupIn, request.query_params)
        p = await principal_of(request)
        if not p.is_officer:
            raise NotFound("Tiket tidak ditemukan / Ticket not found")
        async with hub_of(request).reader() as session:
            t = await pickup.resolve_scan(session, p, q.q)
        return ok({"ticket_id": t.id, "number": t.number})

    async def settings_get(self, request: Request) -> Response:
        check_administer(await principal_of(request))
        async with hub_of(request).reader() as session:
            view = await office_settings.settings_view(session, _id(request, "office_id"))
        return ok({"settings": view})

    async def settings_put(self, request: Request) -> Response:
        p = await principal_of(request)
        check_administer(p)
        body = await read_json(request, SettingsIn)
        async with hub_of(request).unit() as unit:
            view = await office_settings.update_settings(
                unit, p, _id(request, "office_id"),
                number_template=body.number_template,
                electronic_delivery=body.electronic_delivery,
            )  # fmt: skip
        return ok({"settings": view})

    async def verify_json(self, request: Request) -> Response:
        hub = hub_of(request)
        await hub.limiter.hit(f"verify:ip:{client_address(request)}", VERIFY_LOOKUPS)
        async with hub.reader() as session:
            found = await public_letter(session, str(request.path_params["code"]))
        return ok({"letter": found.json_dict()})

    async def verify_page(self, request: Request) -> Response:
        hub = hub_of(request)
        try:
            await hub.limiter.hit(f"verify:ip:{client_address(request)}", VERIFY_LOOKUPS)
            async with hub.reader() as session:
                found = await public_letter(session, str(request.path_params["code"]))
        except RateLimited as exc:
            response = page(request, pages.verify_page(None, exc.message), cache="no-store")
            response.status_code = 429
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except NotFound as exc:
            response = page(request, pages.verify_page(None, exc.message), cache="no-store")
            response.status_code = 404
            return response
        return page(request, pages.verify_page(found), cache="no-store")

    async def pickup_receipt(self, request: Request) -> Response:
        try:
            p = await principal_of(request)
            async with hub_of(request).reader() as session:
                t, letter = await service.ticket_and_letter(session, p, _id(request))
            if not (service.is_applicant(p, t) or service.is_office_officer(p, t)):
                raise NotFound()
            if letter.handed_over_at is None:
                raise NotFound("Surat belum diserahkan / Not handed over yet")
        except HubError as exc:
            response = page(request, pages.error_page("ASINAN", exc.message), cache="no-store")
            response.status_code = exc.status
            return response
        return page(request, pages.pickup_receipt_page(t.number, letter), cache="no-store")

    def routes(self) -> list[BaseRoute]:
        tickets = "/api/tickets/{ticket_id:id}"
        return [
            Route(f"{tickets}/letter", self.letter, methods=["GET"]),
            Route(f"{tickets}/letter.pdf", self.pdf, methods=["GET"]),
            Route(f"{tickets}/letter/revoke", self.revoke, methods=["POST"]),
            Route(f"{tickets}/letter/receive", self.receive, methods=["POST"]),
            Route(f"{tickets}/pickup", self.hand_over, methods=["POST"]),
            Route("/api/pickup/lookup", self.lookup, methods=["GET"]),
            Route("/api/admin/offices/{office_id:id}/letters", self.settings_get, methods=["GET"]),
            Route("/api/admin/offices/{office_id:id}/letters", self.settings_put, methods=["PUT"]),
            Route("/api/verify/{code}", self.verify_json, methods=["GET"]),
            Route("/verify/{code}", self.verify_page, methods=["GET"]),
            Route("/tickets/{ticket_id:id}/pickup-receipt", self.pickup_receipt, methods=["GET"]),
        ]


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del sio, publisher
    return LetterRoutes(hub).routes()
