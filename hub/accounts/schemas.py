"""Payloads of the account and admin endpoints (unknown fields refused)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from hub.accounts.models import FieldKind, OtpPurpose
from hub.accounts.offices import WEEKDAYS, DayHours, minutes_of
from hub.models import OfficeLevel, Risk, Role, StandardUnit
from hub.schemas import Id, Int, Payload

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
Password = Annotated[str, Field(min_length=8, max_length=128)]
Phone = Annotated[str, Field(min_length=8, max_length=24, pattern=r"^\+?[0-9 \-]{8,24}$")]
Code = Annotated[str, Field(pattern=r"^[0-9]{6}$")]
Nik = Annotated[str, Field(min_length=16, max_length=24)]
#: An officer's NIP: 18 digits (spaces allowed when typed); "" clears it in a patch.
Nip = Annotated[str, Field(max_length=24, pattern=r"^[0-9 ]*$")]


def _printable(value: str | None) -> str | None:
    if value is not None and any(ord(ch) < 32 for ch in value):
        raise ValueError("control characters are not allowed")
    return value


class CodeIn(Payload):
    phone: Phone
    purpose: OtpPurpose


class RegisterIn(Payload):
    phone: Phone
    code: Code
    password: Password
    full_name: Name
    residence_office_id: Id
    nik: Nik | None = None

    _clean = field_validator("full_name")(_printable)


class ResetIn(Payload):
    phone: Phone
    code: Code
    password: Password


class PasswordIn(Payload):
    current_password: Annotated[str, Field(min_length=1, max_length=256)]
    new_password: Password


class NikSearchIn(Payload):
    nik: Nik


class OfficerIn(Payload):
    username: Annotated[str, Field(min_length=3, max_length=64)]
    full_name: Name
    role: Role
    office_id: Id
    password: Password | None = None
    nip: Nip | None = None

    _clean = field_validator("full_name")(_printable)


class OfficerPatch(Payload):
    role: Role | None = None
    office_id: Id | None = None
    full_name: Name | None = None
    nip: Nip | None = None

    _clean = field_validator("full_name")(_printable)


class PasswordResetIn(Payload):
    password: Password | None = None


class OfficersQuery(Payload):
    office_id: Id | None = None
    role: Role | None = None
    active: bool | None = None
    q: Annotated[str, Field(max_length=64)] | None = None


class Span(Payload):
    open: Annotated[str, Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]
    close: Annotated[str, Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]


class WeekIn(Payload):
    mon: Span | None
    tue: Span | None
    wed: Span | None
    thu: Span | None
    fri: Span | None
    sat: Span | None
    sun: Span | None

    def minutes(self) -> dict[str, DayHours]:
        """Each weekday as (opens, closes) in minutes after midnight, or None."""
        out: dict[str, DayHours] = {}
        for day in WEEKDAYS:
            span: Span | None = getattr(self, day)
            if span is None:
                out[day] = None
                continue
            opens = minutes_of(span.open, f"hours.{day}.open")
            closes = minutes_of(span.close, f"hours.{day}.close")
            out[day] = (opens, closes)
        return out

    @model_validator(mode="after")
    def _opens_before_closing(self) -> WeekIn:
        for day in WEEKDAYS:
            span: Span | None = getattr(self, day)
            if span is not None and span.open >= span.close:
                raise ValueError(f"{day}: open must be before close")
        return self


class OfficePatch(Payload):
    name: Name | None = None
    address: Annotated[str, Field(max_length=500)] | None = None
    hours: WeekIn | None = None

    _clean = field_validator("name")(_printable)


class ServicePatch(Payload):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]
        | None
    ) = None
    name_en: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]
        | None
    ) = None
    risk: Risk | None = None
    office_level: OfficeLevel | None = None
    sla_hours: Annotated[int, Field(strict=True, ge=1, le=24 * 90)] | None = None
    standard_value: Annotated[int, Field(strict=True, ge=1, le=365)] | None = None
    standard_unit: StandardUnit | None = None


class RequirementIn(Payload):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9_]{2,32}$")]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    required: bool = True
    accepts: Annotated[list[Literal["image", "pdf"]], Field(min_length=1, max_length=2)] = [
        "image",
        "pdf",
    ]

    @model_validator(mode="after")
    def _unique_kinds(self) -> RequirementIn:
        if len(set(self.accepts)) != len(self.accepts):
            raise ValueError("accepts: each kind once")
        return self


class FieldIn(Payload):
    code: Annotated[str, Field(pattern=r"^[A-Z0-9_]{2,32}$")]
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    label_en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    kind: FieldKind
    required: bool = True
    options: Annotated[
        list[
            Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        ],
        Field(max_length=30),
    ] = []


class FieldsIn(Payload):
    fields: Annotated[list[FieldIn], Field(max_length=30)]

    @model_validator(mode="after")
    def _unique_codes(self) -> FieldsIn:
        codes = [f.code for f in self.fields]
        if len(codes) != len(set(codes)):
            raise ValueError("field codes must be unique")
        return self


class RequirementsIn(Payload):
    requirements: Annotated[list[RequirementIn], Field(max_length=30)]

    @model_validator(mode="after")
    def _unique_codes(self) -> RequirementsIn:
        codes = [r.code for r in self.requirements]
        if len(codes) != len(set(codes)):
            raise ValueError("requirement codes must be unique")
        return self


class AuditQuery(Payload):
    before: Id | None = None
    limit: Annotated[Int, Field(ge=1, le=200)] = 50
