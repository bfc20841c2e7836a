"""(d) Call set-up: invite → ringing → accept → offer/answer → ICE connected, real aiortc peers.

No STUN servers (the hub hands out an empty ``ice_servers``), so there is no 5 s STUN stall;
loopback host candidates only. Timed from the ``invite`` emit until both peers report ICE
``completed``. One call at a time (repeated), then ``calls_parallel`` at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from typing import Any

import aiohttp
import psutil

from bench.client import SioSocket
from bench.context import Context
from bench.servers import Server
from bench.stats import summary
from bench.world import BenchTicket, hub_env
from tests.signaling.peers import Peer

CALLS = "/calls"


class Inbox:
    """Events of one socket, awaited by name and call id."""

    def __init__(self, sock: SioSocket) -> None:
        self.events: dict[str, list[Any]] = defaultdict(list)
        self.changed = asyncio.Condition()
        sock.on_event = self._got

    def _got(self, event: str, args: list[Any], now: float) -> None:
        self.events[event].append(args[0])
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait(self, event: str, call_id: str, timeout: float = 15.0) -> Any:
        def found() -> Any:
            return next((d for d in self.events[event] if d.get("call_id") == call_id), None)

        async with asyncio.timeout(timeout), self.changed:
            await self.changed.wait_for(lambda: found() is not None)
            return found()


async def _ice_done(peer: Peer) -> None:
    done = asyncio.Event()

    def check() -> None:
        if peer.pc.iceConnectionState in ("completed", "connected"):
            done.set()

    peer.pc.on("iceconnectionstatechange", check)
    check()
    await done.wait()


#: The steps of a set-up, in order: hub steps (a request and the event it causes) and peer
#: steps (aiortc's work in this process: SDP, ICE checks, DTLS).
PHASES = ("invite", "accept", "create_offer", "relay_offer", "create_answer", "relay_answer",
          "ice")  # fmt: skip


async def one_call(
    http: aiohttp.ClientSession,
    url: str,
    t: BenchTicket,
    phases: dict[str, list[float]] | None = None,
) -> float:
    """One set-up, timed from ``invite`` to ICE connected; ``phases`` gets each step's share."""
    caller = await SioSocket.open(http, url, CALLS, {"token": t.officer_tokens[0]})
    callee = await SioSocket.open(http, url, CALLS, {"token": t.applicant_token})
    caller_in, callee_in = Inbox(caller), Inbox(callee)
    a = b = None
    try:
        marks = [time.monotonic()]
        ack = await caller.call("invite", {"ticket_id": t.id, "media": "audio"})
        assert ack.get("ok") and ack.get("status") == "ringing", ack
        call_id = ack["call_id"]
        await callee_in.wait("ringing", call_id)
        marks.append(time.monotonic())
        ack = await callee.call("accept", {"call_id": call_id})
        assert ack.get("ok"), ack
        await caller_in.wait("accepted", call_id)
        marks.append(time.monotonic())
        a, b = Peer.make(ack.get("ice_servers") or [], ("audio",)), Peer.make([], ("audio",))
        description = await a.offer()
        marks.append(time.monotonic())
        await caller.emit("offer", {"call_id": call_id, "description": description})
        offer = await callee_in.wait("offer", call_id)
        marks.append(time.monotonic())
        description = await b.answer(offer["description"])
        marks.append(time.monotonic())
        await callee.emit("answer", {"call_id": call_id, "description": description})
        answer = await caller_in.wait("answer", call_id)
        marks.append(time.monotonic())
        await a.accept_answer(answer["description"])
        async with asyncio.timeout(15):
            await asyncio.gather(_ice_done(a), _ice_done(b))
        marks.append(time.monotonic())
        took = marks[-1] - marks[0]
        if phases is not None:
            for name, start, end in zip(PHASES, marks[:-1], marks[1:], strict=True):
                phases[name].append(end - start)
        await caller.call("hangup", {"call_id": call_id})
        return took
    finally:
        for peer in (a, b):
            if peer is not None:
                await peer.close()
        await caller.close()
        await callee.close()


def _cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def _run(ctx: Context, url: str, pid: int) -> dict[str, Any]:
    sc = ctx.scale
    tickets = ctx.world["calls"]
    async with aiohttp.ClientSession() as http:
        await one_call(http, url, tickets[0])  # warm-up (imports, codecs)
        single = [
            await one_call(http, url, tickets[i % len(tickets)]) for i in range(sc.calls_repeat)
        ]
        many: list[float] = []
        steps: dict[str, list[float]] = defaultdict(list)
        cpu = _cpu(pid)
        for _ in range(2):
            many += await asyncio.gather(
                *(one_call(http, url, t, steps) for t in tickets[: sc.calls_parallel])
            )
        cpu = _cpu(pid) - cpu
    return {
        "one": summary(single),
        "parallel": summary(many),
        "parallel_n": sc.calls_parallel,
        # Where the parallel set-ups' time goes, step by step (p50/p99 of each).
        "parallel_phases": {name: summary(steps[name]) for name in PHASES},
        # The hub process's CPU (user + system) per parallel set-up, hang-up and sockets included.
        "parallel_cpu_ms": round(cpu * 1000 / max(len(many), 1), 1),
    }


def run(ctx: Context) -> dict[str, Any]:
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    with Server("hub", ctx.workdir, env) as server:
        out = asyncio.run(_run(ctx, server.url, server.pid))
    ctx.say(
        f"(d) hub: 1 call p50 {out['one']['p50']} ms p99 {out['one']['p99']} ms; "
        f"{out['parallel_n']} at once p50 {out['parallel']['p50']} ms "
        f"p99 {out['parallel']['p99']} ms"
    )
    ctx.say(
        "(d) hub: at once, p50 / p99 ms by step: "
        + "; ".join(f"{k} {v['p50']} / {v['p99']}" for k, v in out["parallel_phases"].items())
        + f"; hub CPU {out['parallel_cpu_ms']} ms per set-up"
    )
    return {"hub": out}
