"""The load generator's socket.io frames round-trip (behaviour only; nothing timed)."""

from __future__ import annotations

import pytest

pytest.importorskip("orjson")  # a bench dependency (pip install -e '.[bench]')

from bench.protocol import decode, encode_ack, encode_connect, encode_event


def test_event_with_ack_id_round_trips() -> None:
    frame = decode(encode_event("/tickets", "send", {"ticket_id": 7, "body": "a|b"}, 12))
    assert (frame.eio_type, frame.sio_type, frame.namespace, frame.ack_id) == (
        "4", "2", "/tickets", 12,
    )  # fmt: skip
    assert frame.data == ["send", {"ticket_id": 7, "body": "a|b"}]


def test_ack_and_connect_round_trip() -> None:
    ack = decode(encode_ack("/tickets", 3, {"ok": True}))
    assert (ack.sio_type, ack.ack_id, ack.data) == ("3", 3, [{"ok": True}])
    connect = decode(encode_connect("/calls", {"token": "t"}))
    assert (connect.sio_type, connect.namespace, connect.data) == ("0", "/calls", {"token": "t"})


def test_server_frames_in_both_json_styles() -> None:
    # python-socketio writes "{"ok": true}", Node writes compact JSON: both decode alike
    assert decode('43/tickets,5[{"ok": true}]').data == decode('43/tickets,5[{"ok":true}]').data
    assert decode("40").namespace == "/"
    assert decode('0{"sid":"x","pingInterval":25000}').data["sid"] == "x"
    assert decode("2").eio_type == "2"
