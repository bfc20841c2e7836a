"""(a) Conversations: many tickets, 10 watchers each, comments at a stepped open-loop rate.

Each server's search (:mod:`bench.search`) starts near its expected top, doubles or
halves until one step passed and one missed (p99 over the target, reach under 99.9 %,
an error, or a step stopped early because the server fell a second behind), then
bisects between them; the highest passing step is the server's sustainable rate.

Where a generator worker used ≥ ``gen_saturated_pct`` of a core at the server's top
steps, the generator may be what stopped the climb: the server is measured again with
``more_workers`` generator processes, and its figure is the better of the two runs.
"""

from __future__ import annotations

from typing import Any

from bench.context import CONV_P99, MIN_REACH, Context
from bench.cpu import CpuShares, by_pids
from bench.loadgen import Generator, StepResult
from bench.loadworker import ConnSpec
from bench.profile import profile_during
from bench.search import bracket_then_bisect, gen_saturated
from bench.servers import Server
from bench.stats import summary
from bench.world import BenchTicket, hub_env


def conversation_specs(
    tickets: list[BenchTicket], senders: int, urls: list[str] | None = None
) -> list[ConnSpec]:
    """Every watcher of every ticket; the first ``senders`` of each ticket also send.

    With several ``urls`` the watchers of one ticket alternate between them, so every
    comment crosses processes.
    """
    specs: list[ConnSpec] = []
    sender_id = 0
    for t in tickets:
        for j, token in enumerate(t.tokens):
            url = urls[(j + t.id) % len(urls)] if urls else ""
            sid = -1
            if j < senders:
                sid, sender_id = sender_id, sender_id + 1
            specs.append(ConnSpec(token, t.id, sid, url))
    return specs


def step_record(step: StepResult) -> dict[str, Any]:
    lat = summary(step.latencies)
    passed = (
        not step.errors
        and not step.aborted
        and step.reach >= MIN_REACH
        and lat["p99"] <= CONV_P99 * 1000
        and step.sent > 0
    )
    return {
        "offered": step.rate,
        "achieved": round(step.ok / step.duration, 1),
        "sent": step.sent,
        "ok": step.ok,
        "errors": step.errors,
        "expected": step.expected,
        "received": step.received,
        "reach": round(step.reach, 5),
        "latency": lat,
        "ack": summary(step.ack_latencies),
        "gen_cpu": [round(c) for c in step.gen_cpu],
        "gen_lag_ms": round(step.max_lag * 1000, 1),
        "aborted": step.aborted,
        "passed": passed,
    }


def measure_step(
    ctx: Context, gen: Generator, rate: float, room_size: int, cpu: CpuShares | None = None
) -> dict[str, Any]:
    """One step at ``rate`` for ``step_seconds``; with ``cpu``, who used the CPU meanwhile."""
    sc = ctx.scale
    # the generator starts sending 0.3 s after the call; skip the first half second
    pending = cpu.over(0.5, max(sc.step_seconds - 0.5, 0.1)) if cpu else None
    rec = step_record(gen.step(rate, sc.step_seconds, room_size, sc.drain, sc.abort_backlog))
    if pending is not None:
        rec["cpu"] = pending()
    return rec


def say_step(ctx: Context, label: str, rec: dict[str, Any]) -> None:
    lat = rec["latency"]
    ctx.say(
        f"  {label}: offered {rec['offered']:.0f}/s → {rec['achieved']}/s, p50 {lat['p50']} ms, "
        f"p99 {lat['p99']} ms, reach {rec['reach']:.4f}, gen CPU {rec['gen_cpu']}%"
        f"{', CPU ' + str(rec['cpu']) if rec.get('cpu') else ''}"
        f"{'' if rec['passed'] else '  ✗'}{'  (stopped early)' if rec.get('aborted') else ''}"
        f"{'  errors ' + str(rec['errors']) if rec['errors'] else ''}"
    )


def account(ctx: Context, label: str, steps: list[dict[str, Any]]) -> None:
    """Count what the steps lost (fails the run) and void duplicate acks."""
    for s in steps:
        # a message acked but never delivered after the drain is lost (reported, fails the run)
        if not s["errors"] and s["received"] < s["expected"]:
            ctx.lost_messages += s["expected"] - s["received"]
            ctx.say(f"  {label}: {s['expected'] - s['received']} not delivered")
        # a duplicate ack means the bench resent a stored client_id: its figures are void
        if s["errors"].get("duplicate"):
            ctx.errors.append(f"{label}: {s['errors']['duplicate']} sends acked as duplicates")


def find_max_rate(
    ctx: Context,
    gen: Generator,
    label: str,
    start: float,
    room_size: int,
    cpu: CpuShares | None = None,
    factor: float = 2.0,
) -> dict[str, Any]:
    """Search the highest sustained rate from ``start``; every step and the best pass."""
    sc = ctx.scale

    def measure(rate: float) -> dict[str, Any]:
        rec = measure_step(ctx, gen, rate, room_size, cpu)
        say_step(ctx, label, rec)
        return rec

    found = bracket_then_bisect(
        measure, start, factor=factor, max_steps=sc.max_steps, bisect=sc.bisect_steps,
        cap=sc.rate_cap, floor=min(10.0, start),
    )  # fmt: skip
    if found.best is None and found.steps:
        ctx.say(f"  {label}: no step met the target")
    account(ctx, label, found.steps)
    best = found.best
    return {
        "steps": found.steps,
        "best": best,
        "miss": found.worst,
        "max_rate": best["achieved"] if best else 0.0,
    }


def run_server(
    ctx: Context,
    kind: str,
    env: dict[str, str] | None,
    workers: int,
    start: float,
    factor: float = 2.0,
    profile: bool = False,
) -> dict[str, Any]:
    sc = ctx.scale
    tickets = ctx.world["conv"]
    room = len(tickets[0].tokens)
    with Server(kind, ctx.workdir, env) as server, Generator(server.url, workers=workers) as gen:
        done = gen.connect(conversation_specs(tickets, sc.senders_per_ticket))
        ctx.say(
            f"(a) {server.name}, {workers} generator processes: {done['ok']} sockets in "
            f"{done['seconds']:.1f}s ({done['failed']} failed {done['sample']})"
        )
        if done["failed"]:
            ctx.errors.append(f"(a) {server.name}: {done['failed']} sockets failed to connect")
        # a short warm-up, not reported: the first statements, pools and caches
        gen.step(start / 4, min(2.0, sc.step_seconds), room, sc.drain)
        shares = CpuShares(
            {"server": by_pids([server.pid]), "generator": by_pids(p.pid for p in gen.procs)}
        )
        result = find_max_rate(ctx, gen, server.name, start, room, shares, factor)
        result["workers"] = workers
        result["connect_seconds"] = round(done["seconds"], 2)
        result["gen_saturated"] = gen_saturated(result, sc.gen_saturated_pct)
        miss = result["miss"]
        if profile and miss is not None:
            seconds = min(5.0, sc.step_seconds)
            ctx.say(f"  hub: profiling {seconds:g} s at {miss['offered']:.0f}/s (py-spy)")
            with profile_during(server.pid, seconds, ctx.workdir / "hub-conversations") as prof:
                gen.step(miss["offered"], seconds, room, sc.drain)  # the whole step: no abort
            if prof.result:
                result["profile"] = prof.result
        return result


def measure_server(ctx: Context, kind: str, env: dict[str, str] | None) -> dict[str, Any]:
    """The server's search; again with more generator processes if the generator saturated."""
    sc = ctx.scale
    start = sc.hub_start_rate if kind == "hub" else sc.baseline_start_rate
    first = run_server(ctx, kind, env, sc.workers, start, profile=kind == "hub")
    runs = [first]
    if first["gen_saturated"] and sc.more_workers > sc.workers:
        ctx.say(
            f"  {kind}: a generator worker reached ≥ {sc.gen_saturated_pct:g} % of a core; "
            f"measuring again with {sc.more_workers} generator processes"
        )
        again_from = first["best"]["offered"] if first["best"] else start
        runs.append(run_server(ctx, kind, env, sc.more_workers, again_from, factor=1.5))
    chosen = max(runs, key=lambda r: r["max_rate"])
    out = dict(chosen)
    out["runs"] = [
        {k: r.get(k) for k in ("workers", "max_rate", "gen_saturated", "steps")} for r in runs
    ]
    if "profile" in first:
        out["profile"] = first["profile"]
    return out


def run(ctx: Context) -> dict[str, Any]:
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    out: dict[str, Any] = {
        "tickets": len(ctx.world["conv"]),
        "room": 10,
        "gen_saturated_pct": ctx.scale.gen_saturated_pct,
    }
    for kind in ("hub", "b0", "b1", "b2"):
        out[kind] = measure_server(ctx, kind, env if kind == "hub" else None)
    return out
