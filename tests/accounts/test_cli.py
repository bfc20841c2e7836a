"""``asinan-hub admin create-admin`` and ``asinan-hub admin import-officers FILE.csv``."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.accounts.cli import run
from hub.audit_models import AuditEntry
from hub.cli import main
from hub.context import Hub
from hub.models import Office, Role, User
from hub.passwords import verify_password
from hub.settings import Settings
from tests.conftest import Recorder


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI reads the test database's settings from the environment."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return settings


def users(settings: Settings) -> dict[str, User]:
    async def read() -> dict[str, User]:
        hub = Hub(settings, Recorder())
        try:
            async with hub.reader() as session:
                return {u.username or "": u for u in await session.scalars(select(User))}
        finally:
            await hub.close()

    return asyncio.run(read())


def audit(settings: Settings) -> list[AuditEntry]:
    async def read() -> list[AuditEntry]:
        hub = Hub(settings, Recorder())
        try:
            async with hub.reader() as session:
                return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        finally:
            await hub.close()

    return asyncio.run(read())


def test_create_admin_from_flags_and_environment(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADMIN_PASSWORD", "admin-pertama-1")
    assert main(["admin", "create-admin", "--username", "Kepala.Admin", "--name", "Kepala"]) == 0
    assert "admin kepala.admin created" in capsys.readouterr().out
    found = users(env)["kepala.admin"]
    assert found.role is Role.admin and verify_password(found.password_hash, "admin-pertama-1")
    entry = audit(env)[-1]
    assert (entry.action, entry.actor_role, entry.actor_id) == ("officer.create", "cli", None)
    # the same username again: an error, nothing changes
    assert main(["admin", "create-admin", "--username", "kepala.admin", "--name", "Lain"]) == 1
    assert "taken" in capsys.readouterr().err


async def test_create_admin_by_prompts(settings: Settings) -> None:
    answers = iter(["prompt.admin", "Admin Dari Prompt"])
    secrets = iter(["rahasia-prompt-1", "rahasia-prompt-1"])
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(admin_command="create-admin", username=None, name=None)
    code = await run(
        args, settings, out, err, env={}, prompt=lambda _q: next(answers),
        secret_prompt=lambda _q: next(secrets),
    )  # fmt: skip
    assert code == 0, err.getvalue()
    # the passwords must match
    secrets = iter(["satu-satu-111", "dua-dua-2222"])
    args = argparse.Namespace(admin_command="create-admin", username="lain.admin", name="Lain")
    code = await run(args, settings, out, err, env={}, secret_prompt=lambda _q: next(secrets))
    assert code == 1 and "differ" in err.getvalue()


GOOD = """username,full_name,role,office,password
fo.empang,Rudi Hartono,front_office,BGR-BS-03,kata-sandi-rudi
kasi.empang,Wati Kasi,staff,32.71.01.1003,
camat.bs,Camat Bogor Selatan,approver,BGR-BS,
"""


def test_import_officers_is_idempotent(
    env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0  # loads the offices
    path = tmp_path / "officers.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["admin", "import-officers", str(path)]) == 0
    out = capsys.readouterr().out
    assert "created 3, updated 0, unchanged 0" in out
    temporary = {
        line.split()[0]: line.split()[1] for line in out.splitlines() if line.startswith("  ")
    }
    assert set(temporary) == {"kasi.empang", "camat.bs"}  # fo.empang had a password
    people = users(env)
    assert verify_password(people["fo.empang"].password_hash, "kata-sandi-rudi")
    assert verify_password(people["kasi.empang"].password_hash, temporary["kasi.empang"])
    assert people["kasi.empang"].office_id == people["fo.empang"].office_id  # both codes: Empang
    # again: nothing changes
    assert main(["admin", "import-officers", str(path)]) == 0
    assert "created 0, updated 0, unchanged 3" in capsys.readouterr().out
    # a changed role is updated, the password left alone
    path.write_text(GOOD.replace("Wati Kasi,staff", "Wati Kasi,approver"), encoding="utf-8")
    assert main(["admin", "import-officers", str(path)]) == 0
    assert "created 0, updated 1, unchanged 2" in capsys.readouterr().out
    again = users(env)["kasi.empang"]
    assert (
        again.role is Role.approver and again.password_hash == people["kasi.empang"].password_hash
    )
    entries = audit(env)
    assert [e.action for e in entries] == ["officer.create"] * 3 + ["officer.update"]
    assert "Wati" not in json.dumps([e.summary for e in entries])


BAD = """username,full_name,role,office,password
fo.baik,Petugas Baik,front_office,BGR-BS-03,
12345,Hanya Angka,staff,BGR-BS-03,
fo.kantor,Kantor Salah,staff,BGR-XX-99,
fo.baik,Dua Kali,staff,BGR-BS-03,
fo.peran,Peran Salah,lurah,BGR-BS-03,
fo.sandi,Sandi Pendek,staff,BGR-BS-03,pendek
"""


def test_import_reports_every_bad_row_and_imports_nothing(
    env: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADMIN_PASSWORD", "admin-pertama-1")
    main(["admin", "create-admin", "--username", "boot.admin", "--name", "Boot"])  # loads offices
    capsys.readouterr()
    path = tmp_path / "officers.csv"
    path.write_text(BAD, encoding="utf-8")
    assert main(["admin", "import-officers", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 3: username" in err
    assert "line 4: office: unknown office 'BGR-XX-99'" in err
    assert "line 5: username: already on line 2" in err
    assert "line 6: role" in err
    assert "line 7: password" in err
    assert "line 2" not in err.replace("already on line 2", "")
    assert "nothing imported: 5 problem(s)" in err
    assert set(users(env)) == {"boot.admin"}
    # a missing column is a problem of the header
    path.write_text("username,name,role\nfo.x,X,staff\n", encoding="utf-8")
    assert main(["admin", "import-officers", str(path)]) == 1
    assert "line 1: missing columns full_name, office" in capsys.readouterr().err


async def test_the_last_admin_is_kept(settings: Settings, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(admin_command="create-admin", username="satu.admin", name="Satu")
    assert await run(args, settings, out, err, env={"ADMIN_PASSWORD": "satu-admin-11"}) == 0
    path = tmp_path / "demote.csv"
    path.write_text("username,full_name,role,office\nsatu.admin,Satu,supervisor,BGR\n")
    code = await run(
        argparse.Namespace(admin_command="import-officers", file=path), settings, out, err
    )
    assert (
        code == 1 and "error (last_admin): At least one active admin must remain" in err.getvalue()
    )
    hub = Hub(settings, Recorder())
    try:
        async with hub.reader() as session:
            role = await session.scalar(select(User.role).where(User.username == "satu.admin"))
            kota = await session.scalar(select(Office.id).where(Office.code == "BGR"))
    finally:
        await hub.close()
    assert role is Role.admin and kota is not None
