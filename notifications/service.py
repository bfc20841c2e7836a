"""Notifications: who is told what, grouped per ticket, delivered live or by Web Push.

Guarantees:
- rows are written in the caller's transaction (a rolled-back comment notifies no
  one); live events and the push kick are queued on the unit, so they leave only
  after commit;
- one unread row per (user, ticket, kind): further events of the group raise its
  ``count`` instead of adding rows (``3 pesan baru di …``);
- the author of an event, a user watching the ticket live right now, and a user who
  muted the ticket are never notified; walk-in receipt holders have no inbox;
- a push is queued only for a user with no open inbox socket on any process, outside
  their quiet hours, and for a kind they did not opt out of.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import JAKARTA, iso, utcnow
from hub.errors import Forbidden, Invalid, NotFound
from hub.models import Role, Ticket, TicketEvent
from hub.principal import Principal
from hub.schemas import MAX_ID, decimal_id
from hub.timeline import NewEvent
from hub.uow import Unit
from notifications import store, text
from notifications.models import (
    KINDS,
    Notification,
    NotificationPrefs,
    PushSubscription,
    SlaWarning,
)
from notifications.watching import live_of_session

NOTIFICATIONS_NS = "/notifications"
PUSH_OP = "notifications_push"
SLA_WINDOW = timedelta(hours=2)
MAX_SUBSCRIPTIONS = 10
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: kind → title for a group of ``count`` (the preview is the latest event's).
TITLES: dict[str, Callable[[str, int], str]] = {
    "comment": text.comment_title,
    "status_changed": lambda number, _n: text.status_title(number),
    "documents_requested": lambda number, _n: text.documents_title(number),
    "disposed": text.disposed_title,
    "missed_call": text.missed_call_title,
    "sla_warning": lambda number, _n: text.sla_title(number),
}


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def ticket_url(ticket_id: int) -> str:
    return f"/tickets/{ticket_id}"


def notification_view(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "ticket_id": n.ticket_id,
        "ticket_number": n.ticket_number,
        "title": n.title,
        "preview": n.preview,
        "count": n.count,
        "url": ticket_url(n.ticket_id),
        "created_at": iso(n.created_at),
        "updated_at": iso(n.updated_at),
        "read": n.read_at is not None,
    }


def delivery_view(n: Notification) -> dict[str, Any]:
    """The delivery record a supervisor sees: times only, no preview text."""
    return {
        "id": n.id,
        "user_id": n.user_id,
        "kind": n.kind,
        "ticket_id": n.ticket_id,
        "ticket_number": n.ticket_number,
        "count": n.count,
        "created_at": iso(n.created_at),
        "updated_at": iso(n.updated_at),
        "delivered_live_at": iso(n.delivered_live_at) if n.delivered_live_at else None,
        "pushed_at": iso(n.pushed_at) if n.pushed_at else None,
        "read_at": iso(n.read_at) if n.read_at else None,
    }


def push_payload(n: Notification) -> dict[str, Any]:
    """What a push service carries (encrypted): ticket number, short title, link — no PII."""
    return {
        "title": n.title,
        "body": n.preview,
        "url": ticket_url(n.ticket_id),
        "tag": f"ticket-{n.ticket_id}-{n.kind}",
        "ticket_number": n.ticket_number,
    }


def in_quiet_hours(start: str | None, end: str | None, now: datetime) -> bool:
    """Is ``now`` (any zone) inside [start, end) Asia/Jakarta? Wraps past midnight."""
    if not start or not end or start == end:
        return False
    local = now.astimezone(JAKARTA).time()
    lo, hi = time.fromisoformat(start), time.fromisoformat(end)
    return lo <= local < hi if lo < hi else (local >= lo or local < hi)


# --- writing notifications -------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    kind: str
    ticket: Ticket
    preview: str
    seq: int | None = None


async def notify_ticket_event(unit: Unit, ev: TicketEvent) -> None:
    """Notify the people an event on a ticket's timeline concerns (call in its transaction)."""
    await notify_ticket_events(unit, [ev])


async def notify_ticket_events(
    unit: Unit, evs: Sequence[TicketEvent], known: Audience | None = None
) -> None:
    """Notify the people events on tickets' timelines concern (call in their transaction).

    ``comment`` → the applicant and the officers concerned (the assignee, else the
    officers of the ticket's desk), ``status_changed`` → the applicant, ``disposed``
    → the target officer or the target desk. Other kinds notify no one. ``known`` is
    what :func:`audience_of` read earlier in the transaction (before row locks).
    """
    officers = _OfficerLookup(unit.session)
    jobs: list[tuple[Draft, list[int]]] = []
    for ev in evs:
        # The caller's transaction has the ticket loaded (and locked): an identity-map
        # hit, no second read; only its number, office and desk are used here.
        t = await unit.session.get(Ticket, ev.ticket_id)
        if t is None:
            continue
        recipients = await _recipients(officers, t, ev.kind, ev.payload)
        if recipients is None:
            continue
        kind = text.notice_kind(ev.kind, ev.payload)
        draft = Draft(kind, t, _preview(kind, ev.payload, ev.actor_name), ev.seq)
        jobs.append((draft, [r for r in recipients if r != ev.actor_id]))
    await _notify_all(unit, jobs, utcnow(), known)


async def audience_of(
    session: AsyncSession, tickets: Mapping[int, Ticket], new: Sequence[NewEvent]
) -> Audience:
    """Who events about to be appended would notify, read ahead: presence, preferences,
    subscriptions. A batch of comments reads this before it locks its tickets, so the
    locks are held for fewer round trips; :func:`notify_ticket_events` reads whatever
    changed meanwhile (another assignee) itself."""
    officers = _OfficerLookup(session)
    pairs: list[tuple[int, int]] = []
    for n in new:
        t = tickets.get(n.ticket_id)
        recipients = await _recipients(officers, t, n.kind, n.payload) if t else None
        actor_id = n.actor.user_id if n.actor else None
        pairs += [(u, n.ticket_id) for u in recipients or [] if u != actor_id]
    return await _audience(session, pairs, None)


async def _recipients(
    officers: _OfficerLookup, t: Ticket, kind: str, payload: Mapping[str, Any]
) -> list[int] | None:
    """Who an event of ``kind`` on ``t`` concerns (its author not yet left out); None: a
    kind that notifies no one."""
    if kind == "comment":
        recipients = [*await officers.concerned(t)]
        if t.applicant_id is not None:
            recipients.insert(0, t.applicant_id)
        return recipients
    if kind == "status_changed":
        return [t.applicant_id] if t.applicant_id is not None else []
    if kind == "disposed":
        to_user = payload.get("to_user") or {}
        if to_user.get("id") is not None:
            return [int(to_user["id"])]
        return await officers.with_role(t.office_id, Role(str(payload.get("to_role"))))
    return None


def _preview(kind: str, payload: Mapping[str, Any], actor_name: str) -> str:
    if kind == "comment":
        return text.comment_preview(
            actor_name, str(payload.get("body") or ""), len(payload.get("attachments") or [])
        )
    if kind == "status_changed":
        return text.status_preview(str(payload.get("to")), payload.get("reason"))
    if kind == "documents_requested":
        return text.documents_preview(payload.get("documents") or [])
    return text.disposed_preview(actor_name, str(payload.get("note") or ""))


async def notify_missed_call(
    unit: Unit, ticket_id: int, callee_user_id: int | None, caller_name: str
) -> None:
    """Tell the callee of an unanswered call (signaling calls this in its transaction)."""
    t = await unit.session.get(Ticket, ticket_id)
    if t is None or callee_user_id is None:
        return
    draft = Draft("missed_call", t, text.missed_call_preview(caller_name))
    await _notify_all(unit, [(draft, [callee_user_id])], utcnow())


async def check_sla(unit: Unit, now: datetime | None = None) -> list[int]:
    """Warn the officers concerned of open tickets due within 2 hours; once per ticket.

    Returns the ids of the tickets warned now. Safe on many processes at once: the
    ``sla_warnings`` row is the claim, a second writer fails on its primary key.
    """
    from hub.tickets.lifecycle import WAITING_STATUSES  # tickets imports us: no cycle

    now = now or utcnow()
    tickets = await store.tickets_near_deadline(unit.session, WAITING_STATUSES, now + SLA_WINDOW)
    officers = _OfficerLookup(unit.session)
    jobs: list[tuple[Draft, list[int]]] = []
    for t in tickets:
        unit.session.add(SlaWarning(ticket_id=t.id, warned_at=now))
        jobs.append(
            (Draft("sla_warning", t, text.sla_preview(t.due_at)), await officers.concerned(t))
        )
    await _notify_all(unit, jobs, now)
    return [t.id for t in tickets]


class _OfficerLookup:
    """The officers of a desk, read once per (office, role) in a transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._seen: dict[tuple[int, Role], list[int]] = {}

    async def with_role(self, office_id: int, role: Role) -> list[int]:
        key = (office_id, role)
        if key not in self._seen:
            self._seen[key] = await store.officers_with_role(self.session, office_id, role)
        return self._seen[key]

    async def concerned(self, t: Ticket) -> list[int]:
        if t.assignee_id is not None:
            return [t.assignee_id]
        if t.assigned_role is None:
            return []
        return await self.with_role(t.office_id, t.assigned_role)


@dataclass(frozen=True)
class Audience:
    """What notifying (user, ticket) pairs needs to know besides the unread rows: who
    watches the ticket live, who is online, preferences and push subscriptions."""

    asked: frozenset[tuple[int, int]]
    watching: frozenset[tuple[int, int]]
    prefs: Mapping[int, NotificationPrefs]
    subscribed: frozenset[int]
    online: frozenset[int]

    @property
    def users(self) -> set[int]:
        return {u for u, _t in self.asked}


async def _audience(
    session: AsyncSession, pairs: Sequence[tuple[int, int]], known: Audience | None
) -> Audience:
    """The :class:`Audience` of ``pairs``: only what ``known`` lacks is read (one query or
    one Redis pipeline per question, for all the pairs at once)."""
    live = live_of_session(session)
    known = known or Audience(frozenset(), frozenset(), {}, frozenset(), frozenset())
    new_pairs = [pair for pair in dict.fromkeys(pairs) if pair not in known.asked]
    new_users = sorted({u for u, _t in new_pairs} - known.users)
    watching, prefs = set(known.watching), dict(known.prefs)
    subscribed, online = set(known.subscribed), set(known.online)
    if live is not None and new_pairs:
        watching |= await live.watching_of(new_pairs)
    if new_users:
        prefs |= await store.prefs_of(session, set(new_users))
        subscribed |= await store.subscribed(session, new_users)
        if live is not None:
            online |= await live.online_of(new_users)
    return Audience(
        known.asked | set(new_pairs), frozenset(watching), prefs, frozenset(subscribed),
        frozenset(online),
    )  # fmt: skip


async def _notify_all(
    unit: Unit,
    jobs: list[tuple[Draft, list[int]]],
    now: datetime,
    known: Audience | None = None,
) -> None:
    """Each draft to its recipients, in a few statements however many there are.

    Skipped: who is watching the draft's ticket live, who muted it. Then every
    (user, ticket, kind) group gets its unread row (new, or ``count`` raised once per
    draft), a user online is sent each changed row and their counts once, and a push
    is queued for the rest who have a subscription, unless opted out or in quiet hours.
    """
    session = unit.session
    asked = [
        (draft, user_id) for draft, recipients in jobs for user_id in dict.fromkeys(recipients)
    ]
    if not asked:
        return
    aud = await _audience(session, [(u, d.ticket.id) for d, u in asked], known)
    wanted = [
        (d, u)
        for d, u in asked
        if (u, d.ticket.id) not in aud.watching
        and d.ticket.id not in (_prefs_of(aud.prefs, u).muted_tickets or [])
    ]
    if not wanted:
        return
    users = sorted({user_id for _draft, user_id in wanted})
    rows = await store.unread_rows(session, [(u, d.ticket.id, d.kind) for d, u in wanted])
    subscribed = aud.subscribed
    online = {u: u in aud.online for u in users}
    touched: dict[tuple[int, int, str], Notification] = {}
    for draft, user_id in wanted:
        t = draft.ticket
        key = (user_id, t.id, draft.kind)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Notification(
                user_id=user_id, kind=draft.kind, ticket_id=t.id, ticket_number=t.number,
                count=1, created_at=now, push_pending=False,
            )  # fmt: skip
            session.add(row)
        else:
            row.count += 1
        row.title = TITLES[draft.kind](t.number, row.count)
        row.preview = draft.preview
        row.last_seq = draft.seq
        row.updated_at = now
        p = _prefs_of(aud.prefs, user_id)
        if online[user_id]:
            row.delivered_live_at = now
        row.push_pending = (
            not online[user_id]
            and draft.kind not in (p.push_opt_out or [])
            and not in_quiet_hours(p.quiet_start, p.quiet_end, now)
            and user_id in subscribed
        )
        touched[key] = row
    await session.flush()
    for user_id in users:
        if not online[user_id]:
            continue  # nobody to tell live; devices that connect later `sync`
        room = [user_room(user_id)]
        for (owner, _t, _k), row in touched.items():
            if owner == user_id:
                unit.emit("notification", notification_view(row), room, NOTIFICATIONS_NS)
        unit.emit("counts", await counts(session, user_id), room, NOTIFICATIONS_NS)
    to_push = [row.id for row in touched.values() if row.push_pending]
    if to_push and live_of_session(session) is not None:
        unit.control(PUSH_OP, ids=to_push)


def _prefs_of(prefs: Mapping[int, NotificationPrefs], user_id: int) -> NotificationPrefs:
    """A user's preferences; the defaults (nothing muted, no quiet hours) without a row."""
    return prefs.get(user_id) or NotificationPrefs(user_id=user_id)


# --- reading, marking read ---------------------------------------------------------------


async def counts(session: AsyncSession, user_id: int | None) -> dict[str, Any]:
    """Unread counts: per ticket and in total (a group of 3 messages counts 3)."""
    rows = await store.unread_counts(session, user_id) if user_id is not None else []
    return {
        "total": sum(n for _t, n in rows),
        "tickets": [{"ticket_id": t, "unread": n} for t, n in rows],
    }


def _cursor(n: Notification) -> str:
    micros = (n.updated_at - EPOCH) // timedelta(microseconds=1)
    raw = f"{micros}:{n.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _parse_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        micros, last_id = raw.split(":")
        number = decimal_id(last_id)  # the cursor is the client's text: an id in range
        if not 1 <= number <= MAX_ID:
            raise ValueError(last_id)
        return EPOCH + timedelta(microseconds=decimal_id(micros)), number
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise Invalid("Kursor tidak valid / Bad cursor", field="cursor") from None


async def inbox(
    session: AsyncSession, p: Principal, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ``p``'s inbox, most recently updated first, and the next cursor."""
    if p.user_id is None:
        return [], None
    before = _parse_cursor(cursor) if cursor else None
    rows = await store.page(session, p.user_id, before, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return [notification_view(n) for n in rows], (_cursor(rows[-1]) if more else None)


async def mark_read(
    unit: Unit,
    p: Principal,
    notification_id: int | None = None,
    ticket_id: int | None = None,
    everything: bool = False,
) -> tuple[list[int], dict[str, Any]]:
    """Mark one row, a ticket's rows or all rows read; every device of ``p`` hears it.

    Returns (ids marked now, the counts after). Marking what is already read is a
    no-op, not an error; a notification of someone else is ``not_found``.
    """
    if p.user_id is None:
        return [], await counts(unit.session, None)
    if sum(x is not None for x in (notification_id, ticket_id)) + int(everything) != 1:
        raise Invalid("Pilih satu: id, ticket_id atau all / Give one of id, ticket_id, all")
    if notification_id is not None:
        n = await unit.session.get(Notification, notification_id)
        if n is None or n.user_id != p.user_id:
            raise NotFound("Notifikasi tidak ditemukan / Notification not found")
    ids = await store.mark_read(unit.session, p.user_id, utcnow(), notification_id, ticket_id)
    after = await counts(unit.session, p.user_id)
    if ids:
        room = [user_room(p.user_id)]
        unit.emit("read", {"ids": ids}, room, NOTIFICATIONS_NS)
        unit.emit("counts", after, room, NOTIFICATIONS_NS)
    return ids, after


async def delivery_record(
    session: AsyncSession, p: Principal, user_id: int, limit: int
) -> list[dict[str, Any]]:
    """An officer's notifications with delivery times, for a supervisor of their office."""
    from hub.models import OFFICER_ROLES, User

    user = await session.get(User, user_id)
    if user is None or user.role not in OFFICER_ROLES or user.office_id is None:
        raise NotFound("Petugas tidak ditemukan / Officer not found")
    policy.check_supervise(p, user.office_id)
    return [delivery_view(n) for n in await store.delivery(session, user_id, limit)]


# --- preferences -------------------------------------------------------------------------


def _registered(p: Principal) -> int:
    if p.user_id is None:
        raise Forbidden("Hanya untuk pengguna terdaftar / Registered users only")
    return p.user_id


async def get_prefs(session: AsyncSession, p: Principal) -> dict[str, Any]:
    row = await store.prefs(session, _registered(p))
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
    from hub.tickets.service import visible_ticket

    user_id = _registered(p)
    muted = sorted(set(muted_tickets))
    for ticket_id in muted:
        await visible_ticket(unit.session, p, ticket_id)
    unknown = set(push_opt_out) - set(KINDS)
    if unknown:
        raise Invalid(
            f"Jenis tidak dikenal / Unknown kinds {sorted(unknown)}", field="push_opt_out"
        )
    if quiet_hours is not None and not p.is_officer:
        raise Forbidden("Jam tenang hanya untuk petugas / Quiet hours are for officers")
    row = await store.prefs(unit.session, user_id)
    if row is None:
        row = NotificationPrefs(user_id=user_id)
        unit.session.add(row)
    row.muted_tickets = muted
    row.push_opt_out = sorted(set(push_opt_out))
    row.quiet_start, row.quiet_end = quiet_hours or (None, None)
    row.updated_at = utcnow()
    await unit.session.flush()
    return row.as_dict()


# --- push subscriptions ------------------------------------------------------------------


def _b64(value: str, size: int, field: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raise Invalid("Kunci tidak valid / Bad key", field=field) from None
    if len(raw) != size or (field == "keys.p256dh" and raw[0] != 4):
        raise Invalid("Kunci tidak valid / Bad key", field=field)


def check_endpoint(endpoint: str, allow_http: bool) -> None:
    """Push services are https; plain http only where the deployment allows it (dev)."""
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname or parts.username or parts.password:
        raise Invalid("Endpoint push tidak valid / Bad push endpoint", field="endpoint")


async def subscribe(
    unit: Unit,
    p: Principal,
    endpoint: str,
    p256dh: str,
    auth: str,
    allow_http: bool = False,
) -> PushSubscription:
    """Keep a browser's subscription for ``p``; an endpoint moves to its latest owner.

    Keys are checked (an uncompressed P-256 point, a 16-byte secret), the endpoint
    must be https (or http where ``allow_http``). Each user keeps at most
    :data:`MAX_SUBSCRIPTIONS`; the oldest go first.
    """
    user_id = _registered(p)
    check_endpoint(endpoint, allow_http)
    _b64(p256dh, 65, "keys.p256dh")
    _b64(auth, 16, "keys.auth")
    row = await store.subscription_by_endpoint(unit.session, endpoint)
    if row is None:
        row = PushSubscription(endpoint=endpoint, user_id=user_id, created_at=utcnow())
        unit.session.add(row)
    row.user_id, row.p256dh, row.auth = user_id, p256dh, auth
    await unit.session.flush()
    mine = await store.subscriptions_of(unit.session, [user_id])
    await store.delete_subscriptions(
        unit.session, [s.id for s in mine[: max(0, len(mine) - MAX_SUBSCRIPTIONS)]]
    )
    return row


async def unsubscribe(unit: Unit, p: Principal, endpoint: str) -> bool:
    """Forget ``p``'s subscription at ``endpoint``; False when there was none of theirs."""
    user_id = _registered(p)
    row = await store.subscription_by_endpoint(unit.session, endpoint)
    if row is None or row.user_id != user_id:
        return False
    await store.delete_subscriptions(unit.session, [row.id])
    return True


# --- push delivery (after commit, see notifications.push) ---------------------------------


@dataclass(frozen=True)
class PushJob:
    notification_id: int
    payload: dict[str, Any]
    subscriptions: list[PushSubscription]


async def claim_pushes(unit: Unit, ids: list[int]) -> list[PushJob]:
    """Take the pending pushes among ``ids`` (exactly one process gets each)."""
    rows = await store.claim_pushes(unit.session, ids)
    subs = await store.subscriptions_of(unit.session, sorted({n.user_id for n in rows}))
    return [
        PushJob(n.id, push_payload(n), [s for s in subs if s.user_id == n.user_id]) for n in rows
    ]


async def stale_pushes(session: AsyncSession, now: datetime) -> list[int]:
    """Pushes queued over a minute ago and never claimed (a process died meanwhile)."""
    return await store.stale_pending(session, now - timedelta(minutes=1))


async def record_pushes(
    unit: Unit, pushed: list[int], ok_subs: list[int], gone_subs: list[int], now: datetime
) -> None:
    """Note what push services accepted; forget subscriptions they call gone (404/410)."""
    await store.set_pushed(unit.session, pushed, now)
    await store.touch_subscriptions(unit.session, ok_subs, now)
    await store.delete_subscriptions(unit.session, gone_subs)
