"""``python -m bench [--quick] [--only abcdef|logins] [--out FILE]``: scenarios, then a report.

Every scenario writes docs/benchmarks.md; a run of some of them writes
var/bench/benchmarks.md instead (unless ``--out`` says otherwise), so a partial run
never replaces the full report. ``--only logins`` is scenario (f) alone, ``--only city`` (g).

Exits 1 if a scenario errors or loses a message; a missed performance target is reported,
not an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import report
from bench.context import Context, Scale
from bench.loadworker import raise_nofile
from bench.scenarios import calls, city, conversations, fanout, idle, logins, scaleout
from bench.servers import npm_ci
from bench.world import build, migrate, settings_for

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "a": conversations.run,
    "b": idle.run,
    "c": fanout.run,
    "d": calls.run,
    "e": scaleout.run,
    "f": logins.run,
    "g": city.run,
}
#: Names accepted by ``--only`` for one scenario.
ALIASES = {"logins": "f", "city": "g"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (seconds)")
    parser.add_argument(
        "--only", default="".join(SCENARIOS), help="scenarios to run, e.g. 'ac', or 'logins'"
    )
    parser.add_argument("--out", default=None, help="report file (see above for the default)")
    args = parser.parse_args(argv)
    only = ALIASES.get(args.only, args.only)
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {''.join(sorted(unknown))}; known: {''.join(SCENARIOS)}")
    raise_nofile()
    scale = Scale.make(args.quick)
    workdir = ROOT / "var" / "bench"
    full = set(only) == set(SCENARIOS)
    out = Path(args.out) if args.out else (ROOT / "docs" if full else workdir) / "benchmarks.md"
    for old in workdir.glob("*") if workdir.exists() else ():
        if old.name == "cache":  # (g)'s generated worlds, keyed by their version
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    (workdir / "data").mkdir(parents=True)
    database_url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    ctx = Context(scale, workdir, database_url, {})
    ctx.say(f"bench ({'quick' if scale.quick else 'full'}): installing B2 (npm ci)")
    npm_ci()
    idle_tickets = math.ceil(max(scale.idle_steps) / 10) if "b" in only else 0
    # only the groups the chosen scenarios use ((e) builds its own on PostgreSQL)
    groups = {
        "conv": (scale.conv_tickets if {"a", "f"} & set(only) else 0, 10),
        "idle": (idle_tickets, 10),
        "fanout": (1 if "c" in only else 0, scale.fanout_watchers),
        "calls": (scale.calls_parallel if "d" in only else 0, 2),
    }
    started = time.monotonic()
    migrate(database_url)
    ctx.world = asyncio.run(build(settings_for(database_url, str(workdir / "data")), groups))
    ctx.say(f"bench world written to SQLite in {time.monotonic() - started:.1f}s")
    for key in only:
        ctx.say(f"── scenario ({key}) ──")
        try:
            ctx.results[key] = SCENARIOS[key](ctx)
        except Exception as exc:
            ctx.errors.append(f"({key}) {type(exc).__name__}: {exc}")
            ctx.say(traceback.format_exc())
        (workdir / "results.json").write_text(json.dumps(ctx.results, indent=1, default=str))
    elapsed = time.monotonic() - ctx.started
    report.write(ctx, out, elapsed)
    ctx.say(f"report: {out} ({elapsed:.0f}s in all)")
    if ctx.lost_messages:
        ctx.errors.append(f"{ctx.lost_messages} messages acked but never delivered")
    for error in ctx.errors:
        ctx.say(f"ERROR {error}")
    return 1 if ctx.errors else 0


if __name__ == "__main__":
    sys.exit(main())
