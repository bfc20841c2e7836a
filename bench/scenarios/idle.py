"""(b) Idle connections: authenticated sockets, each in its user room and a ticket room.

Sockets are added in steps; after each step the server's RSS is read. Memory per
connection is (RSS − RSS before any socket) ÷ sockets. A step that cannot open all its
sockets ends the climb; one that would overrun the time cap is cut to what fits and is
the last. RLIMIT_NOFILE's hard limit caps it: the top step leaves the server process a
couple of hundred descriptors (listen socket, database files, Redis, logs); the load
generator's workers are processes of their own, each with the same limit and its share.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from bench.context import Context
from bench.loadgen import Generator
from bench.loadworker import ConnSpec
from bench.servers import Server
from bench.world import hub_env

#: Smallest step worth opening (a shorter one says little about memory per socket).
MIN_STEP = 500


def run_server(ctx: Context, kind: str, env: dict[str, str] | None) -> dict[str, Any]:
    sc = ctx.scale
    tokens = [(token, t.id) for t in ctx.world["idle"] for token in t.tokens]
    steps: list[dict[str, Any]] = []
    with Server(kind, ctx.workdir, env) as server, Generator(server.url, workers=sc.workers) as gen:
        time.sleep(0.5)
        base = server.rss()
        started = time.monotonic()
        held = 0
        for step_target in sc.idle_steps:
            target = step_target
            if steps:
                # A step that would overrun the time cap is cut to what fits at the last
                # step's rate (so a slow server still climbs as far as the cap allows).
                left = sc.idle_seconds_cap - (time.monotonic() - started)
                fits = held + int(0.9 * left * steps[-1]["connect_rate"])
                if fits < target:
                    ctx.say(f"(b) {server.name}: {target} would not fit the time cap; {fits} may")
                    target = fits if fits - held >= MIN_STEP else held
            specs = [ConnSpec(tok, tid) for tok, tid in tokens[held:target]]
            if not specs:
                break
            done = gen.connect(specs)
            held += done["ok"]
            time.sleep(0.5)
            open_now = gen.open_sockets()
            rss = server.rss()
            per = (rss - base) / open_now if open_now else 0.0
            steps.append({
                "target": target, "open": open_now, "failed": done["failed"],
                "rss_mib": round(rss / 2**20, 1), "kib_per_conn": round(per / 1024, 1),
                "connect_rate": round(done["ok"] / max(done["seconds"], 1e-3)),
            })  # fmt: skip
            failed = f", {done['failed']} failed {done['sample']}" if done["failed"] else ""
            ctx.say(
                f"(b) {server.name}: {open_now} open sockets, RSS {rss / 2**20:.0f} MiB, "
                f"{per / 1024:.1f} KiB each, {done['ok'] / max(done['seconds'], 1e-3):.0f} "
                f"connects/s{failed}"
            )
            if (
                done["failed"]
                or target < step_target
                or time.monotonic() - started > sc.idle_seconds_cap
            ):
                break
        gen.close_all()
    best = max(steps, key=lambda s: s["open"]) if steps else {}
    return {"steps": steps, "held": best.get("open", 0), "kib_per_conn": best.get("kib_per_conn"),
            "base_rss_mib": round(base / 2**20, 1)}  # fmt: skip


def run(ctx: Context) -> dict[str, Any]:
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    out: dict[str, Any] = {"nofile_hard": resource.getrlimit(resource.RLIMIT_NOFILE)[1]}
    for kind in ("hub", "b0", "b1", "b2"):
        out[kind] = run_server(ctx, kind, env if kind == "hub" else None)
    return out
