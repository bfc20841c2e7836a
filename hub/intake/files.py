"""Uploaded documents: checked by content against what the document accepts, stored like
chat attachments (the bytes under ``attachments_dir``, written before the row commits; the
type sniffed from the bytes, never the name; at most 10 MB) — chat's functions do it."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chat.attachments import MAX_ATTACHMENT, _write_file, safe_filename, sniff_type
from hub.errors import Invalid, TooLarge
from hub.intake.models import RequestFile
from hub.intake.requirements import accepts_of, content_types
from hub.principal import Principal
from hub.ratelimit import RateLimiter, Rule
from hub.uow import Unit

#: Uploads of documents per person: a whole checklist at once (20), then one every 6 s.
DOCUMENT_UPLOAD = Rule(burst=20, per_second=1 / 6)
MAX_UPLOAD = MAX_ATTACHMENT


@dataclass(frozen=True)
class Upload:
    """A file as received: its claimed name and its bytes (the size already capped)."""

    name: str
    data: bytes


#: The reason of a refused file, by what the document accepts.
_WANTED: dict[tuple[str, ...], str] = {
    ("image",): "document_must_be_photo",
    ("pdf",): "document_must_be_pdf",
}


def check_kind(upload: Upload, accepts: str, code: str) -> str:
    """The upload's content type if the document accepts it; else ``invalid`` (``file``)."""
    if len(upload.data) > MAX_ATTACHMENT:
        raise TooLarge("file_too_large")
    content_type = sniff_type(upload.data[:16])
    kinds = accepts_of(accepts)
    if content_type is None or content_type not in content_types(accepts):
        reason = _WANTED.get(tuple(kinds), "document_must_be_photo_or_pdf")
        raise Invalid(
            reason,
            field="file",
            document=code,
            accepts=kinds,
        )
    return content_type


async def store_upload(
    unit: Unit,
    limiter: RateLimiter,
    folder: Path,
    p: Principal,
    upload: Upload,
    *,
    code: str,
    accepts: str,
    draft_id: int | None = None,
    ticket_id: int | None = None,
) -> RequestFile:
    """Keep one document's file (for a draft or a ticket). Nothing is written if refused.

    ``invalid`` (a kind the document does not accept), ``too_large``, ``rate_limited``
    (:data:`DOCUMENT_UPLOAD`, only files of an accepted kind count).
    """
    content_type = check_kind(upload, accepts, code)
    await limiter.hit(f"document-upload:{p.actor_key}", DOCUMENT_UPLOAD)
    file_id = secrets.token_hex(16)
    await asyncio.to_thread(_write_file, folder, file_id, upload.data)
    row = RequestFile(
        id=file_id, draft_id=draft_id, ticket_id=ticket_id, requirement_code=code,
        uploader_key=p.actor_key, filename=safe_filename(upload.name, content_type),
        content_type=content_type, size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(), created_at=unit.ctx.clock.now(),
    )  # fmt: skip
    unit.session.add(row)
    await unit.session.flush()
    return row


def file_view(f: RequestFile, url: str) -> dict[str, Any]:
    return {"id": f.id, "name": f.filename, "type": f.content_type, "size": f.size, "url": url}


def draft_file_url(draft_id: int, code: str) -> str:
    return f"/api/drafts/{draft_id}/files/{code}"


def ticket_file_url(ticket_id: int, file_id: str) -> str:
    return f"/api/tickets/{ticket_id}/document-files/{file_id}"
