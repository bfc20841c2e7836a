"""``python -m bench [--quick] [--only a,b,c,d,e]`` — every scenario, then docs/benchmarks.md.

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
from bench.scenarios import calls, conversations, fanout, idle, scaleout
from bench.servers import npm_ci
from bench.world import build, migrate, settings_for

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "a": conversations.run,
    "b": idle.run,
    "c": fanout.run,
    "d": calls.run,
    "e": scaleout.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (seconds)")
    parser.add_argument("--only", default="abcde", help="scenarios to run, e.g. 'ac'")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    raise_nofile()
    scale = Scale.make(args.quick)
    workdir = ROOT / "var" / "bench"
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "data").mkdir(parents=True)
    database_url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    ctx = Context(scale, workdir, database_url, {})
    ctx.say(f"bench ({'quick' if scale.quick else 'full'}): installing B2 (npm ci)")
    npm_ci()
    idle_tickets = math.ceil(max(scale.idle_steps) / 10) if "b" in args.only else 0
    groups = {
        "conv": (scale.conv_tickets, 10),
        "idle": (idle_tickets, 10),
        "fanout": (1, scale.fanout_watchers),
        "calls": (scale.calls_parallel, 2),
    }
    started = time.monotonic()
    migrate(database_url)
    ctx.world = asyncio.run(build(settings_for(database_url, str(workdir / "data")), groups))
    ctx.say(f"bench world written to SQLite in {time.monotonic() - started:.1f}s")
    for key in args.only:
        ctx.say(f"── scenario ({key}) ──")
        try:
            ctx.results[key] = SCENARIOS[key](ctx)
        except Exception as exc:
            ctx.errors.append(f"({key}) {type(exc).__name__}: {exc}")
            ctx.say(traceback.format_exc())
        (workdir / "results.json").write_text(json.dumps(ctx.results, indent=1, default=str))
    elapsed = time.monotonic() - ctx.started
    report.write(ctx, Path(args.out), elapsed)
    ctx.say(f"report: {args.out} ({elapsed:.0f}s in all)")
    if ctx.lost_messages:
        ctx.errors.append(f"{ctx.lost_messages} messages acked but never delivered")
    for error in ctx.errors:
        ctx.say(f"ERROR {error}")
    return 1 if ctx.errors else 0


if __name__ == "__main__":
    sys.exit(main())
