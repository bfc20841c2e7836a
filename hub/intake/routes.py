"""HTTP of intake: opening a ticket, drafts and their uploads, the checklist, the receipt.

Each handler: parse → who is asking → one service call in one unit → JSON (or the page).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.errors import HubError, Invalid, NotFound, TooLarge
from hub.http import client_address, hub_of, ok, page, principal, read_json
from hub.intake import actions, gate, opening
from hub.intake.files import MAX_UPLOAD, Upload
from hub.intake.models import DocumentState, RequestFile
from hub.intake.receipts import ReceiptData, layout_of, render
from hub.intake.schemas import CheckIn, CreateIn, DraftIn, DraftPatch, ReceiptQuery, UploadQuery
from hub.schemas import parse_query

CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _id(request: Request, name: str) -> int:
    raw = request.path_params[name]
    assert isinstance(raw, int)
    return raw


def _code(request: Request) -> str:
    code = str(request.path_params["code"])
    if not (2 <= len(code) <= 32 and set(code) <= CODE_CHARS):
        raise Invalid("document_code_invalid", field="path")
    return code


async def _upload(request: Request) -> Upload:
    """The raw body (the file itself), refused beyond 10 MB while it streams in."""
    q = parse_query(UploadQuery, request.query_params)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_UPLOAD:
        raise TooLarge("file_too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD:
            raise TooLarge("file_too_large")
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
    async def reference(self, request: Request) -> Response:
        """The services (with the documents each needs and its form) and the offices."""
        return ok(await actions.reference(hub_of(request)))

    async def create(self, request: Request) -> Response:
        """``POST /api/tickets``: the one way a ticket is opened (:mod:`hub.intake.opening`)."""
        body = await read_json(request, CreateIn)
        new = opening.NewRequest(
            channel=body.channel, service_code=body.service_code, office_id=body.office_id,
            draft_id=body.draft_id, applicant_name=body.applicant_name,
            applicant_phone=body.applicant_phone, applicant_nik=body.applicant_nik,
            form=body.form, documents_seen=tuple(body.documents_seen),
        )  # fmt: skip
        made = await actions.open_request(hub_of(request), principal(request), new)
        body_out = {
            "ticket": made.ticket, "access_code": made.access_code,
            "receipt_url": made.receipt_url,
        }  # fmt: skip
        return ok(body_out, 201)

    async def request_view(self, request: Request) -> Response:
        p = principal(request)
        return ok(await actions.request_view(hub_of(request), p, _id(request, "ticket_id")))

    async def receipt(self, request: Request) -> Response:
        """The printable receipt: the applicant and the office's officers as they are; anyone
        with the access code (``?code=``, checked and rate limited as the receipt login)."""
        q = parse_query(ReceiptQuery, request.query_params)
        code = q.code.strip().upper()
        p = None
        if not code:
            try:
                p = principal(request)
            except HubError:
                raise NotFound("receipt_not_found") from None
        address = client_address(request)
        parts = await actions.receipt(hub_of(request), p, address, _id(request, "ticket_id"), code)
        data = ReceiptData(
            ticket=parts.ticket, service=parts.service, office=parts.office,
            code=code or parts.code, documents=parts.documents,
            site=f"{request.url.scheme}://{request.url.netloc}",
            layout=layout_of(q.layout, parts.ticket), query_code=code,
        )  # fmt: skip
        return page(request, render(data), cache="no-store")

    async def check(self, request: Request) -> Response:
        body = await read_json(request, CheckIn)
        view = await actions.check_document(
            hub_of(request), principal(request), _id(request, "ticket_id"), _code(request),
            DocumentState(body.state), body.reason,
        )  # fmt: skip
        return ok({"document": view})

    async def reupload(self, request: Request) -> Response:
        p = principal(request)
        code = _code(request)
        file = await _upload(request)
        done = await actions.reupload(hub_of(request), p, _id(request, "ticket_id"), code, file)
        return ok(done, 201)

    async def ticket_file(self, request: Request) -> Response:
        hub = hub_of(request)
        file_id = str(request.path_params["file_id"])
        f = await actions.ticket_file(hub, principal(request), _id(request, "ticket_id"), file_id)
        return _file_response(hub, f)

    # --- drafts ---------------------------------------------------------------------

    async def drafts_list(self, request: Request) -> Response:
        return ok({"drafts": await actions.list_drafts(hub_of(request), principal(request))})

    async def draft_create(self, request: Request) -> Response:
        body = await read_json(request, DraftIn)
        view = await actions.create_draft(
            hub_of(request), principal(request), body.service_code, body.office_id
        )
        return ok({"draft": view}, 201)

    async def draft_get(self, request: Request) -> Response:
        p = principal(request)
        return ok({"draft": await actions.get_draft(hub_of(request), p, _id(request, "draft_id"))})

    async def draft_update(self, request: Request) -> Response:
        body = await read_json(request, DraftPatch)
        view = await actions.update_draft(
            hub_of(request), principal(request), _id(request, "draft_id"),
            body.service_code, body.office_id, body.form,
        )  # fmt: skip
        return ok({"draft": view})

    async def draft_delete(self, request: Request) -> Response:
        await actions.delete_draft(hub_of(request), principal(request), _id(request, "draft_id"))
        return ok()

    async def draft_upload(self, request: Request) -> Response:
        p = principal(request)
        code = _code(request)
        file = await _upload(request)
        row = await actions.upload(hub_of(request), p, _id(request, "draft_id"), code, file)
        return ok({"file": row}, 201)

    async def draft_file(self, request: Request) -> Response:
        hub = hub_of(request)
        f = await actions.draft_file(
            hub, principal(request), _id(request, "draft_id"), _code(request)
        )
        return _file_response(hub, f)

    async def draft_file_delete(self, request: Request) -> Response:
        await actions.remove_draft_file(
            hub_of(request), principal(request), _id(request, "draft_id"), _code(request)
        )
        return ok()

    def routes(self) -> list[BaseRoute]:
        ticket = "/api/tickets/{ticket_id:id}"
        draft = "/api/drafts/{draft_id:id}"
        return [
            Route("/api/reference", self.reference, methods=["GET"]),
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
    gate.subscribe(hub)
    return IntakeRoutes().routes()
