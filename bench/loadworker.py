"""A worker process of the load generator: holds its share of the sockets, sends on a
schedule, and records what it receives.

The parent (:class:`bench.loadgen.Generator`) sends commands over a pipe; each
``cmd_<name>`` method answers one. A step sends ``send`` events on this worker's sender
sockets at a fixed rate (never waiting for an ack), and every socket records each
``ticket_event`` it receives with its send→receive latency. The body of each comment
carries ``step|sender|n|send time`` (``time.monotonic()`` is one clock for every process
here). A worker reports its own CPU so a saturated generator is visible.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from bench.client import SioSocket

#: Descriptors a worker keeps for itself (pipes, event loop, DNS…) below its RLIMIT_NOFILE;
#: the rest may be sockets. Each worker is a process with its own limit, so N workers hold
#: up to N × (limit − reserve) sockets between them.
FD_RESERVE = 100

TEXT = "Mohon lampirkan fotokopi KK dan KTP pemohon, terima kasih."


@dataclass(frozen=True)
class ConnSpec:
    """One socket: its token, the room (ticket) it joins, and whether it sends."""

    token: str
    ticket_id: int
    sender_id: int = -1  # ≥ 0: this socket sends comments
    url: str = ""  # another server than the worker's (scale-out)


@dataclass
class StepReport:
    """What one worker saw of one step."""

    sent: int = 0
    ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    ack_lat: array[float] = field(default_factory=lambda: array("d"))
    max_lag: float = 0.0
    cpu: float = 0.0  # this worker's CPU, in % of one core, while sending
    aborted: bool = False  # stopped sending early: the server fell too far behind


@dataclass
class Received:
    count: int = 0
    lat: array[float] = field(default_factory=lambda: array("d"))
    keys: array[int] = field(default_factory=lambda: array("q"))


def raise_nofile() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


class Worker:
    """Runs in its own process; obeys commands read from its pipe."""

    def __init__(self, pipe: Connection, url: str, namespace: str) -> None:
        self.pipe = pipe
        self.url = url
        self.namespace = namespace
        self.sockets: list[SioSocket] = []
        self.senders: list[tuple[SioSocket, ConnSpec]] = []
        self.received: dict[int, Received] = {}
        self.session: aiohttp.ClientSession | None = None

    def on_event(self, event: str, args: list[Any], now: float) -> None:
        if event != "ticket_event":
            return
        data = args[0]
        try:
            body = data["payload"]["body"]
            step_s, sender_s, n_s, sent_s, _ = body.split("|", 4)
            step = int(step_s)
        except (KeyError, TypeError, ValueError):
            return
        rec = self.received.get(step)
        if rec is None:
            rec = self.received[step] = Received()
        rec.count += 1
        rec.lat.append(now - float(sent_s))
        rec.keys.append(int(sender_s) * 1_000_000 + int(n_s))

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        self.session = aiohttp.ClientSession(connector=connector)
        try:
            while True:
                cmd, arg = await loop.run_in_executor(None, self.pipe.recv)
                if cmd == "stop":
                    break
                handler = getattr(self, f"cmd_{cmd}")
                self.pipe.send(await handler(arg))
        finally:
            await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)
            await self.session.close()

    async def _open(self, spec: ConnSpec, gate: asyncio.Semaphore) -> str | None:
        async with gate:
            try:
                assert self.session is not None
                sock = await SioSocket.open(
                    self.session, spec.url or self.url, self.namespace, {"token": spec.token}
                )
            except Exception as exc:
                return f"connect: {type(exc).__name__}: {exc}"[:200]
            sock.on_event = self.on_event
            self.sockets.append(sock)
            try:
                ack = await sock.call("join", {"ticket_id": spec.ticket_id})
            except Exception as exc:
                return f"join: {type(exc).__name__}"
            if not isinstance(ack, dict) or ack.get("ok") is not True:
                return f"join refused: {str(ack)[:160]}"
            if spec.sender_id >= 0:
                self.senders.append((sock, spec))
            return None

    async def cmd_connect(self, specs: list[ConnSpec]) -> dict[str, Any]:
        gate = asyncio.Semaphore(64)
        started = time.monotonic()
        room = resource.getrlimit(resource.RLIMIT_NOFILE)[0] - FD_RESERVE - len(self.sockets)
        if len(specs) > room:
            # this worker's own descriptor limit, not the server's: say so, open none
            return {
                "ok": 0, "failed": len(specs), "seconds": 0.0, "open": len(self.sockets),
                "sample": [f"generator worker fd limit: room for {max(room, 0)} more sockets"],
            }  # fmt: skip
        results = await asyncio.gather(*(self._open(s, gate) for s in specs))
        failures = [r for r in results if r is not None]
        return {
            "ok": len(specs) - len(failures),
            "failed": len(failures),
            "sample": failures[:3],
            "seconds": time.monotonic() - started,
            "open": sum(1 for s in self.sockets if not s.closed.is_set()),
        }

    async def cmd_step(self, arg: dict[str, Any]) -> StepReport:
        """Send ``rate`` comments/s in total (over this worker's senders) for ``duration``."""
        step, rate, duration = int(arg["step"]), float(arg["rate"]), float(arg["duration"])
        run = str(arg["run"])
        start_at, ack_wait = float(arg["start_at"]), float(arg["ack_wait"])
        # stop early once more than this many seconds' worth of sends wait for their ack
        abort_backlog = float(arg.get("abort_backlog") or 0.0)
        backlog_cap = max(20.0, rate * abort_backlog)
        report = StepReport()
        if not self.senders or rate <= 0:
            return report
        total = max(1, round(rate * duration))
        counters = [0] * len(self.senders)
        all_acked = asyncio.Event()
        sending = [True]

        def answered() -> int:
            return report.ok + sum(report.errors.values())

        def on_ack(sent_at: float) -> Any:
            def done(ack: Any, now: float) -> None:
                if isinstance(ack, dict) and ack.get("duplicate") is True:
                    # the hub stored this client_id before: nothing new is broadcast
                    report.errors["duplicate"] += 1
                elif isinstance(ack, dict) and ack.get("ok") is True:
                    report.ok += 1
                    report.ack_lat.append(now - sent_at)
                else:
                    code = "no-ack-data"
                    if isinstance(ack, dict) and isinstance(ack.get("error"), dict):
                        code = str(ack["error"].get("code"))
                    report.errors[code] += 1
                if not sending[0] and answered() >= report.sent:
                    all_acked.set()

            return done

        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        cpu0, wall0 = cpu_seconds(), time.monotonic()
        k = 0
        while k < total:
            now = time.monotonic()
            due = start_at + k / rate
            if due > now:
                await asyncio.sleep(due - now)
                continue
            report.max_lag = max(report.max_lag, now - due)
            # everything due by now goes out in one burst (open loop: no waiting on acks)
            while k < total and start_at + k / rate <= now:
                index = k % len(self.senders)
                sock, spec = self.senders[index]
                n = counters[index]
                counters[index] += 1
                sent_at = time.monotonic()
                body = f"{step}|{spec.sender_id}|{n}|{sent_at:.6f}|{TEXT}"
                data = {
                    "ticket_id": spec.ticket_id,
                    "client_id": f"bench-{run}-{step}-{spec.sender_id}-{n}",
                    "body": body,
                }
                try:
                    await sock.emit("send", data, on_ack(sent_at))
                    report.sent += 1
                except Exception:
                    report.errors["send-failed"] += 1
                k += 1
            if abort_backlog and now - start_at > 0.5 and report.sent - answered() > backlog_cap:
                report.aborted = True
                break
        report.cpu = 100 * (cpu_seconds() - cpu0) / max(1e-6, time.monotonic() - wall0)
        sending[0] = False
        if answered() < report.sent:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(ack_wait):
                    await all_acked.wait()
        missing = report.sent - answered()
        if missing:
            report.errors["no-ack"] += missing
        return report

    async def cmd_count(self, step: int) -> int:
        rec = self.received.get(step)
        return rec.count if rec else 0

    async def cmd_collect(self, step: int) -> Received:
        return self.received.pop(step, Received())

    async def cmd_status(self, _: Any) -> dict[str, Any]:
        return {
            "open": sum(1 for s in self.sockets if not s.closed.is_set()),
            "cpu": cpu_seconds(),
        }

    async def cmd_close_all(self, _: Any) -> int:
        n = len(self.sockets)
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)
        self.sockets.clear()
        self.senders.clear()
        return n


def worker_main(pipe: Connection, url: str, namespace: str) -> None:
    raise_nofile()
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(Worker(pipe, url, namespace).run())
