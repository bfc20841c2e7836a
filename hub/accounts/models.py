"""Tables of accounts and administration: one-time codes, office hours, the documents each
service requires (the audit trail is :mod:`hub.audit_models`)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.models import Base


class OtpPurpose(enum.StrEnum):
    register = "register"
    reset = "reset"


class OtpCode(Base):
    """The one live code per phone and purpose; a new request replaces it.

    Only an argon2 hash of the code is kept. ``attempts`` counts checks (right or
    wrong) against this code; ``sent_at`` gates re-sending.
    """

    __tablename__ = "otp_codes"
    __table_args__ = (UniqueConstraint("phone", "purpose", name="uq_otp_codes_phone_purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[OtpPurpose] = mapped_column(
        Enum(OtpPurpose, name="otp_purpose", native_enum=False, length=24, validate_strings=True)
    )
    code_hash: Mapped[str] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    consumed_at: Mapped[datetime | None]


class OfficeHours(Base):
    """Opening hours of an office on one weekday (0 = Monday … 6 = Sunday), local time
    (Asia/Jakarta), in minutes after midnight; both ``None`` when closed that day.

    Every office has its seven rows (written with the office), so the working-time
    SLA of a later issue can be computed from them alone.
    """

    __tablename__ = "office_hours"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    opens_min: Mapped[int | None] = mapped_column(Integer)
    closes_min: Mapped[int | None] = mapped_column(Integer)


class ServiceRequirement(Base):
    """A document a service type requires (or accepts); ordered by ``position``."""

    __tablename__ = "service_requirements"
    __table_args__ = (
        UniqueConstraint("service_type_id", "code", name="uq_service_requirements_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the file kinds an upload may be, comma-separated: ``image`` (JPEG/PNG/WebP), ``pdf``
    accepts: Mapped[str] = mapped_column(
        String(32), default="image,pdf", server_default="image,pdf"
    )


class FieldKind(enum.StrEnum):
    text = "text"
    textarea = "textarea"
    date = "date"
    number = "number"
    select = "select"


class ServiceFormField(Base):
    """A field of a service's form (the purpose, and what the letter prints); by ``position``."""

    __tablename__ = "service_form_fields"
    __table_args__ = (
        UniqueConstraint("service_type_id", "code", name="uq_service_form_fields_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FieldKind] = mapped_column(
        Enum(FieldKind, name="field_kind", native_enum=False, length=16, validate_strings=True)
    )
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the choices of a ``select`` (empty for the other kinds)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
