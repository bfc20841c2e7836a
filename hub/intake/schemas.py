"""What the intake endpoints accept (everything else is ``invalid``, naming the field)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from hub.models import Channel
from hub.schemas import Id, Payload

DocCode = Annotated[str, Field(pattern=r"^[A-Z0-9_]{2,32}$")]
#: form values by field code: strings, at most 40 of them
FormValues = Annotated[dict[DocCode, Annotated[str, Field(max_length=4000)]], Field(max_length=40)]


class CreateIn(Payload):
    """``POST /api/tickets`` — see :mod:`hub.intake.opening` for which fields go together."""

    channel: Channel = Channel.online
    service_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    office_id: Id | None = None
    draft_id: Id | None = None
    applicant_name: Annotated[str, Field(max_length=120)] | None = None
    applicant_phone: Annotated[str, Field(max_length=20, pattern=r"^\+?[0-9 \-]{8,20}$")] | None = (
        None
    )
    applicant_nik: Annotated[str, Field(max_length=24)] | None = None
    form: FormValues | None = None
    documents_seen: Annotated[list[DocCode], Field(max_length=30)] = []


class DraftIn(Payload):
    service_code: Annotated[str, Field(min_length=1, max_length=32)]
    office_id: Id | None = None


class DraftPatch(Payload):
    service_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    office_id: Id | None = None
    form: FormValues | None = None


class CheckIn(Payload):
    """``PUT /api/tickets/{id}/documents/{code}``."""

    state: Literal["ok", "missing"]
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class ReceiptQuery(Payload):
    code: Annotated[str, Field(max_length=32)] = ""
    layout: Literal["58", "80", "a4"] | None = None


class UploadQuery(Payload):
    name: Annotated[str, Field(max_length=200)] = "dokumen"
