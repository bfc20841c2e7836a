"""The pure SDP checks: real descriptions pass, unsafe or malformed ones are refused,
and the size cap holds."""

from __future__ import annotations

from typing import Literal

import pytest

from hub.errors import Invalid, TooLarge
from signaling.sdp import MAX_SDP_BYTES, SessionDescription, parse_description
from tests.signaling.sdp_samples import (
    AIORTC_OFFER,
    CHROME_OFFER,
    TRANSPORT_LINES,
    aiortc_sdp,
    invalid_field,
    offer_payload,
)


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


# --- real descriptions --------------------------------------------------------------


@pytest.mark.parametrize("kinds", [("audio",), ("video",), ("audio", "video")])
async def test_real_aiortc_offer_is_accepted_unchanged(kinds: tuple[str, ...]) -> None:
    sdp = await aiortc_sdp(kinds)
    description = parse_description(offer_payload(sdp), "offer")
    assert description == SessionDescription(type="offer", sdp=sdp)
    assert description.to_wire() == {"type": "offer", "sdp": sdp}


async def test_real_aiortc_answer_is_accepted() -> None:
    sdp = await aiortc_sdp(("audio", "video"), answer=True)
    assert "a=setup:active" in sdp
    description = parse_description({"type": "answer", "sdp": sdp}, "answer")
    assert description.type == "answer"
    assert description.sdp == sdp


def test_chrome_style_trickle_offer_is_accepted() -> None:
    assert parse_description(offer_payload(CHROME_OFFER), "offer").sdp == CHROME_OFFER


def test_lf_only_line_endings_are_accepted() -> None:
    sdp = AIORTC_OFFER.replace("\r\n", "\n")
    assert parse_description(offer_payload(sdp), "offer").sdp == sdp


def test_transport_attributes_at_session_level_cover_every_section() -> None:
    moved = [line for line in CHROME_OFFER.split("\r\n") if line.startswith(TRANSPORT_LINES)]
    body = [line for line in CHROME_OFFER.split("\r\n") if not line.startswith(TRANSPORT_LINES)]
    first_media = body.index(next(line for line in body if line.startswith("m=")))
    sdp = "\r\n".join(body[:first_media] + sorted(set(moved)) + body[first_media:])
    assert sdp.count("a=ice-ufrag:") == 1
    assert parse_description(offer_payload(sdp), "offer").sdp == sdp


def test_ice_restart_offer_with_new_credentials_is_accepted() -> None:
    restarted = AIORTC_OFFER.replace("a=ice-ufrag:jx14", "a=ice-ufrag:N3wU").replace(
        "a=ice-pwd:flvGIjukqjd45eX32SAcZm", "a=ice-pwd:Z9y8X7w6V5u4T3s2R1q0Pp"
    )
    assert restarted != AIORTC_OFFER
    assert parse_description(offer_payload(restarted), "offer").sdp == restarted


def test_rejected_section_with_port_zero_needs_no_transport_attributes() -> None:
    sdp = CHROME_OFFER + "m=video 0 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=inactive\r\n"
    assert parse_description(offer_payload(sdp), "offer").sdp == sdp


def test_every_section_rejected_is_refused() -> None:
    sdp = AIORTC_OFFER.replace("m=audio 42673 ", "m=audio 0 ")
    with pytest.raises(Invalid, match="port 0"):
        parse_description(offer_payload(sdp), "offer")


# --- refused descriptions -----------------------------------------------------------


@pytest.mark.parametrize("prefix", TRANSPORT_LINES)
def test_attribute_missing_from_one_section_is_refused(prefix: str) -> None:
    sdp = _drop_in_section(CHROME_OFFER, prefix, section=1)
    assert sdp.count(prefix) == 1
    name = prefix.removeprefix("a=").removesuffix(":")
    with pytest.raises(Invalid, match=f"lacks a={name}") as excinfo:
        parse_description(offer_payload(sdp), "offer")
    assert invalid_field(excinfo) == "sdp"
    assert excinfo.value.code == "invalid"


@pytest.mark.parametrize("prefix", TRANSPORT_LINES)
def test_attribute_missing_everywhere_is_refused(prefix: str) -> None:
    sdp = "\r\n".join(line for line in AIORTC_OFFER.split("\r\n") if not line.startswith(prefix))
    with pytest.raises(Invalid, match="lacks a="):
        parse_description(offer_payload(sdp), "offer")


def test_sdes_crypto_line_is_refused() -> None:
    sdp = (
        AIORTC_OFFER
        + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"
    )
    with pytest.raises(Invalid, match="a=crypto"):
        parse_description(offer_payload(sdp), "offer")


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
    assert invalid_field(excinfo) == field


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
        parse_description(offer_payload(sdp), "offer")


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
    assert parse_description(offer_payload(sdp), "offer").sdp == sdp


def test_sdp_over_the_cap_is_too_large() -> None:
    sdp = _padded(MAX_SDP_BYTES + 1)
    with pytest.raises(TooLarge) as excinfo:
        parse_description(offer_payload(sdp), "offer")
    assert excinfo.value.to_dict()["limit"] == MAX_SDP_BYTES
    assert excinfo.value.code == "too_large"


def test_sdp_cap_counts_utf8_bytes_not_characters() -> None:
    sdp = _padded(MAX_SDP_BYTES + 1, filler="é" * 1 + "x")  # 3 bytes per filler
    assert len(sdp) <= MAX_SDP_BYTES < len(sdp.encode())
    with pytest.raises(TooLarge):
        parse_description(offer_payload(sdp), "offer")


def test_huge_sdp_is_too_large_not_slow() -> None:
    with pytest.raises(TooLarge):
        parse_description(offer_payload("v=0\r\n" + "a" * 50_000_000), "offer")
