"""TURN: a call forced through a real coturn with hub-issued credentials, and an expired
credential refused by coturn itself."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import pytest
from aioice.stun import TransactionFailed
from aioice.turn import create_turn_endpoint

from signaling.ice import issue_turn_credentials
from signaling.sdp import relay_only
from tests.signaling.helpers import People, call, invite, wait
from tests.signaling.peers import Peer
from tests.support.coturn_server import CoturnServer
from tests.support.services import ServiceMissing, require_or_skip
from tests.support.world import World

pytestmark = pytest.mark.turn
SECRET = "turn-test-secret-0123456789"
_HUB_LOGGERS = {"hub", "signaling", "uvicorn", "socketio", "engineio"}


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoturnServer]:
    server = CoturnServer(tmp_path_factory.mktemp("coturn"), secret=SECRET)
    try:
        server.start()
    except ServiceMissing as exc:
        require_or_skip(exc)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings_overrides(coturn: CoturnServer) -> dict[str, str]:
    return {"TURN_URIS": coturn.uri, "TURN_SECRET": SECRET, "TURN_TTL": "300"}


def _candidate_types(sdp: str) -> set[str]:
    return {line.split(" ")[7] for line in sdp.splitlines() if line.startswith("a=candidate:")}


async def test_call_through_the_relay_with_hub_credentials(
    people: People, live_world: World, coturn: CoturnServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("staff"), await people.join("citizen")
    invited = await call(officer, "invite", {"ticket_id": ticket_id, "media": "video"})
    [turn] = invited["ice_servers"]
    assert turn["urls"] == [coturn.uri] and turn["credential"]
    expiry, _, user = turn["username"].partition(":")
    assert user == f"u-{live_world.users['staff']}"
    assert 0 < int(expiry) - time.time() <= 300
    call_id = invited["call_id"]
    await wait(citizen, "ringing", call_id)
    accepted = await call(citizen, "accept", {"call_id": call_id})
    assert accepted["ice_servers"][0]["username"].endswith(f"u-{live_world.users['citizen']}")
    await wait(officer, "accepted", call_id)

    caller, callee = Peer.make(invited["ice_servers"]), Peer.make(accepted["ice_servers"])
    try:
        offer = await caller.offer(relay_only)
        assert _candidate_types(offer["sdp"]) == {"relay"}
        assert (await call(officer, "offer", {"call_id": call_id, "description": offer}))["ok"]
        relayed = (await wait(citizen, "offer", call_id))["description"]
        answer = await callee.answer(relayed, relay_only)
        assert _candidate_types(answer["sdp"]) == {"relay"}
        assert (await call(citizen, "answer", {"call_id": call_id, "description": answer}))["ok"]
        await caller.accept_answer((await wait(officer, "answer", call_id))["description"])

        at_citizen, at_officer = await callee.frames(), await caller.frames()
        assert at_citizen["video"].width == 160 and at_officer["audio"].samples > 0
        for peer in (caller, callee):
            assert peer.selected_pairs()
            assert set(peer.selected_pairs()) == {("relay", "relay")}
    finally:
        await caller.close()
        await callee.close()
    # The hub never logs a credential.
    ours = [r.getMessage() for r in caplog.records if r.name.split(".")[0] in _HUB_LOGGERS]
    for secret in (turn["credential"], accepted["ice_servers"][0]["credential"]):
        assert not any(secret in message for message in ours)


async def test_expired_credential_is_refused_by_coturn(coturn: CoturnServer) -> None:
    fresh = issue_turn_credentials(SECRET, "u-1", 60, [coturn.uri], now=time.time())
    expired = issue_turn_credentials(SECRET, "u-1", 60, [coturn.uri], now=time.time() - 3600)
    server = (coturn.host, coturn.port)

    transport, _ = await create_turn_endpoint(
        asyncio.DatagramProtocol, server, fresh.username, fresh.password
    )
    transport.close()
    async with asyncio.timeout(10):
        with pytest.raises(TransactionFailed) as refused:
            await create_turn_endpoint(
                asyncio.DatagramProtocol, server, expired.username, expired.password
            )
    assert "401" in str(refused.value)

    # A peer given the expired credential gathers no relay candidate: relay-only, it
    # could never connect.
    peer = Peer.make(expired.to_ice_servers([]), media=("audio",))
    try:
        async with asyncio.timeout(15):
            offer = await peer.offer()
        assert "relay" not in _candidate_types(offer["sdp"])
        assert _candidate_types(relay_only(offer["sdp"])) == set()
    finally:
        await peer.close()


async def test_credentials_only_for_parties_and_rate_limited(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    stranger = await people.join("citizen2")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    assert (await call(stranger, "ice_servers", {"call_id": call_id}))["error"][
        "code"
    ] == "not_found"
    # The callee may fetch while ringing; the bucket is 5 and the invite spent none of theirs.
    codes = []
    for _ in range(6):
        ack = await call(citizen, "ice_servers", {"call_id": call_id})
        codes.append("ok" if ack["ok"] else ack["error"]["code"])
    assert codes == ["ok"] * 5 + ["rate_limited"]
    assert ack["error"]["retry_after"] > 0
