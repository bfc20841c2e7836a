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
room, so this works across processes with the Redis manager); only those sockets
may act in the call (:mod:`signaling.binding`).

Each step reads what it needs (``plan_*``/:func:`look`: the call, the ticket, the
dashboard rooms, TURN credentials), then writes one ``UPDATE … RETURNING`` or one
conditional ``INSERT`` (plus the call log when a call ends). The handlers run both
in one transaction. A plan may also be read beforehand and passed in; it may then be
stale by the time of the write, which is why every write re-checks the status (and
the socket) in its WHERE clause: the database, not the read, decides each race
(``tests/signaling/test_calls_writes.py`` passes stale plans on purpose).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import iso, utcnow
from hub.errors import Conflict, Forbidden, NotFound
from hub.models import Office, Role, Ticket
from hub.principal import Principal
from hub.queues import QUEUES_NS, queue_room
from hub.queues.events import call_item
from hub.queues.service import call_changed
from hub.ratelimit import RateLimiter
from hub.schemas import Payload
from hub.settings import Settings
from hub.tickets.service import find_ticket
from hub.timeline import append_event
from hub.uow import Unit
from signaling import binding, events, store
from signaling.binding import is_callee, is_caller
from signaling.events import CALLS_NS
from signaling.iceservers import ice_servers_for, refreshed_ice_servers
from signaling.models import Call, CallOutcome, CallStatus, Media
from signaling.ringing import ring_elsewhere, ringing_view

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


async def _call_changed(unit: Unit, c: Call, rooms: Sequence[str] | None) -> None:
    """``queue_call`` to the dashboards, as :func:`hub.queues.service.call_changed` sends it,
    to ``rooms`` read before the transaction (None: look them up in it)."""
    if rooms is None:
        await call_changed(unit, c)
    else:
        unit.emit("queue_call", {"call": call_item(c).json_dict()}, list(rooms), QUEUES_NS)


#: How long this process reuses an office's chain of parents (offices are seeded, never
#: moved, while the hub runs; the bound only limits how stale a future move could get).
ROOMS_TTL = 60.0
_rooms_cache: dict[tuple[object, int], tuple[float, list[str]]] = {}


async def rooms_of(session: AsyncSession, office_id: int) -> list[str]:
    """The dashboards' rooms for a call of ``office_id`` (as ``hub.queues.service.rooms_of``),
    read before the write transaction: one query, then kept for :data:`ROOMS_TTL`."""
    now = time.monotonic()
    key = (session.get_bind().engine.url, office_id)  # per database
    hit = _rooms_cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    rooms = [queue_room(o) for o in await store.office_chain(session, office_id)]
    if len(_rooms_cache) > 10_000:
        _rooms_cache.clear()
    _rooms_cache[key] = (now + ROOMS_TTL, rooms)
    return rooms


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


@dataclass(frozen=True)
class InvitePlan:
    """What an invite needs to know before it writes (see :func:`plan_invite`)."""

    ticket: Ticket
    office: Office
    #: The callee was in another call when we looked: log ``busy`` without ringing.
    busy: bool
    rooms: list[str]
    ice_servers: list[dict[str, object]]


_TICKET_TAKEN = "Tiket ini sedang ditelepon / This ticket already has a call"
_CALLER_TAKEN = "Anda sedang dalam panggilan / You are already in a call"
_CHANGED = "Panggilan sudah berubah / The call changed meanwhile"


def _refuse_if_taken(live: Sequence[Call], ticket_id: int, caller_id: int) -> None:
    if any(c.live_ticket_id == ticket_id for c in live):
        raise Conflict(_TICKET_TAKEN)
    if any(c.caller_id == caller_id and c.status in store.LIVE for c in live):
        raise Conflict(_CALLER_TAKEN)


async def plan_invite(
    session: AsyncSession,
    settings: Settings,
    p: Principal,
    ticket_id: int,
) -> InvitePlan:
    """May ``p`` ring the ticket, is it (or ``p``) already in a call, is the callee busy."""
    found = await store.ticket_and_office(session, ticket_id)
    policy.check_call(p, found[0] if found else None)
    assert found is not None and p.user_id is not None
    t, office = found
    key = callee_key_of(t)
    live = await store.live_calls_touching(session, t.id, p.user_id, key)
    _refuse_if_taken(live, t.id, p.user_id)
    if any(c.live_callee_key == key for c in live):
        return InvitePlan(t, office, True, [], [])
    servers = ice_servers_for(settings, p)
    return InvitePlan(t, office, False, await rooms_of(session, t.office_id), servers)


async def invite(
    unit: Unit,
    settings: Settings,
    p: Principal,
    sid: str,
    ticket_id: int,
    media: str,
    plan: InvitePlan | None = None,
) -> Placed:
    """An officer who may handle the ticket rings its applicant on every device.

    Exactly one call per ticket can ring or be live (a second invite is
    ``conflict``, also when two officers race); if the applicant is in another
    call the attempt is logged at once as ``busy``. ``sid`` becomes the caller's
    device for the relay. Writes one conditional INSERT (the UNIQUE ``live_*``
    columns decide a race); ``plan`` is :func:`plan_invite`'s, read beforehand.
    """
    session = unit.session
    if plan is None:
        plan = await plan_invite(session, settings, p, ticket_id)
    t = plan.ticket
    assert p.user_id is not None
    key = callee_key_of(t)
    c = _new_call(p, sid, t, key, media, settings.ring_timeout)
    if not plan.busy:
        if await store.insert_ringing(session, c):
            ring = _ringing(c, t, plan.office)
            _emit(unit, "ringing", ring, [callee_room(c)])
            ring_elsewhere(unit, c, ring)  # closed browsers: Web Push
            await _call_changed(unit, c, plan.rooms)
            return Placed(c, plan.ice_servers)
        # Someone else's call took the ticket, the caller or the callee since we looked.
        live = await store.live_calls_touching(session, t.id, p.user_id, key)
        _refuse_if_taken(live, t.id, p.user_id)
        if not any(x.live_callee_key == key for x in live):
            raise Conflict(_CHANGED)  # … and ended again: let the officer retry
    c.status, c.outcome, c.ended_at = CallStatus.ended, CallOutcome.busy, utcnow()
    c.live_ticket_id = c.live_callee_key = None
    await store.insert_ended(session, c)
    await _log(unit, c)
    return Placed(c, [])


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
        answered_by_sid=None,
        media=Media(media),
        status=CallStatus.ringing,
        outcome=None,
        live_ticket_id=t.id,
        live_callee_key=key,
        awaiting_answer=False,
        caller_lost_at=None,
        callee_lost_at=None,
        created_at=now,
        ring_deadline=now + timedelta(seconds=ring),
        answered_at=None,
        ended_at=None,
    )


def _ringing(c: Call, t: Ticket, office: Office) -> events.RingingOut:
    return ringing_view(c, t.number, office)


# ── answering, refusing, ending ────────────────────────────────────────────────


@dataclass(frozen=True)
class Seen:
    """A call as it was read before the write transaction, and what the write needs.

    Who the parties are never changes; status and sockets may have changed
    since, which every write re-checks in its WHERE clause.
    """

    call: Call
    #: The dashboards' rooms of the call's office (and the offices above it).
    rooms: list[str]
    #: The ticket's "call back" marker (only a missed call of this ticket sets it).
    callback_pending: bool


async def party_call(session: AsyncSession, p: Principal, call_id: str) -> Call:
    """The call if ``p`` is its caller or callee; ``not_found`` alike for missing and foreign."""
    c = await store.call(session, call_id)
    if c is None or not (is_caller(p, c) or is_callee(p, c)):
        raise NotFound(_GONE)
    return c


async def look(session: AsyncSession, p: Principal, call_id: str) -> Seen:
    """:func:`party_call`, with the dashboards' rooms and the ticket's callback marker."""
    found = await store.call_with_ticket(session, call_id)
    if found is None or not (is_caller(p, found[0]) or is_callee(p, found[0])):
        raise NotFound(_GONE)
    c, pending = found
    return Seen(c, await rooms_of(session, c.office_id), pending)


def require_status(c: Call, *allowed: CallStatus) -> None:
    if c.status not in allowed:
        raise Conflict(
            "Status panggilan tidak sesuai / Not possible in this call state",
            status=c.status.value,
        )


@dataclass(frozen=True)
class AcceptPlan:
    seen: Seen
    ice_servers: list[dict[str, object]]


async def plan_accept(
    session: AsyncSession, settings: Settings, p: Principal, call_id: str
) -> AcceptPlan:
    seen = await look(session, p, call_id)
    if not is_callee(p, seen.call):
        raise Forbidden("Hanya penerima yang dapat menjawab / Only the person called can answer")
    require_status(seen.call, CallStatus.ringing)
    return AcceptPlan(seen, ice_servers_for(settings, p))


async def accept(
    unit: Unit,
    settings: Settings,
    p: Principal,
    sid: str,
    call_id: str,
    plan: AcceptPlan | None = None,
) -> Placed:
    """The callee answers on device ``sid``; the first accept wins, the other devices stop.

    Only while ringing and before the ring deadline; a second accept (another
    device, or racing a cancel) is ``conflict``.
    """
    session = unit.session
    if plan is None:
        plan = await plan_accept(session, settings, p, call_id)
    now = utcnow()
    won = await store.change(
        session,
        plan.seen.call.id,
        CallStatus.ringing,
        {"status": CallStatus.active, "answered_at": now, "answered_by_sid": sid},
        Call.ring_deadline > now,
    )
    if won is None:
        raise Conflict(_OVER)
    if plan.seen.callback_pending:
        # The applicant has been reached: the officer's "call back" marker is done.
        await store.set_callback_pending(session, won.ticket_id, False)
    await _call_changed(unit, won, plan.seen.rooms)
    _emit(unit, "accepted", events.CallOnlyOut(call_id=won.id), [won.caller_sid])
    stop = events.RingStoppedOut(call_id=won.id, reason="answered")
    _emit(unit, "ring_stopped", stop, [callee_room(won)])
    return Placed(won, plan.ice_servers)


async def decline(unit: Unit, p: Principal, call_id: str, seen: Seen | None = None) -> Call:
    """The callee refuses a ringing call (any of their devices)."""
    seen = seen or await look(unit.session, p, call_id)
    c = seen.call
    if not is_callee(p, c):
        raise Forbidden("Hanya penerima yang dapat menolak / Only the person called can decline")
    require_status(c, CallStatus.ringing)
    done = await _finish(unit, c, CallStatus.ringing, CallOutcome.declined, rooms=seen.rooms)
    _emit(unit, "declined", events.CallOnlyOut(call_id=done.id), [done.caller_sid])
    return done


async def cancel(
    unit: Unit, p: Principal, sid: str, call_id: str, seen: Seen | None = None
) -> Call:
    """The caller gives up before the callee answers, from the inviting socket ``sid``."""
    seen = seen or await look(unit.session, p, call_id)
    c = seen.call
    if not is_caller(p, c):
        raise Forbidden("Hanya penelepon yang dapat membatalkan / Only the caller can cancel")
    binding.device_party(p, sid, c)
    require_status(c, CallStatus.ringing)
    stop, mine = CallOutcome.cancelled, binding.device_is("caller", sid)
    return await _finish(unit, c, CallStatus.ringing, stop, mine, rooms=seen.rooms)


async def hangup(
    unit: Unit, p: Principal, sid: str, call_id: str, seen: Seen | None = None
) -> Call:
    """Either party's device ``sid`` ends the call; while ringing this is the caller's
    cancel or the callee's decline (from any of the callee's devices)."""
    seen = seen or await look(unit.session, p, call_id)
    c = seen.call
    if c.status is CallStatus.ringing and is_caller(p, c):
        return await cancel(unit, p, sid, call_id, seen)
    if c.status is CallStatus.ringing:
        return await decline(unit, p, call_id, seen)
    party = binding.device_party(p, sid, c)
    require_status(c, CallStatus.active)
    done, mine = CallOutcome.completed, binding.device_is(party, sid)
    return await _finish(unit, c, CallStatus.active, done, mine, rooms=seen.rooms)


async def _finish(
    unit: Unit,
    c: Call,
    when: CallStatus,
    outcome: CallOutcome,
    *also: ColumnElement[bool],
    rooms: Sequence[str] | None = None,
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
        },
        *also,
    )
    if done is None:
        raise Conflict(_CHANGED)
    await _log(unit, done)
    await _call_changed(unit, done, rooms)
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


# ── connections that drop and come back ────────────────────────────────────────


async def calls_of_sid(session: AsyncSession, sid: str) -> list[Seen]:
    """The live calls socket ``sid`` is a party's device in (read before :func:`party_lost`)."""
    return [
        Seen(c, await rooms_of(session, c.office_id), False)
        for c in await store.calls_of_sid(session, sid)
    ]


async def party_lost(unit: Unit, sid: str, seen: Sequence[Seen] | None = None) -> None:
    """Socket ``sid`` disconnected: a ringing caller cancels; in an active call the
    party gets the grace period (``call_grace``) to ``rejoin`` before the call fails.
    Idempotent, and a no-op for a socket a ``rejoin`` has already replaced.

    ``seen`` is :func:`calls_of_sid` read beforehand; a call that changed since is
    read again here and decided as it is now.
    """
    if seen is None:
        seen = await calls_of_sid(unit.session, sid)
    now = utcnow()
    for s in seen:
        if not await _lose(unit, sid, s.call, now, s.rooms):
            fresh = await store.call(unit.session, s.call.id)
            if fresh is not None and fresh.status in store.LIVE:
                await _lose(unit, sid, fresh, now, None)


async def _lose(unit: Unit, sid: str, c: Call, now: datetime, rooms: Sequence[str] | None) -> bool:
    """Handle the loss of ``sid`` in ``c``; False if ``c`` is no longer as it was read."""
    if c.status is CallStatus.ringing and c.caller_sid == sid:
        try:
            await _finish(
                unit, c, CallStatus.ringing, CallOutcome.cancelled, Call.caller_sid == sid,
                rooms=rooms,
            )  # fmt: skip
        except Conflict:
            return False
        return True
    if c.status is not CallStatus.active:
        return True
    caller_side = c.caller_sid == sid
    column = Call.caller_sid if caller_side else Call.answered_by_sid
    lost = "caller_lost_at" if caller_side else "callee_lost_at"
    changed = await store.change(unit.session, c.id, CallStatus.active, {lost: now}, column == sid)
    if changed is None:
        return False
    out = events.PeerOut(call_id=c.id, party="caller" if caller_side else "callee")
    other = changed.answered_by_sid if caller_side else changed.caller_sid
    _emit(unit, "peer_lost", out, [other])
    return True


async def rejoin(
    unit: Unit, p: Principal, sid: str, call_id: str, grace: float, seen: Seen | None = None
) -> dict[str, Any]:
    """A lost party of an active call continues on socket ``sid`` (after a reconnect).

    Only while the party is lost, within ``grace`` seconds of the loss (see
    :func:`signaling.binding.check_can_rejoin`): ``forbidden`` while its device is
    still connected; ``conflict`` once the call ended or the grace ran out. The
    other party is told (``peer_rejoined``); the caller then sends a new offer with
    an ICE restart, relayed as usual. A repeat from the socket that already is the
    party's device is acknowledged and changes nothing.
    """
    seen = seen or await look(unit.session, p, call_id)
    c = seen.call
    require_status(c, CallStatus.active)
    party = binding.party_of(p, c)
    ack = {"call_id": c.id, "party": party, "media": c.media.value}
    if not binding.check_can_rejoin(party, sid, c):
        return ack
    in_time = binding.lost_since(party, utcnow() - timedelta(seconds=grace))
    moved = await store.change(
        unit.session, c.id, CallStatus.active, binding.moved_to(party, sid), in_time
    )
    if moved is None:  # the grace ran out, the call ended, or another socket rejoined first
        raise Conflict(_CHANGED)
    other = moved.answered_by_sid if party == "caller" else moved.caller_sid
    _emit(unit, "peer_rejoined", events.PeerOut(call_id=c.id, party=party), [other])
    return ack


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
    """Fresh ICE servers for a party of a ringing or active call: a refresh, which
    spends a token of ``p``'s TURN rate limit (see :mod:`signaling.iceservers`)."""
    c = await party_call(session, p, call_id)
    require_status(c, CallStatus.ringing, CallStatus.active)
    return await refreshed_ice_servers(limiter, settings, p)


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
        if await session.get(Office, office_id) is None:  # for everyone, like /queues watch
            raise NotFound("Kantor tidak ditemukan / Office not found")
        policy.check_supervise(p, office_id)
        office_ids = [office_id]
    else:
        if p.role not in (Role.supervisor, Role.admin):
            policy.check_supervise(p, -1)
        office_ids = None if p.role is Role.admin else sorted(p.office_scope)
    rows = await store.history(session, office_ids, ticket_id, limit)
    return [call_view(c) for c in rows]
