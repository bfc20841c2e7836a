"""Trickled ICE candidates (parsed with their type, malformed ones refused) and
``relay_only``, which keeps only relay candidates in a description."""

from __future__ import annotations

import pytest

from hub.errors import Invalid, TooLarge
from signaling.sdp import (
    MAX_CANDIDATE_BYTES,
    IceCandidate,
    candidate_type,
    parse_candidate,
    parse_description,
    relay_only,
)
from tests.signaling.sdp_samples import (
    AIORTC_OFFER,
    HOST,
    MDNS_HOST,
    PRFLX,
    RELAY,
    RELAY_ODD_UFRAG,
    SRFLX,
    TCP_HOST,
    aiortc_sdp,
    invalid_field,
    offer_payload,
)

# --- trickled candidates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (HOST, "host"),
        (MDNS_HOST, "host"),
        (TCP_HOST, "host"),
        (SRFLX, "srflx"),
        (PRFLX, "prflx"),
        (RELAY, "relay"),
        (RELAY_ODD_UFRAG, "relay"),
        ("candidate:0 1 UDP 2122252543 fd00::2 37298 typ host", "host"),
    ],
)
def test_candidate_is_parsed_with_its_type(line: str, kind: str) -> None:
    candidate = parse_candidate({"candidate": line, "sdpMid": "0", "sdpMLineIndex": 0})
    assert candidate == IceCandidate(candidate=line, sdp_mid="0", sdp_mline_index=0)
    assert candidate_type(candidate) == kind


def test_candidate_to_wire_uses_browser_field_names() -> None:
    candidate = parse_candidate({"candidate": RELAY, "sdpMLineIndex": 1, "usernameFragment": "x"})
    assert candidate is not None
    assert candidate.to_wire() == {"candidate": RELAY, "sdpMid": None, "sdpMLineIndex": 1}


def test_candidate_with_only_sdp_mid_is_accepted() -> None:
    candidate = parse_candidate({"candidate": HOST, "sdpMid": "audio"})
    assert candidate is not None
    assert (candidate.sdp_mid, candidate.sdp_mline_index) == ("audio", None)


@pytest.mark.parametrize(
    "payload", [None, {"candidate": ""}, {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}]
)
def test_end_of_candidates_is_none(payload: object) -> None:
    assert parse_candidate(payload) is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ("candidate:1 1 udp 1 1.2.3.4 5 typ host", "candidate"),
        ([HOST], "candidate"),
        ({}, "candidate"),
        ({"candidate": None, "sdpMid": "0"}, "candidate"),
        ({"candidate": 7, "sdpMid": "0"}, "candidate"),
        ({"candidate": "a=" + HOST, "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.removeprefix("candidate:"), "sdpMid": "0"}, "candidate"),
        ({"candidate": "candidate:", "sdpMid": "0"}, "candidate"),
        ({"candidate": "garbage", "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace("typ host", "typ lan"), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace("typ host", "type host"), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace(" 54321 ", " 70000 "), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace(" 54321 ", " -1 "), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace("2122260223", "99999999999"), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace(" 1 udp", " 0 udp"), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace("842163049", "84216 3049"), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace("192.168.1.10", "1.2.3.4;rm"), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST + " generation", "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST + "\r\na=crypto:1 x", "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST + "\t", "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST.replace(" ", "  "), "sdpMid": "0"}, "candidate"),
        ({"candidate": HOST}, "sdpMid"),
        ({"candidate": HOST, "sdpMid": None, "sdpMLineIndex": None}, "sdpMid"),
        ({"candidate": HOST, "sdpMid": 0}, "sdpMid"),
        ({"candidate": HOST, "sdpMid": ""}, "sdpMid"),
        ({"candidate": HOST, "sdpMid": "a b"}, "sdpMid"),
        ({"candidate": HOST, "sdpMid": "m" * 65}, "sdpMid"),
        ({"candidate": HOST, "sdpMLineIndex": -1}, "sdpMLineIndex"),
        ({"candidate": HOST, "sdpMLineIndex": 10**6}, "sdpMLineIndex"),
        ({"candidate": HOST, "sdpMLineIndex": 0.0}, "sdpMLineIndex"),
        ({"candidate": HOST, "sdpMLineIndex": True}, "sdpMLineIndex"),
        ({"candidate": HOST, "sdpMLineIndex": "0"}, "sdpMLineIndex"),
    ],
)
def test_malformed_candidate_is_refused(payload: object, field: str) -> None:
    with pytest.raises(Invalid) as excinfo:
        parse_candidate(payload)
    assert invalid_field(excinfo) == field


def test_oversize_candidate_is_too_large() -> None:
    at_cap = HOST + " x-pad " + "p" * (MAX_CANDIDATE_BYTES - len(HOST) - len(" x-pad "))
    assert len(at_cap) == MAX_CANDIDATE_BYTES
    assert parse_candidate({"candidate": at_cap, "sdpMid": "0"}) is not None
    with pytest.raises(TooLarge) as excinfo:
        parse_candidate({"candidate": at_cap + "p", "sdpMid": "0"})
    assert excinfo.value.to_dict()["limit"] == MAX_CANDIDATE_BYTES


def test_malformed_candidate_inside_sdp_is_refused() -> None:
    sdp = AIORTC_OFFER.replace("a=end-of-candidates", "a=candidate:1 1 udp 1 1.2.3.4 typ host")
    with pytest.raises(Invalid, match="candidate"):
        parse_description(offer_payload(sdp), "offer")


# --- relay_only ---------------------------------------------------------------------


def _with_candidates(sdp: str, lines: list[str]) -> str:
    extra = "".join(f"a={line}\r\n" for line in lines)
    return sdp.replace("a=end-of-candidates\r\n", extra + "a=end-of-candidates\r\n")


def test_relay_only_keeps_only_relay_candidates() -> None:
    sdp = _with_candidates(AIORTC_OFFER, [SRFLX, RELAY, PRFLX, MDNS_HOST])
    assert sdp.count("a=candidate:") == 6
    stripped = relay_only(sdp)
    assert [line for line in stripped.split("\r\n") if line.startswith("a=candidate:")] == [
        "a=" + RELAY
    ]
    others = [line for line in sdp.split("\r\n") if not line.startswith("a=candidate:")]
    assert [line for line in stripped.split("\r\n") if not line.startswith("a=candidate:")] == (
        others
    )
    assert parse_description(offer_payload(stripped), "offer").sdp == stripped


def test_relay_only_preserves_lf_line_endings() -> None:
    sdp = _with_candidates(AIORTC_OFFER, [RELAY]).replace("\r\n", "\n")
    stripped = relay_only(sdp)
    assert "\r" not in stripped
    assert stripped.count("a=candidate:") == 1
    assert stripped.endswith("a=setup:actpass\n")


def test_relay_only_without_relay_candidates_drops_them_all() -> None:
    stripped = relay_only(AIORTC_OFFER)
    assert "a=candidate:" not in stripped
    lines = AIORTC_OFFER.splitlines(keepends=True)
    assert stripped == "".join(line for line in lines if not line.startswith("a=candidate:"))


async def test_relay_only_on_a_real_offer() -> None:
    sdp = await aiortc_sdp(("audio", "video"))
    assert "typ host" in sdp
    stripped = relay_only(sdp)
    assert "a=candidate:" not in stripped
    assert stripped.count("\r\nm=") == 2


@pytest.mark.parametrize("junk", ["\r\na=crypto:1 x", "\n", "\t", "\x00", "\x7f"])
def test_candidate_with_line_breaks_or_controls_is_refused_as_such(junk: str) -> None:
    # A relayed candidate is spliced into SDP by the peer: a line break would inject lines.
    with pytest.raises(Invalid, match="control characters or line breaks"):
        parse_candidate({"candidate": HOST + junk, "sdpMid": "0"})
