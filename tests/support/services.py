"""Real Redis, PostgreSQL and coturn servers for tests, each on free loopback ports.

Every server is a plain object with ``start()`` / ``stop()`` and context-manager support. The
binaries come from Debian packages (``scripts/install-deps.sh`` installs them); when one is
missing, ``start()`` raises :class:`ServiceMissing`, which a fixture hands to
:func:`require_or_skip` (skip locally, fail on CI).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

import pytest

LOOPBACK = "127.0.0.1"
_EXTRA_BIN_DIRS = ("/usr/sbin", "/usr/bin")


class ServiceMissing(RuntimeError):
    """A binary (or system user) that a test service needs is not installed."""


class ServiceFailed(RuntimeError):
    """A service binary is present but the server did not come up."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def _udp_port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def _free_tcp_udp_port() -> int:
    """A port free on 127.0.0.1 for both TCP and UDP (TURN listens on both)."""
    for _ in range(50):
        port = free_port()
        if _udp_port_free(port):
            return port
    raise ServiceFailed("no port free for both TCP and UDP on 127.0.0.1")


def _free_udp_range(size: int) -> tuple[int, int]:
    """A block of ``size`` consecutive UDP ports that are free right now (relay range)."""
    for _ in range(50):
        low = random.randrange(20000, 60000 - size)
        if all(_udp_port_free(port) for port in range(low, low + size)):
            return low, low + size - 1
    raise ServiceFailed(f"no block of {size} free UDP ports on 127.0.0.1")


def find_binary(name: str) -> str | None:
    """Absolute path of ``name`` from PATH, the PostgreSQL bin dirs, /usr/sbin or /usr/bin."""
    found = shutil.which(name)
    if found:
        return found
    pg_dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest first
    for directory in (*pg_dirs, *_EXTRA_BIN_DIRS):
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _require_binary(name: str) -> str:
    path = find_binary(name)
    if path is None:
        raise ServiceMissing(f"{name} not found (run scripts/install-deps.sh)")
    return path


def require_or_skip(exc: ServiceMissing) -> NoReturn:
    """Skip the test when a service is missing; on CI (``CI=true``) fail instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required service missing on CI: {exc}", pytrace=False)
    pytest.skip(f"service missing: {exc}")


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _tcp_accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _terminate(proc: subprocess.Popen[bytes], sig: int, timeout: float = 10.0) -> None:
    """Send ``sig`` to ``proc`` (if still running) and reap it; SIGKILL after ``timeout``."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _Service:
    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class RedisServer(_Service):
    """``redis-server`` on 127.0.0.1, no persistence; the port survives restarts."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.port = free_port()
        self.host = LOOPBACK
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def log_path(self) -> Path:
        return self.workdir / "redis.log"

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        binary = _require_binary("redis-server")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._proc = subprocess.Popen(
            [
                binary,
                "--bind",
                self.host,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
                "--logfile",
                str(self.log_path),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                raise ServiceFailed(f"redis-server exited:\n{_log_tail(self.log_path)}")
            if self._ping():
                return
            time.sleep(0.02)
        self.kill()
        raise ServiceFailed(
            f"redis-server did not answer PING within {timeout}s:\n{_log_tail(self.log_path)}"
        )

    def _ping(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                sock.sendall(b"*1\r\n$4\r\nPING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self._proc is not None:
            _terminate(self._proc, signal.SIGTERM)
            self._proc = None

    def kill(self) -> None:
        """Crash it: SIGKILL, no shutdown."""
        if self._proc is not None:
            _terminate(self._proc, signal.SIGKILL)
            self._proc = None

    def pause(self) -> None:
        """Hang it (SIGSTOP): connections stay open, nothing is answered."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._proc is not None:
            self._proc.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        """Stop it (if running) and start it again on the same port (data is lost)."""
        self.stop()
        self.start()


class PostgresServer(_Service):
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
            self._bindir = Path(_require_binary("initdb")).resolve().parent
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
            tail = _log_tail(self._log)
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


class CoturnServer(_Service):
    """``turnserver`` (coturn) on 127.0.0.1 with TURN REST API auth (``static-auth-secret``)."""

    RELAY_PORTS = 100

    def __init__(self, workdir: Path, secret: str, realm: str = "asinan.test") -> None:
        self.workdir = Path(workdir)
        self.secret = secret
        self.realm = realm
        self.host = LOOPBACK
        self.port = _free_tcp_udp_port()
        self.min_port, self.max_port = _free_udp_range(self.RELAY_PORTS)
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"turn:{self.host}:{self.port}?transport=udp"

    @property
    def tcp_uri(self) -> str:
        return f"turn:{self.host}:{self.port}?transport=tcp"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        return self.workdir / "turnserver.log"

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        binary = _require_binary("turnserver")
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "turnserver.conf"
        config.write_text("# empty: keeps /etc/turnserver.conf out; all settings are flags\n")
        args = [
            binary,
            "-c", str(config),
            "--use-auth-secret",
            f"--static-auth-secret={self.secret}",
            f"--realm={self.realm}",
            f"--listening-ip={self.host}",
            f"--relay-ip={self.host}",
            f"--listening-port={self.port}",
            f"--min-port={self.min_port}",
            f"--max-port={self.max_port}",
            "--allow-loopback-peers",
            "--no-tls",
            "--no-dtls",
            "--no-cli",
            "--no-multicast-peers",
            "--fingerprint",
            "--log-file=stdout",
            f"--pidfile={self.workdir / 'turnserver.pid'}",
            f"--userdb={self.workdir / 'turndb'}",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                raise ServiceFailed(f"turnserver exited:\n{_log_tail(self.log_path)}")
            if _tcp_accepts(self.host, self.port):
                return
            time.sleep(0.02)
        self.stop()
        raise ServiceFailed(
            f"turnserver not listening within {timeout}s:\n{_log_tail(self.log_path)}"
        )

    def stop(self) -> None:
        if self._proc is not None:
            _terminate(self._proc, signal.SIGTERM)
            self._proc = None
