"""Who is told what: notifications grouped per ticket, delivered live or by Web Push.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.context import Context, Presence
from hub.models import Role, Ticket, TicketEvent
from hub.timeline import NewEvent
from hub.uow import Unit
from notifications import NOTIFICATIONS_NS, PUSH_OP, store, text, user_room
from notifications.events import CountsOut, NotificationOut
from notifications.inbox import counts, notification_view
from notifications.models import Notification, NotificationPrefs
from notifications.prefs import in_quiet_hours, prefs_of

#: kind → title for a group of ``count`` (the preview is the latest event's).
TITLES: dict[str, Callable[[str, int], str]] = {
    "comment": text.comment_title,
    "status_changed": lambda number, _n: text.status_title(number),
    "disposed": text.disposed_title,
    "missed_call": text.missed_call_title,
    "sla_warning": lambda number, _n: text.sla_title(number),
    "sla_breached": lambda number, _n: text.breached_title(number),
    "documents_requested": lambda number, _n: text.documents_title(number),
    "survey": lambda number, _n: text.survey_title(number),
}


@dataclass(frozen=True)
class Draft:
    kind: str
    ticket: Ticket
    #: The preview, or how to write it: only the last draft of a group gives the row its
    #: preview, so an event's is written only when it is that one.
    preview: str | Callable[[], str]
    seq: int | None = None

    def preview_text(self) -> str:
        return self.preview if isinstance(self.preview, str) else self.preview()


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
    officers = OfficerLookup(unit.session, known.desks if known else None)
    jobs: list[tuple[Draft, list[int]]] = []
    tickets: dict[int, Ticket | None] = {}
    for ev in evs:
        # The caller's transaction has the ticket loaded (and locked): an identity-map
        # hit, no second read; only its number, office and desk are used here.
        if ev.ticket_id not in tickets:
            tickets[ev.ticket_id] = await unit.session.get(Ticket, ev.ticket_id)
        t = tickets[ev.ticket_id]
        if t is None:
            continue
        recipients = await _recipients(officers, t, ev.kind, ev.payload)
        if recipients is None:
            continue
        kind = text.notice_kind(ev.kind, ev.payload)
        draft = Draft(kind, t, partial(_preview, kind, ev.payload, ev.actor_name), ev.seq)
        jobs.append((draft, [r for r in recipients if r != ev.actor_id]))
    await _notify_all(unit, jobs, unit.ctx.clock.now(), known)


async def audience_of(
    session: AsyncSession, ctx: Context, tickets: Mapping[int, Ticket], new: Sequence[NewEvent]
) -> Audience:
    """Who events about to be appended would notify, read ahead: presence, preferences,
    subscriptions. A batch of comments reads this before it locks its tickets, so the
    locks are held for fewer round trips; :func:`notify_ticket_events` reads whatever
    changed meanwhile (another assignee, another desk) itself. The desks' officers read
    here are used again there: the ``users`` rows are not locked, so reading them again
    under the tickets' locks would be no fresher."""
    officers = OfficerLookup(session)
    pairs: list[tuple[int, int]] = []
    for n in new:
        t = tickets.get(n.ticket_id)
        recipients = await _recipients(officers, t, n.kind, n.payload) if t else None
        actor_id = n.actor.user_id if n.actor else None
        pairs += [(u, n.ticket_id) for u in recipients or [] if u != actor_id]
    aud = await _audience(session, ctx.live, pairs, None)
    return replace(aud, desks=officers.seen)


async def _recipients(
    officers: OfficerLookup, t: Ticket, kind: str, payload: Mapping[str, Any]
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
    await _notify_all(unit, [(draft, [callee_user_id])], unit.ctx.clock.now())


async def notify_survey_offer(unit: Unit, t: Ticket) -> None:
    """Offer the applicant of a completed request its satisfaction survey (once: the
    request completes once). Walk-in applicants have no inbox; their ticket page offers it."""
    if t.applicant_id is None:
        return
    draft = Draft("survey", t, text.SURVEY_PREVIEW)
    await _notify_all(unit, [(draft, [t.applicant_id])], unit.ctx.clock.now())


class OfficerLookup:
    """The officers of a desk, read once per (office, role) in a transaction."""

    def __init__(
        self, session: AsyncSession, seen: Mapping[tuple[int, Role], list[int]] | None = None
    ) -> None:
        self.session = session
        self._seen: dict[tuple[int, Role], list[int]] = dict(seen or {})

    @property
    def seen(self) -> Mapping[tuple[int, Role], list[int]]:
        """The desks read so far: (office, role) → their active officers."""
        return dict(self._seen)

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
    #: the desks' officers read with it (:class:`OfficerLookup`), by (office, role)
    desks: Mapping[tuple[int, Role], list[int]] = field(default_factory=dict)

    @property
    def users(self) -> set[int]:
        return {u for u, _t in self.asked}


async def _audience(
    session: AsyncSession,
    live: Presence | None,
    pairs: Sequence[tuple[int, int]],
    known: Audience | None,
) -> Audience:
    """The :class:`Audience` of ``pairs``: only what ``known`` lacks is read (one query or
    one Redis pipeline per question, for all the pairs at once)."""
    known = known or Audience(frozenset(), frozenset(), {}, frozenset(), frozenset())
    new_pairs = [pair for pair in dict.fromkeys(pairs) if pair not in known.asked]
    new_users = sorted({u for u, _t in new_pairs} - known.users)
    watching, prefs = set(known.watching), dict(known.prefs)
    subscribed, online = set(known.subscribed), set(known.online)
    if live is not None and new_pairs:
        watching |= await live.watching_of(new_pairs)
    if new_users:
        found, with_push = await store.prefs_and_subscribed(session, new_users)
        prefs |= found
        subscribed |= with_push
        if live is not None:
            online |= await live.online_of(new_users)
    return Audience(
        known.asked | set(new_pairs), frozenset(watching), prefs, frozenset(subscribed),
        frozenset(online), known.desks,
    )  # fmt: skip


async def deliver(unit: Unit, jobs: list[tuple[Draft, list[int]]], now: datetime) -> None:
    """Each draft to its recipients (in the caller's transaction); see :func:`_notify_all`."""
    await _notify_all(unit, jobs, now)


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
    aud = await _audience(session, unit.ctx.live, [(u, d.ticket.id) for d, u in asked], known)
    prefs = {u: prefs_of(aud.prefs, u) for _d, u in asked}
    wanted = [
        (d, u)
        for d, u in asked
        if (u, d.ticket.id) not in aud.watching
        and d.ticket.id not in (prefs[u].muted_tickets or [])
    ]
    if not wanted:
        return
    users = sorted({user_id for _draft, user_id in wanted})
    rows = await store.unread_rows(session, [(u, d.ticket.id, d.kind) for d, u in wanted])
    subscribed = aud.subscribed
    online = {u: u in aud.online for u in users}
    touched: dict[tuple[int, int, str], Notification] = {}
    #: each group's last draft: the one whose title, preview and seq the row keeps
    last: dict[tuple[int, int, str], Draft] = {}
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
        touched[key] = row
        last[key] = draft
    for key, row in touched.items():
        draft, user_id = last[key], key[0]
        t = draft.ticket
        row.title = TITLES[draft.kind](t.number, row.count)
        row.preview = draft.preview_text()
        row.last_seq = draft.seq
        row.updated_at = now
        p = prefs[user_id]
        if online[user_id]:
            row.delivered_live_at = now
        row.push_pending = (
            not online[user_id]
            and draft.kind not in (p.push_opt_out or [])
            and not in_quiet_hours(p.quiet_start, p.quiet_end, now)
            and user_id in subscribed
        )
    await session.flush()
    for user_id in users:
        if not online[user_id]:
            continue  # nobody to tell live; devices that connect later `sync`
        room = [user_room(user_id)]
        for (owner, _t, _k), row in touched.items():
            if owner == user_id:
                view = NotificationOut.model_validate(notification_view(row))
                unit.emit("notification", view, room, NOTIFICATIONS_NS)
        now_counts = CountsOut.model_validate(await counts(session, user_id))
        unit.emit("counts", now_counts, room, NOTIFICATIONS_NS)
    to_push = [row.id for row in touched.values() if row.push_pending]
    if to_push and unit.ctx.live is not None:
        unit.control(PUSH_OP, ids=to_push)
