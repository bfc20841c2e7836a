"""What the soak watches beside the load: the hub's RSS, SQLite's WAL and database file.

A thread samples once a second; :meth:`Probe.cut` closes one interval (a minute) and
returns its figures. SQLite restarts its WAL (writes from the top again, without
shrinking the file) each time a checkpoint has copied every frame back and no reader
needs the old ones; each restart bumps the *checkpoint sequence number* in the WAL
header (bytes 12–15, big-endian), so the count of restarts per interval is exact even
though the file's size alone would not show them.
"""

from __future__ import annotations

import asyncio
import struct
import threading
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

MIB = 2**20


def wal_sequence(wal: Path) -> int | None:
    """The WAL header's checkpoint sequence number; None without a WAL."""
    try:
        with wal.open("rb") as f:
            head = f.read(16)
    except OSError:
        return None
    if len(head) < 16:
        return None
    return int(struct.unpack(">I", head[12:16])[0])


def _size(path: Path | None) -> int | None:
    if path is None:
        return None
    try:
        return path.stat().st_size
    except OSError:
        return None


class Probe:
    """Samples ``pid``'s RSS and, on SQLite, ``db`` and its ``-wal`` file, every ``period`` s."""

    def __init__(self, pid: int, db: Path | None, period: float = 1.0) -> None:
        self.proc = psutil.Process(pid)
        self.db = db
        self.wal = db.with_name(db.name + "-wal") if db else None
        self.period = period
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._rss: list[int] = []
        self._wal: list[int] = []
        self._restarts = 0
        self._seq = wal_sequence(self.wal) if self.wal else None
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> Probe:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.period):
            self._sample()

    def _sample(self) -> None:
        try:
            rss = int(self.proc.memory_info().rss)
        except psutil.Error:
            return
        wal_size = _size(self.wal)
        seq = wal_sequence(self.wal) if self.wal else None
        with self._lock:
            self._rss.append(rss)
            if wal_size is not None:
                self._wal.append(wal_size)
            if seq is not None:
                if self._seq is not None and seq != self._seq:
                    # the sequence only grows; a jump of n is n restarts
                    self._restarts += (seq - self._seq) % 2**32
                self._seq = seq

    def cut(self) -> dict[str, Any]:
        """Figures of the interval since the last cut (sampling once more first)."""
        self._sample()
        with self._lock:
            rss, wal, restarts = self._rss, self._wal, self._restarts
            self._rss, self._wal, self._restarts = [], [], 0
        out: dict[str, Any] = {
            "rss_mib": round(rss[-1] / MIB, 1) if rss else None,
            "rss_max_mib": round(max(rss) / MIB, 1) if rss else None,
        }
        if self.db is not None:
            db_size = _size(self.db)
            out |= {
                "db_mib": round(db_size / MIB, 1) if db_size is not None else None,
                "wal_mib": round(wal[-1] / MIB, 2) if wal else 0.0,
                "wal_max_mib": round(max(wal) / MIB, 2) if wal else 0.0,
                "wal_restarts": restarts,
            }
        return out


async def _scalars(url: str, queries: list[str]) -> list[int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return [int((await conn.execute(text(q))).scalar() or 0) for q in queries]
    finally:
        await engine.dispose()


def database_mib(url: str) -> float:
    """PostgreSQL's size of the current database, MiB."""
    (size,) = asyncio.run(_scalars(url, ["SELECT pg_database_size(current_database())"]))
    return round(size / MIB, 1)


def stored(url: str, run: str) -> dict[str, int]:
    """What the database holds of one generator run: its comments, and the assignees'
    comment notifications (an unread row counts every comment it stands for)."""
    comments, notified = asyncio.run(
        _scalars(
            url,
            [
                "SELECT count(*) FROM ticket_events WHERE kind = 'comment' "
                f"AND client_id LIKE 'bench-{run}-%'",
                "SELECT coalesce(sum(n.count), 0) FROM notifications n JOIN tickets t "
                "ON t.id = n.ticket_id AND t.assignee_id = n.user_id WHERE n.kind = 'comment'",
            ],
        )
    )
    return {"comments": comments, "notified": notified}
