"""HTTP side of chat: attachment upload and download."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from chat import actions, attachments
from hub.errors import TooLarge
from hub.http import hub_of, ok, principal


async def upload(request: Request) -> Response:
    """``POST /api/tickets/{id}/attachments?name=foto.jpg`` with the file as the body."""
    p = principal(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > attachments.MAX_ATTACHMENT:
        raise TooLarge("attachment_too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > attachments.MAX_ATTACHMENT:
            raise TooLarge("attachment_too_large")
        chunks.append(chunk)
    view = await actions.add_attachment(
        hub_of(request),
        p,
        request.path_params["ticket_id"],
        request.query_params.get("name", "lampiran"),
        b"".join(chunks),
    )
    return ok({"attachment": view}, 201)


async def download(request: Request) -> Response:
    p = principal(request)
    a = await actions.attachment(
        hub_of(request), p, request.path_params["ticket_id"], request.path_params["attachment_id"]
    )
    return FileResponse(
        a.path,
        media_type=a.content_type,
        filename=a.filename,
        content_disposition_type="inline" if a.inline else "attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=3600",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/api/tickets/{ticket_id:id}/attachments", upload, methods=["POST"]),
        Route(
            "/api/tickets/{ticket_id:id}/attachments/{attachment_id:str}",
            download,
            methods=["GET"],
        ),
    ]
