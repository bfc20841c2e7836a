"""The one-tap rating of a call (1–4, the survey's scale), by its callee, once per call."""

from __future__ import annotations

import re

from hub.clock import jakarta_today
from hub.errors import Conflict, Forbidden, InvalidTransition, NotFound
from hub.ikm.models import CallRating
from hub.principal import Principal
from hub.uow import Unit
from signaling.binding import is_callee
from signaling.views import party_call

CALL_ID = re.compile(r"[A-Za-z0-9_-]{16,32}")


async def rate_call(unit: Unit, p: Principal, call_id: str, rating: int) -> None:
    """The callee rates an answered call that has ended.

    ``not_found`` for a call one was not part of, ``forbidden`` for the caller,
    ``invalid_transition`` for a call not answered or not ended, ``conflict`` the second
    time.
    """
    if not CALL_ID.fullmatch(call_id):
        raise NotFound("call_not_found")
    session = unit.session
    c = await party_call(session, p, call_id)
    if not is_callee(p, c):
        raise Forbidden("callee_rates_only")
    if c.answered_at is None or c.ended_at is None:
        raise InvalidTransition(
            "call_not_answered",
            status=c.status.value,
        )
    if await session.get(CallRating, c.id) is not None:
        raise Conflict("call_rated")
    session.add(
        CallRating(
            call_id=c.id, office_id=c.office_id, rating=rating,
            day=jakarta_today(unit.ctx.clock.now()),
        )
    )  # fmt: skip
    await session.flush()
