"""``asinan-hub admin create-admin`` and ``asinan-hub admin import-officers FILE.csv``.

``create-admin`` takes the username and name from flags, the environment
(``ADMIN_USERNAME``, ``ADMIN_NAME``) or a prompt, and the password from ``ADMIN_PASSWORD``
or a prompt (never a flag: it would stay in the shell's history). It loads the reference
data first (idempotent), so it is the first command of a fresh installation after
``migrate``.

``import-officers`` reads a CSV with the header ``username,full_name,role,office[,password]``
(``office``: the hub code such as ``BGR-BT-02`` or the Kemendagri code ``32.71.02.1002``).
Every row is checked first; if any is bad, each bad row is reported with its line number
and nothing is written. Otherwise it is imported in one transaction, idempotently by
username: a new username is created (with the row's password, or a temporary one printed
once), an existing one gets the row's name, role and office (its password is left alone).
With ``REDIS_URL`` set, the sockets of officers whose rights changed close on every
running process.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import getpass
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from hub.accounts import officers
from hub.accounts.admin_actions import temporary_password
from hub.accounts.reference import load_reference
from hub.context import Hub
from hub.errors import HubError
from hub.models import Office, Role, User
from hub.realtime.publisher import CONTROL_CHANNEL
from hub.redisconn import connect_redis
from hub.settings import Settings
from hub.uow import Control, Outgoing

COLUMNS = ("username", "full_name", "role", "office")
ROLES = {r.value: r for r in officers.STAFF_ROLES}


class ControlPublisher:
    """Hands control messages (close these sessions' sockets) to the running processes."""

    def __init__(self, redis_url: str | None) -> None:
        self._redis = connect_redis(redis_url) if redis_url else None

    async def publish(self, items: list[Outgoing | Control]) -> None:
        if self._redis is None:
            return
        for item in items:
            if isinstance(item, Control):
                message = {"op": item.op, "args": item.args}
                await self._redis.publish(CONTROL_CHANNEL, json.dumps(message))

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


async def load_reference_data(settings: Settings) -> None:
    """Kota Bogor's offices and the 16 services (``asinan-hub migrate`` runs it; idempotent)."""
    hub = Hub(settings, ControlPublisher(None))
    try:
        async with hub.unit() as unit:
            await load_reference(unit.session)
    finally:
        await hub.close()


def add_commands(sub: Any) -> None:
    admin = sub.add_parser("admin", help="administration: the first admin, officers from a CSV")
    commands = admin.add_subparsers(dest="admin_command", required=True)
    create = commands.add_parser("create-admin", help="create an admin account")
    create.add_argument("--username", help="login name (or ADMIN_USERNAME)")
    create.add_argument("--name", help="full name (or ADMIN_NAME)")
    imp = commands.add_parser("import-officers", help="create or update officers from a CSV file")
    imp.add_argument("file", type=Path)


@dataclass(frozen=True)
class Row:
    line: int
    username: str
    full_name: str
    role: Role
    office_id: int
    password: str | None


async def run(
    args: argparse.Namespace,
    settings: Settings,
    out: TextIO,
    err: TextIO,
    env: Mapping[str, str] | None = None,
    prompt: Callable[[str], str] = input,
    secret_prompt: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run ``asinan-hub admin …``; returns the exit status."""
    env = os.environ if env is None else env
    publisher = ControlPublisher(settings.redis_url)
    hub = Hub(settings, publisher)
    try:
        if args.admin_command == "create-admin":
            return await _create_admin(hub, args, out, err, env, prompt, secret_prompt)
        return await _import(hub, args.file, out, err)
    finally:
        await hub.close()
        await publisher.close()


async def _create_admin(
    hub: Hub,
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    env: Mapping[str, str],
    prompt: Callable[[str], str],
    secret_prompt: Callable[[str], str],
) -> int:
    username = args.username or env.get("ADMIN_USERNAME") or prompt("Nama pengguna / username: ")
    name = args.name or env.get("ADMIN_NAME") or prompt("Nama lengkap / full name: ")
    password = env.get("ADMIN_PASSWORD")
    if not password:
        password = secret_prompt("Kata sandi / password: ")
        if secret_prompt("Ulangi / again: ") != password:
            err.write("error: the passwords differ\n")
            return 1
    problems = _check(username, name.strip(), "admin", password)
    if problems:
        err.write("".join(f"error: {p}\n" for p in problems))
        return 1
    password_hash = await hub.passwords.hash(password)
    try:
        async with hub.unit() as unit:
            offices = await load_reference(unit.session)
            new = officers.NewOfficer(
                officers.check_username(username), name.strip(), Role.admin,
                offices["BGR"].id, password_hash,
            )  # fmt: skip
            await officers.create_officer(unit, None, new)
    except HubError as exc:
        err.write(f"error ({exc.reason}): {exc.message}\n")
        return 1
    out.write(f"admin {username.strip().lower()} created\n")
    return 0


def _check(username: str, full_name: str, role: str, password: str | None) -> list[str]:
    problems = []
    try:
        officers.check_username(username)
    except HubError:
        problems.append("username: 3–64 of a-z 0-9 . _ -, with a letter")
    if not 2 <= len(full_name) <= 120:
        problems.append("full_name: 2–120 characters")
    if role not in ROLES:
        problems.append(f"role: one of {', '.join(ROLES)}")
    if password is not None and not 8 <= len(password) <= 128:
        problems.append("password: 8–128 characters")
    return problems


async def _read(hub: Hub, path: Path) -> tuple[list[Row], list[str]]:
    """Every row checked; (rows, problems as 'line N: …')."""
    problems: list[str] = []
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: {exc}"]
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [f"line 1: missing columns {', '.join(missing)}"]
    async with hub.reader() as session:
        by_code: dict[str, int] = {}
        for o in await session.scalars(select(Office)):
            by_code[o.code] = o.id
            if o.kemendagri_code:
                by_code[o.kemendagri_code] = o.id
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        password = raw.get("password") or None
        found = _check(
            cells.get("username", ""), cells.get("full_name", ""), cells.get("role", ""), password
        )
        office_id = by_code.get(cells.get("office", ""))
        if office_id is None:
            found.append(f"office: unknown office {cells.get('office', '')!r}")
        username = cells.get("username", "").lower()
        if username in seen:
            found.append(f"username: already on line {seen[username]}")
        seen.setdefault(username, line)
        if found:
            problems.extend(f"line {line}: {p}" for p in found)
            continue
        assert office_id is not None
        rows.append(
            Row(
                line,
                username,
                cells.get("full_name", ""),
                ROLES[cells.get("role", "")],
                office_id,
                password,
            )
        )
    return rows, problems


async def _import(hub: Hub, path: Path, out: TextIO, err: TextIO) -> int:
    rows, problems = await _read(hub, path)
    if problems:
        err.write("".join(f"{p}\n" for p in problems))
        err.write(f"nothing imported: {len(problems)} problem(s)\n")
        return 1
    async with hub.reader() as session:
        existing = set(
            await session.scalars(
                select(User.username).where(User.username.in_([r.username for r in rows]))
            )
        )
    issued: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for row in rows:
        if row.username in existing:
            continue
        password = row.password or issued.setdefault(row.username, temporary_password())
        hashes[row.username] = await hub.passwords.hash(password)
    created = updated = 0
    try:
        async with hub.unit() as unit:
            for row in rows:
                if row.username not in existing:
                    new = officers.NewOfficer(
                        row.username, row.full_name, row.role, row.office_id, hashes[row.username]
                    )
                    await officers.create_officer(unit, None, new)
                    created += 1
                    continue
                user_id = await unit.session.scalar(
                    select(User.id).where(User.username == row.username)
                )
                assert user_id is not None
                before = await unit.session.get(User, user_id)
                assert before is not None
                same = (before.role, before.office_id, before.full_name) == (
                    row.role, row.office_id, row.full_name,
                )  # fmt: skip
                if not same:
                    await officers.update_officer(
                        unit, None, user_id, role=row.role, office_id=row.office_id,
                        full_name=row.full_name,
                    )  # fmt: skip
                    updated += 1
    except HubError as exc:
        err.write(f"error ({exc.reason}): {exc.message}\nnothing imported\n")
        return 1
    unchanged = len(rows) - created - updated
    out.write(f"created {created}, updated {updated}, unchanged {unchanged}\n")
    if issued:
        out.write("temporary passwords (give each to its officer; shown once):\n")
        for username, password in issued.items():
            out.write(f"  {username:<24} {password}\n")
    return 0
