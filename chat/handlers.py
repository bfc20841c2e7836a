"""The ``/tickets`` namespace: join, leave, send, history, edit, delete, typing, read.

Each handler parses, calls one :mod:`chat.actions` function (which owns its
transaction) and returns the ack fields; the
:class:`~hub.realtime.namespace.HubNamespace` turns errors into acks.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from chat import actions, events, posting, routes, worklist_routes
from hub.context import Hub
from hub.principal import Principal
from hub.realtime.namespace import HubNamespace
from hub.realtime.publisher import SocketPublisher
from hub.schemas import parse
from hub.timeline import TICKETS_NS, office_room, ticket_room
from notifications import watching


class TicketsNamespace(HubNamespace):
    def __init__(self, namespace: str, hub: Hub) -> None:
        super().__init__(namespace, hub)
        # Group commit: comments arriving while one batch commits go in the next.
        self.comments = actions.CommentPoster(hub)
        hub.on_lifespan(stop=self.comments.close)

    async def connected(self, sid: str, principal: Principal) -> None:
        if principal.is_officer:
            for office_id in principal.office_scope:
                await self.enter_room(sid, office_room(office_id))

    async def disconnected(self, sid: str, principal: Principal) -> None:
        await watching.gone(self.hub, sid)  # no longer watching any ticket (notifications)

    async def on_join(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        """Join a ticket's room; with ``after_seq``, the missed events come in the ack."""
        body = parse(events.JoinIn, data)
        await actions.check_join(self.hub, p, body.ticket_id, body.after_seq)
        # Enter first, then read: an event committed meanwhile is in the ack *and*
        # live; clients drop any seq they already hold.
        await self.enter_room(sid, ticket_room(body.ticket_id))
        await watching.joined(self.hub, sid, p, body.ticket_id)
        joined = await actions.replay(self.hub, p, body.ticket_id, body.after_seq)
        return {
            "ticket_id": joined.ticket_id,
            "last_seq": joined.last_seq,
            "events": joined.events,
            "reads": joined.reads,
            "through_seq": joined.through_seq,
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
        view, created = await self.comments.send(comment)
        return {"event": view, "duplicate": not created}

    async def on_history(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.HistoryIn, data)
        page = await actions.history(self.hub, p, body.ticket_id, body.before_seq, body.limit)
        rows = page.events
        return {
            "events": rows,
            "has_more": bool(rows) and rows[0]["seq"] > 1,
            "through_seq": page.through_seq,
        }

    async def on_missing(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.RangeIn, data)
        page = await actions.missing(self.hub, p, body.ticket_id, body.after_seq, body.before_seq)
        return {"events": page.events, "through_seq": page.through_seq}

    async def on_edit(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.EditIn, data)
        return {
            "event": await actions.edit_comment(self.hub, p, body.ticket_id, body.seq, body.body)
        }

    async def on_delete(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.DeleteIn, data)
        return {"event": await actions.delete_comment(self.hub, p, body.ticket_id, body.seq)}

    async def on_typing(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.TypingIn, data)
        return {"sent": await actions.typing(self.hub, p, body.ticket_id, body.typing)}

    async def on_read(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.ReadIn, data)
        return {"seq": await actions.mark_read(self.hub, p, body.ticket_id, body.seq)}

    async def recheck_ticket(self, args: dict[str, Any]) -> None:
        """Control op: drop local watchers of a ticket who may no longer see it."""
        ticket_id = int(args["ticket_id"])
        sids = await self.local_sids(ticket_room(ticket_id))
        if not sids:
            return
        watchers = {sid: await self.principal(sid) for sid in sids}
        allowed = await actions.may_watch(self.hub, ticket_id, list(watchers.values()))
        for (sid, _p), ok in zip(watchers.items(), allowed, strict=True):
            if not ok:
                await self.leave_room(sid, ticket_room(ticket_id))
                revoked = events.TicketRevokedOut(ticket_id=ticket_id)
                await self.emit("ticket_revoked", revoked.wire(), to=sid)

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
            latest = await actions.latest_event(self.hub, ticket_id)
            if latest is not None:
                await self.emit("ticket_event", latest, to=room, ignore_queue=True)


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    namespace = TicketsNamespace(TICKETS_NS, hub)
    sio.register_namespace(namespace)
    publisher.on_control("recheck_ticket", namespace.recheck_ticket)
    publisher.on_control("resubscribed", namespace.resubscribed)
    return [*routes.routes(), *worklist_routes.routes()]
