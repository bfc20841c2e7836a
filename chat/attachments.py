"""Attachments: photos and PDFs uploaded for a later comment on a ticket.

An upload is kept (bytes on disk, a row without a comment) until a comment of the
same speaker on the same ticket claims it (:func:`claimable`); only those who may
view the ticket can read it back.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chat import store
from chat.models import Attachment
from hub import policy, ratelimit
from hub.errors import Invalid, NotFound, TooLarge
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.tickets.views import visible_ticket
from hub.uow import Unit

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}

MAX_ATTACHMENT = 10 * 1024 * 1024


def attachment_view(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.filename,
        "type": a.content_type,
        "size": a.size,
        "url": f"/api/tickets/{a.ticket_id}/attachments/{a.id}",
    }


async def claimable(
    session: AsyncSession, p: Principal, ticket_id: int, ids: list[str], fresh: bool = False
) -> list[Attachment]:
    """The attachments ``ids`` as ``p`` may attach them to a comment on ``ticket_id``: their
    own uploads to that ticket, not yet in a comment (``invalid`` otherwise)."""
    if not ids:
        return []
    rows = {a.id: a for a in await store.attachments(session, ids, fresh)}
    files = []
    for attachment_id in dict.fromkeys(ids):
        a = rows.get(attachment_id)
        if a is None or a.ticket_id != ticket_id or a.uploader_key != p.actor_key or a.event_seq:
            raise Invalid("attachment_unknown", field="attachments")
        files.append(a)
    return files


def sniff_type(head: bytes) -> str | None:
    """The content type from the file's own bytes (never from its name or header)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def safe_filename(name: str, content_type: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .")
    ext = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(
        content_type, ".pdf"
    )
    base = (base or "lampiran")[:80]
    return base if base.lower().endswith(ext) else base + ext


async def add_attachment(
    unit: Unit,
    limiter: RateLimiter,
    p: Principal,
    ticket_id: int,
    name: str,
    data: bytes,
    folder: Path,
) -> Attachment:
    """Keep an uploaded photo (JPEG/PNG/WebP) or PDF for a later comment on this ticket.

    The type is checked by content; at most 10 MB. The bytes are written under
    ``folder`` (outside the database) before the row commits.
    """
    t = await visible_ticket(unit.session, p, ticket_id)
    policy.check_comment(p, t)
    if len(data) > MAX_ATTACHMENT:
        raise TooLarge("attachment_too_large")
    content_type = sniff_type(data[:16])
    if content_type is None:
        raise Invalid("attachment_type_not_allowed", field="file")
    await limiter.hit(f"upload:{p.actor_key}", ratelimit.UPLOAD)
    attachment_id = secrets.token_hex(16)
    await asyncio.to_thread(_write_file, folder, attachment_id, data)
    row = Attachment(
        id=attachment_id, ticket_id=ticket_id, uploader_key=p.actor_key,
        filename=safe_filename(name, content_type), content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), created_at=unit.ctx.clock.now(),
    )  # fmt: skip
    unit.session.add(row)
    return row


def _write_file(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


async def attachment_for(
    session: AsyncSession, p: Principal, ticket_id: int, attachment_id: str
) -> Attachment:
    """An attachment, only for those who may view its ticket (``not_found`` otherwise)."""
    await visible_ticket(session, p, ticket_id)
    a = await store.attachment(session, attachment_id)
    if a is None or a.ticket_id != ticket_id:
        raise NotFound("attachment_not_found")
    return a
