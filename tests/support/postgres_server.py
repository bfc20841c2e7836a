"""A throwaway PostgreSQL cluster for tests, on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.services import (
    LOOPBACK,
    Service,
    ServiceFailed,
    ServiceMissing,
    free_port,
    log_tail,
    require_binary,
)


class PostgresServer(Service):
    """A throwaway PostgreSQL cluster (trust auth, no durability) with database ``dbname``.

    The cluster lives in its own ``/tmp/asinan-pg-*`` directory (mode 0755). initdb and postgres
    refuse to run as root, so as root that directory belongs to the ``postgres`` user and they
    run through ``runuser``. ``stop()`` removes the directory (data is not kept) and copies the
    server log to ``workdir/postgres.log``.
    """

    def __init__(self, workdir: Path, dbname: str = "asinan_test") -> None:
        self.workdir = Path(workdir)
        self.dbname = dbname
        self.host = LOOPBACK
        self.port = free_port()
        self.user = "postgres"
        self._base: Path | None = None
        self._running = False
        self._bindir: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{self.dbname}"

    @property
    def dsn(self) -> str:
        """Plain libpq / asyncpg DSN of the test database."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/postgres"

    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            # resolve: PATH may hold just a symlink to initdb (e.g. /usr/local/bin/initdb)
            self._bindir = Path(require_binary("initdb")).resolve().parent
        return self._bindir

    def _tool(self, name: str) -> str:
        path = self.bindir / name
        if not os.access(path, os.X_OK):
            raise ServiceMissing(f"{name} not found next to initdb in {self.bindir}")
        return str(path)

    @property
    def _as_root(self) -> bool:
        return os.geteuid() == 0

    def _run(self, args: list[str], *, as_owner: bool, timeout: float) -> None:
        argv = ["runuser", "-u", self.user, "--", *args] if as_owner and self._as_root else args
        assert self._base is not None
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        env.pop("PGDATA", None)
        result = subprocess.run(
            argv,
            cwd=self._base,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode(errors="replace")
            raise ServiceFailed(f"{' '.join(args)} failed ({result.returncode}):\n{output}")

    def _prepare_base(self) -> Path:
        # Own short dir under /tmp: unix socket paths must stay under ~107 bytes, and as root
        # the ``postgres`` user must be able to reach it (pytest's tmp_path may sit in a 0700
        # parent).
        owner: pwd.struct_passwd | None = None
        if self._as_root:
            try:
                owner = pwd.getpwnam(self.user)
            except KeyError:
                raise ServiceMissing(f"system user {self.user!r} (postgresql package)") from None
            if shutil.which("runuser") is None:
                raise ServiceMissing("runuser (util-linux)")
        base = Path(tempfile.mkdtemp(prefix="asinan-pg-", dir="/tmp"))
        base.chmod(0o755)
        if owner is not None:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        return base

    @property
    def _log(self) -> Path:
        assert self._base is not None
        return self._base / "postgres.log"

    def start(self, timeout: float = 20.0) -> None:
        if self._running:
            return
        initdb, pg_ctl = self._tool("initdb"), self._tool("pg_ctl")
        createdb = self._tool("createdb")
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self._base is None:
            self._base = self._prepare_base()
        pgdata = self._base / "pgdata"
        try:
            if not (pgdata / "PG_VERSION").exists():
                self._run(
                    [initdb, "-D", str(pgdata), "-A", "trust", "-U", self.user, "-E", "UTF8",
                     "--locale=C", "--no-sync", "--no-instructions"],
                    as_owner=True,
                    timeout=60,
                )  # fmt: skip
                settings = {
                    "listen_addresses": f"'{self.host}'",
                    "port": str(self.port),
                    "unix_socket_directories": f"'{self._base}'",
                    "fsync": "off",
                    "synchronous_commit": "off",
                    "full_page_writes": "off",
                    "max_connections": "200",
                }
                conf = "".join(f"{key} = {value}\n" for key, value in settings.items())
                with (pgdata / "postgresql.conf").open("a") as fh:
                    fh.write("\n# asinan-hub test server\n" + conf)
            self._run(
                [pg_ctl, "-D", str(pgdata), "-l", str(self._log), "-w", "-t", str(int(timeout)),
                 "start"],
                as_owner=True,
                timeout=timeout + 5,
            )  # fmt: skip
            self._running = True
            self._wait_ready(timeout)
            self._run(
                [createdb, "-h", self.host, "-p", str(self.port), "-U", self.user, self.dbname],
                as_owner=False,
                timeout=timeout,
            )
        except (ServiceFailed, subprocess.TimeoutExpired) as exc:
            tail = log_tail(self._log)
            self.stop()
            raise ServiceFailed(f"postgres did not start: {exc}\n{tail}") from exc

    def _wait_ready(self, timeout: float) -> None:
        pg_isready = self._tool("pg_isready")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = subprocess.run(
                [pg_isready, "-q", "-h", self.host, "-p", str(self.port), "-U", self.user],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
            if result.returncode == 0:
                return
            time.sleep(0.05)
        raise ServiceFailed(f"postgres not ready within {timeout}s")

    def stop(self) -> None:
        if self._base is None:
            return
        pgdata = self._base / "pgdata"
        if self._running or (pgdata / "postmaster.pid").exists():
            with contextlib.suppress(ServiceFailed, subprocess.TimeoutExpired):
                self._run(
                    [self._tool("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
                    as_owner=True,
                    timeout=30,
                )
            self._running = False
        with contextlib.suppress(OSError):
            if self._log.exists() and self.workdir.is_dir():
                shutil.copyfile(self._log, self.workdir / "postgres.log")
        shutil.rmtree(self._base, ignore_errors=True)
        self._base = None
