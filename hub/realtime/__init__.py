"""The socket.io door: server, authenticated namespaces, the one publisher, the control bus.

Only this package (and the namespaces built on :class:`hub.realtime.namespace.HubNamespace`)
talks to python-socketio. Services queue events on a :class:`hub.uow.Unit`; the
:class:`hub.realtime.publisher.SocketPublisher` sends them after commit, through the
client manager, so with ``REDIS_URL`` they reach clients on every process.

- :mod:`hub.realtime.managers` — the client managers: one encode per room emit
  (:class:`LeanEmitManager`), and python-socketio's Redis manager bounded for a Redis
  that is down (:class:`HubRedisManager`);
- :mod:`hub.realtime.server` — the server (:class:`HubServer`: the anonymous-connection
  deadline, owned tasks), its engine.io sockets (:class:`LeanSocket`) and packets;
- :mod:`hub.realtime.wire` — an event's frame written straight to an idle websocket (uvicorn);
- :mod:`hub.realtime.publisher` — :class:`SocketPublisher`, the single way events and
  control messages leave the hub;
- :mod:`hub.realtime.namespace` — :class:`HubNamespace`, the base of every namespace
  (connect authentication, event → ack), and the session's sockets.

Every module logs as ``hub.realtime``.
"""
