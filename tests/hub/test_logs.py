"""Logs are JSON lines that say which request, socket and user they are about, keep the
``extra`` fields, and never carry personal data (protocol §16)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from chat.actions import CommentPoster
from chat.posting import NewComment
from hub.logs import JsonFormatter, RequestId, TextFormatter, bind_log
from hub.principal import Principal
from tests.support.server import RunningHub, connect
from tests.support.world import World

NIK = "3271012345678901"
PHONES = ("081234567890", "+6281234567890", "0812-3456-7890", "+62 812 3456 7890")
ADDRESS = "Jl. Pajajaran No. 7, Bogor"


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@pytest.fixture
def json_logs() -> Iterator[Captured]:
    """Every log line of the process while the test runs, as ``asinan-hub serve`` writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def record(msg: str, *args: object, **extra: Any) -> logging.LogRecord:
    rec = logging.LogRecord("hub.test", logging.INFO, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_a_line_keeps_its_extra_fields_and_names_what_it_is_about() -> None:
    bind_log(request_id="req-1", socket_id="sock-1", user_id=42)
    try:
        line = json.loads(JsonFormatter().format(record("joined %s", "x", ticket_id=7, n=[1, 2])))
    finally:
        bind_log(request_id=None, socket_id=None, user_id=None)
    assert line["msg"] == "joined x" and line["level"] == "INFO" and line["logger"] == "hub.test"
    assert line["request_id"] == "req-1" and line["socket_id"] == "sock-1"
    assert line["user_id"] == 42
    assert line["ticket_id"] == 7 and line["n"] == [1, 2]
    # nothing bound: the ids are left out, not null
    bare = json.loads(JsonFormatter().format(record("plain")))
    assert not {"request_id", "socket_id", "user_id"} & bare.keys()


def test_personal_data_is_redacted_from_message_and_extra_fields() -> None:
    rec = record(
        "citizen %s called from %s",
        NIK,
        PHONES[2],
        nik=NIK,
        phone=PHONES[0],
        address=ADDRESS,
        note=f"ring {PHONES[3]} or {PHONES[1]}",
    )
    for formatter in (JsonFormatter(), TextFormatter()):
        out = formatter.format(rec)
        assert NIK not in out and ADDRESS not in out
        assert not any(p in out for p in PHONES), out
        assert "citizen" in out and "called from" in out
    line = json.loads(JsonFormatter().format(rec))
    assert line["nik"] == line["phone"] == line["address"] == "[redacted]"
    assert line["note"].startswith("ring ")


async def test_a_request_gets_an_id_in_its_log_lines_and_its_response(
    json_logs: Captured,
) -> None:
    async def route(request: Request) -> JSONResponse:
        logging.getLogger("hub.test").info("handled", extra={"ticket_id": 5})
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/x", route)], middleware=[Middleware(RequestId)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        given = await http.get("/x", headers={"X-Request-ID": "edge-abc.123"})
        made = await http.get("/x")
        odd = await http.get("/x", headers={"X-Request-ID": 'no spaces or "quotes"'})
    assert given.headers["x-request-id"] == "edge-abc.123"
    assert len(made.headers["x-request-id"]) == 16
    assert odd.headers["x-request-id"] not in ("", 'no spaces or "quotes"')
    handled = [line for line in json_logs.lines() if line["msg"] == "handled"]
    ids = [line["request_id"] for line in handled]
    assert ids == [r.headers["x-request-id"] for r in (given, made, odd)]
    assert all(line["ticket_id"] == 5 for line in handled)


async def test_the_hub_answers_with_the_request_id(live: RunningHub) -> None:
    async with live.http() as http:
        response = await http.get("/healthz", headers={"X-Request-ID": "lb-42"})
    assert response.headers["x-request-id"] == "lb-42"


@pytest.mark.uncontracted  # an ad-hoc `whoami` event, installed by the test
async def test_a_failed_event_names_its_socket_and_user_but_no_personal_data(
    live: RunningHub, live_world: World, json_logs: Captured, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def careless_send(self: CommentPoster, comment: NewComment) -> Any:
        # a bug that puts what the citizen typed into a log line and an exception
        logging.getLogger("chat.test").warning(
            "storing %r", comment.body, extra={"nik": NIK, "alamat": ADDRESS, "body": comment.body}
        )
        raise RuntimeError(f"could not store {comment.body!r}")

    async def whoami(sid: str, p: Principal, data: Any) -> dict[str, Any]:
        logging.getLogger("hub.test").info("asked", extra={"ticket_id": 9})
        return {}

    monkeypatch.setattr(CommentPoster, "send", careless_send)
    monkeypatch.setattr(live.sio.namespace_handlers["/tickets"], "on_whoami", whoami, raising=False)
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        body = f"NIK saya {NIK}, HP {PHONES[0]} / {PHONES[2]} / {PHONES[3]}"
        ack = await citizen.call("send", {"ticket_id": tid, "client_id": "c-logs-1", "body": body})
        assert ack["error"]["code"] == "unavailable"
        assert (await citizen.call("whoami", {}))["ok"]
        sid = citizen.sio.get_sid("/tickets")
    finally:
        await citizen.close()
    out = json_logs.text
    assert NIK not in out and ADDRESS not in out, out
    assert not any(p in out for p in PHONES), out
    lines = json_logs.lines()  # every line is one JSON object
    failed = next(line for line in lines if line["msg"] == "event send on /tickets failed")
    assert failed["socket_id"] == sid and failed["user_id"] == live_world.users["citizen"]
    assert "RuntimeError" in failed["exc"]
    asked = next(line for line in lines if line["msg"] == "asked")
    assert asked["socket_id"] == sid and asked["user_id"] == live_world.users["citizen"]
    assert asked["ticket_id"] == 9
