"""Files and requests the intake tests share."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.server import RunningHub
from tests.support.world import World

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
TEXT = b"just some text, not a photo\n"
#: LL (Surat Keterangan Lain-lain): three documents, two fields — the smallest form
LL_DOCS = ("PENGANTAR_RT_RW", "KTP", "KK")
LL_FORM = {"PERIHAL": "Keterangan usaha", "KEPERLUAN": "Melamar kerja"}


def data(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


async def complete_draft(
    live: RunningHub, world: World, who: str = "citizen", service: str = "LL"
) -> int:
    """A draft of ``service`` at kel_a with every document uploaded and the form filled."""
    async with live.http(world.tokens[who]) as http:
        draft = data(
            await http.post(
                "/api/drafts", json={"service_code": service, "office_id": world.offices["kel_a"]}
            ),
            201,
        )["draft"]
        for doc in draft["documents"]:
            body = PDF if "pdf" in doc["accepts"] else JPEG
            r = await http.post(
                f"/api/drafts/{draft['id']}/files/{doc['code']}?name=x", content=body
            )
            data(r, 201)
        if service == "LL":
            data(await http.patch(f"/api/drafts/{draft['id']}", json={"form": LL_FORM}))
    return int(draft["id"])


async def submit_online(live: RunningHub, world: World, who: str = "citizen") -> dict[str, Any]:
    """A complete LL request submitted by ``who``: ``{ticket, access_code, receipt_url}``."""
    draft_id = await complete_draft(live, world, who)
    async with live.http(world.tokens[who]) as http:
        return data(await http.post("/api/tickets", json={"draft_id": draft_id}), 201)  # type: ignore[no-any-return]


async def transition(
    live: RunningHub, token: str, ticket_id: int, action: str, reason: str | None = None
) -> httpx.Response:
    async with live.http(token) as http:
        t = data(await http.get(f"/api/tickets/{ticket_id}"))["ticket"]
        body: dict[str, Any] = {"action": action, "version": t["version"]}
        if reason:
            body["reason"] = reason
        return await http.post(f"/api/tickets/{ticket_id}/transition", json=body)


async def check(
    live: RunningHub, token: str, ticket_id: int, code: str, state: str, reason: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"state": state}
    if reason:
        body["reason"] = reason
    async with live.http(token) as http:
        return await http.put(f"/api/tickets/{ticket_id}/documents/{code}", json=body)


async def request_view(live: RunningHub, token: str, ticket_id: int) -> dict[str, Any]:
    async with live.http(token) as http:
        return data(await http.get(f"/api/tickets/{ticket_id}/request"))  # type: ignore[no-any-return]
