"""What README.md and docs/protocol.md promise, checked against what the code does."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from hub import ratelimit
from tests.support.server import RunningHub, connect
from tests.support.world import World

ROOT = Path(__file__).resolve().parents[2]


def _settings_keys() -> dict[str, tuple[str, ...]]:
    """Every environment key ``Settings.from_env`` reads, with its literal default and
    bounds where it has them (``_int(env, KEY, default, lo, hi)``)."""
    tree = ast.parse((ROOT / "hub/settings.py").read_text())
    keys: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        args = node.args
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in ("_int", "_float") and len(args) >= 3 and isinstance(args[1], ast.Constant):
            numbers = tuple(ast.unparse(a) for a in args[2:])
            keys[str(args[1].value)] = numbers
        elif name == "get" and args and isinstance(args[0], ast.Constant):
            keys.setdefault(str(args[0].value), ())
        elif name == "_uris" and len(args) >= 2 and isinstance(args[1], ast.Constant):
            keys.setdefault(str(args[1].value), ())
    return keys


def _readme_rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            for key in re.findall(r"`([A-Z][A-Z0-9_]+)`", first):
                rows[key] = line
    return rows


def _plain(number: str) -> str:
    return number.replace("_", "").replace(",", "")


def test_every_setting_is_in_the_readme_with_its_default_and_range() -> None:
    keys = _settings_keys()
    assert {"TURN_TTL", "COMMENT_BURST", "COMMENT_PER_SECOND", "AUTH_TIMEOUT"} <= set(keys)
    rows = _readme_rows()
    missing = sorted(set(keys) - set(rows))
    assert missing == [], f"settings not in README.md: {missing}"
    for key, numbers in keys.items():
        row = _plain(rows[key])
        for number in numbers:
            value = _plain(number)
            shown = {value, value.removesuffix(".0")}
            assert any(s in row for s in shown), f"README row of {key} lacks {value}: {row}"


def test_the_protocol_states_the_rate_limits_as_coded() -> None:
    text = (ROOT / "docs/protocol.md").read_text()
    upload = ratelimit.UPLOAD
    every = round(1 / upload.per_second)
    assert f"{upload.burst}, then 1 every {every} s" in text
    turn = ratelimit.TURN
    assert f"{turn.burst}, then 1 every {round(1 / turn.per_second)} s" in text
    assert "`COMMENT_BURST`" in text and "`COMMENT_PER_SECOND`" in text
    assert "60–3600" in text  # TURN_TTL


async def test_officers_of_a_parent_office_may_call_on_a_child_office_ticket(
    live: RunningHub, live_world: World
) -> None:
    """As docs/protocol.md §6 says: handling officers of the ticket's office or of an
    office above it (the kecamatan for its kelurahan); not a sibling office's."""
    ticket = await live_world.new_ticket(office="kel_a")
    kec = await connect(live.url, live_world.tokens["kec_fo"], namespaces=("/calls",))
    sibling = await connect(live.url, live_world.tokens["fo_b"], namespaces=("/calls",))
    try:
        ack = await sibling.call("invite", {"ticket_id": ticket}, namespace="/calls")
        assert ack["error"]["code"] == "not_found"
        ack = await kec.call("invite", {"ticket_id": ticket}, namespace="/calls")
        assert ack["ok"] is True and ack["status"] == "ringing", ack
        done = await kec.call("cancel", {"call_id": ack["call_id"]}, namespace="/calls")
        assert done["ok"] is True
    finally:
        await kec.close()
        await sibling.close()


async def test_transfer_targets_are_as_documented(live: RunningHub, live_world: World) -> None:
    """Supervisors (and admins) of both offices; the target issues the ticket's service
    (same office level); any status; the ticket keeps its number and queues anew."""
    w = live_world
    ticket = await w.new_ticket(office="kel_a")  # SKTM: issued by a kelurahan

    async def transfer(who: str, office: str, version: int) -> tuple[int, dict[str, Any]]:
        async with live.http(w.tokens[who]) as http:
            r = await http.post(
                f"/api/tickets/{ticket}/transfer",
                json={"version": version, "to_office_id": w.offices[office], "note": "n"},
            )
        return r.status_code, r.json()

    status, body = await transfer("fo", "kel_b", 1)
    assert status == 403  # not a supervisor
    status, body = await transfer("spv", "kel_other", 1)
    assert status == 403  # the target is outside the supervisor's offices
    status, body = await transfer("spv", "kec", 1)
    assert status == 422 and body["error"]["field"] == "to_office_id"  # kecamatan level
    status, body = await transfer("spv", "kel_b", 1)
    assert status == 200
    moved = body["ticket"]
    assert isinstance(moved, dict) and moved["office_id"] == w.offices["kel_b"]
    await w.act("fo_b", ticket, "start_verification")
    await w.act("approver_b", ticket, "reject", "salah berkas")  # closed now
    status, body = await transfer("admin", "kel_other", 4)
    assert status == 200, body  # admins: any office of the right level, any status
