"""The base of every namespace: authenticate on connect, turn each event into an ack."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any

import socketio

from hub.auth import COOKIE_NAME
from hub.context import Hub
from hub.db import is_unavailable
from hub.errors import HubError, Invalid, Unavailable, error_body
from hub.logs import Tally, bind_log
from hub.principal import Principal
from hub.realtime.server import HubServer
from hub.schemas import check_size

logger = logging.getLogger("hub.realtime")


def cookie_token(environ: dict[str, Any]) -> str | None:
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel else None


Handler = Callable[[str, Principal, Any], Awaitable[dict[str, Any] | None]]


class HubNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Authenticates on connect; turns every event into parse → authorize → service → ack.

    Handlers are ``on_<event>(sid, principal, data)`` returning the ack fields;
    a :class:`HubError` becomes ``{"ok": false, "error": …}``, anything else
    ``unavailable`` (logged), and an unknown event ``invalid``.
    """

    def __init__(self, namespace: str, hub: Hub) -> None:
        super().__init__(namespace)
        self.hub = hub
        self._event_series: dict[str, tuple[Any, Any]] = {}
        self._acks: dict[tuple[str, str], Any] = {}
        # Every series of the namespace's closed set of events exists from the start, at 0.
        m = hub.metrics
        for series in (m.sockets, m.connects, m.disconnects):
            series.labels(namespace)
        for event in self.events():
            m.events_in.labels(namespace, event)
            m.ack_seconds.labels(namespace, event)
            m.acks.labels(namespace, event, "ok")

    @classmethod
    def events(cls) -> list[str]:
        """The client events this namespace answers (its ``on_<event>`` methods)."""
        return sorted(
            name[3:]
            for name in dir(cls)
            if name.startswith("on_") and name not in ("on_connect", "on_disconnect")
        )

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str):
            token = cookie_token(environ)
        try:
            principal = await self.hub.principal_from_token(token)
        except HubError:
            raise socketio.exceptions.ConnectionRefusedError("unauthenticated") from None
        except Exception as exc:
            report_failure(f"connect to {self.namespace}", exc, self.hub.tally)
            raise socketio.exceptions.ConnectionRefusedError("unavailable") from None
        bind_log(user_id=principal.user_id)
        # Counted and entered without yielding to the loop (neither call waits on anything):
        # concurrent connects of one session cannot overshoot the cap.
        room = session_room(principal.session_id)
        limit = self.hub.settings.max_sockets_per_session
        if len(await self.local_sids(room)) >= limit:
            self.hub.tally.add("connects refused: too many sockets of one session")
            raise socketio.exceptions.ConnectionRefusedError(
                "too_many_connections", {"limit": limit}
            )
        await self.enter_room(sid, room)
        await self.save_session(sid, {"principal": principal})
        # counted once its principal is saved: on_disconnect uncounts exactly those
        self.hub.metrics.sockets.labels(self.namespace).inc()
        self.hub.metrics.connects.labels(self.namespace).inc()
        await self.enter_room(sid, principal.personal_room)
        await self.hub.socket_opened(principal)
        await self.connected(sid, principal)

    async def connected(self, sid: str, principal: Principal) -> None:
        """Hook for namespaces (presence, etc.)."""

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)
        if eio_sid is not None:  # a connection left with no namespace gets closed in time
            self.server.watch_anonymous(eio_sid, self.server.auth_timeout)
        with contextlib.suppress(KeyError):
            principal = await self.principal(sid)
            self.hub.metrics.sockets.labels(self.namespace).dec()
            self.hub.metrics.disconnects.labels(self.namespace).inc()
            await self.hub.socket_closed(principal)
            await self.disconnected(sid, principal)

    async def disconnected(self, sid: str, principal: Principal) -> None:
        """Hook for namespaces."""

    async def principal(self, sid: str) -> Principal:
        session = await self.get_session(sid)
        principal = session["principal"]
        assert isinstance(principal, Principal)
        return principal

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            bind_log(socket_id=args[0])
            return await super().trigger_event(event, *args)
        # Each event runs in its own task (python-socketio's async_handlers): what is
        # bound here is seen by this event's log lines only.
        bind_log(socket_id=args[0])
        # the label is a name the namespace declares, never what a client made up
        known = not event.startswith("_") and hasattr(self, f"on_{event}")
        name = event if known else "unknown"
        events_in, ack_seconds = self._series(name)
        events_in.inc()
        start = time.perf_counter()
        body = await self._answer(event, *args)
        ack_seconds.observe(time.perf_counter() - start)
        outcome = "ok" if body.get("ok") else str(body.get("error", {}).get("code"))
        acks = self._acks.get((name, outcome))
        if acks is None:  # error codes are a closed set too
            acks = self._acks[name, outcome] = self.hub.metrics.acks.labels(
                self.namespace, name, outcome
            )
        acks.inc()
        return body

    def _series(self, name: str) -> tuple[Any, Any]:
        """The event's ``events_in`` and ``ack_seconds`` series, looked up once (a
        ``labels()`` lookup takes a lock and builds a key: three per event added up)."""
        series = self._event_series.get(name)
        if series is None:
            m = self.hub.metrics
            series = self._event_series[name] = (
                m.events_in.labels(self.namespace, name),
                m.ack_seconds.labels(self.namespace, name),
            )
        return series

    async def _answer(self, event: str, *args: Any) -> dict[str, Any]:
        sid = args[0]
        handler: Handler | None = getattr(self, f"on_{event}", None)
        if len(args) != 2 or not isinstance(args[1], dict) or handler is None:
            try:  # one object is sized by the handler's parse; anything else here
                check_size(list(args[1:]))
            except HubError as exc:
                return error_body(exc)
        if handler is None or event.startswith("_"):
            return error_body(Invalid("unknown_event", event=event))
        if len(args) > 2:
            return error_body(Invalid("send_one_object"))
        try:
            principal = await self.principal(sid)
            bind_log(user_id=principal.user_id)
            result = await handler(sid, principal, args[1] if len(args) > 1 else None)
        except HubError as exc:
            return error_body(exc)
        except Exception as exc:
            report_failure(f"event {event} on {self.namespace}", exc, self.hub.tally)
            return error_body(Unavailable())
        return {"ok": True, **(result or {})}

    async def local_sids(self, room: str) -> list[str]:
        return [sid for sid, _eio in self.server.manager.get_participants(self.namespace, room)]

    def local_rooms(self, prefix: str) -> list[str]:
        """Rooms of this namespace, starting with ``prefix``, that have sockets on this process."""
        rooms = self.server.manager.rooms.get(self.namespace, {})
        return [r for r in list(rooms) if isinstance(r, str) and r.startswith(prefix)]


def session_room(session_id: str) -> str:
    """Room of every socket of one login session (in each namespace)."""
    return f"session:{session_id}"


def report_failure(what: str, exc: BaseException, tally: Tally) -> None:
    """Log a failed event: one WARNING line without traceback when the database is
    unreachable (and counted for the periodic summary), the traceback otherwise (a bug)."""
    if is_unavailable(exc):
        logger.warning("%s failed: database unavailable (%s)", what, type(exc).__name__)
        tally.add("events failed: database unavailable", logging.WARNING)
    else:
        logger.error("%s failed", what, exc_info=exc)


async def disconnect_session(sio: HubServer, session_id: str) -> None:
    """Close every local socket of a session, in every namespace (control op)."""
    for ns in list(sio.namespace_handlers):
        for sid, _eio in list(sio.manager.get_participants(ns, session_room(session_id))):
            await sio.disconnect(sid, namespace=ns)
