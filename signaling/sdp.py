"""Signaling is data first: untrusted JSON in, validated SDP and ICE values out.

Like aiortc's ``contrib/signaling.py``, nothing here knows about socket.io, the
database or a peer connection: each function takes the JSON value a client sent
and either returns a frozen, already-valid value or raises
:class:`~hub.errors.Invalid` / :class:`~hub.errors.TooLarge` -- never anything else.
The hub relays SDP text verbatim (it never rewrites a description); the checks
exist so a peer cannot be handed something that downgrades security (SDES keys
instead of DTLS), smuggles control characters, or is simply not SDP.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hub.errors import Invalid, TooLarge

DescriptionType = Literal["offer", "answer"]
CandidateType = Literal["host", "srflx", "prflx", "relay"]

#: A browser's audio+video offer with BUNDLE, a few codecs per section and its
#: candidates is 4-10 KB; an aiortc offer is about 4 KB.  16 KiB leaves room for
#: simulcast or a data channel while keeping a hostile client from making the hub
#: store and fan out megabytes per message (SDP is relayed to every device of the
#: callee).
MAX_SDP_BYTES = 16_384
#: One ``candidate:`` line is well under 200 bytes in practice.
MAX_CANDIDATE_BYTES = 1024
#: Longer than any ``mid`` a browser or aiortc makes ("0", "1", "audio"...).
MAX_MID_CHARS = 64
#: More m= sections than this cannot fit in :data:`MAX_SDP_BYTES` with their
#: required attributes; also keeps the relayed integer small and exact in JS.
MAX_MLINE_INDEX = 1023

_DESCRIPTION_TYPES: tuple[DescriptionType, ...] = ("offer", "answer")
_CANDIDATE_TYPES: tuple[CandidateType, ...] = ("host", "srflx", "prflx", "relay")
_SETUP_ROLES = ("actpass", "active", "passive")
# Attributes a DTLS-SRTP + ICE section cannot work without (RFC 8829 JSEP, RFC 8842).
_TRANSPORT_ATTRIBUTES = ("fingerprint", "setup", "ice-ufrag", "ice-pwd")

# C0 controls except TAB/LF/CR, DEL, C1 controls, and lone surrogates (which
# cannot be encoded as UTF-8 for the other peer).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Same, but a candidate is one line: no TAB, LF or CR either.
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n|\n")
_SDP_LINE = re.compile(r"[a-z]=")
_MEDIA_LINE = re.compile(r"m=[^ ]+ ([0-9]{1,5})(?:/[0-9]{1,5})? [^ ]+( [^ ]+)+")
_FINGERPRINT = re.compile(r"[A-Za-z0-9-]{1,16} [0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){15,63}")
_ICE_UFRAG = re.compile(r"[A-Za-z0-9+/]{4,256}")  # RFC 8839 section 5.4
_ICE_PWD = re.compile(r"[A-Za-z0-9+/]{22,256}")
_FOUNDATION = re.compile(r"[A-Za-z0-9+/]{1,32}")
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`{|}~-]+")
_ADDRESS = re.compile(r"[A-Za-z0-9.:%_-]{1,255}")
_DIGITS = re.compile(r"[0-9]{1,10}")
#: A candidate extension's name or value (RFC 8839 ``byte-string``): any visible character.
#: A ``ufrag`` is made of ice-chars, which include "/" and "+" (a browser picks them at
#: random, so a stricter token refused about one call in sixteen).
_EXTENSION = re.compile(r"[\x21-\x7e]+")


def _invalid(message: str, field: str) -> Invalid:
    # one reason for the pages (a browser never sends these); the exact problem for developers
    return Invalid("signal_invalid", message=message, field=field)


def _check_size(text: str, limit: int, field: str) -> None:
    # A character is at least one UTF-8 byte: skip encoding huge strings.
    if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        raise TooLarge(
            "signal_too_large",
            field=field,
            limit=limit,
        )


def _check_candidate_line(line: str, field: str) -> CandidateType:
    """Loose RFC 8839 section 5.1 grammar of ``candidate:...``; returns its type."""
    if not line.startswith("candidate:"):
        raise _invalid(
            "candidate must start with 'candidate:'",
            field,
        )
    tokens = line.removeprefix("candidate:").split(" ")
    if len(tokens) < 8 or tokens[6] != "typ":
        raise _invalid(
            "candidate needs '<foundation> <component> <transport> <priority> <address> <port> "
            "typ <type>'",
            field,
        )
    foundation, component, transport, priority, address, port, _, kind = tokens[:8]
    if not _FOUNDATION.fullmatch(foundation):
        raise _invalid("bad candidate foundation", field)
    if not _DIGITS.fullmatch(component) or not 1 <= int(component) <= 256:
        raise _invalid("bad candidate component", field)
    if not _TOKEN.fullmatch(transport):
        raise _invalid("bad candidate transport", field)
    if not _DIGITS.fullmatch(priority) or int(priority) > 2**32 - 1:
        raise _invalid("bad candidate priority", field)
    if not _ADDRESS.fullmatch(address):
        raise _invalid("bad candidate address", field)
    if not _DIGITS.fullmatch(port) or int(port) > 65535:
        raise _invalid("bad candidate port", field)
    if kind not in _CANDIDATE_TYPES:
        raise _invalid(
            "candidate type must be host, srflx, prflx or relay",
            field,
        )
    extensions = tokens[8:]  # raddr/rport/generation/ufrag/network-cost/tcptype...
    if len(extensions) % 2 or not all(_EXTENSION.fullmatch(t) for t in extensions):
        raise _invalid(
            "candidate extensions must be name value pairs",
            field,
        )
    return kind


def _attribute(line: str) -> tuple[str, str] | None:
    """``a=name:value`` -> (name, value); ``a=flag`` -> (flag, ""); other lines -> None."""
    if not line.startswith("a="):
        return None
    name, _, value = line[2:].partition(":")
    return name, value


def _check_attribute(name: str, value: str, kind: DescriptionType) -> None:
    if name == "crypto":
        raise _invalid(
            "a=crypto (SDES keys) is refused, only DTLS-SRTP is allowed",
            "sdp",
        )
    if name == "fingerprint" and not _FINGERPRINT.fullmatch(value):
        raise _invalid("malformed a=fingerprint", "sdp")
    if name == "setup":
        if value not in _SETUP_ROLES:
            raise _invalid(
                "a=setup must be actpass, active or passive",
                "sdp",
            )
        if kind == "answer" and value == "actpass":
            raise _invalid(
                "an answer must not use a=setup:actpass",
                "sdp",
            )
    if name == "ice-ufrag" and not _ICE_UFRAG.fullmatch(value):
        raise _invalid("malformed a=ice-ufrag", "sdp")
    if name == "ice-pwd" and not _ICE_PWD.fullmatch(value):
        raise _invalid("malformed a=ice-pwd", "sdp")
    if name == "candidate":
        _check_candidate_line(f"candidate:{value}", "sdp")


def _check_sdp(kind: DescriptionType, sdp: str) -> None:
    """Raise unless ``sdp`` is a DTLS-SRTP + ICE description (see :func:`parse_description`)."""
    _check_size(sdp, MAX_SDP_BYTES, "sdp")
    if _CONTROL.search(sdp):
        raise _invalid("SDP contains control characters", "sdp")
    lines = [line for line in _LINE_BREAK.split(sdp) if line]
    if not lines or lines[0] != "v=0":
        raise _invalid("SDP must start with 'v=0'", "sdp")

    session: set[str] = set()
    # Attribute names of each media section that carries media (port != 0).
    active_sections: list[set[str]] = []
    sections = 0
    current = session
    for line in lines:
        if "\r" in line or not _SDP_LINE.match(line):
            raise _invalid(
                "every SDP line must look like '<letter>=<value>'",
                "sdp",
            )
        if line.startswith("m="):
            match = _MEDIA_LINE.fullmatch(line)
            if match is None or int(match.group(1)) > 65535:
                raise _invalid("malformed m= line", "sdp")
            sections += 1
            current = set()
            # Port 0 marks a rejected or bundle-only section: it has no transport
            # of its own, so it need not repeat the ICE/DTLS attributes.
            if int(match.group(1)) != 0:
                active_sections.append(current)
            continue
        attribute = _attribute(line)
        if attribute is not None:
            _check_attribute(*attribute, kind)
            current.add(attribute[0])

    if sections == 0:
        raise _invalid("SDP has no m= line", "sdp")
    if not active_sections:
        raise _invalid("every m= section is rejected (port 0)", "sdp")
    for name in _TRANSPORT_ATTRIBUTES:
        if name not in session and not all(name in s for s in active_sections):
            raise _invalid(
                f"SDP lacks a={name} (needed at session level or in every m= section)",
                "sdp",
            )


@dataclass(frozen=True, slots=True)
class SessionDescription:
    """An offer or answer whose SDP passed :func:`parse_description`'s rules.

    Construction validates, so every instance is safe to relay.
    """

    type: DescriptionType
    sdp: str

    def __post_init__(self) -> None:
        if self.type not in _DESCRIPTION_TYPES:
            raise _invalid("type must be offer or answer", "type")
        _check_sdp(self.type, self.sdp)

    def to_wire(self) -> dict[str, str]:
        """The browser ``RTCSessionDescriptionInit`` shape; the SDP text is unchanged."""
        return {"type": self.type, "sdp": self.sdp}


@dataclass(frozen=True, slots=True)
class IceCandidate:
    """A trickled ICE candidate whose line passed :func:`parse_candidate`'s rules.

    Construction validates, so every instance is safe to relay.
    """

    candidate: str
    sdp_mid: str | None
    sdp_mline_index: int | None

    def __post_init__(self) -> None:
        _check_size(self.candidate, MAX_CANDIDATE_BYTES, "candidate")
        if _CONTROL_IN_LINE.search(self.candidate):
            raise _invalid(
                "candidate contains control characters or line breaks",
                "candidate",
            )
        _check_candidate_line(self.candidate, "candidate")
        if self.sdp_mid is None and self.sdp_mline_index is None:
            raise _invalid(
                "sdpMid or sdpMLineIndex is required",
                "sdpMid",
            )
        if self.sdp_mid is not None and (
            len(self.sdp_mid) > MAX_MID_CHARS or not _TOKEN.fullmatch(self.sdp_mid)
        ):
            raise _invalid("malformed sdpMid", "sdpMid")
        if self.sdp_mline_index is not None and not 0 <= self.sdp_mline_index <= MAX_MLINE_INDEX:
            raise _invalid(
                f"sdpMLineIndex must be 0..{MAX_MLINE_INDEX}",
                "sdpMLineIndex",
            )

    def to_wire(self) -> dict[str, str | int | None]:
        """The browser ``RTCIceCandidateInit`` shape (``sdpMid``, ``sdpMLineIndex``)."""
        return {
            "candidate": self.candidate,
            "sdpMid": self.sdp_mid,
            "sdpMLineIndex": self.sdp_mline_index,
        }


def parse_description(payload: object, expected_type: DescriptionType) -> SessionDescription:
    """Validate a client's ``{"type", "sdp"}`` JSON value and return it typed.

    Guarantees, or raises :class:`Invalid` naming the problem (:class:`TooLarge` when
    the SDP exceeds :data:`MAX_SDP_BYTES` UTF-8 bytes); no other exception escapes:

    - ``payload`` is an object whose ``type`` equals ``expected_type``; other keys
      are ignored (the relayed value is rebuilt by :meth:`SessionDescription.to_wire`);
    - ``sdp`` is a string whose first line is ``v=0``, lines end in CRLF or LF,
      blank lines are ignored, and there is no control character but CR, LF, TAB;
    - there is at least one ``m=`` line with a non-zero port;
    - ``a=fingerprint``, ``a=setup`` (actpass/active/passive, never actpass in an
      answer), ``a=ice-ufrag`` and ``a=ice-pwd`` are present at session level or in
      every m= section with a non-zero port, and well formed;
    - no ``a=crypto`` line (SDES keys in signaling would bypass DTLS);
    - every ``a=candidate`` line follows :func:`parse_candidate`'s grammar.

    An ICE-restart offer (new ufrag/pwd) is just another valid offer.
    """
    if not isinstance(payload, Mapping):
        raise _invalid(
            "session description must be an object {type, sdp}",
            "description",
        )
    kind = payload.get("type")
    if kind != expected_type:
        raise _invalid(f"type must be '{expected_type}'", "type")
    sdp = payload.get("sdp")
    if not isinstance(sdp, str):
        raise _invalid("sdp must be a string", "sdp")
    return SessionDescription(type=expected_type, sdp=sdp)


def parse_candidate(payload: object) -> IceCandidate | None:
    """Validate a client's ``RTCIceCandidateInit`` JSON value.

    Returns ``None`` for end-of-candidates (a ``null`` payload or an empty
    ``candidate`` string).  Otherwise guarantees, or raises :class:`Invalid`
    (:class:`TooLarge` over :data:`MAX_CANDIDATE_BYTES`), that:

    - ``candidate`` is one line ``candidate:<foundation> <component> <transport>
      <priority> <address> <port> typ <host|srflx|prflx|relay> [<name> <value>]...``
      (RFC 8839 section 5.1, checked loosely), without any control character;
    - at least one of ``sdpMid`` (a token of at most :data:`MAX_MID_CHARS`) and
      ``sdpMLineIndex`` (an integer 0..:data:`MAX_MLINE_INDEX`) is given.

    Other keys (e.g. ``usernameFragment``) are ignored and not relayed.
    """
    if payload is None:
        return None
    if not isinstance(payload, Mapping):
        raise _invalid("ICE candidate must be an object", "candidate")
    candidate = payload.get("candidate")
    if not isinstance(candidate, str):
        raise _invalid("candidate must be a string", "candidate")
    if candidate == "":
        return None
    mid = payload.get("sdpMid")
    if mid is not None and not isinstance(mid, str):
        raise _invalid("sdpMid must be a string", "sdpMid")
    index = payload.get("sdpMLineIndex")
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
        raise _invalid(
            "sdpMLineIndex must be an integer",
            "sdpMLineIndex",
        )
    return IceCandidate(candidate=candidate, sdp_mid=mid, sdp_mline_index=index)


def candidate_type(c: IceCandidate) -> CandidateType:
    """``host``, ``srflx``, ``prflx`` or ``relay``: the word after ``typ``."""
    # The line is valid by construction, so this cannot raise; it narrows the type.
    return _check_candidate_line(c.candidate, "candidate")


def relay_only(sdp: str) -> str:
    """Drop every ``a=candidate:`` line whose type is not ``relay``.

    Everything else, line endings included, is kept byte for byte.  For tests:
    aiortc has no ``iceTransportPolicy="relay"``, so stripping the other
    candidates from both descriptions forces the media path through TURN.
    Total: never raises, and does not validate the rest of the SDP.
    """
    kept = []
    for line in sdp.split("\n"):
        text = line.removesuffix("\r")
        if text.startswith("a=candidate:"):
            tokens = text.split(" ")
            if len(tokens) < 8 or tokens[6] != "typ" or tokens[7] != "relay":
                continue
        kept.append(line)
    return "\n".join(kept)
