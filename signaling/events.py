"""What the ``/calls`` namespace accepts and what it publishes, as strict schemas.

Inbound models (``*In``) are where untrusted JSON stops; the SDP and ICE objects
are strict shapes here (unknown fields inside them are ``invalid`` too), and their
content is validated by :mod:`signaling.sdp`, so a malformed description is
``invalid`` with the field named. Outbound models
(``*Out``) are the only shapes the service emits; tests check live events
against them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from hub.contract import ClientEvent, Empty, NamespaceContract, Wire
from hub.schemas import Id, Int, Payload
from signaling.sdp import MAX_MLINE_INDEX

CALLS_NS = "/calls"
CALL_ID = r"^[A-Za-z0-9_-]{16,32}$"

MediaName = Literal["audio", "video"]
OutcomeName = Literal["completed", "missed", "declined", "busy", "cancelled", "failed"]
StatusName = Literal["ringing", "active", "ended"]
PartyName = Literal["caller", "callee"]


# ── client → server ────────────────────────────────────────────────────────────


class InviteIn(Payload):
    ticket_id: Id
    media: MediaName = "audio"


class CallIn(Payload):
    """``accept``, ``decline``, ``cancel``, ``hangup``, ``rejoin``, ``ice_servers``."""

    call_id: str = Field(pattern=CALL_ID)


class DescriptionIn(Payload):
    """``RTCSessionDescriptionInit``; :func:`signaling.sdp.parse_description` checks both."""

    type: str
    sdp: str

    def wire(self) -> dict[str, str]:
        return {"type": self.type, "sdp": self.sdp}


class CandidateIn(Payload):
    """``RTCIceCandidateInit`` (what ``RTCIceCandidate.toJSON()`` gives);
    :func:`signaling.sdp.parse_candidate` checks the line. ``usernameFragment`` is
    accepted and not relayed (the SDP carries the ufrag)."""

    candidate: str
    sdp_mid: str | None = Field(default=None, alias="sdpMid")
    sdp_mline_index: Int | None = Field(
        default=None, alias="sdpMLineIndex", ge=0, le=MAX_MLINE_INDEX
    )
    username_fragment: str | None = Field(default=None, alias="usernameFragment")

    def wire(self) -> dict[str, object]:
        return {
            "candidate": self.candidate,
            "sdpMid": self.sdp_mid,
            "sdpMLineIndex": self.sdp_mline_index,
        }


class OfferIn(Payload):
    call_id: str = Field(pattern=CALL_ID)
    description: DescriptionIn


class AnswerIn(Payload):
    call_id: str = Field(pattern=CALL_ID)
    description: DescriptionIn


class IceIn(Payload):
    call_id: str = Field(pattern=CALL_ID)
    # null (or an empty candidate string) is end-of-candidates, relayed as null.
    candidate: CandidateIn | None


class EchoOfferIn(Payload):
    description: DescriptionIn


class HistoryQuery(Payload):
    """At most one of ``office_id`` and ``ticket_id`` (a ticket names its office)."""

    office_id: Id | None = None
    ticket_id: Id | None = None
    limit: Int = Field(default=50, ge=1, le=200)

    @model_validator(mode="after")
    def _one_scope(self) -> HistoryQuery:
        if self.office_id is not None and self.ticket_id is not None:
            raise ValueError("give office_id or ticket_id, not both")
        return self


# ── server → client ────────────────────────────────────────────────────────────


class TicketRef(Payload):
    id: int
    number: str


class CallerRef(Payload):
    id: int
    name: str
    office_id: int
    office_name: str
    #: The caller's role (``front_office``, ``staff``, ``approver``), so the callee
    #: knows who calls; in ``ringing``.
    role: str | None = None


class RingingOut(Payload):
    """To every device of the callee (their personal room)."""

    call_id: str
    ticket: TicketRef
    caller: CallerRef
    media: MediaName
    ring_deadline: str


class RingStoppedOut(Payload):
    """To every device of the callee: stop ringing (``answered`` elsewhere or the call is over)."""

    call_id: str
    reason: Literal["answered", "declined", "cancelled", "timeout", "failed"]


class CallOnlyOut(Payload):
    """``accepted`` and ``declined`` (to the caller's socket)."""

    call_id: str


class DescriptionOut(Payload):
    """``offer`` (to the callee's accepting socket) and ``answer`` (to the caller's socket)."""

    call_id: str
    description: dict[str, str]


class IceOut(Payload):
    call_id: str
    candidate: dict[str, str | int | None] | None


class EndedOut(Payload):
    call_id: str
    outcome: OutcomeName
    duration: float


class MissedCallOut(Payload):
    """To every device of the callee after an unanswered call."""

    call_id: str
    ticket: TicketRef
    caller: CallerRef
    media: MediaName
    at: str


class PeerOut(Payload):
    """``peer_lost`` / ``peer_rejoined``: the other party's connection dropped or came back."""

    call_id: str
    party: PartyName


# ── acks ────────────────────────────────────────────────────────────────────────


class IceServer(Wire):
    """A browser ``RTCIceServer``: STUN (urls only) or TURN (with credentials)."""

    urls: list[str]
    username: str | None = None
    credential: str | None = None


class PlacedAck(Wire):
    """``invite`` and ``accept``."""

    call_id: str
    status: StatusName
    outcome: OutcomeName | None
    media: MediaName
    ring_deadline: str
    ice_servers: list[IceServer]


class OutcomeAck(Wire):
    """``decline`` and ``cancel``."""

    call_id: str
    outcome: OutcomeName


class HangupAck(Wire):
    call_id: str
    outcome: OutcomeName | None
    duration: float


class RejoinAck(Wire):
    call_id: str
    party: PartyName
    media: MediaName


class IceServersAck(Wire):
    ice_servers: list[IceServer]


class EchoAck(Wire):
    description: dict[str, str]


def _call(ack: type[Wire], summary: str) -> ClientEvent:
    return ClientEvent(CallIn, ack, summary)


CONTRACT = NamespaceContract(
    CALLS_NS,
    "Officer → applicant voice/video calls: ringing, answer, SDP/ICE relay, hang-up.",
    client={
        "invite": ClientEvent(InviteIn, PlacedAck, "Call a ticket's applicant (officers)."),
        "accept": _call(PlacedAck, "Answer a ringing call (first device wins)."),
        "decline": _call(OutcomeAck, "Refuse a ringing call."),
        "cancel": _call(OutcomeAck, "Stop ringing (the caller's device)."),
        "hangup": _call(HangupAck, "End the call (either party's device)."),
        "offer": ClientEvent(OfferIn, Empty, "SDP offer to the callee's device."),
        "answer": ClientEvent(AnswerIn, Empty, "SDP answer to the caller's device."),
        "ice": ClientEvent(IceIn, Empty, "An ICE candidate (null: end of candidates)."),
        "rejoin": _call(RejoinAck, "Continue a call from a new socket (lost party)."),
        "ice_servers": _call(IceServersAck, "Fresh TURN credentials (rate limited)."),
        "echo_offer": ClientEvent(EchoOfferIn, EchoAck, "Start the device and network check."),
    },
    server={
        "ringing": RingingOut,
        "ring_stopped": RingStoppedOut,
        "accepted": CallOnlyOut,
        "declined": CallOnlyOut,
        "offer": DescriptionOut,
        "answer": DescriptionOut,
        "ice": IceOut,
        "ended": EndedOut,
        "missed_call": MissedCallOut,
        "peer_lost": PeerOut,
        "peer_rejoined": PeerOut,
    },
)
