"""docs/benchmarks.md and docs/benchmarks.png from one run's results."""

from __future__ import annotations

import datetime
import importlib.metadata as md
import math
import platform
import subprocess
from pathlib import Path
from typing import Any

import psutil

from bench.context import Context
from bench.plot import plot
from bench.report_conv import conv, logins
from bench.report_scale import scaleout
from bench.serve import UVICORN_FLAGS
from bench.servers import KINDS, NAMES, NODE_DIR
from bench.stats import ratio

NOTES = Path(__file__).with_name("notes.md")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return "-"


def _node_versions() -> tuple[str, str]:
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
        pkg = (NODE_DIR / "node_modules" / "socket.io" / "package.json").read_text()
    except OSError:
        return "-", "-"
    import json

    return node.strip(), str(json.loads(pkg)["version"])


def _f(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:g}" if isinstance(x, float) else str(x)


def _ok(flag: bool) -> str:
    return "✅ met" if flag else "❌ missed"


def machine(ctx: Context, elapsed: float) -> list[str]:
    node, sio = _node_versions()
    load = ctx.load_before
    sc = ctx.scale
    return [
        f"- **Date**: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{'quick smoke run' if ctx.scale.quick else 'full run'}, {elapsed:.0f} s in all",
        f"- **Machine**: {psutil.cpu_count()} cores ({_cpu_model()}), "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, {platform.platform()}",
        f"- **Load average before the run** (1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} — the machine may be shared; above ~0.5, other work competed for "
        "the cores and the figures are pessimistic. The CPU columns show, per step, what "
        "the servers, the generator and the whole machine used.",
        f"- **Versions**: Python {platform.python_version()}, uvicorn {_version('uvicorn')}, "
        f"python-socketio {_version('python-socketio')}, python-engineio "
        f"{_version('python-engineio')}, SQLAlchemy {_version('sqlalchemy')}, "
        f"Node {node}, socket.io {sio}, aiortc {_version('aiortc')}",
        f"- **uvicorn flags (hub, B0, B1)**: `{UVICORN_FLAGS}`, except that "
        "the hub's `ws` is `hub.realtime.lean.LeanWebSocketProtocol` (uvicorn's websockets-sansio "
        "with lighter per-connection parts, as `asinan-hub serve` runs it); B2: socket.io "
        "`perMessageDeflate: false`, websocket transport. The client never offers compression.",
        "- **Load generator**: "
        f"{sc.workers} worker processes (uvloop, aiohttp websockets, hand-written "
        "Engine.IO v4 / Socket.IO v5 frames), open loop; its CPU is shown per worker "
        f"(100 % = one core). In (a), a server whose generator reached ≥ "
        f"{sc.gen_saturated_pct:g} % of a core at its top steps is measured again with "
        f"{sc.more_workers}; the table says how many processes each figure used.",
        f"- **Steps**: {sc.step_seconds:g} s each in (a), (e); (a)'s search starts at "
        f"{sc.hub_start_rate:g}/s (hub) and {sc.baseline_start_rate:g}/s (B0–B2), doubles "
        f"or halves to a pass and a miss, then bisects {sc.bisect_steps} times.",
    ]


def _idle(res: dict[str, Any]) -> list[str]:
    rows = [
        "| server | sockets held | KiB per socket | RSS MiB | connects/s | hub ÷ server (KiB) |",
        "|---|---|---|---|---|---|",
    ]
    hub_kib = res.get("hub", {}).get("kib_per_conn")
    for kind in KINDS:
        r = res.get(kind)
        if not r or not r.get("steps"):
            continue
        last = max(r["steps"], key=lambda s: s["open"])
        rows.append(
            f"| {NAMES[kind]} | {r['held']} | {_f(r['kib_per_conn'])} | {_f(last['rss_mib'])} | "
            f"{_f(last['connect_rate'])} | {_f(ratio(hub_kib or math.nan, r['kib_per_conn']))} |"
        )
    hub = res.get("hub", {})
    kib = hub.get("kib_per_conn") or math.inf
    rows += [
        "",
        f"Target: ≥ 20,000 sockets at ≤ 50 KiB each — held {hub.get('held')} "
        f"({_ok(hub.get('held', 0) >= 20000)}), {_f(hub.get('kib_per_conn'))} KiB "
        f"({_ok(kib <= 50)}). RLIMIT_NOFILE hard limit here: {res.get('nofile_hard')} "
        "(cannot be raised without root capabilities), so one process cannot pass ~19,9xx.",
    ]
    return rows


def _fanout(res: dict[str, Any]) -> list[str]:
    rows = [
        "| server | watchers | last watcher p50 ms | last p99 ms | any delivery p50 ms "
        "| p99 ms | reach | hub ÷ server (last p99) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    hub_p99 = res.get("hub", {}).get("last", {}).get("p99", math.nan)
    for kind in KINDS:
        r = res.get(kind)
        if not r:
            continue
        rows.append(
            f"| {NAMES[kind]} | {r['watchers']} | {_f(r['last']['p50'])} | {_f(r['last']['p99'])} "
            f"| {_f(r['delivery']['p50'])} | {_f(r['delivery']['p99'])} | {r['reach']} "
            f"| {_f(ratio(hub_p99, r['last']['p99']))} |"
        )
    rows += [
        "",
        f"Target: p99 ≤ 150 ms for 1,000 watchers (until the last one) — {_ok(hub_p99 <= 150)}.",
    ]
    return rows


def _calls(res: dict[str, Any]) -> list[str]:
    hub = res.get("hub", {})
    one, par = hub.get("one", {}), hub.get("parallel", {})
    n = hub.get("parallel_n")

    def met(r: dict[str, Any], p99: float = 750) -> str:
        return _ok(r.get("p50", 1e9) <= 250 and r.get("p99", 1e9) <= p99)

    pg = hub.get("parallel_pg", {})
    pg_par = pg.get("parallel", {})
    rows = [
        "| hub | calls | p50 ms | p99 ms | max ms | hub CPU ms per set-up (burst only) |",
        "|---|---|---|---|---|---|",
        f"| one at a time | {one.get('n')} | {_f(one.get('p50'))} | {_f(one.get('p99'))} "
        f"| {_f(one.get('max'))} | |",
        f"| {n} at once, {hub.get('parallel_workers')} peer processes | {par.get('n')} "
        f"| {_f(par.get('p50'))} | {_f(par.get('p99'))} | {_f(par.get('max'))} "
        f"| {_f(hub.get('parallel_cpu_ms'))} |",
    ]
    if pg_par:
        rows.append(
            f"| {pg.get('parallel_n')} at once, PostgreSQL + Redis "
            f"| {pg_par.get('n')} | {_f(pg_par.get('p50'))} | {_f(pg_par.get('p99'))} "
            f"| {_f(pg_par.get('max'))} | {_f(pg.get('parallel_cpu_ms'))} |"
        )
    rows += [
        "",
        f"Target: p50 ≤ 250 ms, p99 ≤ 750 ms — one at a time {met(one)}, {n} at once "
        f"{met(par)}"
        + (f"; on PostgreSQL + Redis p99 ≤ 500 ms — {met(pg_par, 500)}" if pg_par else "")
        + ". Every socket is connected before a burst starts and hung up after it; the "
        "peers (aiortc) run in their own processes. No baseline: B0–B2 have no call state "
        "machine; the relay cost they would show is the fan-out figure above.",
    ]
    for label, r in (("SQLite", hub), ("PostgreSQL + Redis", pg)):
        phases = r.get("parallel_phases", {})
        if phases:
            rows += [
                "",
                f"{n} at once on {label}, p50 / p99 ms by step: "
                + "; ".join(
                    f"{k} {_f(v.get('p50'))} / {_f(v.get('p99'))}" for k, v in phases.items()
                )
                + ".",
            ]
    return rows


def _city(res: dict[str, Any]) -> list[str]:
    t = res.get("targets", {})
    p99, most = t.get("search_p99_ms", 100.0), t.get("report_s", 2.0) * 1000
    rows = [
        "| database | requests / events | built s | search p50 / p99 ms (n) | slowest kind p99 "
        "| report: 1 office / city / city XLSX ms |",
        "|---|---|---|---|---|---|",
    ]
    for db in ("sqlite", "postgresql"):
        r = res.get(db)
        if not r:
            continue
        s, rep = r["search"], r["report"]
        kinds = {k: v for k, v in s.items() if isinstance(v, dict) and k != "all"}
        worst = max(kinds, key=lambda k: kinds[k]["p99"]) if kinds else "—"
        reps = [rep[k]["worst"] for k in ("office", "city", "city_xlsx")]
        rows.append(
            f"| {db} | {r['size']['requests']:,} / {r['size']['events']:,} | {_f(r['built_s'])} "
            f"| {_f(s['all']['p50'])} / {_f(s['all']['p99'])} ({s['all']['n']}) "
            f"| {worst} {_f(kinds.get(worst, {}).get('p99'))} | {' / '.join(map(_f, reps))} "
            f"{_ok(max(reps) <= most)} |"
        )
    met = all(res[d]["search"]["all"]["p99"] <= p99 for d in ("sqlite", "postgresql") if d in res)
    rows += ["", f"Targets: search p99 ≤ {p99:g} ms — {_ok(met)}; report (worst of 3, last "
             f"month) ≤ {most / 1000:g} s, per row above."]  # fmt: skip
    return rows


def write(ctx: Context, path: Path, elapsed: float) -> None:
    res = ctx.results
    lines = [
        "# asinan-hub benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); every figure is measured in the same "
        "run as its baselines, with the same load generator and server flags. "
        "B0 = raw ASGI websocket relay, B1 = bare python-socketio relay, B2 = Node.js "
        "socket.io relay; *hub ÷ server* is the hub's figure divided by that server's.",
        "",
        "![latency percentiles per scenario](benchmarks.png)",
        "",
        "## Run",
        "",
        *machine(ctx, elapsed),
        "",
    ]
    sections = (
        (
            "a",
            "(a) Conversations — 10 watchers per ticket, every comment committed, acked, "
            "delivered, plus a notification",
            conv,
        ),
        ("b", "(b) Idle connections — authenticated, in a user room and a ticket room", _idle),
        ("c", "(c) Fan-out — one comment to the 1,000 watchers of a ticket", _fanout),
        ("d", "(d) Call set-up — aiortc peers, no STUN", _calls),
        (
            "e",
            "(e) Scale-out — two processes + Redis + PostgreSQL vs one, at the same rate",
            scaleout,
        ),
        ("f", "(f) Login storm — argon2 off the event loop, beside the comments", logins),
        ("g", "(g) Search and reports at city scale — a year of Kota Bogor", _city),
    )
    for key, title, render in sections:
        lines += [f"## {title}", ""]
        lines += render(res[key]) if key in res else ["Not run in this pass."]
        lines.append("")
    prof = res.get("a", {}).get("hub", {}).get("profile")
    if prof and prof.get("samples"):
        lines += [
            "## Profile of the hub saturated in (a) (py-spy, self time)",
            "",
            f"{prof['samples']} samples. By package: "
            + ", ".join(f"{k} {v} %" for k, v in prof["self_by_package"]),
            "",
            "Hottest functions (self): "
            + "; ".join(f"`{k}` {v} %" for k, v in prof["self_top"][:10]),
            "",
            "Our code, inclusive: "
            + "; ".join(f"`{k}` {v} %" for k, v in prof["ours_inclusive"][:12]),
            "",
        ]
    if ctx.errors or ctx.lost_messages:
        lines += [
            "## Errors in this run",
            "",
            *[f"- {e}" for e in ctx.errors],
            f"- messages lost: {ctx.lost_messages}",
            "",
        ]
    if NOTES.exists():
        lines += [NOTES.read_text().strip(), ""]
    path.write_text("\n".join(lines))
    plot(res, path.with_suffix(".png"))
