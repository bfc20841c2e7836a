"""Payloads notifications accepts (socket.io and HTTP); what it publishes is in the docs.

Published on ``/notifications`` to ``user:<id>``: ``notification`` (a
:func:`notifications.inbox.notification_view`), ``counts`` ({total, tickets}) and
``read`` ({ids}).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from hub.schemas import Bool, Id, Int, Payload

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
