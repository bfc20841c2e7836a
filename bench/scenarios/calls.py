"""(d) Call set-up: invite → ringing → accept → offer/answer → ICE connected, real aiortc peers.

No STUN servers (the hub hands out an empty ``ice_servers``), so there is no 5 s STUN stall;
loopback host candidates only. Timed from the ``invite`` emit until both peers report ICE
``connected``/``completed``. One call at a time (repeated, in this process), then
``calls_parallel`` at once: the peers spread over :data:`WORKERS` spawned processes (in real
life each peer is a device of its own; on one event loop their SDP / ICE / DTLS work would
queue and delay the hub events waiting to be timestamped), every socket connected before the
start signal (the officer's console and the citizen's ticket page are open before a call),
every hang-up after the last set-up of the burst. The hub's CPU is read over the burst only.

The same burst then runs against one hub on PostgreSQL + Redis (the production set-up:
its own throwaway servers, its own bench world), where issue #22 wants p50 ≤ 250 ms and
p99 ≤ 500 ms.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import aiohttp
import psutil

from bench.callpeers import PHASES, Burst, one_call
from bench.context import Context
from bench.servers import Server
from bench.stats import summary
from bench.world import BenchTicket, build, hub_env, migrate, settings_for
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import RedisServer

#: Worker processes holding the peers of the calls at once (each with its own event loop);
#: on the 2-core bench machine 4 gave lower peer-side step times than 2.
WORKERS = 4
#: Bursts of ``calls_parallel`` set-ups measured (after one warm-up burst).
ROUNDS = 2


def _cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def _one_at_a_time(ctx: Context, url: str) -> list[float]:
    tickets = ctx.world["calls"]
    async with aiohttp.ClientSession() as http:
        await one_call(http, url, tickets[0])  # warm-up (imports, codecs)
        return [
            await one_call(http, url, tickets[i % len(tickets)])
            for i in range(ctx.scale.calls_repeat)
        ]


def on_postgres(ctx: Context) -> dict[str, Any]:
    """The same burst against one hub on PostgreSQL + Redis, each a throwaway server.

    On SQLite every write of every set-up queues for the one writer connection; on
    PostgreSQL — the production database — they run side by side, each a round trip away.
    """
    with (
        RedisServer(ctx.workdir / "redis-d") as redis,
        PostgresServer(ctx.workdir / "pg-d", "asinan_bench_calls") as pg,
    ):
        migrate(pg.url)
        groups = {"calls": (ctx.scale.calls_parallel, 2)}
        world = asyncio.run(build(settings_for(pg.url, str(ctx.workdir / "data")), groups))
        env = hub_env(pg.url, str(ctx.workdir / "data"), redis.url)
        with Server("hub", ctx.workdir, env) as server:
            out = _at_once(ctx, server.url, server.pid, world["calls"])
    ctx.say(
        f"(d) hub on PostgreSQL + Redis: {out['parallel_n']} at once p50 "
        f"{out['parallel']['p50']} ms p99 {out['parallel']['p99']} ms; by step: "
        + "; ".join(f"{k} {v['p50']} / {v['p99']}" for k, v in out["parallel_phases"].items())
        + f"; hub CPU {out['parallel_cpu_ms']} ms per set-up (burst only)"
    )
    return out


def _at_once(
    ctx: Context, url: str, pid: int, tickets: list[BenchTicket] | None = None
) -> dict[str, Any]:
    tickets = (tickets or ctx.world["calls"])[: ctx.scale.calls_parallel]
    workers = max(1, min(WORKERS, len(tickets)))
    many: list[float] = []
    steps: dict[str, list[float]] = defaultdict(list)
    cpu = 0.0
    window = 0.0
    with Burst(url, workers) as burst:
        # Unmeasured: the hub's first burst opens its database connections (PostgreSQL:
        # a connect, type introspection and statement preparation each), as a hub that
        # has served for a minute has long done.
        burst.run(tickets)
        for _ in range(ROUNDS):
            got = burst.run(tickets, lambda: _cpu(pid))
            cpu += got.probed
            window += got.window
            many += got.took
            for name, values in got.phases.items():
                steps[name] += values
    return {
        "parallel": summary(many),
        "parallel_n": len(tickets),
        "parallel_workers": workers,
        # Where the parallel set-ups' time goes, step by step (p50/p99 of each).
        "parallel_phases": {name: summary(steps[name]) for name in PHASES},
        # The hub process's CPU (user + system) per parallel set-up, over the bursts only
        # (start signal → last set-up done: no socket connects, hang-ups or closes).
        "parallel_cpu_ms": round(cpu * 1000 / max(len(many), 1), 1),
        # Start signal → last set-up of the burst done, mean over the bursts.
        "parallel_window_ms": round(window * 1000 / ROUNDS, 1),
    }


def run(ctx: Context) -> dict[str, Any]:
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    with Server("hub", ctx.workdir, env) as server:
        single = asyncio.run(_one_at_a_time(ctx, server.url))
        out = {"one": summary(single), **_at_once(ctx, server.url, server.pid)}
    ctx.say(
        f"(d) hub: 1 call p50 {out['one']['p50']} ms p99 {out['one']['p99']} ms; "
        f"{out['parallel_n']} at once ({out['parallel_workers']} peer processes) "
        f"p50 {out['parallel']['p50']} ms p99 {out['parallel']['p99']} ms"
    )
    ctx.say(
        "(d) hub: at once, p50 / p99 ms by step: "
        + "; ".join(f"{k} {v['p50']} / {v['p99']}" for k, v in out["parallel_phases"].items())
        + f"; hub CPU {out['parallel_cpu_ms']} ms per set-up (burst only); burst "
        f"{out['parallel_window_ms']} ms start → last set-up"
    )
    out["parallel_pg"] = on_postgres(ctx)
    return {"hub": out}
