"""TURN REST API credentials (coturn ``use-auth-secret``) and RTCIceServer config."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.errors import Invalid
from signaling.ice import (
    MAX_TURN_TTL,
    TurnCredentials,
    issue_turn_credentials,
    verify_turn_credentials,
)

SECRET = "s3cret"
NOW = 1_700_000_000.7
TURN = ("turn:turn.example.id:3478?transport=udp", "turns:turn.example.id:5349?transport=tcp")
STUN = ("stun:turn.example.id:3478",)


def test_known_answer() -> None:
    creds = issue_turn_credentials(SECRET, 42, ttl=600, uris=TURN, now=NOW)
    assert creds.username == "1700000600:42"
    # From `printf '1700000600:42' | openssl dgst -sha1 -hmac s3cret -binary | base64`.
    assert creds.password == "ZqcAba8GvhzRBDmUfsjmb0Jj5rc="
    assert creds.ttl == 600
    assert creds.uris == TURN


def test_password_is_base64_hmac_sha1_of_username() -> None:
    creds = issue_turn_credentials("another secret", "officer-7", ttl=60, uris=TURN, now=5.0)
    digest = hmac.new(b"another secret", b"65:officer-7", hashlib.sha1).digest()
    assert creds.username == "65:officer-7"
    assert creds.password == base64.b64encode(digest).decode()


@pytest.mark.parametrize(
    ("ttl", "effective"),
    [(1, 1), (MAX_TURN_TTL, MAX_TURN_TTL), (MAX_TURN_TTL + 1, MAX_TURN_TTL), (10**9, MAX_TURN_TTL)],
)
def test_ttl_is_clamped_to_max(ttl: int, effective: int) -> None:
    creds = issue_turn_credentials(SECRET, 1, ttl=ttl, uris=TURN, now=NOW)
    assert creds.ttl == effective
    assert creds.username == f"{int(NOW) + effective}:1"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ttl": 0}, "ttl"),
        ({"ttl": -5}, "ttl"),
        ({"secret": ""}, "secret"),
        ({"now": float("nan")}, "now"),
        ({"now": float("inf")}, "now"),
        ({"user_id": ""}, "user_id"),
        ({"user_id": "a:b"}, "user_id"),
        ({"user_id": "a b"}, "user_id"),
        ({"user_id": "x\n"}, "user_id"),
        ({"uris": ()}, "uris"),
        ({"uris": ("stun:turn.example.id:3478",)}, "uris"),
        ({"uris": ("http://turn.example.id",)}, "uris"),
    ],
)
def test_bad_arguments_are_invalid(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"secret": SECRET, "user_id": 1, "ttl": 60, "uris": TURN, "now": NOW}
    args.update(kwargs)
    with pytest.raises(Invalid) as excinfo:
        issue_turn_credentials(**args)  # type: ignore[arg-type]
    assert excinfo.value.to_dict()["field"] == field


def test_verify_accepts_until_expiry_then_refuses() -> None:
    creds = issue_turn_credentials(SECRET, 42, ttl=600, uris=TURN, now=NOW)
    expiry = int(NOW) + 600
    assert verify_turn_credentials(SECRET, creds.username, creds.password, NOW)
    assert verify_turn_credentials(SECRET, creds.username, creds.password, float(expiry))
    assert not verify_turn_credentials(SECRET, creds.username, creds.password, expiry + 0.001)
    assert not verify_turn_credentials(SECRET, creds.username, creds.password, expiry + 3600)


def test_verify_refuses_forgeries() -> None:
    creds = issue_turn_credentials(SECRET, 42, ttl=600, uris=TURN, now=NOW)
    extended = f"{int(NOW) + 999_999}:42"
    assert not verify_turn_credentials("wrong", creds.username, creds.password, NOW)
    assert not verify_turn_credentials(SECRET, extended, creds.password, NOW)
    assert not verify_turn_credentials(
        SECRET, creds.username.replace(":42", ":43"), creds.password, NOW
    )
    assert not verify_turn_credentials(SECRET, creds.username, creds.password[:-2] + "A=", NOW)
    assert not verify_turn_credentials(SECRET, creds.username, "", NOW)
    assert not verify_turn_credentials("", creds.username, _hmac_b64("", creds.username), NOW)


def _hmac_b64(secret: str, username: str) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    ).decode()


@pytest.mark.parametrize("username", ["", "42", ":42", "abc:42", "١٢٣:42", "-5:42", "1e9:42"])
def test_verify_refuses_malformed_usernames_even_with_a_valid_hmac(username: str) -> None:
    assert not verify_turn_credentials(SECRET, username, _hmac_b64(SECRET, username), 0.0)


@settings(database=None, max_examples=300, deadline=None)
@given(st.text(), st.text(), st.text(), st.floats())
def test_verify_never_raises(secret: str, username: str, password: str, now: float) -> None:
    assert verify_turn_credentials(secret, username, password, now) in (True, False)


@settings(database=None, max_examples=100, deadline=None)
@given(
    st.text(min_size=1),
    st.integers(min_value=0, max_value=10**12)
    | st.from_regex(r"[a-z0-9._@+-]{1,40}", fullmatch=True),
    st.integers(min_value=1, max_value=10**6),
    st.floats(min_value=0, max_value=4e9),
)
def test_issued_credentials_verify_until_expiry(
    secret: str, user_id: int | str, ttl: int, now: float
) -> None:
    creds = issue_turn_credentials(secret, user_id, ttl=ttl, uris=TURN, now=now)
    expiry = int(now) + min(ttl, MAX_TURN_TTL)
    assert verify_turn_credentials(secret, creds.username, creds.password, now)
    assert not verify_turn_credentials(secret, creds.username, creds.password, expiry + 1)


def test_repr_hides_password() -> None:
    creds = issue_turn_credentials(SECRET, 42, ttl=600, uris=TURN, now=NOW)
    assert creds.password not in repr(creds)
    assert creds.password not in str(creds)
    assert creds.username in repr(creds)


def test_ice_servers_for_the_browser() -> None:
    creds = TurnCredentials(username="1700000600:42", password="pw", ttl=600, uris=TURN)
    assert creds.to_ice_servers(STUN) == [
        {"urls": ["stun:turn.example.id:3478"]},
        {"urls": list(TURN), "username": "1700000600:42", "credential": "pw"},
    ]
    assert creds.to_ice_servers([]) == [
        {"urls": list(TURN), "username": "1700000600:42", "credential": "pw"}
    ]
