"""CPU per comment of scenario (a)'s hub work, in process, per batch size.

``python -m bench.cpu_per_comment [--batches 1,10,50,128] [--rounds N] [--profile FILE]``

The bench world on SQLite (40 tickets, 10 watchers: the applicant and 8 officers watch,
the assignee does not, so each comment notifies one person), one app built by
``create_app``. Each round sends ``batch`` comments at once through the ``/tickets``
namespace's event entry (parse, handler, group commit, ack view, metrics), so they form
one batch; the CPU time of the round is divided by its comments. Nobody is connected:
the socket writes (the fan-out, perf-fanout's part) are not in the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.world import BenchTicket, build, migrate, settings_for
from hub.app import create_app, tune_process
from hub.principal import Principal
from hub.timeline import TICKETS_NS
from notifications import watching

TEXT = "Selamat siang, berkas saya sudah lengkap? " * 2


class _Rig:
    def __init__(self, ns: Any, senders: list[tuple[str, int]]) -> None:
        self.ns = ns
        self.senders = senders  # (sid, ticket id)
        self.n = itertools.count()

    async def round(self, batch: int) -> None:
        picks = [self.senders[next(self.n) % len(self.senders)] for _ in range(batch)]
        acks = await asyncio.gather(
            *(
                self.ns.trigger_event(
                    "send",
                    sid,
                    {"ticket_id": tid, "client_id": f"cpc-{next(self.n):08d}", "body": TEXT},
                )
                for sid, tid in picks
            )
        )
        bad = [a for a in acks if not a.get("ok")]
        if bad:
            raise RuntimeError(f"refused: {bad[0]}")


async def _rig(workdir: Path) -> tuple[_Rig, Any]:
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    settings = settings_for(url, str(workdir / "data"))
    world = await build(settings, {"conv": (40, 10)})
    tickets: list[BenchTicket] = world["conv"]
    app = create_app(settings)
    hub = app.hub
    ns = app.sio.namespace_handlers[TICKETS_NS]
    principals: dict[str, Principal] = {}
    senders: list[tuple[str, int]] = []
    for t in tickets:
        for j, token in enumerate(t.tokens):
            p = await hub.principal_from_token(token)
            sid = f"s{t.id}.{j}"
            principals[sid] = p
            await watching.joined(hub, sid, p, t.id)  # watching: not notified
            if j < 2:  # the applicant and one officer send, as in (a)
                senders.append((sid, t.id))

    async def principal(sid: str) -> Principal:
        return principals[sid]

    ns.principal = principal  # no sockets: the sids are ours
    return _Rig(ns, senders), app


async def main(workdir: Path, batches: list[int], rounds: int, profile: Path | None) -> None:
    rig, app = await _rig(workdir)
    if True:
        tune_process()
        sys.stdout.write("batch  CPU/comment  CPU/batch\n")
        for batch in batches:
            n = max(3, rounds // batch)
            for _ in range(3):  # warm up: compiled caches, the first rows
                await rig.round(batch)
            prof = cProfile.Profile() if profile and batch == batches[-1] else None
            start = time.process_time()
            if prof:
                prof.enable()
            for _ in range(n):
                await rig.round(batch)
            if prof:
                prof.disable()
            spent = (time.process_time() - start) / n
            per = spent / batch * 1000
            sys.stdout.write(f"{batch:5d}  {per:8.3f} ms  {spent * 1000:8.2f} ms\n")
            sys.stdout.flush()
            if prof and profile:
                prof.dump_stats(str(profile))
                pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        await app.hub.close()


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", default="1,10,50,128")
    ap.add_argument("--rounds", type=int, default=2000, help="comments per batch size")
    ap.add_argument("--profile", type=Path, default=None, help="cProfile the last size")
    return ap.parse_args()


if __name__ == "__main__":
    a = _args()
    with tempfile.TemporaryDirectory(prefix="cpc-") as tmp:
        migrate(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")  # runs its own loop
        sizes = [int(b) for b in a.batches.split(",")]
        asyncio.run(main(Path(tmp), sizes, a.rounds, a.profile))
