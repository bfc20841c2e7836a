"""Persist, then publish: a unit of work collects events and sends them after commit.

Services receive a :class:`Unit` (a session plus an outbox). They never emit
directly; :meth:`hub.context.Hub.unit` commits the transaction and only then hands
the outbox to the publisher, so nothing is announced that was not stored (Zulip's
``send_event_on_commit``).

A service also *records* domain facts on the unit (:meth:`Unit.record`: a ticket
changed, a call ended). Downstream projections — the live queue board,
notifications — subscribe to fact types (:meth:`hub.context.Hub.on_fact`) and run in
the same transaction just before it commits, so the service that records a fact
never imports the packages that react to it. What a projection queues takes the
fact's place in the outbox: clients get events in the order they would if the
service had called the projection where it recorded the fact.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from hub.context import Context


@dataclass(frozen=True)
class Outgoing:
    event: str
    data: dict[str, Any]
    rooms: tuple[str, ...]
    namespace: str


@dataclass(frozen=True)
class Control:
    """A message to every process (e.g. re-check who may stay in a ticket room)."""

    op: str
    args: dict[str, Any]


class Publisher(Protocol):
    async def publish(self, items: list[Outgoing | Control]) -> None: ...


class QuietPublisher:
    """Publishes nothing: for a command-line hub that nobody is connected to."""

    async def publish(self, items: list[Outgoing | Control]) -> None:
        del items


#: A downstream package's say on a question a service asks in its transaction
#: (:meth:`Unit.ask`): it raises a typed error to refuse, or returns fields to add.
Guard = Callable[["Unit", Any], Awaitable[dict[str, Any]]]


@dataclass
class Unit:
    session: AsyncSession
    #: The app's settings, clock, limiter, live registry and office cache.
    ctx: Context
    outbox: list[Outgoing | Control] = field(default_factory=list)
    #: Recorded facts, each with the length of the outbox when it was recorded.
    facts: list[tuple[object, int]] = field(default_factory=list)
    guards: Mapping[type, list[Guard]] = field(default_factory=dict)
    #: Run once the transaction has committed (``after_commit``), before the outbox leaves.
    committed: list[Callable[[], None]] = field(default_factory=list)

    async def ask(self, question: object) -> dict[str, Any]:
        """Ask the guards subscribed to ``question``'s type (``Hub.on_ask``) before a change:
        any of them may refuse it (a typed error: nothing changes); the fields they return
        are merged. The service that asks never imports the packages that answer."""
        answer: dict[str, Any] = {}
        for guard in self.guards.get(type(question), ()):
            answer.update(await guard(self, question))
        return answer

    def record(self, fact: object) -> None:
        """Record a domain fact for the projections subscribed to its type (run before commit).

        The events they queue go out after those queued before this call and before
        those queued after it.
        """
        self.facts.append((fact, len(self.outbox)))

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` (cheap, synchronous: a metric) only if this transaction commits."""
        self.committed.append(fn)

    def emit(self, event: str, data: BaseModel, rooms: list[str], namespace: str) -> None:
        """Queue ``event`` for ``rooms``; sent only once the transaction has committed.

        ``data`` is the event's model (``hub.contract``: the namespace's contract names
        it); it is turned into JSON-ready data here, in the transaction, so a payload that
        cannot be serialised fails before commit, not after.
        """
        payload = data.model_dump(mode="json", by_alias=True)
        self.outbox.append(Outgoing(event, payload, tuple(rooms), namespace))

    def control(self, op: str, **args: Any) -> None:
        self.outbox.append(Control(op, args))
