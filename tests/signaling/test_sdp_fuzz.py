"""Fuzzing the SDP/ICE parsers: whatever comes in, only ``invalid`` or ``too_large`` escapes,
and what passes survives a JSON round trip."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.errors import HubError, Invalid, TooLarge
from signaling.sdp import candidate_type, parse_candidate, parse_description
from tests.signaling.sdp_samples import AIORTC_OFFER, HOST, RELAY, SRFLX

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
