"""What each user asked for: muted tickets, kinds not to push, quiet hours."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import JAKARTA
from hub.errors import Forbidden, Invalid
from hub.principal import Principal
from hub.tickets.views import visible_ticket
from hub.uow import Unit
from notifications import registered, store
from notifications.models import KINDS, NotificationPrefs


def in_quiet_hours(start: str | None, end: str | None, now: datetime) -> bool:
    """Is ``now`` (any zone) inside [start, end) Asia/Jakarta? Wraps past midnight."""
    if not start or not end or start == end:
        return False
    local = now.astimezone(JAKARTA).time()
    lo, hi = time.fromisoformat(start), time.fromisoformat(end)
    return lo <= local < hi if lo < hi else (local >= lo or local < hi)


def prefs_of(prefs: Mapping[int, NotificationPrefs], user_id: int) -> NotificationPrefs:
    """A user's preferences; the defaults (nothing muted, no quiet hours) without a row."""
    return prefs.get(user_id) or NotificationPrefs(user_id=user_id)


async def get_prefs(session: AsyncSession, p: Principal) -> dict[str, Any]:
    row = await store.prefs(session, registered(p))
    return (row or NotificationPrefs(muted_tickets=[], push_opt_out=[])).as_dict()


async def set_prefs(
    unit: Unit,
    p: Principal,
    muted_tickets: list[int],
    push_opt_out: list[str],
    quiet_hours: tuple[str, str] | None,
) -> dict[str, Any]:
    """Replace ``p``'s preferences. Muting needs sight of the ticket; quiet hours are
    for officers (a citizen's phone decides its own)."""
    user_id = registered(p)
    muted = sorted(set(muted_tickets))
    for ticket_id in muted:
        await visible_ticket(unit.session, p, ticket_id)
    unknown = set(push_opt_out) - set(KINDS)
    if unknown:
        raise Invalid("unknown_kinds", field="push_opt_out", kinds=sorted(unknown))
    if quiet_hours is not None and not p.is_officer:
        raise Forbidden("quiet_hours_officers_only")
    row = await store.prefs(unit.session, user_id)
    if row is None:
        row = NotificationPrefs(user_id=user_id)
        unit.session.add(row)
    row.muted_tickets = muted
    row.push_opt_out = sorted(set(push_opt_out))
    row.quiet_start, row.quiet_end = quiet_hours or (None, None)
    row.updated_at = unit.ctx.clock.now()
    await unit.session.flush()
    return row.as_dict()
