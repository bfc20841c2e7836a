"""Attachments: photo or PDF, checked by content, stored outside the database, served safely."""

from __future__ import annotations

import pytest

from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


async def test_photo_and_pdf_attach_to_a_comment(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    async with live.http(live_world.tokens["citizen"]) as http:
        photo = (
            await http.post(f"/api/tickets/{tid}/attachments?name=kk.jpg", content=JPEG)
        ).json()
        doc = (
            await http.post(f"/api/tickets/{tid}/attachments?name=../../etc/passwd", content=PDF)
        ).json()
    assert photo["attachment"]["type"] == "image/jpeg"
    assert doc["attachment"]["type"] == "application/pdf"
    assert doc["attachment"]["name"] == "passwd.pdf"
    stored = list(live.settings.attachments_dir.iterdir())
    assert {p.read_bytes() for p in stored} == {JPEG, PDF}
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        ack = await citizen.call(
            "send",
            {
                "ticket_id": tid,
                "client_id": "with-files",
                "body": "",
                "attachments": [photo["attachment"]["id"], doc["attachment"]["id"]],
            },
        )
        assert ack["ok"], ack
        names = [a["name"] for a in ack["event"]["payload"]["attachments"]]
        assert names == ["kk.jpg", "passwd.pdf"]
        # an attachment cannot be claimed twice
        again = await citizen.call(
            "send",
            {
                "ticket_id": tid,
                "client_id": "reuse-file",
                "body": "x",
                "attachments": [photo["attachment"]["id"]],
            },
        )
        assert again["error"]["code"] == "invalid"
    finally:
        await citizen.close()
    async with live.http(live_world.tokens["fo"]) as http:
        img = await http.get(photo["attachment"]["url"])
        pdf = await http.get(doc["attachment"]["url"])
    assert img.status_code == 200 and img.content == JPEG
    assert img.headers["content-type"] == "image/jpeg"
    assert img.headers["x-content-type-options"] == "nosniff"
    assert pdf.content == PDF
    assert pdf.headers["content-disposition"].startswith("attachment;")


async def test_wrong_type_and_oversize_are_refused(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    async with live.http(live_world.tokens["citizen"]) as http:
        html = await http.post(
            f"/api/tickets/{tid}/attachments?name=x.jpg", content=b"<html><script>"
        )
        assert html.status_code == 422 and html.json()["error"]["code"] == "invalid"
        big = await http.post(
            f"/api/tickets/{tid}/attachments?name=big.pdf",
            content=b"%PDF-" + b"0" * (10 * 1024 * 1024),
        )
        assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    assert not live.settings.attachments_dir.exists() or not any(
        live.settings.attachments_dir.iterdir()
    )
