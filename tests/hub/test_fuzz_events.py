"""Property-based fuzzing of every socket event from its schema, over a real connection.

For each client event of each namespace (``hub.spec.namespaces``), hypothesis draws
payloads from the event's JSON schema (``tests.support.schema_strategy``: payloads the schema
accepts, so they reach the services) and arbitrary JSON besides (what a broken client
sends). Whatever arrives: the ack is ``ok`` or a typed error, never ``unavailable``;
nothing is logged with a traceback; and the connection stays open (a last ``sync`` /
``leave`` still gets its ack). Bounded: :data:`EXAMPLES` payloads per event and role.

Hypothesis runs in a worker thread; each payload is sent on the test's event loop,
where the live hub runs.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.spec import namespaces
from tests.support.bad_ids import tracebacks, watched_logs
from tests.support.schema_strategy import from_schema
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

#: payloads per event and role (about 30 events: a minute or so on 2 cores)
EXAMPLES = 12
NAMESPACES = ("/tickets", "/calls", "/notifications", "/queues")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
#: the event that proves a namespace's connection still answers
PROBE = {
    "/tickets": ("leave", {"ticket_id": 1}),
    "/calls": ("decline", {"call_id": "A" * 22}),
    "/notifications": ("sync", {}),
    "/queues": ("unwatch", {"office_id": 1}),
}


def payloads(model: Any) -> st.SearchStrategy[Any]:
    return from_schema(model.model_json_schema()) | JSON


def fuzz(loop: asyncio.AbstractEventLoop, client: Client, found: list[str]) -> None:
    """Runs in a worker thread: every event of every namespace, EXAMPLES payloads each."""
    for contract in namespaces():
        for event, spec in contract.client.items():
            if event == "echo_offer":  # a valid SDP would start an aiortc peer: not fuzzed
                continue
            fuzz_event(loop, client, contract.namespace, event, spec.payload, found)


def fuzz_event(
    loop: asyncio.AbstractEventLoop,
    client: Client,
    namespace: str,
    event: str,
    model: Any,
    found: list[str],
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=payloads(model))
    def send(data: Any) -> None:
        call = client.sio.call(event, data, namespace=namespace, timeout=15)
        ack = asyncio.run_coroutine_threadsafe(call, loop).result(30)
        error = ack.get("error", {}) if isinstance(ack, dict) else {}
        if not isinstance(ack, dict) or "ok" not in ack:
            found.append(f"{namespace} {event} {data!r}: not an ack: {ack!r}")
        elif error.get("code") == "unavailable":
            found.append(f"{namespace} {event} {data!r}: unavailable")

    send()


async def _fuzz_as(live: RunningHub, token: str) -> list[str]:
    client = await connect(live.url, token, NAMESPACES)
    found: list[str] = []
    try:
        with watched_logs() as records:
            loop = asyncio.get_running_loop()
            await asyncio.to_thread(fuzz, loop, client, found)
            found += tracebacks(records)
        assert not client.gone.is_set(), "a namespace was disconnected"
        for ns, (event, data) in PROBE.items():
            ack = await client.call(event, data, namespace=ns)
            assert isinstance(ack, dict) and "ok" in ack, f"{ns} no longer answers: {ack!r}"
    finally:
        await client.close()
    return found


async def test_fuzzed_events_never_fail_the_hub_nor_close_the_connection(
    live: RunningHub, live_world: World
) -> None:
    await live_world.new_ticket()
    problems: list[str] = []
    for role in ("citizen", "fo", "spv"):
        problems += [f"{role}: {p}" for p in await _fuzz_as(live, live_world.tokens[role])]
    assert not problems, "\n".join(problems[:20])
