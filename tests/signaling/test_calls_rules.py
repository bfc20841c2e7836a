"""Who may do what in a call: everything else is refused, typed, and forwarded to nobody."""

from __future__ import annotations

import pytest

from tests.signaling.helpers import People, call, error_code, got, invite, ring_and_accept, wait
from tests.signaling.test_calls_flow import ANSWER, CANDIDATE, OFFER
from tests.support.server import Client
from tests.support.world import World

CALL_EVENTS = ("ringing", "offer", "answer", "ice", "accepted", "ended")


def heard_nothing(*clients: Client) -> None:
    for client in clients:
        for event in CALL_EVENTS:
            assert got(client, event) == [], (event, got(client, event))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("citizen", "forbidden"),  # the applicant sees the ticket but does not place calls
        ("spv", "forbidden"),  # supervisors watch, handling officers call
        ("fo_b", "not_found"),  # another kelurahan: the ticket does not exist for them
        ("citizen2", "not_found"),
        ("admin", "forbidden"),
    ],
)
async def test_only_handling_officers_of_the_office_invite(
    people: People, live_world: World, who: str, code: str
) -> None:
    ticket_id = await live_world.new_ticket()
    caller, callee = await people.join(who), await people.join("citizen")
    ack = await call(caller, "invite", {"ticket_id": ticket_id, "media": "audio"})
    assert error_code(ack) == code
    assert error_code(await call(caller, "invite", {"ticket_id": 999_999})) == "not_found"
    heard_nothing(callee)


async def test_bad_invite_payloads_are_invalid(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("fo")
    for bad in (
        {"ticket_id": ticket_id, "media": "hologram"},
        {"ticket_id": "x"},
        {"ticket_id": ticket_id, "extra": 1},
        "ring them",
    ):
        assert error_code(await call(officer, "invite", bad)) == "invalid"
    assert error_code(await call(officer, "accept", {"call_id": "../../etc"})) == "invalid"


async def test_strangers_get_not_found_for_someone_elses_call(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    stranger, colleague = await people.join("citizen2"), await people.join("staff")
    call_id = await invite(officer, ticket_id)
    for who in (stranger, colleague):
        for event in ("accept", "decline", "cancel", "hangup", "rejoin", "ice_servers"):
            assert error_code(await call(who, event, {"call_id": call_id})) == "not_found"
        body = {"call_id": call_id, "description": OFFER}
        assert error_code(await call(who, "offer", body)) == "not_found"
        body = {"call_id": call_id, "candidate": CANDIDATE}
        assert error_code(await call(who, "ice", body)) == "not_found"
    unknown = {"call_id": "A" * 22}
    assert error_code(await call(citizen, "accept", unknown)) == "not_found"
    assert error_code(await call(officer, "accept", {"call_id": call_id})) == "forbidden"
    heard_nothing(stranger, colleague)


async def test_offer_only_from_the_caller_device_and_only_once_answered(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    other_tab, other_phone = await people.join("fo"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    offer = {"call_id": call_id, "description": OFFER}
    answer = {"call_id": call_id, "description": ANSWER}
    # Nothing to negotiate before the callee accepts.
    assert error_code(await call(officer, "offer", offer)) == "conflict"
    assert (await call(citizen, "accept", {"call_id": call_id}))["ok"]
    await wait(officer, "accepted", call_id)

    assert error_code(await call(citizen, "offer", offer)) == "forbidden"
    assert error_code(await call(other_tab, "offer", offer)) == "forbidden"
    assert error_code(await call(citizen, "answer", answer)) == "conflict"  # no offer yet
    assert (await call(officer, "offer", offer))["ok"]
    assert error_code(await call(other_phone, "answer", answer)) == "forbidden"
    assert error_code(await call(officer, "answer", answer)) == "forbidden"
    assert (await call(citizen, "answer", answer))["ok"]
    assert error_code(await call(citizen, "answer", answer)) == "conflict"
    ice = {"call_id": call_id, "candidate": CANDIDATE}
    assert error_code(await call(other_phone, "ice", ice)) == "forbidden"
    assert error_code(await call(other_tab, "ice", ice)) == "forbidden"
    assert len(got(citizen, "offer")) == 1 and len(got(officer, "answer")) == 1
    heard_nothing(other_tab)
    assert got(other_phone, "offer") == [] and got(other_phone, "ice") == []


@pytest.mark.parametrize(
    "description",
    [
        {"type": "offer", "sdp": "hello"},
        {"type": "answer", "sdp": OFFER["sdp"]},
        {"type": "offer", "sdp": OFFER["sdp"].replace("a=fingerprint", "a=x-fingerprint")},
        {"type": "offer", "sdp": OFFER["sdp"] + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n"},
        {"type": "offer", "sdp": OFFER["sdp"].replace("a=ice-pwd:", "a=ice-pw:")},
        {"sdp": OFFER["sdp"]},
    ],
    ids=["not-sdp", "wrong-type", "no-fingerprint", "sdes", "no-ice-pwd", "no-type"],
)
async def test_malformed_or_unsafe_sdp_is_invalid_and_not_relayed(
    people: People, live_world: World, description: dict[str, str]
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    ack = await call(officer, "offer", {"call_id": call_id, "description": description})
    assert error_code(ack) == "invalid"
    assert "field" in ack["error"] or "fields" in ack["error"]
    assert got(citizen, "offer") == []


async def test_oversized_sdp_and_bad_candidates_are_refused(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    huge = {"type": "offer", "sdp": OFFER["sdp"] + "a=x-pad:" + "x" * 20_000 + "\r\n"}
    ack = await call(officer, "offer", {"call_id": call_id, "description": huge})
    assert error_code(ack) == "too_large"
    for candidate in (
        {"candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ host\r\na=crypto:x", "sdpMid": "0"},
        {"candidate": "not a candidate", "sdpMid": "0"},
        {"candidate": CANDIDATE["candidate"]},
    ):
        ack = await call(officer, "ice", {"call_id": call_id, "candidate": candidate})
        assert error_code(ack) == "invalid"
    assert got(citizen, "ice") == [] and got(citizen, "offer") == []


async def test_unknown_fields_inside_description_or_candidate_are_invalid(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    for event, body in (
        ("offer", {"call_id": call_id, "description": {**OFFER, "extra": "x"}}),
        ("answer", {"call_id": call_id, "description": {**ANSWER, "sdp_extra": "x"}}),
        ("echo_offer", {"description": {**OFFER, "extra": "x"}}),
        ("ice", {"call_id": call_id, "candidate": {**CANDIDATE, "relayMe": "x"}}),
        ("ice", {"call_id": call_id, "candidate": {**CANDIDATE, "sdp_mid": "0"}}),
        ("ice", {"call_id": call_id, "candidate": {**CANDIDATE, "sdpMLineIndex": True}}),
        ("ice", {"call_id": call_id, "candidate": {**CANDIDATE, "sdpMLineIndex": "0"}}),
    ):
        ack = await call(officer, event, body)
        assert error_code(ack) == "invalid", (event, body)
        fields = [f["field"] for f in ack["error"]["fields"]]
        assert fields and all(f.startswith(("description.", "candidate.")) for f in fields), ack
    # The browser's own shapes pass: RTCIceCandidate.toJSON() adds usernameFragment, which
    # is accepted and not relayed.
    full = {**CANDIDATE, "usernameFragment": "3WqU"}
    assert (await call(officer, "ice", {"call_id": call_id, "candidate": full}))["ok"]
    assert (await wait(citizen, "ice", call_id))["candidate"] == CANDIDATE
    assert got(citizen, "offer") == [] and len(got(citizen, "ice")) == 1
