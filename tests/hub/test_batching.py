"""The group-commit batcher: a burst shares a flush, each caller gets its own result."""

from __future__ import annotations

import asyncio

import pytest

from hub.batching import Batcher


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()

    async def flush(self, items: list[int]) -> list[int | BaseException]:
        self.batches.append(list(items))
        await self.gate.wait()  # while one batch "commits", the next ones queue
        if 13 in items and len(items) > 1:
            raise RuntimeError("database down")
        return [ValueError(i) if i % 5 == 0 else i * 10 for i in items]


async def test_a_burst_queued_behind_a_flush_goes_out_together() -> None:
    rec = Recorder()
    batcher: Batcher[int, int] = Batcher(rec.flush)
    first = asyncio.create_task(batcher.submit(1))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    rest = [asyncio.create_task(batcher.submit(i)) for i in range(2, 8)]
    await asyncio.sleep(0)
    rec.gate.set()
    assert await first == 10
    results = await asyncio.gather(*rest, return_exceptions=True)
    assert rec.batches == [[1], [2, 3, 4, 5, 6, 7]]
    assert results[:3] == [20, 30, 40]
    assert isinstance(results[3], ValueError)  # item 5: its own error, the others go on
    assert results[4:] == [60, 70]
    await batcher.close()


async def test_a_failed_flush_fails_only_its_own_batch() -> None:
    rec = Recorder()
    rec.gate.set()
    batcher: Batcher[int, int] = Batcher(rec.flush, max_batch=2)
    tasks = [asyncio.create_task(batcher.submit(i)) for i in (12, 13, 14)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert [type(r) for r in results[:2]] == [RuntimeError, RuntimeError]
    assert results[2] == 140
    assert await batcher.submit(3) == 30  # the writer task lives on
    await batcher.close()


async def test_close_finishes_what_is_queued_then_refuses() -> None:
    rec = Recorder()
    batcher: Batcher[int, int] = Batcher(rec.flush)
    tasks = [asyncio.create_task(batcher.submit(i)) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    closing = asyncio.create_task(batcher.close())
    await asyncio.sleep(0)
    rec.gate.set()
    await closing
    assert await asyncio.gather(*tasks) == [10, 20, 30]
    with pytest.raises(RuntimeError):
        await batcher.submit(4)
