"""Settings fail fast and name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.settings import Settings, SettingsError


def test_defaults_are_an_embedded_sqlite_and_a_generated_secret(tmp_path: Path) -> None:
    s = Settings.from_env({}, base_dir=tmp_path)
    assert s.database_url == f"sqlite+aiosqlite:///{tmp_path / 'var' / 'asinan.db'}"
    assert s.redis_url is None
    assert (s.host, s.port) == ("127.0.0.1", 8000)
    assert "http://127.0.0.1:8000" in s.allowed_origins
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text() == s.secret_key and len(s.secret_key) >= 32
    assert key_file.stat().st_mode & 0o077 == 0
    # generated once, then kept
    assert Settings.from_env({}, base_dir=tmp_path).secret_key == s.secret_key
    assert "secret_key" not in repr(s) or s.secret_key not in repr(s)


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_ORIGINS": "https://*.bogorkota.go.id"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_ORIGINS": "bogorkota.go.id"}, "ALLOWED_ORIGINS"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"TURN_URIS": "turn:127.0.0.1:3478"}, "TURN_SECRET"),
        ({"TURN_URIS": "http://x", "TURN_SECRET": "s"}, "TURN_URIS"),
        ({"RING_TIMEOUT": "-1"}, "RING_TIMEOUT"),
        ({"VAPID_SUBJECT": "asinan@kotabogor.go.id"}, "VAPID_SUBJECT"),
        ({"MAX_SOCKETS_PER_SESSION": "0"}, "MAX_SOCKETS_PER_SESSION"),
        ({"SESSION_RECHECK": "0"}, "SESSION_RECHECK"),
        ({"LOG_SUMMARY_PERIOD": "soon"}, "LOG_SUMMARY_PERIOD"),
        ({"PASSWORD_WORKERS": "0"}, "PASSWORD_WORKERS"),
    ],
)
def test_bad_values_fail_naming_the_key(env: dict[str, str], key: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"SECRET_KEY": "k" * 40, **env}, base_dir=tmp_path)
    assert key in str(err.value)


def test_exact_origins_are_normalised(tmp_path: Path) -> None:
    s = Settings.from_env(
        {"ALLOWED_ORIGINS": "https://asinan.kotabogor.go.id, http://localhost:8000/"},
        base_dir=tmp_path,
    )
    assert s.allowed_origins == ("https://asinan.kotabogor.go.id", "http://localhost:8000")
