"""(e) Two hub processes on one Redis and one PostgreSQL vs one process (same services).

The conversation load of (a); with two processes the watchers of each ticket alternate
between them, so every comment crosses Redis. Both are measured at the SAME offered rate
(``scaleout_rate``; lowered by a third, for both, until both sustain it), so their CPU per
delivered comment compares like with like: same batches' worth of load, same fan-out.
The per-comment CPU of hub, PostgreSQL and Redis feeds the model in :mod:`bench.model`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bench.context import Context
from bench.cpu import CpuShares, by_name, by_pids
from bench.loadgen import Generator
from bench.scenarios.conversations import account, conversation_specs, measure_step, say_step
from bench.servers import Server
from bench.stats import ratio
from bench.world import build, hub_env, migrate, settings_for
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import RedisServer

#: Tries at lower rates when one of the two set-ups misses the rate.
TRIES = 3
ROLES = ("hub", "postgres", "redis", "generator")


def per_comment_ms(rec: dict[str, Any]) -> dict[str, float]:
    """CPU milliseconds per delivered comment, by role, over a measured step."""
    cpu, rate = rec.get("cpu") or {}, rec.get("achieved") or 0.0
    if not rate:
        return {}
    # cpu is % of one core: pct / 100 core-seconds per second, over ``rate`` comments
    return {role: round(cpu[role] * 10 / rate, 3) for role in ROLES if role in cpu}


def _measure(
    ctx: Context, env: dict[str, str], processes: int, tickets: Any, rate: float
) -> dict[str, Any]:
    sc = ctx.scale
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server("hub", ctx.workdir, env)) for _ in range(processes)]
        urls = [s.url for s in servers]
        gen = stack.enter_context(Generator(urls[0], workers=sc.workers))
        done = gen.connect(conversation_specs(tickets, sc.senders_per_ticket, urls))
        if done["failed"]:
            ctx.errors.append(f"(e) {processes} process(es): {done['failed']} failed to connect")
        label = f"{processes} hub process{'es' if processes > 1 else ''}"
        room = len(tickets[0].tokens)
        gen.step(rate / 2, min(2.0, sc.step_seconds), room, sc.drain)  # warm-up, not reported
        shares = CpuShares({
            "hub": by_pids(s.pid for s in servers),
            "postgres": by_name("postgres"),
            "redis": by_name("redis-server"),
            "generator": by_pids(p.pid for p in gen.procs),
        })  # fmt: skip
        rec = measure_step(ctx, gen, rate, room, shares)
        say_step(ctx, label, rec)
        account(ctx, f"(e) {label}", [rec])
        rec["per_comment_ms"] = per_comment_ms(rec)
        return {"processes": processes, "best": rec if rec["passed"] else None, "step": rec}


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
        rate = sc.scaleout_rate
        tried: list[dict[str, Any]] = []
        for _ in range(TRIES):
            ctx.say(f"(e) 1 and 2 hub processes at {rate:g} comments/s")
            one = _measure(ctx, env, 1, world["conv"], rate)
            two = _measure(ctx, env, 2, world["conv"], rate)
            tried.append({"rate": rate, "one": one["step"], "two": two["step"]})
            if one["best"] and two["best"]:
                break
            rate = round(rate * 2 / 3)
    hub1 = one["step"]["per_comment_ms"].get("hub", 0.0)
    hub2 = two["step"]["per_comment_ms"].get("hub", 0.0)
    return {
        "rate": tried[-1]["rate"],
        "sustained": bool(one["best"] and two["best"]),
        "one": one,
        "two": two,
        "tried": tried,
        "cpu_ratio": ratio(hub2, hub1),
    }
