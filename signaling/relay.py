"""The SDP/ICE relay between the two devices of an active call.

An offer goes from the caller's device to the device that accepted, its answer
back, trickled candidates either way — to exactly those two sockets (a socket
id is a room, so this works across processes with the Redis manager).

Nothing here writes to the database: who may send what (the parties' devices,
:mod:`signaling.binding`; the call's status) is read from the ``calls`` row — run
a relay in ``hub.unit(write=False)`` — and the offer/answer pairing, one answer
per offer, is kept by :mod:`signaling.negotiation`. So call set-up writes only on invite and
accept, and SQLite's one writer connection is not taken by SDP or ICE.
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.errors import Conflict, Forbidden
from hub.principal import Principal
from hub.schemas import Payload
from hub.uow import Unit
from signaling import events, sdp
from signaling.binding import device_party, is_callee, is_caller
from signaling.events import CALLS_NS
from signaling.models import CallStatus
from signaling.negotiation import Negotiations
from signaling.views import party_call, require_status


def _emit(unit: Unit, event: str, body: Payload, rooms: Sequence[str | None]) -> None:
    targets = [r for r in rooms if r]
    if targets:
        unit.emit(event, body, targets, CALLS_NS)


async def relay_offer(
    unit: Unit,
    negotiations: Negotiations,
    p: Principal,
    sid: str,
    call_id: str,
    offer: sdp.SessionDescription,
) -> None:
    """The caller's offer (first, or an ICE restart) goes to the callee's accepting device.

    From the caller's device of an active call only; it now awaits one answer.
    """
    c = await party_call(unit.session, p, call_id)
    if not is_caller(p, c):
        raise Forbidden("caller_sends_offer_only")
    device_party(p, sid, c)
    require_status(c, CallStatus.active)
    await negotiations.offered(c.id)
    out = events.DescriptionOut(call_id=c.id, description=offer.to_wire())
    _emit(unit, "offer", out, [c.answered_by_sid])


async def relay_answer(
    unit: Unit,
    negotiations: Negotiations,
    p: Principal,
    sid: str,
    call_id: str,
    answer: sdp.SessionDescription,
) -> None:
    """The accepting device's answer to the pending offer goes to the caller, once per offer."""
    c = await party_call(unit.session, p, call_id)
    if not is_callee(p, c):
        raise Forbidden("callee_sends_answer_only")
    device_party(p, sid, c)
    require_status(c, CallStatus.active)
    if not await negotiations.answered(c.id):
        raise Conflict("no_offer_waiting")
    out = events.DescriptionOut(call_id=c.id, description=answer.to_wire())
    _emit(unit, "answer", out, [c.caller_sid])


async def relay_ice(
    unit: Unit, p: Principal, sid: str, call_id: str, parsed: sdp.IceCandidate | None
) -> None:
    """A trickled candidate (or end-of-candidates) from one party's device to the other's.

    Reads only: run it in ``hub.unit(write=False)``.
    """
    c = await party_call(unit.session, p, call_id)
    party = device_party(p, sid, c)
    require_status(c, CallStatus.active)
    out = events.IceOut(call_id=c.id, candidate=parsed.to_wire() if parsed else None)
    _emit(unit, "ice", out, [c.answered_by_sid if party == "caller" else c.caller_sid])
