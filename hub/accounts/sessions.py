"""Ending an account's sessions, and with them its live sockets on every process."""

from __future__ import annotations

from sqlalchemy import select, update

from hub.models import AuthSession
from hub.uow import Unit


async def revoke_user_sessions(unit: Unit, user_id: int, keep: str | None = None) -> int:
    """Revoke every live session of ``user_id`` but ``keep``; returns how many.

    After commit, each revoked session's sockets are closed on every process (the
    ``disconnect_session`` control op), and its token stops working at once: every
    request and connect reads the session row.
    """
    now = unit.ctx.clock.now()
    query = select(AuthSession.id).where(
        AuthSession.user_id == user_id,
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > now,
    )
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    ids = list(await unit.session.scalars(query))
    if ids:
        await unit.session.execute(
            update(AuthSession).where(AuthSession.id.in_(ids)).values(revoked_at=now)
        )
    for sid in ids:
        unit.control("disconnect_session", session_id=sid)
    return len(ids)
