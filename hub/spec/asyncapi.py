"""AsyncAPI 3.0 of the socket.io namespaces, from their contracts (``hub.contract``).

From the hub's side: a client event is an operation the hub *receives*, its ack the
operation's *reply* (``{ok: true, …}`` or the error ack); a server event is one it
*sends*. Each namespace is a channel (its address the namespace). Message keys are
``c.<event>`` (client → server), ``c.<event>.ack`` and ``s.<event>`` (server → client);
each message's ``name`` is the socket.io event name.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, create_model
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from hub.contract import ErrorAck, NamespaceContract

REF = "#/components/schemas/{model}"


def ok_ack(ack: type[BaseModel]) -> type[BaseModel]:
    """The ack model with its ``ok: true``."""
    return create_model(f"{ack.__name__}Ok", __base__=ack, ok=(Literal[True], ...))


def channel_id(namespace: str) -> str:
    return namespace.strip("/") or "root"


def build(namespaces: list[NamespaceContract], version: str) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of ``namespaces``."""
    acks: dict[tuple[str, str], type[BaseModel]] = {}
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorAck, "serialization")]
    for ns in namespaces:
        for event, spec in ns.client.items():
            acks[(ns.namespace, event)] = ok_ack(spec.ack)
            wanted += [(spec.payload, "validation"), (acks[(ns.namespace, event)], "serialization")]
        wanted += [(model, "serialization") for model in ns.server.values()]
    keys, defs = models_json_schema(wanted, ref_template=REF)
    ref = {(model, mode): schema for (model, mode), schema in keys.items()}

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for ns in namespaces:
        cid = channel_id(ns.namespace)
        messages: dict[str, Any] = {}
        for event, spec in ns.client.items():
            messages[f"c.{event}"] = {
                "name": event,
                "title": f"{event} (client → hub)",
                "summary": spec.summary,
                "payload": ref[(spec.payload, "validation")],
            }
            messages[f"c.{event}.ack"] = {
                "name": event,
                "title": f"{event} ack",
                "payload": {
                    "oneOf": [
                        ref[(acks[(ns.namespace, event)], "serialization")],
                        ref[(ErrorAck, "serialization")],
                    ]
                },
            }
            channel = {"$ref": f"#/channels/{cid}"}
            operations[f"{cid}.{event}"] = {
                "action": "receive",
                "channel": channel,
                "summary": spec.summary,
                "messages": [{"$ref": f"#/channels/{cid}/messages/c.{event}"}],
                "reply": {
                    "channel": channel,
                    "messages": [{"$ref": f"#/channels/{cid}/messages/c.{event}.ack"}],
                },
            }
        for event, model in ns.server.items():
            messages[f"s.{event}"] = {
                "name": event,
                "title": f"{event} (hub → client)",
                "summary": (model.__doc__ or "").strip().split("\n\n")[0],
                "payload": ref[(model, "serialization")],
            }
            operations[f"{cid}.on.{event}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{cid}"},
                "messages": [{"$ref": f"#/channels/{cid}/messages/s.{event}"}],
            }
        channels[cid] = {
            "address": ns.namespace,
            "title": ns.namespace,
            "description": ns.summary,
            "messages": messages,
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "asinan-hub socket.io",
            "version": version,
            "description": (
                "Socket.io (Engine.IO v4, path /socket.io/) namespaces of asinan-hub. "
                "Authenticate each namespace connect with {auth: {token}} or the session "
                "cookie. Every client event is acknowledged; see docs/protocol.md."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "hub": {
                "host": "127.0.0.1:8000",
                "protocol": "ws",
                "pathname": "/socket.io/",
                "description": "socket.io over websocket (or long-polling)",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": defs.get("$defs", {})},
    }
