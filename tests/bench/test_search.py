"""The bench's rate search and capacity model (pure functions; nothing timed)."""

from __future__ import annotations

from typing import Any

from bench.model import PerComment, plateau, predict
from bench.search import bracket_then_bisect, gen_saturated


def server(top: float) -> tuple[list[float], Any]:
    tried: list[float] = []

    def measure(rate: float) -> dict[str, Any]:
        tried.append(rate)
        return {"offered": rate, "passed": rate <= top}

    return tried, measure


def test_a_start_below_the_top_doubles_then_bisects() -> None:
    tried, measure = server(1300)
    found = bracket_then_bisect(measure, 800, bisect=2)
    assert tried == [800, 1600, 1200, 1400]
    assert found.best is not None and found.best["offered"] == 1200
    assert found.worst is not None and found.worst["offered"] == 1400


def test_a_start_above_the_top_halves_instead_of_giving_up() -> None:
    tried, measure = server(500)
    found = bracket_then_bisect(measure, 1600, bisect=2)
    assert tried == [1600, 800, 400, 600, 500]
    assert found.best is not None and found.best["offered"] == 500


def test_the_cap_and_the_floor_end_the_search() -> None:
    tried, measure = server(10_000)
    found = bracket_then_bisect(measure, 3000, cap=6400)
    assert tried == [3000, 6000, 6400] and found.worst is None
    tried, measure = server(1)
    found = bracket_then_bisect(measure, 40, floor=10)
    assert tried == [40, 20, 10] and found.best is None


def test_a_generator_worker_near_a_core_at_the_top_counts_as_saturated() -> None:
    top = {"offered": 4800, "gen_cpu": [70, 72]}
    miss = {"offered": 5600, "gen_cpu": [86, 80]}
    assert gen_saturated({"best": top, "miss": miss}, 85)
    assert not gen_saturated({"best": top, "miss": None}, 85)


def test_the_model_adds_processes_until_redis_or_the_cores_stop_it() -> None:
    m = PerComment(hub1=1.0, hub2=1.1, pg=0.3, redis1=0.05, redis2=0.08)
    four, sixteen = predict(m, 4), predict(m, 16)
    assert four.limit == "cores" and 1 < four.processes < 4
    assert sixteen.rate > four.rate
    top = plateau(m, grows=False)
    assert top is not None and top[1] == "Redis"
    assert top[0].redis_cores <= 0.8 + 1e-9
    # the extra per process paid again by each process: never better than paid once
    assert predict(m, 16, grows=True).rate <= predict(m, 16, grows=False).rate
