"""Which socket may act in a call: a call is bound to the exact device of each party.

The caller's device is the socket that invited (or rejoined), the callee's the socket
that accepted (or rejoined). Only those two sockets may ``cancel``, ``hangup``,
``offer``, ``answer`` or send ``ice``; another socket of the same person — a second
tab, another phone — gets ``forbidden``. While the call rings the callee has no device
yet, so any of their sockets may ``accept`` or ``decline``.

A party's device changes only by ``rejoin``, and only once the hub has marked that
party *lost* (its socket disconnected, see :func:`signaling.liveness.party_lost`) and
within the grace period: a second tab cannot take over a live call, and
``peer_rejoined`` follows a real loss only.

Pure rules over a ``calls`` row read before the write; the write re-checks the socket
(:func:`device_is`) or the loss (:func:`lost_since`) in its WHERE clause, so a rejoin
racing a hang-up is still decided once by the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement

from hub.errors import Forbidden
from hub.principal import Principal
from signaling.models import Call

Party = Literal["caller", "callee"]


def is_caller(p: Principal, c: Call) -> bool:
    return p.user_id is not None and p.user_id == c.caller_id


def is_callee(p: Principal, c: Call) -> bool:
    return p.actor_key == c.callee_key


def party_of(p: Principal, c: Call) -> Party:
    """The side ``p`` is on (``p`` must be a party: see :func:`signaling.views.look`)."""
    return "caller" if is_caller(p, c) else "callee"


def device_party(p: Principal, sid: str, c: Call) -> Party:
    """``caller``/``callee`` if ``sid`` is that party's device in the call; else ``forbidden``."""
    if is_caller(p, c) and sid == c.caller_sid:
        return "caller"
    if is_callee(p, c) and c.answered_by_sid is not None and sid == c.answered_by_sid:
        return "callee"
    raise Forbidden("not_this_device")


def device_is(party: Party, sid: str) -> ColumnElement[bool]:
    """WHERE clause: ``sid`` is still ``party``'s device (no rejoin moved it meanwhile)."""
    return (Call.caller_sid if party == "caller" else Call.answered_by_sid) == sid


def check_can_rejoin(party: Party, sid: str, c: Call) -> bool:
    """May socket ``sid`` become ``party``'s device in the active call ``c``?

    True when the party is lost (the write still checks the grace period, see
    :func:`lost_since`); False when ``sid`` already is the party's device and it is
    not lost (a repeated rejoin: nothing to do, nothing to tell). ``forbidden`` while
    the party's device is another socket that is still connected.
    """
    device, lost_at = (
        (c.caller_sid, c.caller_lost_at)
        if party == "caller"
        else (c.answered_by_sid, c.callee_lost_at)
    )
    if lost_at is not None:
        return True
    if device == sid:
        return False
    raise Forbidden("call_on_other_device")


def lost_since(party: Party, cutoff: datetime) -> ColumnElement[bool]:
    """WHERE clause: ``party`` is lost, and was lost after ``cutoff`` (within the grace)."""
    column = Call.caller_lost_at if party == "caller" else Call.callee_lost_at
    return column.is_not(None) & (column > cutoff)


def moved_to(party: Party, sid: str) -> dict[str, object]:
    """The row's new values once ``sid`` is ``party``'s device again (no longer lost)."""
    if party == "caller":
        return {"caller_sid": sid, "caller_lost_at": None}
    return {"answered_by_sid": sid, "callee_lost_at": None}
