"""The ``calls`` table: one row per call attempt, the truth every process decides on."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import utcnow
from hub.models import Base, BigId


class CallStatus(enum.StrEnum):
    ringing = "ringing"
    active = "active"
    ended = "ended"


class CallOutcome(enum.StrEnum):
    completed = "completed"
    missed = "missed"
    declined = "declined"
    busy = "busy"
    cancelled = "cancelled"
    failed = "failed"


class Media(enum.StrEnum):
    audio = "audio"
    video = "video"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=12, validate_strings=True)


class Call(Base):
    """A call from an officer to a ticket's applicant.

    ``live_ticket_id`` and ``live_callee_key`` hold the ticket id and callee key
    while the call rings or is active and are NULLed when it ends; their UNIQUE
    constraints make "one live call per ticket" and "one live call per callee"
    the database's decision (NULLs never collide, on SQLite and PostgreSQL alike).
    ``caller_sid``/``answered_by_sid`` are the socket.io ids of the two devices in
    the call: relay goes to exactly those sockets, on whichever process holds them.
    """

    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_status_ring_deadline", "status", "ring_deadline"),
        Index("ix_calls_office_created", "office_id", "created_at"),
        Index("ix_calls_ticket_created", "ticket_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    caller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    caller_name: Mapped[str] = mapped_column(String(120))
    caller_role: Mapped[str] = mapped_column(String(24))
    caller_sid: Mapped[str | None] = mapped_column(String(64))
    # "u:<user id>" or "w:<ticket id>" (walk-in receipt holder), as Principal.actor_key.
    callee_key: Mapped[str] = mapped_column(String(32), index=True)
    callee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_by_sid: Mapped[str | None] = mapped_column(String(64))
    media: Mapped[Media] = mapped_column(_enum(Media, "call_media"))
    status: Mapped[CallStatus] = mapped_column(_enum(CallStatus, "call_status"))
    outcome: Mapped[CallOutcome | None] = mapped_column(_enum(CallOutcome, "call_outcome"))
    live_ticket_id: Mapped[int | None] = mapped_column(BigId, unique=True)
    live_callee_key: Mapped[str | None] = mapped_column(String(32), unique=True)
    # No longer written: "one answer per offer" is kept by signaling.negotiation, so an
    # offer or answer needs no write. Left for the migration that drops it.
    awaiting_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    caller_lost_at: Mapped[datetime | None]
    callee_lost_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ring_deadline: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
