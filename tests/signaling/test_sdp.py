"""The pure SDP/ICE checks: real descriptions pass, unsafe or malformed ones are refused."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from aiortc import RTCPeerConnection
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.errors import HubError, Invalid, TooLarge
from signaling.sdp import (
    MAX_CANDIDATE_BYTES,
    MAX_SDP_BYTES,
    IceCandidate,
    SessionDescription,
    candidate_type,
    parse_candidate,
    parse_description,
    relay_only,
)

# Captured from aiortc 1.16 (one audio transceiver); 3 fingerprints, candidates inline.
AIORTC_OFFER = (
    "v=0\r\no=- 4004799226 4004799226 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
    "a=group:BUNDLE 0\r\na=msid-semantic:WMS *\r\n"
    "m=audio 42673 UDP/TLS/RTP/SAVPF 96 9 0 8\r\nc=IN IP4 192.0.2.2\r\na=sendrecv\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=mid:0\r\n"
    "a=msid:821fa703-8a83-439d-8b6b-abc27d308719 5dd01c05-0772-428e-a442-ab1072cabaf6\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\na=rtcp-mux\r\n"
    "a=ssrc:3427732964 cname:c603d1ca-d023-4bdf-9f37-a039d80cdc7b\r\n"
    "a=rtpmap:96 opus/48000/2\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 42673 typ host\r\n"
    "a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 55298 typ host\r\n"
    "a=end-of-candidates\r\na=ice-ufrag:jx14\r\na=ice-pwd:flvGIjukqjd45eX32SAcZm\r\n"
    "a=fingerprint:sha-256 2A:65:CF:EF:51:2E:D3:A3:D4:72:18:E5:A4:C9:61:EC:85:0C:A8:71:54:"
    "7F:1C:32:B3:C5:A1:65:8A:86:5D:19\r\n"
    "a=setup:actpass\r\n"
)

# The shape Chrome sends with trickle ICE: port 9, no candidates, BUNDLE, attributes
# repeated in every m= section.
CHROME_OFFER = (
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:3WqU\r\na=ice-pwd:TvMoBhf0mFHnPjx1KL/B+jAt\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:"
    "1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
    "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:3WqU\r\na=ice-pwd:TvMoBhf0mFHnPjx1KL/B+jAt\r\na=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:"
    "1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
    "a=setup:actpass\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\na=rtcp-rsize\r\n"
    "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\n"
    "a=fmtp:97 apt=96\r\n"
)

TRANSPORT_LINES = ("a=fingerprint:", "a=setup:", "a=ice-ufrag:", "a=ice-pwd:")

HOST = "candidate:842163049 1 udp 2122260223 192.168.1.10 54321 typ host generation 0"
MDNS_HOST = (
    "candidate:1510613869 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local "
    "60769 typ host generation 0 ufrag 3WqU network-id 1"
)
SRFLX = (
    "candidate:1467250027 1 udp 1686052607 203.0.113.7 54321 typ srflx "
    "raddr 192.168.1.10 rport 54321 generation 0"
)
RELAY = (
    "candidate:3471623853 1 udp 41885439 198.51.100.20 50000 typ relay "
    "raddr 203.0.113.7 rport 54321 generation 0 ufrag 3WqU network-cost 999"
)
PRFLX = "candidate:2 1 UDP 1853824767 203.0.113.9 61000 typ prflx raddr 0.0.0.0 rport 0"
#: Chrome's ufrag is 4 random ice-chars, "/" and "+" among them.
RELAY_ODD_UFRAG = (
    "candidate:3471623853 1 udp 41885439 198.51.100.20 50000 typ relay "
    "raddr 203.0.113.7 rport 54321 generation 0 ufrag a/B+ network-id 1 network-cost 10"
)
TCP_HOST = "candidate:3 1 tcp 1518280447 192.168.1.10 9 typ host tcptype active generation 0"


async def _aiortc_sdp(kinds: tuple[str, ...], answer: bool = False) -> str:
    """A real description from aiortc: an offer with ``kinds``, or an answer to one."""
    offerer = RTCPeerConnection()
    answerer = RTCPeerConnection()
    try:
        for kind in kinds:
            offerer.addTransceiver(kind)
        await offerer.setLocalDescription(await offerer.createOffer())
        if not answer:
            sdp: str = offerer.localDescription.sdp
            return sdp
        await answerer.setRemoteDescription(offerer.localDescription)
        await answerer.setLocalDescription(await answerer.createAnswer())
        answer_sdp: str = answerer.localDescription.sdp
        return answer_sdp
    finally:
        await offerer.close()
        await answerer.close()


def _offer(sdp: str) -> dict[str, str]:
    return {"type": "offer", "sdp": sdp}


def _drop_in_section(sdp: str, prefix: str, section: int) -> str:
    """Remove lines starting with ``prefix`` from the ``section``-th m= section (0-based)."""
    out: list[str] = []
    current = -1
    for line in sdp.split("\r\n"):
        if line.startswith("m="):
            current += 1
        if current == section and line.startswith(prefix):
            continue
        out.append(line)
    return "\r\n".join(out)


def _invalid_field(excinfo: pytest.ExceptionInfo[Invalid]) -> object:
    return excinfo.value.to_dict()["field"]


# --- real descriptions --------------------------------------------------------------


@pytest.mark.parametrize("kinds", [("audio",), ("video",), ("audio", "video")])
async def test_real_aiortc_offer_is_accepted_unchanged(kinds: tuple[str, ...]) -> None:
    sdp = await _aiortc_sdp(kinds)
    description = parse_description(_offer(sdp), "offer")
    assert description == SessionDescription(type="offer", sdp=sdp)
    assert description.to_wire() == {"type": "offer", "sdp": sdp}


async def test_real_aiortc_answer_is_accepted() -> None:
    sdp = await _aiortc_sdp(("audio", "video"), answer=True)
    assert "a=setup:active" in sdp
    description = parse_description({"type": "answer", "sdp": sdp}, "answer")
    assert description.type == "answer"
    assert description.sdp == sdp


def test_chrome_style_trickle_offer_is_accepted() -> None:
    assert parse_description(_offer(CHROME_OFFER), "offer").sdp == CHROME_OFFER


def test_lf_only_line_endings_are_accepted() -> None:
    sdp = AIORTC_OFFER.replace("\r\n", "\n")
    assert parse_description(_offer(sdp), "offer").sdp == sdp


def test_transport_attributes_at_session_level_cover_every_section() -> None:
    moved = [line for line in CHROME_OFFER.split("\r\n") if line.startswith(TRANSPORT_LINES)]
    body = [line for line in CHROME_OFFER.split("\r\n") if not line.startswith(TRANSPORT_LINES)]
    first_media = body.index(next(line for line in body if line.startswith("m=")))
    sdp = "\r\n".join(body[:first_media] + sorted(set(moved)) + body[first_media:])
    assert sdp.count("a=ice-ufrag:") == 1
    assert parse_description(_offer(sdp), "offer").sdp == sdp


def test_ice_restart_offer_with_new_credentials_is_accepted() -> None:
    restarted = AIORTC_OFFER.replace("a=ice-ufrag:jx14", "a=ice-ufrag:N3wU").replace(
        "a=ice-pwd:flvGIjukqjd45eX32SAcZm", "a=ice-pwd:Z9y8X7w6V5u4T3s2R1q0Pp"
    )
    assert restarted != AIORTC_OFFER
    assert parse_description(_offer(restarted), "offer").sdp == restarted


def test_rejected_section_with_port_zero_needs_no_transport_attributes() -> None:
    sdp = CHROME_OFFER + "m=video 0 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=inactive\r\n"
    assert parse_description(_offer(sdp), "offer").sdp == sdp


def test_every_section_rejected_is_refused() -> None:
    sdp = AIORTC_OFFER.replace("m=audio 42673 ", "m=audio 0 ")
    with pytest.raises(Invalid, match="port 0"):
        parse_description(_offer(sdp), "offer")


# --- refused descriptions -----------------------------------------------------------


@pytest.mark.parametrize("prefix", TRANSPORT_LINES)
def test_attribute_missing_from_one_section_is_refused(prefix: str) -> None:
    sdp = _drop_in_section(CHROME_OFFER, prefix, section=1)
    assert sdp.count(prefix) == 1
    name = prefix.removeprefix("a=").removesuffix(":")
    with pytest.raises(Invalid, match=f"lacks a={name}") as excinfo:
        parse_description(_offer(sdp), "offer")
    assert _invalid_field(excinfo) == "sdp"
    assert excinfo.value.code == "invalid"


@pytest.mark.parametrize("prefix", TRANSPORT_LINES)
def test_attribute_missing_everywhere_is_refused(prefix: str) -> None:
    sdp = "\r\n".join(line for line in AIORTC_OFFER.split("\r\n") if not line.startswith(prefix))
    with pytest.raises(Invalid, match="lacks a="):
        parse_description(_offer(sdp), "offer")


def test_sdes_crypto_line_is_refused() -> None:
    sdp = (
        AIORTC_OFFER
        + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"
    )
    with pytest.raises(Invalid, match="a=crypto"):
        parse_description(_offer(sdp), "offer")


@pytest.mark.parametrize(
    ("payload", "expected", "field"),
    [
        ({"type": "answer", "sdp": AIORTC_OFFER}, "offer", "type"),
        ({"type": "offer", "sdp": AIORTC_OFFER}, "answer", "type"),
        ({"type": "pranswer", "sdp": AIORTC_OFFER}, "answer", "type"),
        ({"type": "rollback"}, "offer", "type"),
        ({"sdp": AIORTC_OFFER}, "offer", "type"),
        ({"type": "offer"}, "offer", "sdp"),
        ({"type": "offer", "sdp": 42}, "offer", "sdp"),
        ({"type": "offer", "sdp": ["v=0"]}, "offer", "sdp"),
        (AIORTC_OFFER, "offer", "description"),
        (None, "offer", "description"),
        ([AIORTC_OFFER], "offer", "description"),
    ],
)
def test_malformed_payload_is_refused(
    payload: object, expected: Literal["offer", "answer"], field: str
) -> None:
    with pytest.raises(Invalid) as excinfo:
        parse_description(payload, expected)
    assert _invalid_field(excinfo) == field


@pytest.mark.parametrize(
    ("sdp", "message"),
    [
        ("", "v=0"),
        ("hello", "v=0"),
        ("v=1\r\n" + AIORTC_OFFER[5:], "v=0"),
        (" " + AIORTC_OFFER, "v=0"),
        (AIORTC_OFFER.split("m=audio")[0], "no m= line"),
        (AIORTC_OFFER.replace("s=-", "s=\x00-"), "control"),
        (AIORTC_OFFER.replace("s=-", "s=\x1b[31m-"), "control"),
        (AIORTC_OFFER.replace("s=-", "s=\x85"), "control"),
        (AIORTC_OFFER.replace("s=-\r\n", "s=-\r"), "<letter>=<value>"),
        (AIORTC_OFFER + "this is not sdp\r\n", "<letter>=<value>"),
        (AIORTC_OFFER.replace("m=audio 42673 UDP", "m=audio 99999 UDP"), "m= line"),
        (AIORTC_OFFER.replace("m=audio 42673 UDP/TLS/RTP/SAVPF 96 9 0 8", "m=audio"), "m= line"),
        (AIORTC_OFFER.replace("a=setup:actpass", "a=setup:holdconn"), "a=setup must be"),
        (AIORTC_OFFER.replace("a=ice-ufrag:jx14", "a=ice-ufrag:x"), "ice-ufrag"),
        (AIORTC_OFFER.replace("a=ice-pwd:flvGIjukqjd45eX32SAcZm", "a=ice-pwd:short"), "ice-pwd"),
        (AIORTC_OFFER.replace("a=fingerprint:sha-256 2A:", "a=fingerprint:sha-256 zz:"), "finger"),
        (AIORTC_OFFER.replace(" typ host\r\n", " typ bogus\r\n", 1), "candidate type"),
    ],
)
def test_malformed_sdp_is_refused(sdp: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_description(_offer(sdp), "offer")


def test_answer_with_actpass_is_refused() -> None:
    with pytest.raises(Invalid, match="actpass"):
        parse_description({"type": "answer", "sdp": AIORTC_OFFER}, "answer")
    answer = AIORTC_OFFER.replace("a=setup:actpass", "a=setup:passive")
    assert parse_description({"type": "answer", "sdp": answer}, "answer").type == "answer"


def test_direct_construction_validates_too() -> None:
    with pytest.raises(Invalid):
        SessionDescription(type="offer", sdp="v=0\r\n")


def _padded(total_bytes: int, filler: str = "x") -> str:
    pad_line_overhead = len("a=x-pad:\r\n")
    missing = total_bytes - len(AIORTC_OFFER.encode()) - pad_line_overhead
    assert missing % len(filler.encode()) == 0
    return AIORTC_OFFER + "a=x-pad:" + filler * (missing // len(filler.encode())) + "\r\n"


def test_sdp_exactly_at_the_cap_is_accepted() -> None:
    sdp = _padded(MAX_SDP_BYTES)
    assert len(sdp.encode()) == MAX_SDP_BYTES
    assert parse_description(_offer(sdp), "offer").sdp == sdp


def test_sdp_over_the_cap_is_too_large() -> None:
    sdp = _padded(MAX_SDP_BYTES + 1)
    with pytest.raises(TooLarge) as excinfo:
        parse_description(_offer(sdp), "offer")
    assert excinfo.value.to_dict()["limit"] == MAX_SDP_BYTES
    assert excinfo.value.code == "too_large"


def test_sdp_cap_counts_utf8_bytes_not_characters() -> None:
    sdp = _padded(MAX_SDP_BYTES + 1, filler="é" * 1 + "x")  # 3 bytes per filler
    assert len(sdp) <= MAX_SDP_BYTES < len(sdp.encode())
    with pytest.raises(TooLarge):
        parse_description(_offer(sdp), "offer")


def test_huge_sdp_is_too_large_not_slow() -> None:
    with pytest.raises(TooLarge):
        parse_description(_offer("v=0\r\n" + "a" * 50_000_000), "offer")


# --- fuzz: only Invalid or TooLarge ever escape -------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["offer", "answer", "v=0", "candidate:"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["type", "sdp", "candidate", "sdpMid", "sdpMLineIndex"]) | st.text(),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)
AIORTC_LINES = AIORTC_OFFER.split("\r\n")


@st.composite
def mutated_sdp(draw: st.DrawFn) -> str:
    """A real SDP with a few lines deleted, duplicated, replaced or cut short."""
    lines = list(AIORTC_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "replace", "truncate", "insert"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "replace":
            lines[i] = draw(st.text(max_size=40))
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            prefix = draw(st.sampled_from(["a=", "m=", "a=candidate:", "a=setup:", "a=crypto:"]))
            lines.insert(i, prefix + draw(st.text(max_size=40)))
        if not lines:
            break
    return draw(st.sampled_from(["\r\n", "\n", "\r"])).join(lines)


def _only_domain_errors_for_description(payload: object) -> None:
    for expected in ("offer", "answer"):
        try:
            description = parse_description(payload, expected)
        except (Invalid, TooLarge):
            continue
        # Whatever passes must survive a JSON round trip to the other peer.
        assert json.loads(json.dumps(description.to_wire())) == description.to_wire()


@settings(database=None, max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_fuzz_any_json_value_as_description(payload: object) -> None:
    _only_domain_errors_for_description(payload)


@settings(database=None, max_examples=300, deadline=None)
@given(st.sampled_from(["offer", "answer"]), st.text() | mutated_sdp())
def test_fuzz_any_text_as_sdp(kind: str, sdp: str) -> None:
    _only_domain_errors_for_description({"type": kind, "sdp": sdp})


@settings(database=None, max_examples=300, deadline=None)
@given(
    JSON_VALUES
    | st.fixed_dictionaries(
        {
            "candidate": st.text()
            | st.sampled_from([HOST, SRFLX, RELAY]).map(lambda c: c + " x")
            | st.builds(
                lambda c, t: c[: len(c) // 2] + t, st.sampled_from([HOST, RELAY]), st.text()
            ),
            "sdpMid": st.none() | st.text(max_size=5) | st.integers(),
            "sdpMLineIndex": st.none() | st.integers() | st.booleans() | st.floats(),
        }
    )
)
def test_fuzz_any_json_value_as_candidate(payload: object) -> None:
    try:
        candidate = parse_candidate(payload)
    except (Invalid, TooLarge):
        return
    if candidate is not None:
        assert candidate_type(candidate) in {"host", "srflx", "prflx", "relay"}
        assert "\n" not in candidate.candidate


def test_domain_errors_are_hub_errors() -> None:
    # The fuzz tests catch exactly these; transport maps HubError to an ack.
    assert issubclass(Invalid, HubError)
    assert issubclass(TooLarge, HubError)


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
    assert _invalid_field(excinfo) == field


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
        parse_description(_offer(sdp), "offer")


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
    assert parse_description(_offer(stripped), "offer").sdp == stripped


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
    sdp = await _aiortc_sdp(("audio", "video"))
    assert "typ host" in sdp
    stripped = relay_only(sdp)
    assert "a=candidate:" not in stripped
    assert stripped.count("\r\nm=") == 2


@pytest.mark.parametrize("junk", ["\r\na=crypto:1 x", "\n", "\t", "\x00", "\x7f"])
def test_candidate_with_line_breaks_or_controls_is_refused_as_such(junk: str) -> None:
    # A relayed candidate is spliced into SDP by the peer: a line break would inject lines.
    with pytest.raises(Invalid, match="control characters or line breaks"):
        parse_candidate({"candidate": HOST + junk, "sdpMid": "0"})
