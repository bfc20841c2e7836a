"""The soak's own measuring: WAL restarts, the (a) rate it starts from, its verdicts."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("orjson")  # a bench dependency (pip install -e '.[bench]')

from bench.soak import a_max_rate, max_rate_in_report
from bench.soakprobe import wal_sequence
from bench.soakreport import judge


def test_wal_sequence_counts_restarts_after_checkpoints(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x TEXT)")
    wal = tmp_path / "x.db-wal"
    first = wal_sequence(wal)
    assert first is not None
    for _ in range(3):
        conn.execute("INSERT INTO t VALUES (?)", ("y" * 5000,))
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    # each write after a complete checkpoint starts the WAL over and bumps the sequence
    after = wal_sequence(wal)
    assert after is not None and after - first == 2
    conn.close()
    assert wal_sequence(wal) is None  # the last connection checkpoints and deletes it


def test_a_rate_from_results_then_from_the_report(tmp_path: Path) -> None:
    table = "## (a) Conv\n\n| server | max |\n|---|---|\n| hub | 1000 | 18.4 |\n| B0 | 4800 |\n"
    assert max_rate_in_report("## (b) x\n| hub | 5 |\n" + table) == 1000.0
    assert a_max_rate(tmp_path) is None
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/benchmarks.md").write_text(table)
    assert a_max_rate(tmp_path) == (1000.0, "docs/benchmarks.md")
    (tmp_path / "var/bench").mkdir(parents=True)
    (tmp_path / "var/bench/results.json").write_text(json.dumps({"a": {"hub": {"max_rate": 1200}}}))
    assert a_max_rate(tmp_path) == (1200.0, "var/bench/results.json")


def _minute(n: int, p99: float, rss: float, wal: float, restarts: int) -> dict[str, Any]:
    return {
        "minute": n, "delivery": {"p99": p99}, "ack": {"p99": p99}, "rss_mib": rss,
        "wal_max_mib": wal, "wal_restarts": restarts, "lost": 0, "errors": {}, "sent": 5,
        "acked": 5,
    }  # fmt: skip


def _run(*minutes: dict[str, Any], acked: int = 10, comments: int = 10) -> dict[str, Any]:
    return {
        "start": {"rss_mib": 100.0, "wal_max_mib": 0.0}, "minutes": list(minutes),
        "acked": acked, "comments": comments, "notified": comments, "drain": 10.0,
    }  # fmt: skip


def test_verdicts() -> None:
    good = judge(_run(_minute(1, 20, 200, 4, 3), _minute(2, 23, 209, 4, 3)))
    assert all(ok for ok, _ in good.values()), good
    bad = judge(_run(_minute(1, 20, 200, 4, 3), _minute(2, 25, 211, 9, 0), acked=10, comments=9))
    assert [k for k, (ok, _) in bad.items() if not ok] == [
        "p99 steady", "RSS growth", "WAL bounded", "nothing lost",
    ]  # fmt: skip
    # a WAL that never reached the checkpoint size need not have restarted
    small = judge(_run(_minute(1, 20, 200, 1, 0), _minute(2, 20, 200, 2, 0)))
    assert small["WAL bounded"][0]
    assert not judge(_run(_minute(1, 20, 200, 1, 0), _minute(2, math.nan, 200, 1, 0)))[
        "p99 steady"
    ][0]
