"""The bench's people and tickets, written straight into the database before servers start.

Each ticket has an applicant (citizen), ``watchers - 1`` front-office officers of its
kelurahan who watch it, and an assignee officer who does *not* watch it — so every comment
also creates (and publishes) one notification, as in real use. Tokens are handed to the
load generator; nobody logs in over HTTP.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from hub.accounts.reference import load_reference
from hub.auth import make_access_code
from hub.clock import utcnow
from hub.context import Hub
from hub.migrate import upgrade_sync
from hub.models import AuthSession, Channel, Office, OfficeLevel, Role, User
from hub.passwords import hash_password
from hub.principal import Principal
from hub.settings import Settings
from hub.tickets import service
from hub.uow import Control, Outgoing

SECRET_KEY = "bench-secret-key-" + "b" * 40
#: Every bench user's password (scenario (f) logs in with it).
PASSWORD = "bench-password-123"


@dataclass
class BenchTicket:
    id: int
    office_id: int
    applicant_token: str
    officer_tokens: list[str] = field(default_factory=list)
    #: Usernames of the ticket's officers (watchers, then the assignee).
    officer_logins: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        """Every watcher's token, applicant first."""
        return [self.applicant_token, *self.officer_tokens]


class _Quiet:
    async def publish(self, items: list[Outgoing | Control]) -> None:
        del items  # nobody is connected while the bench data loads


_numbers = itertools.count(1)


async def _make_tickets(hub: Hub, count: int, watchers: int) -> list[BenchTicket]:
    """``count`` tickets with ``watchers`` distinct watching users each (in one transaction)."""
    pw = hash_password(PASSWORD)
    now = utcnow()
    made: list[BenchTicket] = []
    async with hub.unit() as unit:
        session = unit.session
        await load_reference(session)
        kelurahan = list(
            await session.scalars(
                select(Office.id).where(Office.level == OfficeLevel.kelurahan).order_by(Office.id)
            )
        )
        for i in range(count):
            n = next(_numbers)
            office_id = kelurahan[i % len(kelurahan)]
            citizen = User(
                role=Role.citizen,
                full_name=f"Warga Bench {n}",
                phone=f"62899{n:08d}",
                password_hash=pw,
            )
            officers = [
                User(
                    role=Role.front_office,
                    full_name=f"Petugas {n}.{j}",
                    username=f"b.fo.{n}.{j}",
                    password_hash=pw,
                    office_id=office_id,
                )
                for j in range(watchers)  # the last one is the (not watching) assignee
            ]
            session.add_all([citizen, *officers])
            await session.flush()
            sessions = [
                AuthSession(
                    id=f"bench-{u.id}-{make_access_code()}",
                    user_id=u.id,
                    created_at=now,
                    expires_at=now + timedelta(days=2),
                )
                for u in (citizen, *officers[:-1])
            ]
            session.add_all(sessions)
            p = Principal(
                session_id="bench", user_id=citizen.id, role=Role.citizen, name=citizen.full_name
            )
            t = await service.create_ticket(
                unit, p, service.NewTicket("SKTM", office_id, Channel.online), pw
            )
            t.assignee_id = officers[-1].id
            tokens = [hub.signer.sign(s.id) for s in sessions]
            logins = [o.username or "" for o in officers]
            made.append(BenchTicket(t.id, office_id, tokens[0], tokens[1:], logins))
        await session.flush()
    return made


async def build(
    settings: Settings, groups: dict[str, tuple[int, int]]
) -> dict[str, list[BenchTicket]]:
    """Make each group ``name → (tickets, watchers per ticket)``; :func:`migrate` first."""
    hub = Hub(settings, _Quiet())
    try:
        return {
            name: await _make_tickets(hub, count, watchers)
            for name, (count, watchers) in groups.items()
        }
    finally:
        await hub.close()


def migrate(database_url: str) -> None:
    upgrade_sync(database_url)


def hub_env(database_url: str, data_dir: str, redis_url: str | None = None) -> dict[str, str]:
    """Environment of a hub process under load (comment limit lifted, quiet logs)."""
    env = {
        "DATABASE_URL": database_url,
        "DATA_DIR": data_dir,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_ORIGINS": "http://127.0.0.1",
        "COMMENT_BURST": "1000000",
        "COMMENT_PER_SECOND": "1000000",
        "LOG_LEVEL": "WARNING",
        "AUTH_TIMEOUT": "60",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def settings_for(database_url: str, data_dir: str) -> Settings:
    return Settings.from_env(hub_env(database_url, data_dir))
