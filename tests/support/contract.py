"""The frame recorder: every frame the hub sends during the suite is checked against its model.

Installed once per session (``tests/conftest.py``), it wraps the hub's one emit point
on the wire (``LeanEmitManager.emit``: unit events, namespace emits, with or without
Redis), the one place acks are made (``HubNamespace.trigger_event``) and the outbox of
hubs without a server (``tests.conftest.Recorder``). Each frame is serialised to JSON and
validated from that JSON, strictly, by the model its namespace's contract names
(``hub.contract``), then dumped again: the round trip must give the same JSON. An event
name no contract knows fails too. Problems are collected and fail the test that caused
them (its teardown), naming the namespace, event and what to add.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from hub.contract import ErrorAck, NamespaceContract


@dataclass
class FrameRecorder:
    contracts: list[NamespaceContract]
    problems: list[str] = field(default_factory=list)
    #: (namespace, "event" | "ack" | "error", name) of every frame checked
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    #: frames with names no contract knows are let through (tests of the machinery)
    allow_unknown: bool = False

    def __post_init__(self) -> None:
        self.namespaces = {c.namespace: c for c in self.contracts}

    def event(self, namespace: str, event: str, data: Any) -> None:
        """A server → client event."""
        contract = self.namespaces.get(namespace)
        model = contract.server.get(event) if contract else None
        if model is None:
            if not self.allow_unknown:
                self.problems.append(
                    f"{namespace} event {event!r} has no model: add it to `server` of the "
                    f"NamespaceContract in the events.py of the package that publishes it "
                    f"(and to docs/protocol.md)"
                )
            return
        self.seen.add((namespace, "event", event))
        self._check(f"{namespace} event {event!r}", model, data)

    def ack(self, namespace: str, event: str, ack: Any) -> None:
        """The ack of a client → server event."""
        if isinstance(ack, dict) and ack.get("ok") is False:
            self.seen.add((namespace, "error", event))
            self._check(f"{namespace} {event!r} error ack", ErrorAck, ack)
            return
        contract = self.namespaces.get(namespace)
        spec = contract.client.get(event) if contract else None
        if spec is None:
            if not self.allow_unknown:
                self.problems.append(
                    f"{namespace} client event {event!r} has no contract: add it to `client` "
                    f"of the NamespaceContract in the package's events.py"
                )
            return
        if not isinstance(ack, dict) or ack.get("ok") is not True:
            self.problems.append(f"{namespace} {event!r}: ack is not {{ok: true|false}}: {ack!r}")
            return
        self.seen.add((namespace, "ack", event))
        fields = {k: v for k, v in ack.items() if k != "ok"}
        self._check(f"{namespace} {event!r} ack", spec.ack, fields)

    def _check(self, what: str, model: type[BaseModel], data: Any) -> None:
        try:
            text = json.dumps(data)
        except (TypeError, ValueError) as exc:
            self.problems.append(f"{what}: not JSON ({exc}): {data!r}"[:2000])
            return
        try:
            parsed = model.model_validate_json(text, strict=True)
        except ValidationError as exc:
            self.problems.append(
                f"{what} does not match {model.__module__}.{model.__qualname__}: "
                f"{exc}\n  payload: {text[:500]}"
            )
            return
        back = json.loads(parsed.model_dump_json(by_alias=True, exclude_unset=True))
        if back != json.loads(text):
            self.problems.append(
                f"{what}: {model.__qualname__} does not round-trip: {text[:300]} → {back!r}"[:2000]
            )

    def take(self) -> list[str]:
        out, self.problems = self.problems, []
        return out


def install(recorder: FrameRecorder) -> Any:
    """Wrap the emit point and the ack point; returns the MonkeyPatch to undo at the end."""
    import pytest

    from hub.realtime.managers import LeanEmitManager
    from hub.realtime.namespace import HubNamespace

    patch = pytest.MonkeyPatch()
    emit = LeanEmitManager.emit
    trigger = HubNamespace.trigger_event

    async def recorded_emit(
        self: Any, event: str, data: Any, namespace: Any = None, *args: Any, **kwargs: Any
    ) -> None:
        # python-socketio passes several arguments as a tuple; the hub sends one object
        payload = data[0] if isinstance(data, tuple) and len(data) == 1 else data
        recorder.event(str(namespace or "/"), event, payload)
        await emit(self, event, data, namespace, *args, **kwargs)

    async def recorded_trigger(self: Any, event: str, *args: Any) -> Any:
        result = await trigger(self, event, *args)
        if event not in ("connect", "disconnect"):
            recorder.ack(self.namespace, event, result)
        return result

    patch.setattr(LeanEmitManager, "emit", recorded_emit)
    patch.setattr(HubNamespace, "trigger_event", recorded_trigger)
    return patch
