"""(f) Login storm: 50 password logins a second for 20 s beside 500 comments a second.

Each login costs an argon2 verification (~26 ms of one core). The hub runs them in its
password pool, off the event loop, so the comments should not notice: the target is
their p99 (ack and delivery) ≤ 100 ms while the logins run, every one delivered. The
same comment rate is measured first without logins, for comparison. The logins come
open loop (not waiting for answers) from a thread of this process, each as a different
bench officer, all from 127.0.0.1 — one address, which never locks itself out since
successes do not count.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.context import MIN_REACH, Context
from bench.cpu import CpuShares, by_pids
from bench.loadgen import Generator
from bench.scenarios.conversations import conversation_specs
from bench.servers import Server
from bench.stats import summary
from bench.world import PASSWORD, hub_env

#: Logins per second offered for ``LOGIN_SECONDS``, and the comment rate beside them.
LOGIN_RATE = 50.0
LOGIN_SECONDS = 20.0
COMMENT_RATE = 500.0
#: The comments alone, before the storm, for comparison.
QUIET_SECONDS = 10.0
#: Target: the comments' p99 (ack and delivery) while the logins run, milliseconds.
P99_MS = 100.0


@dataclass
class LoginRun:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)


async def _logins(
    url: str, names: list[str], rate: float, start_at: float, seconds: float
) -> LoginRun:
    run = LoginRun()
    total = max(1, round(rate * seconds))
    jar = aiohttp.DummyCookieJar()  # like many browsers, not one: no cookie carried over
    async with aiohttp.ClientSession(
        cookie_jar=jar, connector=aiohttp.TCPConnector(limit=0)
    ) as http:

        async def one(name: str) -> None:
            sent = time.monotonic()
            try:
                async with http.post(
                    f"{url}/api/auth/login", json={"login": name, "password": PASSWORD}
                ) as response:
                    await response.read()
                    run.statuses[str(response.status)] += 1
            except aiohttp.ClientError as exc:
                run.statuses[type(exc).__name__] += 1
                return
            run.latencies.append(time.monotonic() - sent)

        tasks = []
        for k in range(total):
            await asyncio.sleep(max(0.0, start_at + k / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(names[k % len(names)])))
        await asyncio.gather(*tasks)
    return run


def _in_thread(url: str, names: list[str], rate: float, start_at: float, seconds: float) -> Any:
    """Run the logins on their own loop in a thread; the returned function waits for them."""
    out: list[LoginRun] = []
    thread = threading.Thread(
        target=lambda: out.append(asyncio.run(_logins(url, names, rate, start_at, seconds))),
        daemon=True,
    )
    thread.start()

    def result() -> LoginRun:
        thread.join()
        return out[0] if out else LoginRun()

    return result


def _step(
    ctx: Context, gen: Generator, shares: CpuShares, room: int, rate: float, seconds: float
) -> dict[str, Any]:
    pending = shares.over(0.5, max(seconds - 0.5, 0.1))
    step = gen.step(rate, seconds, room, ctx.scale.drain)
    if not step.errors and step.received < step.expected:
        ctx.lost_messages += step.expected - step.received
    return {
        "seconds": seconds,
        "sent": step.sent,
        "ok": step.ok,
        "errors": step.errors,
        "reach": round(step.reach, 5),
        "ack": summary(step.ack_latencies),
        "delivery": summary(step.latencies),
        "cpu": pending(),
    }


def run(ctx: Context) -> dict[str, Any]:
    sc = ctx.scale
    tickets = ctx.world["conv"]
    names = [name for t in tickets for name in t.officer_logins]
    room = len(tickets[0].tokens)
    # the quick run is a smoke test of the machinery, at a fifth of the rates
    login_rate, comment_rate = (
        (LOGIN_RATE / 5, COMMENT_RATE / 5) if sc.quick else (LOGIN_RATE, COMMENT_RATE)
    )
    quiet_s, storm_s = (2.0, 2.0) if sc.quick else (QUIET_SECONDS, LOGIN_SECONDS)
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    with (
        Server("hub", ctx.workdir, env) as server,
        Generator(server.url, workers=sc.workers) as gen,
    ):
        done = gen.connect(conversation_specs(tickets, sc.senders_per_ticket))
        if done["failed"]:
            ctx.errors.append(f"(f) {done['failed']} sockets failed to connect")
        shares = CpuShares(
            {"hub": by_pids([server.pid]), "generator": by_pids(p.pid for p in gen.procs)}
        )
        gen.step(comment_rate / 4, 1.0, room, sc.drain)  # warm-up, not reported
        quiet = _step(ctx, gen, shares, room, comment_rate, quiet_s)
        # the generator starts sending 0.3 s after its step is called: start the logins then
        logins = _in_thread(server.url, names, login_rate, time.monotonic() + 0.3, storm_s)
        busy = _step(ctx, gen, shares, room, comment_rate, storm_s)
        login_run = logins()
    busy["logins"] = {
        "offered": login_rate,
        "statuses": dict(login_run.statuses),
        "achieved": round(login_run.statuses.get("200", 0) / storm_s, 1),
        "latency": summary(login_run.latencies),
    }
    passed = (
        busy["ack"]["p99"] <= P99_MS
        and busy["delivery"]["p99"] <= P99_MS
        and busy["reach"] >= MIN_REACH
        and not busy["errors"]
        and busy["logins"]["statuses"].get("200", 0) > 0
    )
    for label, rec in (("comments only", quiet), ("with logins", busy)):
        ctx.say(
            f"(f) {label}: {comment_rate:g} comments/s for {rec['seconds']:g} s, ack p50 "
            f"{rec['ack']['p50']} ms p99 {rec['ack']['p99']} ms, delivery p99 "
            f"{rec['delivery']['p99']} ms, reach {rec['reach']}, CPU {rec['cpu']}"
        )
    lat = busy["logins"]["latency"]
    ctx.say(
        f"(f) logins: {login_rate:g}/s offered → {busy['logins']['achieved']}/s, "
        f"{busy['logins']['statuses']}, p50 {lat['p50']} ms p99 {lat['p99']} ms"
        f"{'' if passed else '  ✗'}"
    )
    return {
        "password_workers": os.environ.get("PASSWORD_WORKERS") or "1 (default)",
        "comment_rate": comment_rate,
        "login_rate": login_rate,
        "quiet": quiet,
        "busy": busy,
        "passed": passed,
    }
