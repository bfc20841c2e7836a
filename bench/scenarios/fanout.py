"""(c) Fan-out: one ticket watched by 1,000 sockets; each comment must reach every one.

A handful of comments, spaced out, from the applicant; for each the latency until the
*last* watcher has it is the figure (with the p50/p99 over every delivery beside it).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bench.context import Context
from bench.loadgen import Generator
from bench.loadworker import ConnSpec
from bench.servers import Server
from bench.stats import summary
from bench.world import hub_env


def run_server(ctx: Context, kind: str, env: dict[str, str] | None) -> dict[str, Any]:
    sc = ctx.scale
    ticket = ctx.world["fanout"][0]
    specs = [ConnSpec(tok, ticket.id, 0 if i == 0 else -1) for i, tok in enumerate(ticket.tokens)]
    with Server(kind, ctx.workdir, env) as server, Generator(server.url, workers=sc.workers) as gen:
        done = gen.connect(specs)
        if done["failed"]:
            ctx.errors.append(f"(c) {server.name}: {done['failed']} sockets failed to connect")
        rate = 2.0
        step = gen.step(rate, sc.fanout_messages / rate, done["ok"], sc.drain)
    last: dict[int, float] = defaultdict(float)
    for key, lat in zip(step.keys, step.latencies, strict=True):
        last[key] = max(last[key], lat)
    if not step.errors and step.received < step.expected:
        ctx.lost_messages += step.expected - step.received
    out = {
        "watchers": done["ok"],
        "messages": step.ok,
        "errors": step.errors,
        "reach": round(step.reach, 5),
        "delivery": summary(step.latencies),
        "last": summary(list(last.values())),
    }
    ctx.say(
        f"(c) {server.name}: {done['ok']} watchers, {step.ok} messages, last watcher "
        f"p50 {out['last']['p50']} ms p99 {out['last']['p99']} ms, reach {step.reach:.4f}"
    )
    return out


def run(ctx: Context) -> dict[str, Any]:
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    return {
        kind: run_server(ctx, kind, env if kind == "hub" else None)
        for kind in ("hub", "b0", "b1", "b2")
    }
