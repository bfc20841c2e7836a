"""The soak's verdicts and its report (docs/soak.md): one table per database, a row a minute."""

from __future__ import annotations

import datetime
import math
import platform
from typing import TYPE_CHECKING, Any

import psutil

if TYPE_CHECKING:
    from bench.soak import Plan

#: The last minute's delivery p99 may be at most this × the first minute's.
P99_DRIFT = 1.2
#: RSS growth allowed from the end of the first minute (after warm-up) to the end.
RSS_GROWTH = 0.05
#: SQLite checkpoints into the database once the WAL holds 1,000 pages (its default
#: ``wal_autocheckpoint``; 4 KiB pages + 24-byte frame headers ≈ 3.9 MiB) and, when no
#: reader still needs the old frames, the next write starts the WAL from the top again.
WAL_CHECKPOINT_MIB = 1000 * (4096 + 24) / 2**20
#: The WAL file must never exceed this: twice the checkpoint size leaves room for one
#: group-commit batch past the threshold, and is far below what an unchecked WAL reaches
#: in ten minutes at these rates (hundreds of MiB).
WAL_BOUND_MIB = 8.0
#: Share of a minute's sends that must be acked for the hub to have kept up.
MIN_REACH = 0.999

Verdict = dict[str, tuple[bool, str]]


def progress(label: str, rec: dict[str, Any]) -> str:
    d, a = rec["delivery"], rec["ack"]
    wal = f", WAL {rec['wal_max_mib']} MiB ×{rec['wal_restarts']}" if "wal_max_mib" in rec else ""
    return (
        f"  {label} minute {rec['minute']}: {rec['achieved']}/s, delivery p50/p99 "
        f"{d['p50']}/{d['p99']} ms, ack {a['p50']}/{a['p99']} ms, RSS {rec['rss_mib']} MiB, "
        f"db {rec.get('db_mib')} MiB{wal}, lost {rec['lost']}"
        f"{', errors ' + str(rec['errors']) if rec['errors'] else ''}, load {rec['load']}"
    )


def judge(run: dict[str, Any]) -> Verdict:
    minutes = run["minutes"]
    if not minutes:
        return {"nothing lost": (False, "no minute was measured")}
    first, last = minutes[0], minutes[-1]
    out: Verdict = {}
    p0, p1 = first["delivery"]["p99"], last["delivery"]["p99"]
    a0, a1 = first["ack"]["p99"], last["ack"]["p99"]
    out["p99 steady"] = (
        not math.isnan(p1) and p1 <= P99_DRIFT * p0,
        f"delivery p99 {p0} → {p1} ms (× {p1 / p0:.2f}; ack p99 {a0} → {a1} ms), "
        f"limit × {P99_DRIFT}",
    )
    base = first if len(minutes) > 1 else run["start"]
    growth = last["rss_mib"] / base["rss_mib"] - 1
    out["RSS growth"] = (
        growth <= RSS_GROWTH,
        f"{base['rss_mib']} → {last['rss_mib']} MiB ({growth:+.1%}) from the end of "
        f"{'minute 1' if base is first else 'the connect'} to the end, limit +{RSS_GROWTH:.0%}",
    )
    if "wal_max_mib" in last:
        top = max(m["wal_max_mib"] for m in minutes)
        idle = [
            m["minute"]
            for m in minutes
            if m["wal_restarts"] == 0 and m["wal_max_mib"] >= WAL_CHECKPOINT_MIB
        ]
        restarts = sum(m["wal_restarts"] for m in minutes)
        out["WAL bounded"] = (
            top <= WAL_BOUND_MIB and not idle,
            f"largest {top} MiB (bound {WAL_BOUND_MIB:g} MiB), restarted {restarts} times"
            + (f"; no restart in minute(s) {idle}" if idle else ", in every full minute"),
        )
    sent = sum(m["sent"] for m in minutes)
    errors = sum(sum(m["errors"].values()) for m in minutes)
    short = [m["minute"] for m in minutes if m["acked"] < MIN_REACH * m["sent"]]
    out["kept up"] = (
        not short and errors == 0,
        f"{run['acked']} of {sent} sends acked within {run['drain']:g} s of the minute's end, "
        f"{errors} not (or refused)"
        + (f"; under {MIN_REACH:.1%} acked in minute(s) {short}" if short else ""),
    )
    lost = sum(m["lost"] for m in minutes)
    ok = lost == 0 and run["comments"] >= run["acked"] and run["notified"] == run["comments"]
    out["nothing lost"] = (
        ok,
        f"{lost} acked but not delivered to all 10 watchers; {run['comments']} comments in "
        f"the database (≥ {run['acked']} acked), {run['notified']} notified to the assignees",
    )
    return out


def _table(run: dict[str, Any]) -> list[str]:
    sqlite = "wal_max_mib" in run["start"]
    head = "| minute | comments/s | delivery p50 / p99 ms | ack p50 / p99 ms | hub RSS MiB | db MiB"
    head += " | WAL max MiB | WAL restarts" if sqlite else ""
    head += " | lost | errors | gap s | load |"
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    start = run["start"]
    rows.append(
        f"| connect | – | – | – | {start['rss_mib']} | {start.get('db_mib', '–')}"
        + (f" | {start['wal_max_mib']} | –" if sqlite else "")
        + " | – | – | – | – |"
    )
    for m in run["minutes"]:
        d, a = m["delivery"], m["ack"]
        row = (
            f"| {m['minute']} | {m['achieved']:g} | {d['p50']} / {d['p99']} | "
            f"{a['p50']} / {a['p99']} | {m['rss_mib']} | {m['db_mib']}"
        )
        row += f" | {m['wal_max_mib']} | {m['wal_restarts']}" if sqlite else ""
        errors = ", ".join(f"{k} {v}" for k, v in m["errors"].items()) or "0"
        row += f" | {m['lost']} | {errors} | {m['gap_s']} | {m['load']} |"
        rows.append(row)
    return rows


def render(
    plan: Plan,
    runs: dict[str, dict[str, Any]],
    verdicts: dict[str, Verdict],
    load: tuple[float, float, float],
    errors: list[str],
) -> str:
    now = datetime.datetime.now(datetime.UTC)
    lines = [
        "# asinan-hub soak",
        "",
        "Written by `make soak` (`python -m bench.soak`). One hub process, held at a fixed "
        "open-loop rate with scenario (a)'s world and generator: "
        f"{plan.tickets} tickets × 10 watchers, {plan.senders} senders per ticket; every "
        "comment committed, acked, delivered to the ticket's 10 watchers and notified to "
        "its assignee. Each row is one step of the generator; between two steps it only "
        "waits for the last deliveries (*gap*). *Delivery* is send → receipt at each "
        "watcher; *ack* is send → the sender's ack (after the commit).",
        "",
        f"- **Date**: {now:%Y-%m-%d %H:%M} UTC; {'quick smoke run' if plan.quick else 'run'} of "
        f"{plan.minutes} × {plan.interval:g} s per database",
        f"- **Rate**: {plan.rate:g} comments/s ({plan.rate_source})",
        f"- **Machine**: {psutil.cpu_count()} cores, {platform.platform()}; load average "
        f"before: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the *load* column: 1-min "
        "average at each minute's end; the machine is shared)",
        "",
        "Criteria: the last minute's delivery p99 ≤ "
        f"{P99_DRIFT} × the first minute's; hub RSS growth ≤ {RSS_GROWTH:.0%} from the end "
        "of minute 1 (after warm-up) to the end of the run; on SQLite the WAL file never "
        f"exceeds {WAL_BOUND_MIB:g} MiB and restarts (a checkpoint completed) in every "
        f"minute in which it reached the {WAL_CHECKPOINT_MIB:.1f} MiB checkpoint size; "
        "kept up — ≥ 99.9 % of each minute's sends acked (a comment not acked is not "
        "promised: it is not *lost*, but the rate was too high); nothing lost — every "
        "acked comment delivered to all 10 watchers, stored (rows counted at the end) and "
        "notified.",
        "",
    ]
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL + Redis"}
    for name, run in runs.items():
        lines += [f"## {names[name]}", "", *_table(run), ""]
        for key, (ok, detail) in verdicts[name].items():
            lines.append(f"- **{key}**: {'✅ met' if ok else '❌ missed'} — {detail}")
        lines.append("")
    if errors:
        lines += ["## Errors", "", *[f"- {e}" for e in errors], ""]
    return "\n".join(lines)
