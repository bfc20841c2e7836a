"""Sample descriptions and candidates for the SDP/ICE tests: captured from aiortc and
Chrome, made by a real aiortc peer, and small helpers to read the errors."""

from __future__ import annotations

import pytest
from aiortc import RTCPeerConnection

from hub.errors import Invalid

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


async def aiortc_sdp(kinds: tuple[str, ...], answer: bool = False) -> str:
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


def offer_payload(sdp: str) -> dict[str, str]:
    """The wire form of an offer carrying ``sdp``."""
    return {"type": "offer", "sdp": sdp}


def invalid_field(excinfo: pytest.ExceptionInfo[Invalid]) -> object:
    """The ``field`` an ``invalid`` error names."""
    return excinfo.value.to_dict()["field"]
