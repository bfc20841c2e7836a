"""Report sections of the conversation scenarios: (a) the stepped rate, (f) logins beside it."""

from __future__ import annotations

import math
from typing import Any

from bench.servers import KINDS, NAMES
from bench.stats import ratio


def num(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:g}" if isinstance(x, float) else str(x)


def verdict(flag: bool) -> str:
    return "✅ met" if flag else "❌ missed"


def _step_text(s: dict[str, Any]) -> str:
    mark = " ✗ stopped early" if s.get("aborted") else ("" if s["passed"] else " ✗")
    return (
        f"{s['offered']:g}→{s['achieved']:g}/s p99 {num(s['latency']['p99'])} ms "
        f"reach {s['reach']} gen {s.get('gen_cpu')} %{mark}"
    )


def conv(res: dict[str, Any]) -> list[str]:
    rows = [
        "| server | max sustained comments/s | p50 ms | p99 ms | reach | ack p99 ms "
        "| server CPU % | generator processes | gen CPU % per process | machine CPU % (of 200) "
        "| hub ÷ server |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    hub_rate = res.get("hub", {}).get("max_rate", 0.0)
    for kind in KINDS:
        r = res.get(kind)
        if not r:
            continue
        b = r.get("best") or (r["steps"][0] if r["steps"] else {})
        lat, ack, cpu = b.get("latency", {}), b.get("ack", {}), b.get("cpu") or {}
        rows.append(
            f"| {NAMES[kind]} | {num(r['max_rate'])} | {num(lat.get('p50'))} | "
            f"{num(lat.get('p99'))} | {num(b.get('reach'))} | {num(ack.get('p99'))} | "
            f"{num(cpu.get('server'))} | {r.get('workers', '–')} | {b.get('gen_cpu')} | "
            f"{num(cpu.get('machine'))} | {num(ratio(hub_rate, r['max_rate']))} |"
        )
    b1 = res.get("b1", {}).get("max_rate", 0.0)
    b2 = res.get("b2", {}).get("max_rate", 0.0)
    best = res.get("hub", {}).get("best") or {}
    p99 = (best.get("latency") or {}).get("p99", math.inf)
    rows += [
        "",
        f"Target: the hub sustains ≥ 1.25 × B1 — {verdict(bool(b1) and hub_rate >= 1.25 * b1)} "
        f"(× {num(ratio(hub_rate, b1))}) — and ≥ 0.5 × B2 — "
        f"{verdict(bool(b2) and hub_rate >= 0.5 * b2)} (× {num(ratio(hub_rate, b2))}), same run, "
        f"at p99 ≤ 100 ms (hub {hub_rate:g}/s, p99 {num(p99)} ms), every comment committed, "
        "acked, delivered and notified (reach 1.0, no error).",
        "",
        "Each step offers its rate for the step's length (see *Run*), open loop. A step "
        "misses when p99 > 100 ms, reach < 99.9 %, any error, or when a generator worker "
        "had more than one second's worth of sends unacked: it stops sending then (✗ "
        "stopped early) — by then over 9 % of the step's comments were later than 100 ms.",
    ]
    pct = num(res.get("gen_saturated_pct", 85.0))
    gen_notes = []
    for kind in KINDS:
        r = res.get(kind) or {}
        runs = r.get("runs") or []
        if len(runs) > 1:
            parts = ", ".join(f"{x['workers']} processes {num(x['max_rate'])}/s" for x in runs)
            gen_notes.append(
                f"- {NAMES[kind]}: the generator saturated (a worker ≥ {pct} % of a core at its "
                f"top steps); measured again with more generator processes: {parts}. "
                f"The figure above is the better run."
            )
        if r.get("gen_saturated"):
            gen_notes.append(
                f"- {NAMES[kind]}: with {r.get('workers')} generator processes a worker still "
                f"reached ≥ {pct} % of a core at the top: its figure may be understated."
            )
    if gen_notes:
        rows += ["", "The generator:", "", *gen_notes]
    rows += ["", "Every step, in the order run (offered → achieved):", ""]
    for kind in KINDS:
        r = res.get(kind) or {}
        for run in r.get("runs") or ([r] if r else []):
            steps = "; ".join(_step_text(s) for s in run.get("steps", []))
            rows.append(f"- {NAMES[kind]} ({run.get('workers', '?')} generator processes): {steps}")
    return rows


def logins(res: dict[str, Any]) -> list[str]:
    from bench.scenarios.logins import P99_MS

    quiet, busy = res.get("quiet", {}), res.get("busy", {})
    rows = [
        "| comment stream | seconds | ack p50 ms | ack p99 ms | delivery p99 ms | reach "
        "| hub CPU % | machine CPU % (of 200) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, r in (("alone", quiet), (f"with {num(res.get('login_rate'))} logins/s", busy)):
        ack, delivery, cpu = r.get("ack", {}), r.get("delivery", {}), r.get("cpu") or {}
        rows.append(
            f"| {num(res.get('comment_rate'))} comments/s {label} | {num(r.get('seconds'))} "
            f"| {num(ack.get('p50'))} | {num(ack.get('p99'))} | {num(delivery.get('p99'))} "
            f"| {num(r.get('reach'))} | {num(cpu.get('hub'))} | {num(cpu.get('machine'))} |"
        )
    lg = busy.get("logins", {})
    lat = lg.get("latency", {})
    rows += [
        "",
        f"Logins: {num(lg.get('offered'))}/s offered → {num(lg.get('achieved'))}/s answered "
        f"200 ({lg.get('statuses')}), login p50 {num(lat.get('p50'))} ms, "
        f"p99 {num(lat.get('p99'))} ms, over {num(busy.get('seconds'))} s; "
        f"`PASSWORD_WORKERS` {res.get('password_workers')}.",
        "",
        f"Target: while the logins run, the comments' p99 (ack and delivery) ≤ {P99_MS:g} ms, "
        f"every comment delivered — {verdict(bool(res.get('passed')))}.",
    ]
    return rows
