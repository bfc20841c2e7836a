"""Report sections of (e): 1 vs 2 hub processes at one rate, and the capacity model."""

from __future__ import annotations

from typing import Any

from bench.model import CORES, USABLE, PerComment, pg_host_rate, plateau, predict
from bench.report_conv import num, verdict

#: Target: hub CPU per delivered comment with 2 processes ÷ with 1, at the same rate.
MAX_CPU_RATIO = 1.25


def scaleout(res: dict[str, Any]) -> list[str]:
    rate = res.get("rate")
    rows = [
        f"Both at {num(rate)} comments/s offered, one step each; CPU per delivered comment "
        "(10 watchers each) = CPU used ÷ comments acked, over the step.",
        "",
        "| hub on PostgreSQL + Redis | achieved/s | p50 ms | p99 ms | reach "
        "| CPU % hub / PostgreSQL / Redis / generator | machine CPU % (of 200) "
        "| CPU ms per comment: hub / PostgreSQL / Redis |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, label in (("one", "1 process"), ("two", "2 processes")):
        r = (res.get(key) or {}).get("step")
        if not r:
            continue
        lat, cpu, per = r.get("latency", {}), r.get("cpu") or {}, r.get("per_comment_ms") or {}
        shares = " / ".join(num(cpu.get(k)) for k in ("hub", "postgres", "redis", "generator"))
        each = " / ".join(num(per.get(k)) for k in ("hub", "postgres", "redis"))
        rows.append(
            f"| {label} | {num(r.get('achieved'))}{'' if r.get('passed') else ' ✗'} "
            f"| {num(lat.get('p50'))} | {num(lat.get('p99'))} | {num(r.get('reach'))} | {shares} "
            f"| {num(cpu.get('machine'))} | {each} |"
        )
    tried = res.get("tried") or []
    if len(tried) > 1:
        rows += [
            "",
            "Lower rates tried because one set-up missed: "
            + ", ".join(f"{num(t['rate'])}/s" for t in tried[:-1])
            + ".",
        ]
    cpu_ratio = res.get("cpu_ratio")
    met = (
        bool(res.get("sustained")) and isinstance(cpu_ratio, float) and (cpu_ratio <= MAX_CPU_RATIO)
    )
    rows += [
        "",
        f"Target: hub CPU per delivered comment with 2 processes ≤ {MAX_CPU_RATIO:g} × that "
        f"of 1 process, at the same rate (both sustained) — × {num(cpu_ratio)} ({verdict(met)}).",
    ]
    return [*rows, "", *model(res)]


def per_comment(res: dict[str, Any]) -> PerComment | None:
    one = ((res.get("one") or {}).get("step") or {}).get("per_comment_ms") or {}
    two = ((res.get("two") or {}).get("step") or {}).get("per_comment_ms") or {}
    if not one.get("hub") or not two.get("hub"):
        return None
    return PerComment(
        hub1=one["hub"], hub2=two["hub"], pg=two.get("postgres", 0.0),
        redis1=one.get("redis", 0.0), redis2=two.get("redis", 0.0),
    )  # fmt: skip


def model(res: dict[str, Any]) -> list[str]:
    m = per_comment(res)
    rows = ["### A model: the rate on 4, 8 and 16 cores", ""]
    if m is None:
        return [*rows, "Not computed: (e) measured no CPU per comment in this run."]
    dh, dr = max(0.0, m.hub2 - m.hub1), max(0.0, m.redis2 - m.redis1)
    rows += [
        "From the CPU per delivered comment measured above (ms): hub "
        f"{m.hub1:g} with 1 process, {m.hub2:g} with 2; PostgreSQL {m.pg:g}; Redis "
        f"{m.redis1:g} with 1 process, {m.redis2:g} with 2. Assumptions:",
        "",
        f"- a hub process is one event loop: at most one core, run at {USABLE:.0%} of it "
        "(the headroom (a) needs for p99 ≤ 100 ms); so is Redis, single-threaded;",
        "- each comment is published once and every hub process receives it: each process "
        f"beyond the first adds {dr:.3g} ms of Redis CPU to every comment (what the second "
        "added);",
        f"- the hub's extra {dh:.3g} ms per comment with 2 processes is taken two ways: "
        "*grows* — each process beyond the first adds it again (each receives, decodes and "
        "emits every comment; an upper estimate, since it also holds the smaller batches of "
        "a split load at this rate) — and *one-time* — paid once whatever the count (a "
        "lower estimate). They give the low and the high prediction;",
        "- PostgreSQL's CPU per comment does not depend on the process count, and it uses the "
        "cores left to it (fsync off as in the bench; a disk's commit rate is not modelled);",
        "- CPU per comment is taken as constant; at a higher rate per process the batches "
        "grow and it falls, so both predictions lean low;",
        "- hubs, PostgreSQL and Redis share the C cores; clients (the generator here) run "
        "elsewhere. The best hub process count is chosen for each C.",
        "",
        "| cores | overhead | hub processes | predicted comments/s "
        "| cores used: hubs / PostgreSQL / Redis | limit |",
        "|---|---|---|---|---|---|",
    ]
    for cores in CORES:
        for grows in (True, False):
            p = predict(m, cores, grows)
            rows.append(
                f"| {cores} | {'grows' if grows else 'one-time'} | {p.processes} "
                f"| {p.rate:,.0f} | {p.hub_cores:.1f} / {p.pg_cores:.1f} / {p.redis_cores:.2f} "
                f"| {p.limit} |"
            )
    rows.append("")
    for grows in (True, False):
        how = "grows" if grows else "one-time"
        top = plateau(m, grows)
        if top is None:
            rows.append(f"- {how}: the rate still grows at 256 cores.")
            continue
        at, blocker = top
        why = (
            "Redis's one core is full"
            if blocker == "Redis"
            else "each added process costs every comment more than it adds"
        )
        rows.append(
            f"- {how}: the rate stops growing at {at.cores} cores, about {at.rate:,.0f} "
            f"comments/s with {at.processes} hub processes (Redis at {at.redis_cores:.2f} "
            f"core): {why}."
        )
    rows.append(
        f"- PostgreSQL on a host of its own is saturated at about {pg_host_rate(m, 4):,.0f} "
        f"comments/s with 4 cores and {pg_host_rate(m, 8):,.0f} with 8; on a shared machine "
        "it takes the cores in the table."
    )
    return rows
