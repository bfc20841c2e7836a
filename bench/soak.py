"""``python -m bench.soak [--quick] [--rate N] [--minutes M] [--only sqlite|postgres]``.

The soak (``make soak``, not part of ``make bench``): one hub process held for
``--minutes`` (10) at 70 % of scenario (a)'s maximum sustained rate, first on SQLite,
then on PostgreSQL + Redis, with (a)'s world and generator — 40 tickets, 10 watchers
each, every comment committed, acked, delivered to its 10 watchers and notified to the
ticket's assignee. Each minute is one open-loop step of the generator; between two
minutes the generator only waits for the last deliveries (the gap is reported). Per
minute: delivery and ack p50/p99, the hub's RSS, SQLite's WAL and database file, losses;
then the verdicts (:mod:`bench.soakreport`). A full run writes ``docs/soak.md``; a
shorter one ``var/soak/soak.md``. Exits 1 on a lost message or an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import soakreport
from bench.loadgen import Generator
from bench.loadworker import raise_nofile
from bench.scenarios.conversations import conversation_specs
from bench.servers import Server
from bench.soakprobe import Probe, database_mib, stored
from bench.stats import summary
from bench.world import BenchTicket, build, hub_env, migrate, settings_for
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent
#: Share of (a)'s maximum sustained rate the soak offers.
SHARE = 0.70


@dataclass(frozen=True)
class Plan:
    rate: float
    rate_source: str
    minutes: int
    interval: float
    tickets: int
    senders: int = 2
    workers: int = 2
    drain: float = 10.0
    quick: bool = False


def max_rate_in_report(report: str) -> float | None:
    """The hub's max sustained rate in a benchmarks.md's (a) table."""
    section = report.split("## (a)", 1)[-1]
    found = re.search(r"^\| hub \| ([\d.]+) \|", section, re.MULTILINE)
    return float(found.group(1)) if found else None


def a_max_rate(root: Path = ROOT) -> tuple[float, str] | None:
    """(a)'s hub max from var/bench/results.json, else from docs/benchmarks.md's table."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        rate = json.loads((root / "var/bench/results.json").read_text())["a"]["hub"]["max_rate"]
        if rate:
            return float(rate), "var/bench/results.json"
    with contextlib.suppress(OSError):
        found = max_rate_in_report((root / "docs/benchmarks.md").read_text())
        if found:
            return found, "docs/benchmarks.md"
    return None


def make_plan(args: argparse.Namespace) -> Plan:
    if args.quick:
        return Plan(40.0, "--quick", args.minutes or 2, 15.0, 4, drain=5.0, quick=True)
    if args.rate:
        rate, source = float(args.rate), "--rate"
    else:
        found = a_max_rate()
        if found is None:
            raise SystemExit("no (a) result found: run `python -m bench --only a` or pass --rate")
        rate, source = round(SHARE * found[0]), f"70 % of (a)'s {found[0]:g}/s in {found[1]}"
    return Plan(rate, source, args.minutes or 10, 60.0, 40)


def soak_one(
    plan: Plan, label: str, env: dict[str, str], tickets: list[BenchTicket], workdir: Path
) -> dict[str, Any]:
    """Hold one hub at ``plan.rate`` for ``plan.minutes`` intervals; every interval's figures."""
    url = env["DATABASE_URL"]
    db = Path(url.split("///", 1)[1]) if url.startswith("sqlite") else None
    room = len(tickets[0].tokens)
    out: dict[str, Any] = {"label": label, "rate": plan.rate, "drain": plan.drain, "minutes": []}
    with Server("hub", workdir, env) as server, Generator(server.url, workers=plan.workers) as gen:
        done = gen.connect(conversation_specs(tickets, plan.senders))
        say(f"{label}: {done['ok']} sockets in {done['seconds']:.1f}s ({done['failed']} failed)")
        out["connect_failed"] = done["failed"]
        probe = Probe(server.pid, db).start()
        out["start"] = probe.cut()
        if db is None:
            out["start"]["db_mib"] = database_mib(url)
        acked = 0
        try:
            for minute in range(1, plan.minutes + 1):
                t0 = time.monotonic()
                step = gen.step(plan.rate, plan.interval, room, plan.drain)
                wall = time.monotonic() - t0
                rec = {
                    "minute": minute,
                    "sent": step.sent,
                    "acked": step.ok,
                    "achieved": round(step.ok / plan.interval, 1),
                    "errors": step.errors,
                    "expected": step.expected,
                    "received": step.received,
                    "lost": step.lost,
                    "delivery": summary(step.latencies),
                    "ack": summary(step.ack_latencies),
                    "gap_s": round(max(0.0, wall - plan.interval), 1),
                    "load": round(os.getloadavg()[0], 2),
                    **probe.cut(),
                }
                if db is None:
                    rec["db_mib"] = database_mib(url)
                acked += step.ok
                out["minutes"].append(rec)
                say(soakreport.progress(label, rec))
        finally:
            probe.stop()
        out["acked"] = acked
        out |= stored(url, gen.run)
    return out


def on_sqlite(plan: Plan, workdir: Path) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{workdir / 'soak.db'}"
    migrate(url)
    world = asyncio.run(
        build(settings_for(url, str(workdir / "data")), {"conv": (plan.tickets, 10)})
    )
    return soak_one(plan, "SQLite", hub_env(url, str(workdir / "data")), world["conv"], workdir)


def on_postgres(plan: Plan, workdir: Path) -> dict[str, Any]:
    with (
        RedisServer(workdir / "redis") as redis,
        PostgresServer(workdir / "pg", "asinan_soak") as pg,
    ):
        say(f"Redis on {redis.port}, PostgreSQL on {pg.port}")
        migrate(pg.url)
        settings = settings_for(pg.url, str(workdir / "data"))
        world = asyncio.run(build(settings, {"conv": (plan.tickets, 10)}))
        env = hub_env(pg.url, str(workdir / "data"), redis.url)
        return soak_one(plan, "PostgreSQL + Redis", env, world["conv"], workdir)


_started = time.monotonic()


def say(line: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - _started:7.1f}s] {line}\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (~1 minute)")
    parser.add_argument("--rate", type=float, default=None, help="comments/s (default: 70 %% of a)")
    parser.add_argument("--minutes", type=int, default=None, help="intervals per database (10)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), default=None)
    parser.add_argument("--out", default=None, help="report file")
    args = parser.parse_args(argv)
    plan = make_plan(args)
    raise_nofile()
    workdir = ROOT / "var" / "soak"
    full = not plan.quick and plan.minutes >= 10 and args.only is None
    out = Path(args.out) if args.out else (ROOT / "docs" if full else workdir) / "soak.md"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    load = os.getloadavg()
    say(
        f"soak: {plan.rate:g} comments/s ({plan.rate_source}), {plan.minutes} × {plan.interval:g} s"
    )
    runs: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for name, fn in (("sqlite", on_sqlite), ("postgres", on_postgres)):
        if args.only not in (None, name):
            continue
        (workdir / name / "data").mkdir(parents=True)
        try:
            runs[name] = fn(plan, workdir / name)
        except Exception as exc:
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            say(traceback.format_exc())
        (workdir / "results.json").write_text(json.dumps(runs, indent=1, default=str))
    verdicts = {name: soakreport.judge(run) for name, run in runs.items()}
    out.write_text(soakreport.render(plan, runs, verdicts, load, errors))
    for name, verdict in verdicts.items():
        say(
            f"{name}: "
            + "; ".join(f"{k} {'met' if v[0] else 'MISSED'} ({v[1]})" for k, v in verdict.items())
        )
    say(f"report: {out}")
    # a missed criterion is reported; a lost message (or an error) fails the run
    lost = any(not v["nothing lost"][0] for v in verdicts.values())
    return 1 if errors or lost or len(runs) == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
