"""Payloads notifications accepts (socket.io and HTTP) and what it publishes on
``/notifications`` to ``user:<id>``: ``notification``, ``counts`` and ``read``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from hub.contract import ClientEvent, NamespaceContract, Wire
from hub.schemas import Bool, Id, Int, Payload
from notifications import NOTIFICATIONS_NS

Kind = Literal[
    "comment",
    "status_changed",
    "documents_requested",
    "disposed",
    "missed_call",
    "sla_warning",
    "sla_breached",
    "survey",
]
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class SyncIn(Payload):
    cursor: str | None = Field(default=None, max_length=64)
    limit: Int = Field(default=30, ge=1, le=100)


class MarkReadIn(Payload):
    """Exactly one of: ``id`` (one notification), ``ticket_id`` (a ticket's), ``all``."""

    id: Id | None = None
    ticket_id: Id | None = None
    all: Bool = False

    @model_validator(mode="after")
    def _one(self) -> MarkReadIn:
        if (self.id is not None) + (self.ticket_id is not None) + self.all != 1:
            raise ValueError("give exactly one of id, ticket_id, all")
        return self


class QuietHours(Payload):
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)


class PrefsIn(Payload):
    muted_tickets: list[Id] = Field(default_factory=list, max_length=500)
    push_opt_out: list[Kind] = Field(default_factory=list)
    quiet_hours: QuietHours | None = None


class PushKeys(Payload):
    p256dh: str = Field(min_length=80, max_length=120)
    auth: str = Field(min_length=16, max_length=48)


class SubscribeIn(Payload):
    """``PushSubscription.toJSON()`` as the browser gives it."""

    endpoint: str = Field(min_length=10, max_length=2000)
    expirationTime: float | None = None
    keys: PushKeys


class UnsubscribeIn(Payload):
    endpoint: str = Field(min_length=10, max_length=2000)


# ── server → client ────────────────────────────────────────────────────────────


class NotificationOut(Wire):
    """A row of the inbox (``notification``; in ``sync``)."""

    id: int
    kind: Kind
    ticket_id: int
    ticket_number: str
    title: str
    preview: str
    count: int
    url: str
    created_at: str
    updated_at: str
    read: bool


class TicketUnread(Wire):
    ticket_id: int
    unread: int


class CountsOut(Wire):
    """``counts``: unread notifications in total (a group of 3 counts 3) and per ticket."""

    total: int
    tickets: list[TicketUnread]


class ReadIdsOut(Wire):
    """``read``: rows marked read on any device."""

    ids: list[int]


class SyncAck(Wire):
    notifications: list[NotificationOut]
    next_cursor: str | None
    counts: CountsOut


class MarkReadAck(Wire):
    read: list[int]
    counts: CountsOut


CONTRACT = NamespaceContract(
    NOTIFICATIONS_NS,
    "A person's inbox: live notifications, unread counts and read marks on every device.",
    client={
        "sync": ClientEvent(SyncIn, SyncAck, "The inbox page, newest first, and the counts."),
        "mark_read": ClientEvent(MarkReadIn, MarkReadAck, "Mark one, a ticket's, or all read."),
    },
    server={"notification": NotificationOut, "counts": CountsOut, "read": ReadIdsOut},
)


class InboxAnswer(SyncAck):
    """``GET /api/notifications``."""

    ok: Literal[True]


class ReadAnswer(MarkReadAck):
    """``POST /api/notifications/read``."""

    ok: Literal[True]
