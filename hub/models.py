"""The shared data: offices, users, service types, tickets and the one ticket timeline."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hub.clock import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC on the way in and out, also on SQLite (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use hub.clock.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: Keys and positions a client may name (ids, seqs, versions): 64-bit, the range of
#: ``hub.schemas.Id``, so any id a client sends fits the column (PostgreSQL BIGINT). On
#: SQLite every INTEGER is 64-bit, and a key must be plain INTEGER to be the rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), int: BigId}


class OfficeLevel(enum.StrEnum):
    kota = "kota"
    kecamatan = "kecamatan"
    kelurahan = "kelurahan"


class Role(enum.StrEnum):
    citizen = "citizen"
    front_office = "front_office"
    staff = "staff"
    approver = "approver"
    supervisor = "supervisor"
    admin = "admin"


OFFICER_ROLES = frozenset({Role.front_office, Role.staff, Role.approver, Role.supervisor})


class StandardUnit(enum.StrEnum):
    """Unit of a service's published standard (maklumat pelayanan): counted in office hours."""

    working_days = "working_days"
    working_hours = "working_hours"


class Risk(enum.StrEnum):
    low = "low"
    high = "high"


class Channel(enum.StrEnum):
    online = "online"
    walk_in = "walk_in"


class TicketStatus(enum.StrEnum):
    submitted = "submitted"
    verification = "verification"
    #: sent back to the applicant with the list of documents to upload again (hub/intake)
    documents_incomplete = "documents_incomplete"
    staff_verification = "staff_verification"
    awaiting_approval = "awaiting_approval"
    approved = "approved"
    rejected = "rejected"
    completed = "completed"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=24, validate_strings=True)


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[OfficeLevel] = mapped_column(_enum(OfficeLevel, "office_level"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    queue_prefix: Mapped[str] = mapped_column(String(4), default="A")
    #: The official Kemendagri region code (``32.71.02.1002``); ``code`` is the hub's own
    #: short code, the prefix of ticket numbers (``BGR-BT-02``).
    kemendagri_code: Mapped[str | None] = mapped_column(String(16), unique=True, index=True)
    address: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    full_name: Mapped[str] = mapped_column(String(120))
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # The NIK only encrypted (hub.accounts.nik.NikVault) and as a keyed hash to find it by.
    nik_cipher: Mapped[str | None] = mapped_column(Text)
    nik_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    #: A citizen's kelurahan of residence.
    residence_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    #: An officer's NIP (Nomor Induk Pegawai, 18 digits), printed under a signature.
    nip: Mapped[str | None] = mapped_column(String(18))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuthSession(Base):
    """A login (user) or a walk-in receipt access (ticket); revoked on logout."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ServiceType(Base):
    __tablename__ = "service_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    risk: Mapped[Risk] = mapped_column(_enum(Risk, "risk"))
    office_level: Mapped[OfficeLevel] = mapped_column(_enum(OfficeLevel, "office_level"))
    sla_hours: Mapped[int] = mapped_column(Integer, default=24)
    standard_value: Mapped[int] = mapped_column(Integer, default=1)
    standard_unit: Mapped[StandardUnit] = mapped_column(
        _enum(StandardUnit, "standard_unit"), default=StandardUnit.working_days
    )


class QueueCounter(Base):
    """Last queue number handed out per office per (Jakarta) day: gap-free by row lock."""

    __tablename__ = "queue_counters"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(BigId, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("office_id", "queue_day", "queue_no", name="uq_tickets_queue"),
        Index("ix_tickets_office_status", "office_id", "status"),
        Index("ix_tickets_office_phone4", "office_id", "phone_last4"),
        # a search over many offices (hub.search; its text index is migration 0013's)
        Index("ix_tickets_queue_no", "queue_no"),
        Index("ix_tickets_phone_last4", "phone_last4"),
        # the monthly report's decided and completed requests (hub.reports.store)
        Index("ix_tickets_decided_at", "decided_at"),
        Index("ix_tickets_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(120))
    applicant_phone: Mapped[str | None] = mapped_column(String(20))
    #: the phone's last four digits, the indexed key of a search by the end of a phone
    #: number (hub.search); the phone itself is kept as typed (not encrypted)
    phone_last4: Mapped[str | None] = mapped_column(String(4))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "ticket_status"))
    risk: Mapped[Risk] = mapped_column(_enum(Risk, "risk"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_role: Mapped[Role | None] = mapped_column(_enum(Role, "role"))
    queue_day: Mapped[date] = mapped_column(Date)
    queue_no: Mapped[int] = mapped_column(BigId)
    queue_label: Mapped[str] = mapped_column(String(12))
    access_code_hash: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(BigId, default=1)
    last_seq: Mapped[int] = mapped_column(BigId, default=0)
    callback_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the service standard's deadline on the office's working-time calendar (hub.calendar)
    due_at: Mapped[datetime]
    #: when the ``SLA_AT_RISK_PERCENT`` share of the standard's working time is used up
    at_risk_at: Mapped[datetime | None]
    #: escalation markers: set once, by the process that notified (notifications.escalation)
    at_risk_notified_at: Mapped[datetime | None]
    breached_notified_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class TicketEvent(Base):
    """The ticket's one ordered timeline; ``seq`` is per ticket, gap-free, from 1."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        UniqueConstraint("ticket_id", "seq", name="uq_ticket_events_seq"),
        UniqueConstraint("ticket_id", "actor_key", "client_id", name="uq_ticket_events_client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    seq: Mapped[int] = mapped_column(BigId)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "u:<user id>" or "w:<ticket id>" (walk-in receipt holder): scopes client ids.
    actor_key: Mapped[str] = mapped_column(String(32))
    actor_name: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(24))
    client_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def phone_last4(phone: str | None) -> str | None:
    """The last four digits of a phone number as typed (``0812 1111 2222`` → ``2222``)."""
    digits = "".join(c for c in phone or "" if c.isascii() and c.isdigit())
    return digits[-4:] if len(digits) >= 4 else None


def load_all_models() -> None:
    """Import every package's tables so that metadata (and Alembic) sees them all."""
    import importlib

    for module in (
        "chat.models",
        "notifications.models",
        "signaling.models",
        "hub.accounts.models",
        "hub.audit_models",
        "hub.letters.models",
        "hub.intake.models",
        "hub.calendar.models",
        "hub.ikm.models",
        "hub.console.models",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
