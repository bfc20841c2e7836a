"""Call set-ups against the hub with real aiortc peers, in this process or in worker processes.

A set-up is split in three: :func:`connect` (the officer's console and the citizen's ticket
page open their ``/calls`` sockets), :func:`setup` (timed: ``invite`` emit → both peers ICE
connected) and :func:`teardown` (hang-up, peers and sockets closed). :class:`Burst` runs many
set-ups at once spread over spawned worker processes — each peer is a device of its own in
real life, so their SDP / ICE / DTLS work must not queue on one event loop — with every socket
connected before the start signal and every hang-up after the last set-up of the burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from bench.client import SioSocket
from bench.world import BenchTicket
from tests.signaling.peers import Peer

CALLS = "/calls"

#: The steps of a set-up, in order: hub steps (a request and the event it causes) and peer
#: steps (aiortc's work: SDP, ICE checks, DTLS).
PHASES = ("invite", "accept", "create_offer", "relay_offer", "create_answer", "relay_answer",
          "ice")  # fmt: skip


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


@dataclass
class Leg:
    """One call's two sockets (officer = caller, applicant = callee) and, once set up, peers."""

    ticket: BenchTicket
    caller: SioSocket
    callee: SioSocket
    caller_in: Inbox
    callee_in: Inbox
    call_id: str | None = None
    peers: list[Peer] = field(default_factory=list)


async def connect(http: aiohttp.ClientSession, url: str, t: BenchTicket) -> Leg:
    caller = await SioSocket.open(http, url, CALLS, {"token": t.officer_tokens[0]})
    try:
        callee = await SioSocket.open(http, url, CALLS, {"token": t.applicant_token})
    except BaseException:
        await caller.close()
        raise
    return Leg(t, caller, callee, Inbox(caller), Inbox(callee))


async def setup(leg: Leg, phases: dict[str, list[float]] | None = None) -> float:
    """One set-up, timed from ``invite`` to ICE connected; ``phases`` gets each step's share."""
    caller, callee, caller_in, callee_in = leg.caller, leg.callee, leg.caller_in, leg.callee_in
    marks = [time.monotonic()]
    ack = await caller.call("invite", {"ticket_id": leg.ticket.id, "media": "audio"})
    assert ack.get("ok") and ack.get("status") == "ringing", ack
    call_id = leg.call_id = ack["call_id"]
    await callee_in.wait("ringing", call_id)
    marks.append(time.monotonic())
    ack = await callee.call("accept", {"call_id": call_id})
    assert ack.get("ok"), ack
    await caller_in.wait("accepted", call_id)
    marks.append(time.monotonic())
    a = Peer.make(ack.get("ice_servers") or [], ("audio",))
    leg.peers.append(a)
    b = Peer.make([], ("audio",))
    leg.peers.append(b)
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
    if phases is not None:
        for name, start, end in zip(PHASES, marks[:-1], marks[1:], strict=True):
            phases[name].append(end - start)
    return marks[-1] - marks[0]


async def teardown(leg: Leg, hangup: bool = True) -> None:
    """Hang up (if the set-up got that far), close the peers, then the sockets."""
    try:
        if hangup and leg.call_id is not None:
            await leg.caller.call("hangup", {"call_id": leg.call_id})
    finally:
        for peer in leg.peers:
            await peer.close()
        await leg.caller.close()
        await leg.callee.close()


async def one_call(
    http: aiohttp.ClientSession,
    url: str,
    t: BenchTicket,
    phases: dict[str, list[float]] | None = None,
) -> float:
    """Connect, set up (timed), hang up and close: one call in isolation."""
    leg = await connect(http, url, t)
    ok = False
    try:
        took = await setup(leg, phases)
        ok = True
        return took
    finally:
        await teardown(leg, hangup=ok)


async def warm_peers() -> None:
    """One loopback aiortc call without the hub: imports, codecs, DTLS code paths warmed."""
    a, b = Peer.make([], ("audio",)), Peer.make([], ("audio",))
    try:
        answer = await b.answer(await a.offer())
        await a.accept_answer(answer)
        async with asyncio.timeout(15):
            await asyncio.gather(_ice_done(a), _ice_done(b))
    finally:
        await a.close()
        await b.close()


# ── worker processes ─────────────────────────────────────────────────────────────────────


async def _serve(pipe: Connection, start: Any, url: str) -> None:
    """Commands from :class:`Burst`: ``connect`` (tickets) → sockets open, ``ready``; then on
    ``start`` every set-up at once → ``done`` (durations, phases); ``hangup`` → ``closed``."""
    loop = asyncio.get_running_loop()
    await warm_peers()
    pipe.send(("ok", None))
    legs: list[Leg] = []
    async with aiohttp.ClientSession() as http:
        while True:
            cmd, arg = await loop.run_in_executor(None, pipe.recv)
            try:
                if cmd == "quit":
                    return
                if cmd == "connect":
                    legs = list(await asyncio.gather(*(connect(http, url, t) for t in arg)))
                    pipe.send(("ok", None))
                    await loop.run_in_executor(None, start.wait)
                    phases: dict[str, list[float]] = defaultdict(list)
                    took = await asyncio.gather(*(setup(leg, phases) for leg in legs))
                    pipe.send(("ok", {"took": list(took), "phases": dict(phases)}))
                elif cmd == "hangup":
                    await asyncio.gather(*(teardown(leg) for leg in legs))
                    legs = []
                    pipe.send(("ok", None))
            except Exception:
                pipe.send(("error", traceback.format_exc()))
                await asyncio.gather(
                    *(teardown(leg, False) for leg in legs), return_exceptions=True
                )
                legs = []


def _worker_main(pipe: Connection, start: Any, url: str) -> None:
    try:
        asyncio.run(_serve(pipe, start, url))
    except KeyboardInterrupt:
        pass
    except Exception:
        pipe.send(("error", traceback.format_exc()))


@dataclass
class BurstResult:
    took: list[float]
    phases: dict[str, list[float]]
    #: Seconds from the start signal until the last worker reported its last set-up done.
    window: float
    #: How much ``probe`` grew over that window.
    probed: float


class Burst:
    """``workers`` spawned processes, each with its own event loop and its share of calls."""

    def __init__(self, url: str, workers: int, timeout: float = 120.0) -> None:
        ctx = mp.get_context("spawn")
        self.timeout = timeout
        self.start = ctx.Event()
        self.pipes: list[Connection] = []
        self.procs: list[Any] = []
        try:
            for _ in range(workers):
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_worker_main, args=(child, self.start, url), daemon=True)
                proc.start()
                self.pipes.append(parent)
                self.procs.append(proc)
            self._replies("warm-up")
        except BaseException:
            self.close()
            raise

    def _replies(self, what: str) -> list[Any]:
        out = []
        for pipe in self.pipes:
            if not pipe.poll(self.timeout):
                raise TimeoutError(f"call worker did not answer {what!r}")
            status, data = pipe.recv()
            if status != "ok":
                raise RuntimeError(f"call worker failed at {what!r}:\n{data}")
            out.append(data)
        return out

    def run(self, tickets: list[BenchTicket], probe: Callable[[], float] = float) -> BurstResult:
        """Connect every ticket's sockets, then start all set-ups at once; ``probe`` is read
        right before the start signal and once the last set-up is done (before any hang-up).
        Hangs up and closes everything before returning."""
        shares: list[list[BenchTicket]] = [[] for _ in self.pipes]
        for i, t in enumerate(tickets):
            shares[i % len(shares)].append(t)
        self.start.clear()
        for pipe, share in zip(self.pipes, shares, strict=True):
            pipe.send(("connect", share))
        self._replies("connect")
        before = probe()
        t0 = time.monotonic()
        self.start.set()
        results = self._replies("set-up")
        window = time.monotonic() - t0
        probed = probe() - before
        self.start.clear()
        for pipe in self.pipes:
            pipe.send(("hangup", None))
        self._replies("hangup")
        phases: dict[str, list[float]] = defaultdict(list)
        for r in results:
            for name, values in r["phases"].items():
                phases[name] += values
        return BurstResult([x for r in results for x in r["took"]], dict(phases), window, probed)

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(("quit", None))
        for proc in self.procs:
            proc.join(5)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
        self.pipes, self.procs = [], []

    def __enter__(self) -> Burst:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
