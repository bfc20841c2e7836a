"""What a notification says: short Indonesian titles and previews, never personal data.

Pure functions. A preview is at most :data:`PREVIEW_LEN` characters; long digit runs
(a NIK typed into a comment, a phone number) are masked before anything leaves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from hub.clock import JAKARTA

PREVIEW_LEN = 80
_DIGITS = re.compile(r"(?:\+?\d[\d .-]{6,}\d)")
_SPACE = re.compile(r"\s+")

STATUS_LABELS = {
    "submitted": "diajukan",
    "verification": "sedang diverifikasi",
    "documents_incomplete": "menunggu dokumen (belum lengkap)",
    "staff_verification": "diverifikasi kasi",
    "awaiting_approval": "menunggu persetujuan",
    "approved": "disetujui, surat siap diambil",
    "rejected": "ditolak",
    "completed": "selesai",
}


def redact(text: str) -> str:
    """Mask runs of 8+ digits (NIK, phone, account numbers) and collapse whitespace."""
    return _DIGITS.sub("•••", _SPACE.sub(" ", text)).strip()


def preview(text: str, limit: int = PREVIEW_LEN) -> str:
    clean = redact(text)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def comment_title(number: str, count: int) -> str:
    return f"Pesan baru di {number}" if count == 1 else f"{count} pesan baru di {number}"


def comment_preview(author: str, body: str, attachments: int) -> str:
    text = body or ("📎 lampiran" if attachments else "")
    return preview(f"{author}: {text}")


def status_title(number: str) -> str:
    return f"Status {number} berubah"


def status_preview(to_status: str, reason: str | None) -> str:
    label = STATUS_LABELS.get(to_status, to_status)
    return preview(f"Permohonan Anda {label}" + (f": {reason}" if reason else ""))


def notice_kind(event_kind: str, payload: Mapping[str, Any]) -> str:
    """The notification kind of a timeline event: a request for documents is its own kind."""
    if event_kind == "status_changed" and payload.get("action") == "request_documents":
        return "documents_requested"
    return event_kind


def documents_title(number: str) -> str:
    return f"Dokumen {number} belum lengkap"


def documents_preview(documents: Sequence[Mapping[str, Any]]) -> str:
    """``Unggah ulang: KTP-el (buram), KK`` — names and reasons, digits masked."""
    items = [
        str(d.get("name")) + (f" ({d.get('reason')})" if d.get("reason") else "") for d in documents
    ]
    return preview("Unggah ulang: " + ", ".join(items))


def disposed_title(number: str, count: int) -> str:
    return f"Disposisi {number}" if count == 1 else f"{count} disposisi {number}"


def disposed_preview(author: str, note: str) -> str:
    return preview(f"{author}: {note}" if note else f"Diteruskan oleh {author}")


def missed_call_title(number: str, count: int) -> str:
    return (
        f"Panggilan tak terjawab ({number})"
        if count == 1
        else f"{count} panggilan tak terjawab ({number})"
    )


def missed_call_preview(caller_name: str) -> str:
    return preview(f"{caller_name} mencoba menelepon Anda")


def sla_title(number: str) -> str:
    return f"Tenggat {number} segera tiba"


def sla_preview(due_at: datetime) -> str:
    return f"Batas layanan {due_at.astimezone(JAKARTA):%d/%m %H:%M} WIB"


def breached_title(number: str) -> str:
    return f"{number} melewati standar layanan"


def breached_preview(due_at: datetime) -> str:
    return f"Batas layanan {due_at.astimezone(JAKARTA):%d/%m %H:%M} WIB telah lewat"
