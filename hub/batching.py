"""Group commit: one task per process turns a burst of requests into one transaction.

Callers :meth:`Batcher.submit` an item and wait for its own result. One writer task
takes the first waiting item and everything queued behind it (up to ``max_batch``)
and hands them to ``flush`` together, which commits them in one transaction and
returns one result — or one exception — per item, in order. Under light load a batch
is a single item and nothing waits; under heavy load the per-transaction cost (BEGIN,
COMMIT, the statements' round trips, SQLite's single writer) is shared by the batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: ``flush(items)`` → one result or exception per item, in the items' order.
Flush = Callable[[list[T]], Awaitable[Sequence[R | BaseException]]]


class Batcher(Generic[T, R]):
    """The writer task runs while there is work and ends when the queue is empty.

    ``submit`` starts it again, so nothing needs starting; :meth:`close` lets it
    finish what is queued (an app's lifespan stop).
    """

    def __init__(
        self,
        flush: Flush[T, R],
        max_batch: int = 128,
        observe: Callable[[int], None] | None = None,
    ) -> None:
        self._flush = flush
        #: told each batch's size (``hub.metrics.Metrics.observer``)
        self._observe = observe
        self._max = max_batch
        self._queue: asyncio.Queue[tuple[T, asyncio.Future[R]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, item: T) -> R:
        """Queue ``item``; returns its result once its batch is flushed (or raises its error)."""
        if self._closed:
            raise RuntimeError("batcher closed")
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="hub-batcher")
        return await future

    async def _run(self) -> None:
        await asyncio.sleep(0)  # let the other callers of this loop turn queue too
        while not self._queue.empty():
            batch = [self._queue.get_nowait()]
            while len(batch) < self._max and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._settle(batch)

    async def _settle(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        if self._observe is not None:
            self._observe(len(batch))
        try:
            results: Sequence[R | BaseException] = await self._flush([item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"flush returned {len(results)} results for {len(batch)}")
        except asyncio.CancelledError:
            for _item, future in batch:
                if not future.done():
                    future.cancel()
            raise
        except Exception as exc:  # the whole batch failed (e.g. the database is down)
            results = [exc] * len(batch)
        for (_item, future), result in zip(batch, results, strict=True):
            if future.done():  # the caller went away (its socket closed)
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def close(self) -> None:
        """Finish what is queued; later submits are refused."""
        self._closed = True
        if self._task is not None:
            await self._task
