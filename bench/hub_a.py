"""Scenario (a) on the hub alone, from a chosen rate: for A/B runs of one change.

``python -m bench.hub_a [--start 800] [--seconds 4]`` (under ``flock /tmp/bench.lock``).
The same world, generator and steps as ``python -m bench --only a`` (which also runs the
three baselines); the offered rate doubles from ``--start`` until a step misses, then two
steps bisect. Prints each step, the best, and the py-spy summary of the saturated step.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from bench.context import Context, Scale
from bench.loadworker import raise_nofile
from bench.scenarios.conversations import run_server
from bench.world import build, hub_env, migrate, settings_for

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--start", type=float, default=800.0)
    ap.add_argument("--seconds", type=float, default=4.0)
    args = ap.parse_args()
    raise_nofile()
    scale = replace(Scale.make(False), hub_start_rate=args.start, step_seconds=args.seconds)
    workdir = ROOT / "var" / "bench-hub-a"
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "data").mkdir(parents=True)
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    ctx = Context(scale, workdir, url, {})
    ctx.say(f"loadavg before: {os.getloadavg()}")
    migrate(url)
    groups = {"conv": (scale.conv_tickets, 10)}
    ctx.world = asyncio.run(build(settings_for(url, str(workdir / "data")), groups))
    result = run_server(ctx, "hub", hub_env(url, str(workdir / "data")))
    best = result["best"]
    if best:
        ctx.say(f"best: {best['offered']}/s, p99 {best['latency']['p99']} ms")
    prof = result.get("profile", {})
    for key in ("self_by_package", "ours_inclusive", "self_top"):
        ctx.say(f"{key}: {json.dumps(prof.get(key, []))}")
    (workdir / "result.json").write_text(json.dumps(result, indent=1, default=str))
    return 0 if best else 1


if __name__ == "__main__":
    sys.exit(main())
