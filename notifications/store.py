"""Notification queries, for the domain modules of notifications only (not its transport)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.keyed import keys_match, rows_by_keys
from hub.models import Role, User
from notifications.models import Notification, NotificationPrefs, PushSubscription

#: The open rows of a batch's groups, by how many groups it asks for (:mod:`hub.keyed`).
_UNREAD_ROWS: dict[int, Select[Notification]] = {}
_GROUP_KEY = (Notification.user_id, Notification.ticket_id, Notification.kind)


def _unread_rows(size: int) -> Select[Notification]:
    """The open (``read_at IS NULL``) rows of ``size`` groups, locked, oldest first."""
    query = _UNREAD_ROWS.get(size)
    if query is None:
        query = _UNREAD_ROWS[size] = (
            select(Notification)
            .where(Notification.read_at.is_(None), keys_match(_GROUP_KEY, size))
            .order_by(Notification.id)
            .with_for_update()
        )
    return query


#: Each user's preferences (None: the defaults) and whether they have a push subscription.
_PREFS_AND_SUBSCRIBED = (
    select(
        User.id,
        NotificationPrefs,
        select(PushSubscription.id)
        .where(PushSubscription.user_id == User.id)
        .exists()
        .label("subscribed"),
    )
    .outerjoin(NotificationPrefs, NotificationPrefs.user_id == User.id)
    .where(User.id.in_(bindparam("users", expanding=True)))
)


async def unread_rows(
    session: AsyncSession, keys: Sequence[tuple[int, int, str]]
) -> dict[tuple[int, int, str], Notification]:
    """The open (unread) rows of (user, ticket, kind) groups, locked for the transaction."""
    return await rows_by_keys(
        session, keys, _unread_rows, lambda n: (n.user_id, n.ticket_id, n.kind)
    )


async def officers_with_role(session: AsyncSession, office_id: int, role: Role) -> list[int]:
    rows = await session.scalars(
        select(User.id).where(
            User.office_id == office_id, User.role == role, User.is_active.is_(True)
        )
    )
    return list(rows)


async def prefs(session: AsyncSession, user_id: int) -> NotificationPrefs | None:
    return await session.get(NotificationPrefs, user_id)


async def prefs_and_subscribed(
    session: AsyncSession, user_ids: Sequence[int]
) -> tuple[dict[int, NotificationPrefs], set[int]]:
    """The preferences of those of ``user_ids`` who have any, and those of them with at
    least one push subscription: one query."""
    if not user_ids:
        return {}, set()
    rows = await session.execute(_PREFS_AND_SUBSCRIBED, {"users": sorted(set(user_ids))})
    prefs: dict[int, NotificationPrefs] = {}
    subscribed: set[int] = set()
    for user_id, found, has_push in rows:
        if found is not None:
            prefs[user_id] = found
        if has_push:
            subscribed.add(user_id)
    return prefs, subscribed


async def unread_counts(session: AsyncSession, user_id: int) -> list[tuple[int, int]]:
    """(ticket id, unread count) for every ticket with unread notifications."""
    rows = await session.execute(
        select(Notification.ticket_id, func.sum(Notification.count))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .group_by(Notification.ticket_id)
        .order_by(Notification.ticket_id)
    )
    return [(int(t), int(n)) for t, n in rows.all()]


async def page(
    session: AsyncSession, user_id: int, before: tuple[datetime, int] | None, limit: int
) -> list[Notification]:
    """Newest first by last update; ``before`` is the (updated_at, id) of the last row seen."""
    query = select(Notification).where(Notification.user_id == user_id)
    if before is not None:
        at, last_id = before
        query = query.where(
            or_(
                Notification.updated_at < at,
                (Notification.updated_at == at) & (Notification.id < last_id),
            )
        )
    rows = await session.scalars(
        query.order_by(Notification.updated_at.desc(), Notification.id.desc()).limit(limit)
    )
    return list(rows)


async def mark_read(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    notification_id: int | None = None,
    ticket_id: int | None = None,
) -> list[int]:
    """Mark the user's unread rows read (one, a ticket's, or all); returns their ids."""
    stmt = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    if ticket_id is not None:
        stmt = stmt.where(Notification.ticket_id == ticket_id)
    result = await session.execute(
        stmt.values(read_at=now, push_pending=False)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(i) for i in result.scalars())


async def claim_pushes(session: AsyncSession, ids: Sequence[int]) -> list[Notification]:
    """Take the pending pushes among ``ids``: an atomic flip, so one process sends each."""
    if not ids:
        return []
    rows = await session.scalars(
        update(Notification)
        .where(Notification.id.in_(list(ids)), Notification.push_pending.is_(True))
        .values(push_pending=False)
        .returning(Notification)
        .execution_options(synchronize_session=False)
    )
    return list(rows)


async def stale_pending(session: AsyncSession, older_than: datetime) -> list[int]:
    rows = await session.scalars(
        select(Notification.id)
        .where(Notification.push_pending.is_(True), Notification.updated_at < older_than)
        .limit(500)
    )
    return list(rows)


async def subscriptions_of(
    session: AsyncSession, user_ids: Sequence[int]
) -> list[PushSubscription]:
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id.in_(list(user_ids)))
        .order_by(PushSubscription.id)
    )
    return list(rows)


async def subscription_by_endpoint(session: AsyncSession, endpoint: str) -> PushSubscription | None:
    return await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )


async def delete_subscriptions(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(list(ids))))


async def touch_subscriptions(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    if ids:
        await session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(list(ids)))
            .values(last_success_at=now)
        )


async def set_pushed(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    if ids:
        await session.execute(
            update(Notification).where(Notification.id.in_(list(ids))).values(pushed_at=now)
        )


async def delivery(session: AsyncSession, user_id: int, limit: int) -> list[Notification]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.updated_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(rows)
