"""Notifications: per-user inbox, unread counts, live delivery, Web Push, preferences.

:mod:`~notifications.fanout` decides who is told what (fed by
:mod:`~notifications.projections`), :mod:`~notifications.inbox` reads and marks it,
:mod:`~notifications.prefs` and :mod:`~notifications.subscriptions` keep what each
user asked for.
"""

from __future__ import annotations

from hub.errors import Forbidden
from hub.principal import Principal

NOTIFICATIONS_NS = "/notifications"
#: The control op that asks every process to send queued Web Pushes (ids of rows).
PUSH_OP = "notifications_push"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def ticket_url(ticket_id: int) -> str:
    return f"/tickets/{ticket_id}"


def registered(p: Principal) -> int:
    """``p``'s user id; ``forbidden`` for a walk-in receipt holder (no inbox, no settings)."""
    if p.user_id is None:
        raise Forbidden("registered_users_only")
    return p.user_id
