"""Who used the machine's CPU over a span: the hub process(es), PostgreSQL, Redis, the load
generator, and the whole machine — so a saturated machine (not a slow hub) shows as such."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

import psutil

#: Role name → does this process belong to it.
Matcher = Callable[[psutil.Process], bool]


def by_pids(pids: Iterable[int]) -> Matcher:
    wanted = set(pids)
    return lambda proc: proc.pid in wanted


def by_name(*prefixes: str) -> Matcher:
    def match(proc: psutil.Process) -> bool:
        try:
            return bool(proc.name().startswith(prefixes))
        except psutil.Error:
            return False

    return match


def _busy_seconds() -> float:
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0))


class CpuShares:
    """CPU seconds per role between :meth:`start` and :meth:`stop`, as % of one core.

    ``machine`` is every core's busy time (so 2 busy cores read 200 %). A process that
    starts during the span counts in full; one that ends during it is left out.
    """

    def __init__(self, roles: dict[str, Matcher]) -> None:
        self.roles = roles
        self._before: dict[int, tuple[str, float]] = {}
        self._busy = 0.0
        self._t0 = 0.0

    def _snapshot(self) -> dict[int, tuple[str, float]]:
        out: dict[int, tuple[str, float]] = {}
        for proc in psutil.process_iter():
            role = next((r for r, match in self.roles.items() if match(proc)), None)
            if role is None:
                continue
            try:
                t = proc.cpu_times()
            except psutil.Error:
                continue
            out[proc.pid] = (role, float(t.user + t.system))
        return out

    def start(self) -> None:
        self._before = self._snapshot()
        self._busy = _busy_seconds()
        self._t0 = time.monotonic()

    def stop(self) -> dict[str, float]:
        after = self._snapshot()
        wall = max(time.monotonic() - self._t0, 1e-6)
        busy = _busy_seconds() - self._busy
        used = dict.fromkeys(self.roles, 0.0)
        for pid, (role, seconds) in after.items():
            used[role] += seconds - self._before.get(pid, (role, 0.0))[1]
        out = {role: round(100 * s / wall, 1) for role, s in used.items()}
        out["machine"] = round(100 * busy / wall)
        return {k: float(v) for k, v in out.items()}

    def over(self, delay: float, seconds: float) -> Callable[[], dict[str, float]]:
        """Measure from ``delay`` s from now for ``seconds`` s, in a thread (the caller is
        blocked in a load step meanwhile); the returned function waits for the figures."""
        got: dict[str, float] = {}

        def run() -> None:
            time.sleep(delay)
            self.start()
            time.sleep(seconds)
            got.update(self.stop())

        thread = threading.Thread(target=run, daemon=True)
        thread.start()

        def result() -> dict[str, float]:
            thread.join()
            return got

        return result
