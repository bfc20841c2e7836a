"""HTTP of intake: opening a ticket, drafts and their uploads, the checklist, the receipt.

Each handler: parse → who is asking → one service call in one unit → JSON (or the page).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from hub import logins
from hub.accounts.nik import NikVault
from hub.auth import make_access_code
from hub.context import Hub
from hub.errors import HubError, Invalid, NotFound, TooLarge
from hub.http import client_address, hub_of, ok, page, principal_of, read_json
from hub.intake import documents, drafts, opening
from hub.intake.codes import AccessCodeVault
from hub.intake.files import MAX_UPLOAD, TOO_LARGE, Upload, draft_file_url, file_view
from hub.intake.models import DocumentState, RequestFile
from hub.intake.receipts import ReceiptData, layout_of, receipt_parts, render
from hub.intake.schemas import CheckIn, CreateIn, DraftIn, DraftPatch, ReceiptQuery, UploadQuery
from hub.schemas import parse_query
from hub.tickets import service as tickets

CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _id(request: Request, name: str) -> int:
    raw = request.path_params[name]
    assert isinstance(raw, int)
    return raw


def _code(request: Request) -> str:
    code = str(request.path_params["code"])
    if not (2 <= len(code) <= 32 and set(code) <= CODE_CHARS):
        raise Invalid("Kode dokumen tidak valid / Invalid document code", field="path")
    return code


async def _upload(request: Request) -> Upload:
    """The raw body (the file itself), refused beyond 10 MB while it streams in."""
    q = parse_query(UploadQuery, request.query_params)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_UPLOAD:
        raise TooLarge(TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD:
            raise TooLarge(TOO_LARGE)
        chunks.append(chunk)
    return Upload(q.name, b"".join(chunks))


def _file_response(hub: Hub, f: RequestFile) -> Response:
    inline = f.content_type.startswith("image/")
    return FileResponse(
        hub.settings.attachments_dir / f.id,
        media_type=f.content_type,
        filename=f.filename,
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=3600",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


class IntakeRoutes:
    def __init__(self, hub: Hub) -> None:
        config = hub.settings.accounts
        self.vaults = opening.Vaults(
            AccessCodeVault(config.access_code_key),
            NikVault(config.nik_encryption_key, config.nik_hash_key),
        )

    async def create(self, request: Request) -> Response:
        """``POST /api/tickets``: the one way a ticket is opened (:mod:`hub.intake.opening`)."""
        body = await read_json(request, CreateIn)
        p = await principal_of(request)
        code = make_access_code()
        hub = hub_of(request)
        code_hash = await hub.passwords.hash(code)  # slow by design: off the loop, before the write
        new = opening.NewRequest(
            channel=body.channel, service_code=body.service_code, office_id=body.office_id,
            draft_id=body.draft_id, applicant_name=body.applicant_name,
            applicant_phone=body.applicant_phone, applicant_nik=body.applicant_nik,
            form=body.form, documents_seen=tuple(body.documents_seen),
        )  # fmt: skip
        async with hub.unit() as unit:
            t = await opening.open_request(unit, p, new, code, code_hash, self.vaults)
            view = await tickets.view(unit.session, p, t)
        receipt = f"/tickets/{t.id}/receipt"
        return ok({"ticket": view, "access_code": code, "receipt_url": receipt}, 201)

    async def request_view(self, request: Request) -> Response:
        p = await principal_of(request)
        async with hub_of(request).reader() as session:
            body = await opening.request_view(session, p, _id(request, "ticket_id"), self.vaults)
        return ok(body)

    async def receipt(self, request: Request) -> Response:
        """The printable receipt: the applicant and the office's officers as they are; anyone
        with the access code (``?code=``, checked and rate limited as the receipt login)."""
        q = parse_query(ReceiptQuery, request.query_params)
        hub = hub_of(request)
        ticket_id = _id(request, "ticket_id")
        code = q.code.strip().upper()
        if code:
            await logins.check_receipt_code(hub, client_address(request), ticket_id, code)
            p = None
        else:
            try:
                p = await principal_of(request)
            except HubError:
                raise NotFound(logins.NO_RECEIPT) from None
        async with hub.reader() as session:
            parts = await receipt_parts(session, p, ticket_id, self.vaults.codes)
        data = ReceiptData(
            ticket=parts.ticket, service=parts.service, office=parts.office,
            code=code or parts.code, documents=parts.documents,
            site=f"{request.url.scheme}://{request.url.netloc}",
            layout=layout_of(q.layout, parts.ticket), query_code=code,
        )  # fmt: skip
        return page(request, render(data), cache="no-store")

    async def check(self, request: Request) -> Response:
        body = await read_json(request, CheckIn)
        p = await principal_of(request)
        ticket_id = _id(request, "ticket_id")
        async with hub_of(request).unit() as unit:
            d = await documents.check_document(
                unit, p, ticket_id, _code(request), DocumentState(body.state), body.reason
            )
            [view] = await documents.views(unit.session, [d])
        return ok({"document": view})

    async def reupload(self, request: Request) -> Response:
        p = await principal_of(request)
        code = _code(request)
        file = await _upload(request)
        hub = hub_of(request)
        async with hub.unit() as unit:
            d, t = await documents.reupload(
                unit, hub.limiter, hub.settings.attachments_dir, p, _id(request, "ticket_id"),
                code, file,
            )  # fmt: skip
            [view] = await documents.views(unit.session, [d])
            ticket = await tickets.view(unit.session, p, t)
        return ok({"document": view, "ticket": ticket}, 201)

    async def ticket_file(self, request: Request) -> Response:
        p = await principal_of(request)
        hub = hub_of(request)
        file_id = str(request.path_params["file_id"])
        async with hub.reader() as session:
            f = await documents.ticket_file(session, p, _id(request, "ticket_id"), file_id)
        return _file_response(hub, f)

    # --- drafts ---------------------------------------------------------------------

    async def drafts_list(self, request: Request) -> Response:
        p = await principal_of(request)
        async with hub_of(request).reader() as session:
            return ok({"drafts": await drafts.list_drafts(session, p)})

    async def draft_create(self, request: Request) -> Response:
        body = await read_json(request, DraftIn)
        p = await principal_of(request)
        async with hub_of(request).unit() as unit:
            d = await drafts.create_draft(unit, p, body.service_code, body.office_id)
            view = await drafts.draft_view(unit.session, d)
        return ok({"draft": view}, 201)

    async def draft_get(self, request: Request) -> Response:
        p = await principal_of(request)
        async with hub_of(request).reader() as session:
            d = await drafts.own_draft(session, p, _id(request, "draft_id"))
            return ok({"draft": await drafts.draft_view(session, d)})

    async def draft_update(self, request: Request) -> Response:
        body = await read_json(request, DraftPatch)
        p = await principal_of(request)
        async with hub_of(request).unit() as unit:
            d = await drafts.update_draft(
                unit, p, _id(request, "draft_id"), service_code=body.service_code,
                office_id=body.office_id, form=body.form,
            )  # fmt: skip
            view = await drafts.draft_view(unit.session, d)
        return ok({"draft": view})

    async def draft_delete(self, request: Request) -> Response:
        p = await principal_of(request)
        async with hub_of(request).unit() as unit:
            await drafts.delete_draft(unit, p, _id(request, "draft_id"))
        return ok()

    async def draft_upload(self, request: Request) -> Response:
        p = await principal_of(request)
        code = _code(request)
        file = await _upload(request)
        hub = hub_of(request)
        draft_id = _id(request, "draft_id")
        async with hub.unit() as unit:
            row = await drafts.upload(
                unit, hub.limiter, hub.settings.attachments_dir, p, draft_id, code, file
            )
        return ok({"file": file_view(row, draft_file_url(draft_id, code))}, 201)

    async def draft_file(self, request: Request) -> Response:
        p = await principal_of(request)
        hub = hub_of(request)
        async with hub.reader() as session:
            f = await drafts.draft_file(session, p, _id(request, "draft_id"), _code(request))
        return _file_response(hub, f)

    async def draft_file_delete(self, request: Request) -> Response:
        p = await principal_of(request)
        async with hub_of(request).unit() as unit:
            await drafts.remove_file(unit, p, _id(request, "draft_id"), _code(request))
        return ok()

    def routes(self) -> list[BaseRoute]:
        ticket = "/api/tickets/{ticket_id:id}"
        draft = "/api/drafts/{draft_id:id}"
        return [
            Route("/api/tickets", self.create, methods=["POST"]),
            Route(f"{ticket}/request", self.request_view, methods=["GET"]),
            Route(f"{ticket}/documents/{{code:str}}", self.check, methods=["PUT"]),
            Route(f"{ticket}/documents/{{code:str}}/file", self.reupload, methods=["POST"]),
            Route(f"{ticket}/document-files/{{file_id:str}}", self.ticket_file, methods=["GET"]),
            Route("/tickets/{ticket_id:id}/receipt", self.receipt, methods=["GET"]),
            Route("/api/drafts", self.drafts_list, methods=["GET"]),
            Route("/api/drafts", self.draft_create, methods=["POST"]),
            Route(draft, self.draft_get, methods=["GET"]),
            Route(draft, self.draft_update, methods=["PATCH"]),
            Route(draft, self.draft_delete, methods=["DELETE"]),
            Route(f"{draft}/files/{{code:str}}", self.draft_upload, methods=["POST"]),
            Route(f"{draft}/files/{{code:str}}", self.draft_file, methods=["GET"]),
            Route(f"{draft}/files/{{code:str}}", self.draft_file_delete, methods=["DELETE"]),
        ]


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del sio, publisher
    return IntakeRoutes(hub).routes()
