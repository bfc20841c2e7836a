"""(e) Two hub processes on one Redis and one PostgreSQL vs one process (same services).

The conversation load of (a); with two processes the watchers of each ticket alternate
between them, so every comment crosses Redis. Both runs step the rate the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bench.context import Context
from bench.cpu import CpuShares, by_name, by_pids
from bench.loadgen import Generator
from bench.scenarios.conversations import conversation_specs, find_max_rate
from bench.servers import Server
from bench.stats import ratio
from bench.world import build, hub_env, migrate, settings_for
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import RedisServer


def _measure(ctx: Context, env: dict[str, str], processes: int, tickets: Any) -> dict[str, Any]:
    sc = ctx.scale
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server("hub", ctx.workdir, env)) for _ in range(processes)]
        urls = [s.url for s in servers]
        gen = stack.enter_context(Generator(urls[0], workers=sc.workers))
        done = gen.connect(conversation_specs(tickets, sc.senders_per_ticket, urls))
        if done["failed"]:
            ctx.errors.append(f"(e) {processes} process(es): {done['failed']} failed to connect")
        label = f"{processes} hub process{'es' if processes > 1 else ''}"
        start = ctx.results.get("a", {}).get("hub", {}).get("max_rate") or sc.hub_start_rate
        shares = CpuShares({
            "hub": by_pids(s.pid for s in servers),
            "postgres": by_name("postgres"),
            "redis": by_name("redis-server"),
            "generator": by_pids(p.pid for p in gen.procs),
        })  # fmt: skip
        room = len(tickets[0].tokens)
        return find_max_rate(ctx, gen, label, max(10.0, start / 4), room, cpu=shares)


def run(ctx: Context) -> dict[str, Any]:
    sc = ctx.scale
    with (
        RedisServer(ctx.workdir / "redis") as redis,
        PostgresServer(ctx.workdir / "pg", "asinan_bench") as pg,
    ):
        ctx.say(f"(e) Redis on {redis.port}, PostgreSQL on {pg.port}")
        migrate(pg.url)
        groups = {"conv": (sc.conv_tickets, 10)}
        world = asyncio.run(build(settings_for(pg.url, str(ctx.workdir / "data")), groups))
        env = hub_env(pg.url, str(ctx.workdir / "data"), redis.url)
        one = _measure(ctx, env, 1, world["conv"])
        two = _measure(ctx, env, 2, world["conv"])
    return {"one": one, "two": two, "ratio": ratio(two["max_rate"], one["max_rate"])}
