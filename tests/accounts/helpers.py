"""Steps of the account stories, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from hub.context import Hub
from hub.models import Office
from tests.accounts.gateway import Gateway

PASSWORD = "kata-sandi-baru-1"


async def office_id(hub: Hub, code: str = "BGR-BT-02") -> int:
    async with hub.reader() as session:
        found = await session.scalar(select(Office.id).where(Office.code == code))
    assert found is not None
    return found


async def ask_code(
    http: httpx.AsyncClient, phone: str, purpose: str = "register"
) -> httpx.Response:
    return await http.post("/api/accounts/code", json={"phone": phone, "purpose": purpose})


async def register(
    http: httpx.AsyncClient,
    gateway: Gateway,
    hub: Hub,
    phone: str,
    normalized: str,
    **fields: Any,
) -> httpx.Response:
    """Ask a code for ``phone``, read it at the gateway, register with it."""
    asked = await ask_code(http, phone)
    assert asked.status_code == 200, asked.text
    code = await gateway.code_for(normalized)
    body = {
        "phone": phone,
        "code": code,
        "password": PASSWORD,
        "full_name": "Siti Aminah",
        "residence_office_id": await office_id(hub),
        **fields,
    }
    return await http.post("/api/accounts/register", json=body)


async def login(http: httpx.AsyncClient, login_: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/api/auth/login", json={"login": login_, "password": password})
