"""A capacity model from (e)'s measured CPU per delivered comment: the rate on C cores.

Inputs (milliseconds of CPU per delivered comment, 10 watchers each, at one rate):
the hub, PostgreSQL and Redis with 1 hub process and with 2.

Assumptions (written into the report with the figures):

- Each hub process is one event loop, so it uses at most one core; it is kept at
  ``USABLE`` of a core, the load at which (a) still meets p99 ≤ 100 ms.
- Every comment is published once to Redis and every hub process receives it, so Redis's
  per-comment CPU grows with each subscriber by what the second one added.
- The hub's extra CPU per comment with 2 processes (2-process − 1-process) is bounded two
  ways: *grows*, each process beyond the first adds it again (every process receives,
  decodes and emits every comment to its share of the watchers; an upper estimate, since
  the step also holds the smaller batches of a split load); *one-time*, it is paid once,
  whatever N (a lower estimate). The two give a low and a high prediction.
- Redis is single-threaded: at most one core (``USABLE`` of it).
- PostgreSQL's CPU per comment does not depend on the number of hub processes (the
  2-process figure is used) and it uses as many cores as it is left. Its fsync is off in
  the bench; the disk's commit rate is not modelled.
- Hub processes, PostgreSQL and Redis share the machine's C cores; the load generator
  does not run there (clients are elsewhere). The best hub count N for C is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Share of a core a single-threaded server is run at (hub process, Redis).
USABLE = 0.8
#: The machine sizes the report predicts.
CORES = (4, 8, 16)


@dataclass(frozen=True)
class PerComment:
    """CPU ms per delivered comment at one rate, with 1 and with 2 hub processes."""

    hub1: float
    hub2: float
    pg: float
    redis1: float
    redis2: float

    def hub(self, n: int, grows: bool = True) -> float:
        if n == 1:
            return self.hub1
        extra = max(0.0, self.hub2 - self.hub1)
        return self.hub1 + ((n - 1) if grows else 1) * extra

    def redis(self, n: int) -> float:
        return self.redis1 + (n - 1) * max(0.0, self.redis2 - self.redis1)


@dataclass(frozen=True)
class Prediction:
    cores: int
    processes: int
    rate: float
    hub_cores: float
    pg_cores: float
    redis_cores: float
    limit: str  # "hub processes", "cores", or "Redis"


def _at(m: PerComment, cores: int, n: int, grows: bool) -> Prediction:
    h, r, p = m.hub(n, grows), m.redis(n), m.pg
    limits = {
        "hub processes": USABLE * n * 1000 / h if h else float("inf"),
        "Redis": USABLE * 1000 / r if r else float("inf"),
        "cores": USABLE * cores * 1000 / (h + p + r) if h + p + r else float("inf"),
    }
    limit = min(limits, key=lambda k: limits[k])
    rate = limits[limit]
    return Prediction(cores, n, rate, rate * h / 1000, rate * p / 1000, rate * r / 1000, limit)


def predict(m: PerComment, cores: int, grows: bool = True) -> Prediction:
    """The best number of hub processes on ``cores`` cores, and the rate it sustains."""
    best = _at(m, cores, 1, grows)
    for n in range(2, cores + 1):
        cand = _at(m, cores, n, grows)
        if cand.rate > best.rate * 1.001:  # a process more only if it brings something
            best = cand
    return best


def plateau(m: PerComment, grows: bool, max_cores: int = 256) -> tuple[Prediction, str] | None:
    """Where more cores stop bringing more rate, and what stops them.

    The blocker is what one more hub process would run into: ``"Redis"`` (its one core),
    or ``"hub processes"`` (each process's own share of the pub/sub overhead outgrows what
    it adds). None if the rate still grows at ``max_cores``.
    """
    for cores in range(1, max_cores):
        here = predict(m, cores, grows)
        if predict(m, cores + 1, grows).rate <= here.rate * 1.001:
            return here, _at(m, cores + 1, here.processes + 1, grows).limit
    return None


def pg_host_rate(m: PerComment, pg_cores: int) -> float:
    """The rate at which a PostgreSQL given ``pg_cores`` cores of its own is saturated."""
    return USABLE * pg_cores * 1000 / m.pg if m.pg else float("inf")
