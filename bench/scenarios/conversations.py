"""(a) Conversations: many tickets, 10 watchers each, comments at a stepped open-loop rate.

For each server the offered rate doubles from a start until a step misses (p99 over the
target, reach under 99.9 %, or an error), then one step between the last pass and the
miss; the highest passing step is the server's sustainable rate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.context import CONV_P99, MIN_REACH, Context
from bench.cpu import CpuShares, by_pids
from bench.loadgen import Generator, StepResult
from bench.loadworker import ConnSpec
from bench.profile import profile_during
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
        "passed": passed,
    }


def find_max_rate(
    ctx: Context,
    gen: Generator,
    label: str,
    start: float,
    room_size: int,
    on_step: Callable[[float], None] | None = None,
    cpu: CpuShares | None = None,
) -> dict[str, Any]:
    """Step the offered rate up from ``start``; returns every step and the best pass.

    With ``cpu``, each step also records who used the CPU while it sent (% of one core).
    """
    sc = ctx.scale

    def measure(rate: float) -> dict[str, Any]:
        # the generator starts sending 0.3 s after the call; skip the first half second
        pending = cpu.over(0.5, max(sc.step_seconds - 0.5, 0.1)) if cpu else None
        rec = step_record(gen.step(rate, sc.step_seconds, room_size, sc.drain))
        if pending is not None:
            rec["cpu"] = pending()
        return rec

    steps: list[dict[str, Any]] = []
    rate, best, worst = start, None, None
    for _ in range(sc.max_steps):
        rec = measure(rate)
        steps.append(rec)
        lat = rec["latency"]
        ctx.say(
            f"  {label}: offered {rate:.0f}/s → {rec['achieved']}/s, p50 {lat['p50']} ms, "
            f"p99 {lat['p99']} ms, reach {rec['reach']:.4f}, gen CPU {rec['gen_cpu']}%"
            f"{', CPU ' + str(rec['cpu']) if rec.get('cpu') else ''}"
            f"{'' if rec['passed'] else '  ✗'}"
            f"{'  errors ' + str(rec['errors']) if rec['errors'] else ''}"
        )
        lost = [s for s in steps if s["received"] < s["expected"] and not s["errors"]]
        if lost and steps[-1] is lost[-1]:
            ctx.say(f"  {label}: {steps[-1]['expected'] - steps[-1]['received']} not delivered")
        if rec["passed"]:
            best = rec
            if rate >= sc.rate_cap:
                break
            rate = min(rate * 2, sc.rate_cap)
        else:
            worst = rec
            break
    # Two bisection steps between the last pass and the first miss.
    for _ in range(2):
        if best is None or worst is None:
            break
        mid = (best["offered"] + worst["offered"]) / 2
        rec = measure(mid)
        steps.append(rec)
        ctx.say(
            f"  {label}: offered {mid:.0f}/s → p99 {rec['latency']['p99']} ms, "
            f"reach {rec['reach']:.4f}{'' if rec['passed'] else '  ✗'}"
        )
        if rec["passed"]:
            best = rec
        else:
            worst = rec
    if best is None and steps:
        ctx.say(f"  {label}: no step met the target; the lowest step is reported")
    if on_step is not None and worst is not None:
        on_step(worst["offered"])
    for s in steps:
        # a message acked but never delivered after the drain is lost (reported, fails the run)
        if not s["errors"] and s["received"] < s["expected"]:
            ctx.lost_messages += s["expected"] - s["received"]
        # a duplicate ack means the bench resent a stored client_id: its figures are void
        if s["errors"].get("duplicate"):
            ctx.errors.append(f"{label}: {s['errors']['duplicate']} sends acked as duplicates")
    return {"steps": steps, "best": best, "max_rate": best["achieved"] if best else 0.0}


def run_server(ctx: Context, kind: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    sc = ctx.scale
    tickets = ctx.world["conv"]
    room = len(tickets[0].tokens)
    with Server(kind, ctx.workdir, env) as server, Generator(server.url, workers=sc.workers) as gen:
        done = gen.connect(conversation_specs(tickets, sc.senders_per_ticket))
        ctx.say(
            f"(a) {server.name}: {done['ok']} sockets in {done['seconds']:.1f}s "
            f"({done['failed']} failed {done['sample']})"
        )
        if done["failed"]:
            ctx.errors.append(f"(a) {server.name}: {done['failed']} sockets failed to connect")
        start = sc.hub_start_rate if kind == "hub" else sc.baseline_start_rate
        profile: dict[str, Any] = {}

        def profile_saturated(rate: float) -> None:
            if kind != "hub":
                return
            ctx.say(f"  hub: profiling 5 s at {rate:.0f}/s (py-spy)")
            seconds = min(5.0, sc.step_seconds)
            with profile_during(server.pid, seconds, ctx.workdir / "hub-conversations") as prof:
                gen.step(rate, seconds, room, sc.drain)
            profile.update(prof.result)

        shares = CpuShares(
            {"server": by_pids([server.pid]), "generator": by_pids(p.pid for p in gen.procs)}
        )
        result = find_max_rate(ctx, gen, server.name, start, room, profile_saturated, shares)
        result["connect_seconds"] = round(done["seconds"], 2)
        if profile:
            result["profile"] = profile
        return result


def run(ctx: Context) -> dict[str, Any]:
    env = hub_env(ctx.database_url, str(ctx.workdir / "data"))
    out: dict[str, Any] = {"tickets": len(ctx.world["conv"]), "room": 10}
    for kind in ("hub", "b0", "b1", "b2"):
        out[kind] = run_server(ctx, kind, env if kind == "hub" else None)
    return out
