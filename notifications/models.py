"""Tables of notifications: the inbox rows, push subscriptions, preferences, SLA marks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import utcnow
from hub.models import Base, BigId

#: The kinds of notification; each is its own group (one unread row per user, ticket, kind).
KINDS = (
    "comment", "status_changed", "documents_requested", "disposed", "missed_call", "sla_warning",
    "sla_breached",
)  # fmt: skip


class Notification(Base):
    """One inbox row; while unread, further events of its kind on its ticket grow ``count``.

    The delivery record: ``delivered_live_at`` is when the latest update was sent to a
    live device of the user, ``pushed_at`` when a Web Push for it was accepted by a push
    service, ``read_at`` when the user marked it read. Compare them with ``updated_at``.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        # At most one unread row per group: the row a new event of the group joins.
        Index(
            "uq_notifications_unread_group",
            "user_id",
            "ticket_id",
            "kind",
            unique=True,
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
        Index("ix_notifications_user_updated", "user_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(24))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    ticket_number: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(120))
    preview: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_seq: Mapped[int | None] = mapped_column(BigId)
    push_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_live_at: Mapped[datetime | None]
    pushed_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]


class PushSubscription(Base):
    """A browser's Web Push subscription (``PushSubscription.toJSON()``), owned by a user."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    p256dh: Mapped[str] = mapped_column(String(120))
    auth: Mapped[str] = mapped_column(String(48))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_success_at: Mapped[datetime | None]


class NotificationPrefs(Base):
    """A user's choices; no row means the defaults (nothing muted, no quiet hours)."""

    __tablename__ = "notification_prefs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    muted_tickets: Mapped[list[int]] = mapped_column(JSON, default=list)
    push_opt_out: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "HH:MM" in Asia/Jakarta; both set or both None.
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {
            "muted_tickets": list(self.muted_tickets or []),
            "push_opt_out": list(self.push_opt_out or []),
            "quiet_hours": (
                {"start": self.quiet_start, "end": self.quiet_end}
                if self.quiet_start and self.quiet_end
                else None
            ),
        }


class SlaWarning(Base):
    """Before 0010_calendar: a ticket whose deadline warning went out. No longer written:
    the escalation markers are columns of ``tickets`` (:mod:`notifications.escalation`)."""

    __tablename__ = "sla_warnings"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    warned_at: Mapped[datetime] = mapped_column(default=utcnow)
