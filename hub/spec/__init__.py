"""The machine-readable contract: OpenAPI 3.1 for HTTP, AsyncAPI 3.0 for socket.io.

Both are built from the pydantic models the code parses and answers with: the
namespaces' :class:`hub.contract.NamespaceContract` (each package's ``events.py``) and
the endpoints' :class:`hub.spec.endpoints.Endpoint` tables. Part of the composition
root: it gathers every package.
"""

from __future__ import annotations

from hub.contract import NamespaceContract


def namespaces() -> list[NamespaceContract]:
    """Every namespace the hub serves, with the server events other packages publish on it."""
    from chat.events import CONTRACT as tickets
    from hub.queues.events import CONTRACT as queues
    from notifications.events import CONTRACT as notifications
    from signaling.events import CONTRACT as calls

    return [tickets, calls, notifications, queues]
