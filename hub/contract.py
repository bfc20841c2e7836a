"""The wire contract: every payload a client sends or gets is a pydantic model.

Each package states its namespace in a :class:`NamespaceContract` (next to its payload
models, in its ``events.py``): every client event with the model of its payload and of
its ack, every server event with the model of its payload. ``hub.spec`` gathers them
into the AsyncAPI document, and the test suite validates every frame that goes out —
events and acks — against them (``tests/support/contract.py``).

Outbound models (:class:`Wire`) refuse unknown fields, so a field added to a payload
without its model fails the suite rather than reaching clients undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hub.errors import ErrorCode


class Wire(BaseModel):
    """Base of every server → client payload (events and ack fields)."""

    model_config = ConfigDict(extra="forbid")

    def wire(self) -> dict[str, Any]:
        """The JSON-ready dict sent on the wire."""
        return self.model_dump(mode="json", by_alias=True)


class Empty(Wire):
    """An ack with nothing besides ``ok``."""


class ErrorBody(BaseModel):
    """``error`` of a failed ack or HTTP answer; some codes add fields (§2)."""

    model_config = ConfigDict(extra="allow")

    code: ErrorCode
    message: str
    fields: list[dict[str, Any]] | None = None
    field: str | None = None
    retry_after: int | None = None
    current_version: int | None = None


class ErrorAck(Wire):
    """Every failure, as an ack and as an HTTP body."""

    ok: Literal[False]
    error: ErrorBody


class Actor(Wire):
    id: int | None
    name: str | None
    role: str | None


class TicketEventOut(Wire):
    """One event of a ticket's timeline (``ticket_event``; in acks and HTTP answers)."""

    ticket_id: int
    seq: int
    kind: str
    actor: Actor
    client_id: str | None
    #: Its shape depends on ``kind`` (``docs/protocol.md`` §4).
    payload: dict[str, Any]
    created_at: str
    #: the public view of an event with officers-only fields left out (``hub.visibility``)
    redacted: bool | None = Field(default=None, exclude_if=lambda v: v is None)


@dataclass(frozen=True)
class ClientEvent:
    """A client → server event: its payload and the fields of its ``ok`` ack."""

    payload: type[BaseModel]
    ack: type[Wire]
    summary: str = ""


@dataclass(frozen=True)
class NamespaceContract:
    """What one socket.io namespace accepts (with its acks) and publishes."""

    namespace: str
    summary: str
    client: dict[str, ClientEvent] = field(default_factory=dict)
    server: dict[str, type[BaseModel]] = field(default_factory=dict)

    def merged(self, other: NamespaceContract) -> NamespaceContract:
        """This namespace with the server events another package publishes on it."""
        assert other.namespace == self.namespace
        return NamespaceContract(
            self.namespace,
            self.summary or other.summary,
            {**self.client, **other.client},
            {**self.server, **other.server},
        )
