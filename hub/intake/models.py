"""Tables of the request itself: drafts, uploaded documents, a ticket's checklist and form.

- ``request_drafts``: a citizen's request before it is submitted (kept server-side, so it
  survives a reload or a lost connection); its uploads attach to it.
- ``request_files``: one uploaded document (the bytes under ``attachments_dir``), first of a
  draft, then of the ticket the draft became (or uploaded again to a ticket).
- ``ticket_documents``: the ticket's checklist, copied from the service's requirements when
  the ticket is opened (later edits of the requirements leave open tickets alone): for each
  document its current file and its check (``pending``, ``ok``, ``missing`` with a reason)
  and who checked it.
- ``ticket_intake``: the ticket's form values, a walk-in applicant's NIK (only encrypted,
  with its keyed hash) and the access code, encrypted so it can be shown to its owner again.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import utcnow
from hub.models import Base


class DocumentState(enum.StrEnum):
    #: not checked yet (with or without a file)
    pending = "pending"
    #: checked and accepted by the front office
    ok = "ok"
    #: refused or absent, with a reason: the applicant uploads it again
    missing = "missing"


class RequestDraft(Base):
    __tablename__ = "request_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when the draft became a ticket; a submitted draft no longer changes
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))


class RequestFile(Base):
    __tablename__ = "request_files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("request_drafts.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    requirement_code: Mapped[str] = mapped_column(String(32))
    uploader_key: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketDocument(Base):
    __tablename__ = "ticket_documents"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    accepts: Mapped[str] = mapped_column(String(32), default="image,pdf")
    position: Mapped[int] = mapped_column(Integer, default=0)
    file_id: Mapped[str | None] = mapped_column(ForeignKey("request_files.id"))
    state: Mapped[DocumentState] = mapped_column(
        Enum(DocumentState, name="document_state", native_enum=False, length=16,
             validate_strings=True),
        default=DocumentState.pending,
    )  # fmt: skip
    reason: Mapped[str | None] = mapped_column(Text)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_by_name: Mapped[str | None] = mapped_column(String(120))
    checked_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketIntake(Base):
    __tablename__ = "ticket_intake"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: a walk-in applicant's NIK (hub.accounts.nik.NikVault); an online one's is in the account
    applicant_nik_cipher: Mapped[str | None] = mapped_column(Text)
    applicant_nik_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    #: the access code, AES-GCM (hub.intake.codes.AccessCodeVault): shown to its owner again
    access_code_cipher: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
