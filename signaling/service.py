"""Calls: the server-owned state machine, the SDP/ICE relay and the call log.

::

    invite ──▶ ringing ──accept──▶ active ──hangup / grace over──▶ ended
                  │                                   (completed / failed)
                  └──decline / cancel / timeout──▶ ended (declined / cancelled / missed)
    invite while the callee is in another call ──▶ ended (busy)

Every transition is one conditional UPDATE on the ``calls`` row (see
:mod:`signaling.store`), so a race — accept vs cancel, two devices accepting,
two officers ringing one ticket — is decided once by the database and the
loser gets ``conflict``. Every call that ends is logged on its ticket's
timeline. Events are queued on the :class:`~hub.uow.Unit` and leave only after
commit, addressed to the exact sockets of the two parties (a socket id is a
room, so this works across processes with the Redis manager).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import iso, utcnow
from hub.errors import Conflict, Forbidden, NotFound
from hub.models import Office, Role, Ticket
from hub.principal import Principal
from hub.queues.service import call_changed
from hub.ratelimit import TURN, RateLimiter
from hub.schemas import Payload
from hub.settings import Settings
from hub.tickets.service import find_ticket, visible_ticket
from hub.timeline import append_event
from hub.uow import Unit
from signaling import events, sdp, store
from signaling.events import CALLS_NS
from signaling.ice import issue_turn_credentials
from signaling.models import Call, CallOutcome, CallStatus, Media

_STOP_REASON = {
    CallOutcome.declined: "declined",
    CallOutcome.cancelled: "cancelled",
    CallOutcome.missed: "timeout",
    CallOutcome.failed: "failed",
    CallOutcome.completed: "cancelled",
}
_GONE = "Panggilan tidak ditemukan / Call not found"
_OVER = "Panggilan sudah tidak berdering / The call is no longer ringing"


def new_call_id() -> str:
    """22 URL-safe characters from 128 random bits: unguessable, so ids cannot be probed."""
    return secrets.token_urlsafe(16)


def callee_key_of(t: Ticket) -> str:
    """The applicant of a ticket: a citizen account, or the walk-in receipt holder."""
    return f"u:{t.applicant_id}" if t.applicant_id is not None else f"w:{t.id}"


def callee_room(c: Call) -> str:
    """Every device of the callee (matches :attr:`Principal.personal_room`)."""
    kind, _, key = c.callee_key.partition(":")
    return f"user:{key}" if kind == "u" else f"walkin:{key}"


def is_caller(p: Principal, c: Call) -> bool:
    return p.user_id is not None and p.user_id == c.caller_id


def is_callee(p: Principal, c: Call) -> bool:
    return p.actor_key == c.callee_key


def duration_of(c: Call) -> float:
    if c.answered_at is None or c.ended_at is None:
        return 0.0
    return round(max((c.ended_at - c.answered_at).total_seconds(), 0.0), 3)


def call_view(c: Call) -> dict[str, Any]:
    """A call as the history shows it."""
    return {
        "call_id": c.id,
        "ticket_id": c.ticket_id,
        "office_id": c.office_id,
        "caller": {"id": c.caller_id, "name": c.caller_name},
        "media": c.media.value,
        "status": c.status.value,
        "outcome": c.outcome.value if c.outcome else None,
        "created_at": iso(c.created_at),
        "answered_at": iso(c.answered_at) if c.answered_at else None,
        "ended_at": iso(c.ended_at) if c.ended_at else None,
        "duration_s": duration_of(c),
    }


def _emit(unit: Unit, event: str, body: Payload, rooms: Sequence[str | None]) -> None:
    targets = [r for r in rooms if r]
    if targets:
        unit.emit(event, body.model_dump(mode="json"), targets, CALLS_NS)


async def ice_servers_for(
    limiter: RateLimiter, settings: Settings, p: Principal, now: float | None = None
) -> list[dict[str, object]]:
    """STUN from settings, and short-lived TURN credentials for ``p`` when TURN is set up.

    Minting a TURN credential spends a token of ``p``'s ``TURN`` rate limit (the
    same bucket on every process with Redis); the credential is never logged.
    """
    stun = list(settings.stun_uris)
    if not settings.turn_uris or not settings.turn_secret:
        return [{"urls": stun}] if stun else []
    await limiter.hit(f"turn:{p.actor_key}", TURN)
    creds = issue_turn_credentials(
        settings.turn_secret,
        p.actor_key.replace(":", "-"),
        settings.turn_ttl,
        settings.turn_uris,
        time.time() if now is None else now,
    )
    return creds.to_ice_servers(stun)


# ── placing a call ─────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Placed:
    call: Call
    ice_servers: list[dict[str, object]]

    def ack(self) -> dict[str, Any]:
        c = self.call
        return {
            "call_id": c.id,
            "status": c.status.value,
            "outcome": c.outcome.value if c.outcome else None,
            "media": c.media.value,
            "ring_deadline": iso(c.ring_deadline),
            "ice_servers": self.ice_servers,
        }


async def invite(
    unit: Unit,
    limiter: RateLimiter,
    settings: Settings,
    p: Principal,
    sid: str,
    ticket_id: int,
    media: str,
) -> Placed:
    """An officer who may handle the ticket rings its applicant on every device.

    Exactly one call per ticket can ring or be live (a second invite is
    ``conflict``, also when two officers race); if the applicant is in another
    call the attempt is logged at once as ``busy``. ``sid`` becomes the caller's
    device for the relay.
    """
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    policy.check_call(p, t)
    assert p.user_id is not None
    key = callee_key_of(t)
    live = await store.live_calls_touching(session, t.id, p.user_id, key)
    if any(c.live_ticket_id == t.id for c in live):
        raise Conflict("Tiket ini sedang ditelepon / This ticket already has a call")
    if any(
        c.caller_id == p.user_id and c.status in (CallStatus.ringing, CallStatus.active)
        for c in live
    ):
        raise Conflict("Anda sedang dalam panggilan / You are already in a call")
    if not any(c.live_callee_key == key for c in live):
        servers = await ice_servers_for(limiter, settings, p)
        c = _new_call(p, sid, t, key, media, settings.ring_timeout)
        try:
            async with session.begin_nested():
                session.add(c)
        except IntegrityError:
            # Lost a race that the UNIQUE constraints decided (PostgreSQL; SQLite
            # serializes writers, so the checks above already saw the winner).
            if await store.live_call_of_ticket(session, t.id) is not None:
                raise Conflict(
                    "Tiket ini sedang ditelepon / This ticket already has a call"
                ) from None
        else:
            office = await store.office(session, t.office_id)
            assert office is not None
            _emit(unit, "ringing", _ringing(c, t, office), [callee_room(c)])
            await call_changed(unit, c)
            return Placed(c, servers)
    busy = _new_call(p, sid, t, key, media, settings.ring_timeout)
    now = utcnow()
    busy.status, busy.outcome, busy.ended_at = CallStatus.ended, CallOutcome.busy, now
    busy.live_ticket_id = busy.live_callee_key = None
    session.add(busy)
    await session.flush()
    await _log(unit, busy)
    return Placed(busy, [])


def _new_call(p: Principal, sid: str, t: Ticket, key: str, media: str, ring: float) -> Call:
    assert p.user_id is not None
    now = utcnow()
    return Call(
        id=new_call_id(),
        ticket_id=t.id,
        office_id=t.office_id,
        caller_id=p.user_id,
        caller_name=p.name,
        caller_role=p.role.value,
        caller_sid=sid,
        callee_key=key,
        callee_user_id=t.applicant_id,
        media=Media(media),
        status=CallStatus.ringing,
        live_ticket_id=t.id,
        live_callee_key=key,
        awaiting_answer=False,
        created_at=now,
        ring_deadline=now + timedelta(seconds=ring),
    )


def _ringing(c: Call, t: Ticket, office: Office) -> events.RingingOut:
    return events.RingingOut(
        call_id=c.id,
        ticket=events.TicketRef(id=t.id, number=t.number),
        caller=events.CallerRef(
            id=c.caller_id, name=c.caller_name, office_id=office.id, office_name=office.name
        ),
        media=c.media.value,
        ring_deadline=iso(c.ring_deadline),
    )


# ── answering, refusing, ending ────────────────────────────────────────────────


async def _party_call(session: AsyncSession, p: Principal, call_id: str) -> Call:
    """The call if ``p`` is its caller or callee; ``not_found`` alike for missing and foreign."""
    c = await store.call(session, call_id)
    if c is None or not (is_caller(p, c) or is_callee(p, c)):
        raise NotFound(_GONE)
    return c


def _require_status(c: Call, *allowed: CallStatus) -> None:
    if c.status not in allowed:
        raise Conflict(
            "Status panggilan tidak sesuai / Not possible in this call state",
            status=c.status.value,
        )


async def accept(
    unit: Unit, limiter: RateLimiter, settings: Settings, p: Principal, sid: str, call_id: str
) -> Placed:
    """The callee answers on device ``sid``; the first accept wins, the other devices stop.

    Only while ringing and before the ring deadline; a second accept (another
    device, or racing a cancel) is ``conflict``.
    """
    session = unit.session
    c = await _party_call(session, p, call_id)
    if not is_callee(p, c):
        raise Forbidden("Hanya penerima yang dapat menjawab / Only the person called can answer")
    _require_status(c, CallStatus.ringing)
    servers = await ice_servers_for(limiter, settings, p)
    now = utcnow()
    won = await store.change(
        session,
        c.id,
        CallStatus.ringing,
        {"status": CallStatus.active, "answered_at": now, "answered_by_sid": sid},
        Call.ring_deadline > now,
    )
    if won is None:
        raise Conflict(_OVER)
    # The applicant has been reached: the officer's "call back" marker is done.
    await store.set_callback_pending(session, won.ticket_id, False)
    await call_changed(unit, won)
    _emit(unit, "accepted", events.CallOnlyOut(call_id=won.id), [won.caller_sid])
    stop = events.RingStoppedOut(call_id=won.id, reason="answered")
    _emit(unit, "ring_stopped", stop, [callee_room(won)])
    return Placed(won, servers)


async def decline(unit: Unit, p: Principal, call_id: str) -> Call:
    """The callee refuses a ringing call (any of their devices)."""
    c = await _party_call(unit.session, p, call_id)
    if not is_callee(p, c):
        raise Forbidden("Hanya penerima yang dapat menolak / Only the person called can decline")
    _require_status(c, CallStatus.ringing)
    done = await _finish(unit, c, CallStatus.ringing, CallOutcome.declined)
    _emit(unit, "declined", events.CallOnlyOut(call_id=done.id), [done.caller_sid])
    return done


async def cancel(unit: Unit, p: Principal, call_id: str) -> Call:
    """The caller gives up before the callee answers."""
    c = await _party_call(unit.session, p, call_id)
    if not is_caller(p, c):
        raise Forbidden("Hanya penelepon yang dapat membatalkan / Only the caller can cancel")
    _require_status(c, CallStatus.ringing)
    return await _finish(unit, c, CallStatus.ringing, CallOutcome.cancelled)


async def hangup(unit: Unit, p: Principal, call_id: str) -> Call:
    """Either party ends the call; while ringing this is the caller's cancel or the
    callee's decline."""
    c = await _party_call(unit.session, p, call_id)
    if c.status is CallStatus.ringing:
        return await (cancel if is_caller(p, c) else decline)(unit, p, call_id)
    _require_status(c, CallStatus.active)
    return await _finish(unit, c, CallStatus.active, CallOutcome.completed)


async def _finish(
    unit: Unit,
    c: Call,
    when: CallStatus,
    outcome: CallOutcome,
    *also: ColumnElement[bool],
) -> Call:
    """End ``c`` if it is still in ``when``: free the ticket and callee, log, tell both sides."""
    session = unit.session
    done = await store.change(
        session,
        c.id,
        when,
        {
            "status": CallStatus.ended,
            "outcome": outcome,
            "ended_at": utcnow(),
            "live_ticket_id": None,
            "live_callee_key": None,
            "awaiting_answer": False,
        },
        *also,
    )
    if done is None:
        raise Conflict("Panggilan sudah berubah / The call changed meanwhile")
    await _log(unit, done)
    await call_changed(unit, done)
    ended = events.EndedOut(call_id=done.id, outcome=outcome.value, duration=duration_of(done))
    if when is CallStatus.active:
        _emit(unit, "ended", ended, [done.caller_sid, done.answered_by_sid])
    else:
        _emit(unit, "ended", ended, [done.caller_sid])
        stop = events.RingStoppedOut(call_id=done.id, reason=_STOP_REASON[outcome])
        _emit(unit, "ring_stopped", stop, [callee_room(done)])
    if outcome is CallOutcome.missed:
        await store.set_callback_pending(session, done.ticket_id, True)
        await on_missed_call(unit, done)
    return done


async def _log(unit: Unit, c: Call) -> None:
    """The call log entry on the ticket's timeline; the caller is its actor."""
    caller = Principal(
        session_id="", user_id=c.caller_id, role=Role(c.caller_role), name=c.caller_name
    )
    payload = call_view(c)
    payload["started_at"] = payload.pop("created_at")
    for key in ("status", "ticket_id", "office_id"):
        payload.pop(key)
    await append_event(unit, c.ticket_id, "call", caller, payload)


async def on_missed_call(unit: Unit, c: Call) -> None:
    """Tell the callee about a call they missed (in the transaction that marks it missed).

    Emits ``missed_call`` to every device of the callee, and writes an inbox item
    (and a Web Push to closed browsers) through the notifications service.
    """
    from notifications.service import notify_missed_call

    await notify_missed_call(unit, c.ticket_id, c.callee_user_id, c.caller_name)
    session = unit.session
    t = await store.ticket(session, c.ticket_id)
    office = await store.office(session, c.office_id)
    assert t is not None and office is not None
    missed = events.MissedCallOut(
        call_id=c.id,
        ticket=events.TicketRef(id=t.id, number=t.number),
        caller=events.CallerRef(
            id=c.caller_id, name=c.caller_name, office_id=office.id, office_name=office.name
        ),
        media=c.media.value,
        at=iso(c.ended_at or utcnow()),
    )
    _emit(unit, "missed_call", missed, [callee_room(c)])


# ── relay ──────────────────────────────────────────────────────────────────────


def _device_party(p: Principal, sid: str, c: Call) -> str:
    """``caller``/``callee`` if ``sid`` is that party's device in the call; else forbidden."""
    if is_caller(p, c) and sid == c.caller_sid:
        return "caller"
    if is_callee(p, c) and c.answered_by_sid is not None and sid == c.answered_by_sid:
        return "callee"
    raise Forbidden("Perangkat ini tidak dalam panggilan / This device is not in the call")


async def relay_offer(
    unit: Unit, p: Principal, sid: str, call_id: str, offer: sdp.SessionDescription
) -> None:
    """The caller's offer (first, or an ICE restart) goes to the callee's accepting device."""
    c = await _party_call(unit.session, p, call_id)
    if not is_caller(p, c):
        raise Forbidden("Hanya penelepon yang mengirim offer / Only the caller sends the offer")
    _device_party(p, sid, c)
    _require_status(c, CallStatus.active)
    sent = await store.change(
        unit.session, c.id, CallStatus.active, {"awaiting_answer": True}, Call.caller_sid == sid
    )
    if sent is None:
        raise Conflict("Panggilan sudah berubah / The call changed meanwhile")
    out = events.DescriptionOut(call_id=c.id, description=offer.to_wire())
    _emit(unit, "offer", out, [sent.answered_by_sid])


async def relay_answer(
    unit: Unit, p: Principal, sid: str, call_id: str, answer: sdp.SessionDescription
) -> None:
    """The accepting device's answer to the pending offer goes to the caller, once per offer."""
    c = await _party_call(unit.session, p, call_id)
    if not is_callee(p, c):
        raise Forbidden("Hanya penerima yang mengirim answer / Only the callee sends the answer")
    _require_status(c, CallStatus.active)
    _device_party(p, sid, c)
    sent = await store.change(
        unit.session,
        c.id,
        CallStatus.active,
        {"awaiting_answer": False},
        Call.awaiting_answer.is_(True),
        Call.answered_by_sid == sid,
    )
    if sent is None:
        raise Conflict("Tidak ada offer yang menunggu / No offer is waiting for an answer")
    out = events.DescriptionOut(call_id=c.id, description=answer.to_wire())
    _emit(unit, "answer", out, [sent.caller_sid])


async def relay_ice(
    unit: Unit, p: Principal, sid: str, call_id: str, parsed: sdp.IceCandidate | None
) -> None:
    """A trickled candidate (or end-of-candidates) from one party's device to the other's.

    Reads only: run it in ``hub.unit(write=False)``.
    """
    c = await _party_call(unit.session, p, call_id)
    party = _device_party(p, sid, c)
    _require_status(c, CallStatus.active)
    out = events.IceOut(call_id=c.id, candidate=parsed.to_wire() if parsed else None)
    _emit(unit, "ice", out, [c.answered_by_sid if party == "caller" else c.caller_sid])


# ── connections that drop and come back ────────────────────────────────────────


async def party_lost(unit: Unit, sid: str) -> None:
    """Socket ``sid`` disconnected: a ringing caller cancels; in an active call the
    party gets the grace period (``call_grace``) to ``rejoin`` before the call fails.
    Idempotent, and a no-op for a socket a ``rejoin`` has already replaced."""
    now = utcnow()
    for c in await store.calls_of_sid(unit.session, sid):
        if c.status is CallStatus.ringing and c.caller_sid == sid:
            await _finish(
                unit, c, CallStatus.ringing, CallOutcome.cancelled, Call.caller_sid == sid
            )
            continue
        if c.status is not CallStatus.active:
            continue
        caller_side = c.caller_sid == sid
        column = Call.caller_sid if caller_side else Call.answered_by_sid
        lost = "caller_lost_at" if caller_side else "callee_lost_at"
        changed = await store.change(
            unit.session, c.id, CallStatus.active, {lost: now}, column == sid
        )
        if changed is not None:
            out = events.PeerOut(call_id=c.id, party="caller" if caller_side else "callee")
            _emit(unit, "peer_lost", out, [c.answered_by_sid if caller_side else c.caller_sid])


async def rejoin(unit: Unit, p: Principal, sid: str, call_id: str) -> dict[str, Any]:
    """A party of an active call continues on socket ``sid`` (after a reconnect).

    The other party is told (``peer_rejoined``); the caller then sends a new
    offer with an ICE restart, relayed as usual. After the grace period the call
    has ended and this is ``conflict``.
    """
    c = await _party_call(unit.session, p, call_id)
    _require_status(c, CallStatus.active)
    if is_caller(p, c):
        party, values = "caller", {"caller_sid": sid, "caller_lost_at": None}
        other = c.answered_by_sid
    else:
        party, values = "callee", {"answered_by_sid": sid, "callee_lost_at": None}
        other = c.caller_sid
    moved = await store.change(unit.session, c.id, CallStatus.active, values)
    if moved is None:
        raise Conflict("Panggilan sudah berakhir / The call has ended")
    _emit(unit, "peer_rejoined", events.PeerOut(call_id=c.id, party=party), [other])
    return {"call_id": c.id, "party": party, "media": c.media.value}


# ── the sweeper's work (one call per transaction) ──────────────────────────────


async def overdue(session: AsyncSession, grace: float) -> tuple[list[str], list[str]]:
    """Ids of ringing calls past their deadline and of active calls past the grace period."""
    now = utcnow()
    ringing = await store.overdue_ringing(session, now)
    lost = await store.lost_past_grace(session, now - timedelta(seconds=grace))
    return ringing, lost


async def sockets_in_calls(session: AsyncSession) -> list[str]:
    """Socket ids of live calls' parties that are not marked lost yet (see ``party_lost``)."""
    return await store.unlost_sids(session)


async def expire_ringing(unit: Unit, call_id: str) -> bool:
    """An unanswered call whose ring deadline passed becomes ``missed``: logged, the
    ticket marked "call back", the callee notified. False if it was decided otherwise."""
    c = await store.call(unit.session, call_id)
    now = utcnow()
    if c is None or c.status is not CallStatus.ringing or c.ring_deadline > now:
        return False
    try:
        await _finish(unit, c, CallStatus.ringing, CallOutcome.missed, Call.ring_deadline <= now)
    except Conflict:
        return False
    return True


async def fail_lost(unit: Unit, call_id: str, grace: float) -> bool:
    """An active call whose party did not come back within ``grace`` seconds ends ``failed``."""
    c = await store.call(unit.session, call_id)
    if c is None or c.status is not CallStatus.active:
        return False
    cutoff = utcnow() - timedelta(seconds=grace)
    still_lost = or_(Call.caller_lost_at <= cutoff, Call.callee_lost_at <= cutoff)
    try:
        await _finish(unit, c, CallStatus.active, CallOutcome.failed, still_lost)
    except Conflict:
        return False
    return True


# ── reads ──────────────────────────────────────────────────────────────────────


async def ice_servers(
    session: AsyncSession, limiter: RateLimiter, settings: Settings, p: Principal, call_id: str
) -> list[dict[str, object]]:
    """ICE servers (with fresh TURN credentials) for a party of a ringing or active call."""
    c = await _party_call(session, p, call_id)
    _require_status(c, CallStatus.ringing, CallStatus.active)
    return await ice_servers_for(limiter, settings, p)


async def history(
    session: AsyncSession,
    p: Principal,
    office_id: int | None,
    ticket_id: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Calls newest first, for supervisors of the office (of the ticket, if one is given)."""
    office_ids: list[int] | None
    if ticket_id is not None:
        t = await find_ticket(session, ticket_id)
        if t is None:
            raise NotFound("Tiket tidak ditemukan / Ticket not found")
        policy.check_supervise(p, t.office_id)
        office_ids = None
    elif office_id is not None:
        policy.check_supervise(p, office_id)
        office_ids = [office_id]
    else:
        if p.role not in (Role.supervisor, Role.admin):
            policy.check_supervise(p, -1)
        office_ids = None if p.role is Role.admin else sorted(p.office_scope)
    rows = await store.history(session, office_ids, ticket_id, limit)
    return [call_view(c) for c in rows]
