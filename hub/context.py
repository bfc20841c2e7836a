"""The Hub: every resource of one app, built in ``create_app`` and opened in its lifespan.

What services need besides their transaction — settings, the clock, the rate limiter,
who is live, the office-chain cache — is the app's :class:`Context`, built once here
and carried by every unit of work (``unit.ctx``); a read-only service function that
takes a session gets it as a parameter. Nothing travels in ``session.info`` or in
module globals, so two apps in one process (tests, a bench) never share them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar, cast

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth import PrincipalLoader, TokenSigner
from hub.clock import Clock, SystemClock
from hub.db import Database
from hub.errors import Unauthenticated
from hub.logs import Tally
from hub.metrics import Metrics
from hub.offices import OfficeCache
from hub.passwords import PasswordPool
from hub.principal import Principal
from hub.processes import Processes, new_process_id
from hub.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter, Rule
from hub.redisconn import connect_redis
from hub.settings import Settings
from hub.uow import Control, Guard, Outgoing, Publisher, Unit

logger = logging.getLogger("hub.context")

#: A coroutine function run by the app's lifespan (start a sweeper, close a registry…).
LifespanHook = Callable[[], Awaitable[None]]
#: Told of every authenticated socket opened or closed, in any namespace (presence).
SocketHook = Callable[[Principal], Awaitable[None]]
F = TypeVar("F")
#: A downstream projection of one kind of domain fact (see :meth:`Hub.on_fact`).
Projection = Callable[[Unit, F], Awaitable[None]]


class Presence(Protocol):
    """Who is live right now, on any process (``notifications.watching.Live`` is one)."""

    async def watching_of(self, pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
        """Those (user, ticket) pairs whose user has the ticket open somewhere."""
        ...

    async def online_of(self, user_ids: list[int]) -> set[int]:
        """Those users with an open inbox somewhere."""
        ...


@dataclass(frozen=True)
class Context:
    """What services of one app share: reached as ``unit.ctx`` (see :meth:`Hub.unit`)."""

    settings: Settings
    #: The time (aware UTC) and every sleep of a background loop; a fake one in tests.
    clock: Clock
    limiter: RateLimiter
    #: The office chains whose dashboards see a change (:mod:`hub.offices`).
    offices: OfficeCache
    #: The app's Prometheus metrics (:mod:`hub.metrics`); record through ``unit.after_commit``.
    metrics: Metrics
    #: Who is live; None in an app without the notifications runtime (nobody is, no push).
    live: Presence | None = None


class Hub:
    """Owns the database, Redis, the limiter and the publisher; services get them from here."""

    def __init__(
        self,
        settings: Settings,
        publisher: Publisher,
        process_id: str | None = None,
        tally: Tally | None = None,
        clock: Clock | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics(redis=settings.redis_url is not None)
        self.clock: Clock = clock or SystemClock()
        #: Repeated incidents (events refused while the database is down, connections
        #: closed unauthenticated) summed into one log line per period.
        self.tally = tally or Tally(
            logging.getLogger("hub.summary"), settings.log_summary_period, self.clock
        )
        self.db = Database(settings.database_url, self.metrics.db_wait)
        self.redis: Redis | None = connect_redis(settings.redis_url) if settings.redis_url else None
        self.processes = Processes(self.redis, process_id or new_process_id(), settings.process_ttl)
        self.limiter: RateLimiter = (
            RedisRateLimiter(self.redis, self.clock)
            if self.redis is not None
            else MemoryRateLimiter(self.clock)
        )
        self.signer = TokenSigner(settings.secret_key)
        self.passwords = PasswordPool(settings.password_workers)
        self.comment_rule = Rule(settings.comment_burst, settings.comment_per_second)
        self.publisher = publisher
        self.ctx = Context(
            settings, self.clock, self.limiter, OfficeCache(self.clock), self.metrics
        )
        self._starts: list[LifespanHook] = []
        self._stops: list[LifespanHook] = []
        self._socket_hooks: list[tuple[SocketHook, SocketHook]] = []
        self._projections: dict[type, list[Projection[object]]] = {}
        self._guards: dict[type, list[Guard]] = {}
        # every connect and request reads its session; concurrent ones share a query
        self._principals = PrincipalLoader(
            self.reader, self.clock, observe=self.metrics.observer("sessions")
        )

    def use_live(self, live: Presence) -> None:
        """The app's registry of who is live (the notifications runtime, at install time,
        before the app serves): units opened from now on carry it."""
        self.ctx = replace(self.ctx, live=live)

    def on_lifespan(
        self, start: LifespanHook | None = None, stop: LifespanHook | None = None
    ) -> None:
        """Have a package's background resource opened at startup and closed at shutdown."""
        if start is not None:
            self._starts.append(start)
        if stop is not None:
            self._stops.append(stop)

    def on_socket(self, opened: SocketHook, closed: SocketHook) -> None:
        """Be told of every authenticated socket opened and closed (any namespace)."""
        self._socket_hooks.append((opened, closed))

    async def socket_opened(self, p: Principal) -> None:
        for opened, _closed in self._socket_hooks:
            try:
                await opened(p)
            except Exception:
                logger.exception("socket-open hook %r failed", opened)

    async def socket_closed(self, p: Principal) -> None:
        for _opened, closed in self._socket_hooks:
            try:
                await closed(p)
            except Exception:
                logger.exception("socket-close hook %r failed", closed)

    async def start_background(self) -> None:
        for start in self._starts:
            await start()

    async def stop_background(self) -> None:
        """Stops in reverse order of registration; one failing (logged) does not skip the rest."""
        for stop in reversed(self._stops):
            try:
                await stop()
            except Exception:
                logger.exception("stopping %r failed", stop)

    def on_ask(self, kind: type[F], guard: Callable[[Unit, F], Awaitable[dict[str, Any]]]) -> None:
        """Let ``guard`` answer every question of type ``kind`` a service asks (``Unit.ask``)."""
        self._guards.setdefault(kind, []).append(cast(Guard, guard))

    def on_fact(self, kind: type[F], projection: Projection[F]) -> None:
        """Run ``projection`` for every fact of type ``kind`` a unit records, before it commits."""
        self._projections.setdefault(kind, []).append(cast(Projection[object], projection))

    async def project(self, unit: Unit) -> None:
        """Hand each recorded fact to its projections, in order of recording.

        A projection may record more facts; they are projected next (depth first). What
        the projections of a fact queue is put where the fact was recorded (see
        :meth:`Unit.record`), so moving a direct call into a projection keeps the order
        in which clients get events.
        """
        if unit.facts:  # most units (a batch of comments, a relay) record none
            unit.outbox = await self._weave(unit, unit.outbox, unit.facts)
            unit.facts = []

    async def _weave(
        self, unit: Unit, queued: list[Outgoing | Control], facts: list[tuple[object, int]]
    ) -> list[Outgoing | Control]:
        """``queued`` with the output of each fact's projections at the fact's place."""
        woven: list[Outgoing | Control] = []
        start = 0
        for fact, at in facts:
            woven += queued[start:at]
            start = at
            woven += await self._project_one(unit, fact)
        return woven + queued[start:]

    async def _project_one(self, unit: Unit, fact: object) -> list[Outgoing | Control]:
        projections = self._projections.get(type(fact), ())
        if not projections:
            return []
        outer = unit.outbox, unit.facts
        unit.outbox, unit.facts = [], []
        try:
            for projection in projections:
                await projection(unit, fact)
            queued, recorded = unit.outbox, unit.facts
        finally:
            unit.outbox, unit.facts = outer
        return await self._weave(unit, queued, recorded)

    @asynccontextmanager
    async def unit(self, write: bool = True) -> AsyncIterator[Unit]:
        """One transaction; its queued events are published after the commit, never before.

        ``write=False`` for work that only reads before it publishes (a relay): on
        SQLite it then never queues behind the one writer connection.
        """
        if write:
            async with self.db.transaction() as session:
                unit = Unit(session, self.ctx, guards=self._guards)
                yield unit
                await self.project(unit)
        else:
            async with self.db.reader() as session:
                unit = Unit(session, self.ctx, guards=self._guards)
                yield unit
                await self.project(unit)
        for done in unit.committed:
            done()
        if unit.outbox:
            await self.publisher.publish(unit.outbox)

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncSession]:
        async with self.db.reader() as session:
            yield session

    async def principal_from_token(self, token: str | None) -> Principal:
        if not token:
            raise Unauthenticated()
        return await self._principals.load(self.signer.unsign(token))

    async def close(self) -> None:
        self.passwords.close()
        await self.db.close()
        if self.redis is not None:
            await self.redis.aclose()
