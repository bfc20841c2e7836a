"""The ``/tickets`` namespace: join, leave, send, history, edit, delete, typing, read.

Each handler parses, calls one ``chat.service`` (or ``chat.posting``) function and
returns the ack fields; the :class:`~hub.realtime.HubNamespace` turns errors into acks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from starlette.routing import BaseRoute

from chat import events, posting, routes, service, worklist_routes
from hub.batching import Batcher
from hub.context import Hub
from hub.principal import Principal
from hub.realtime import HubNamespace, SocketPublisher
from hub.schemas import parse
from hub.timeline import TICKETS_NS, event_view, office_room, ticket_room
from notifications import watching


class TicketsNamespace(HubNamespace):
    def __init__(self, namespace: str, hub: Hub) -> None:
        super().__init__(namespace, hub)
        # Group commit: comments arriving while one batch commits go in the next.
        self.comments: Batcher[posting.NewComment, posting.Posted] = Batcher(self._store)
        hub.on_lifespan(stop=self.comments.close)

    async def _store(
        self, comments: list[posting.NewComment]
    ) -> list[posting.Posted | BaseException]:
        """One transaction for the batch; if it fails on a constraint, one per comment."""
        try:
            async with self.hub.unit() as unit:
                return [*await posting.post_comments(
                    unit, self.hub.limiter, comments, self.hub.comment_rule
                )]  # fmt: skip
        except IntegrityError:
            if len(comments) == 1:
                raise
        # A client_id raced itself on another connection or process: settle each alone,
        # so only that comment sees the conflict.
        results: list[posting.Posted | BaseException] = []
        for comment in comments:
            try:
                results.extend(await self._store([comment]))
            except Exception as exc:
                results.append(exc)
        return results

    async def connected(self, sid: str, principal: Principal) -> None:
        if principal.is_officer:
            for office_id in principal.office_scope:
                await self.enter_room(sid, office_room(office_id))

    async def disconnected(self, sid: str, principal: Principal) -> None:
        await watching.gone(self.hub, sid)  # no longer watching any ticket (notifications)

    async def on_join(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        """Join a ticket's room; with ``after_seq``, the missed events come in the ack."""
        body = parse(events.JoinIn, data)
        async with self.hub.reader() as session:
            await service.check_join(session, p, body.ticket_id, body.after_seq)
        # Enter first, then read: an event committed meanwhile is in the ack *and*
        # live; clients drop any seq they already hold.
        await self.enter_room(sid, ticket_room(body.ticket_id))
        await watching.joined(self.hub, sid, p, body.ticket_id)
        async with self.hub.reader() as session:
            joined = await service.replay(session, body.ticket_id, body.after_seq)
        return {
            "ticket_id": joined.ticket_id,
            "last_seq": joined.last_seq,
            "events": joined.events,
            "reads": joined.reads,
        }

    async def on_leave(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.TicketIn, data)
        await self.leave_room(sid, ticket_room(body.ticket_id))
        await watching.left(self.hub, sid, p, body.ticket_id)
        return {}

    async def on_send(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.SendIn, data)
        comment = posting.NewComment(
            p, body.ticket_id, body.client_id, body.body, tuple(body.attachments)
        )
        try:
            ev, created = await self.comments.submit(comment)
            view = event_view(ev)
        except IntegrityError:
            # The same client_id raced itself on another connection: the first one won.
            async with self.hub.reader() as session:
                existing = await service.find_comment(session, p, body.ticket_id, body.client_id)
            if existing is None:
                raise
            view, created = event_view(existing), False
        return {"event": view, "duplicate": not created}

    async def on_history(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.HistoryIn, data)
        async with self.hub.reader() as session:
            page = await service.history(session, p, body.ticket_id, body.before_seq, body.limit)
        return {"events": page, "has_more": bool(page) and page[0]["seq"] > 1}

    async def on_missing(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.RangeIn, data)
        async with self.hub.reader() as session:
            rows = await service.missing(
                session, p, body.ticket_id, body.after_seq, body.before_seq
            )
        return {"events": rows}

    async def on_edit(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.EditIn, data)
        async with self.hub.unit() as unit:
            ev = await service.edit_comment(unit, p, body.ticket_id, body.seq, body.body)
            return {"event": event_view(ev)}

    async def on_delete(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.DeleteIn, data)
        async with self.hub.unit() as unit:
            ev = await service.delete_comment(unit, p, body.ticket_id, body.seq)
            return {"event": event_view(ev)}

    async def on_typing(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.TypingIn, data)
        async with self.hub.unit(write=False) as unit:  # never stored: no write lock
            sent = await service.typing(unit, self.hub.limiter, p, body.ticket_id, body.typing)
        return {"sent": sent}

    async def on_read(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.ReadIn, data)
        async with self.hub.unit() as unit:
            row = await service.mark_read(unit, p, body.ticket_id, body.seq)
            return {"seq": row.seq}

    async def recheck_ticket(self, args: dict[str, Any]) -> None:
        """Control op: drop local watchers of a ticket who may no longer see it."""
        ticket_id = int(args["ticket_id"])
        sids = await self.local_sids(ticket_room(ticket_id))
        if not sids:
            return
        watchers = {sid: await self.principal(sid) for sid in sids}
        async with self.hub.reader() as session:
            allowed = await service.may_watch(session, ticket_id, list(watchers.values()))
        for (sid, _p), ok in zip(watchers.items(), allowed, strict=True):
            if not ok:
                await self.leave_room(sid, ticket_room(ticket_id))
                await self.emit("ticket_revoked", {"ticket_id": ticket_id}, to=sid)

    async def resubscribed(self, args: dict[str, Any]) -> None:
        """Local op, run whenever this process (re)subscribes to Redis.

        While Redis was down, control messages (a transfer's ``recheck_ticket``) and
        other processes' events did not arrive. So: re-check every local watcher of
        every ticket against the database, then hand those who remain the ticket's
        latest event — a client that missed some sees the gap and fills it with
        ``missing``; one that did not drops a seq it already holds.
        """
        del args
        prefix = "ticket:"  # ticket_room(id)
        for room in self.local_rooms(prefix):
            ticket_id = int(room[len(prefix) :])
            await self.recheck_ticket({"ticket_id": ticket_id})
            if not await self.local_sids(room):
                continue
            async with self.hub.reader() as session:
                latest = await service.latest_event(session, ticket_id)
            if latest is not None:
                await self.emit("ticket_event", latest, to=room, ignore_queue=True)


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    namespace = TicketsNamespace(TICKETS_NS, hub)
    sio.register_namespace(namespace)
    publisher.on_control("recheck_ticket", namespace.recheck_ticket)
    publisher.on_control("resubscribed", namespace.resubscribed)
    return [*routes.routes(), *worklist_routes.routes()]
