"""Letters in the test world: requests waiting for approval, a signer's NIP, a NIK."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select, update

from hub.accounts.nik import NikVault
from hub.context import Hub
from hub.letters.models import Letter
from hub.models import Ticket, TicketEvent, User
from tests.support.server import RunningHub
from tests.support.world import World

NIP = "197001012000032001"
NIK = "3271014101900003"


async def awaiting_approval(
    w: World, service_code: str = "KLH", office: str = "kel_a", citizen: str = "citizen"
) -> int:
    """A low-risk online request of ``citizen`` at ``office``, verified, on the approver's desk."""
    tid = await w.new_ticket(citizen, service_code, office)
    fo = "fo" if office == "kel_a" else "fo_b"
    await w.act(fo, tid, "start_verification")
    await w.act(fo, tid, "verify")
    return tid


async def walk_in_awaiting(w: World, service_code: str = "KLH") -> tuple[int, str]:
    """A walk-in request at kel_a on the approver's desk, and its access code."""
    tid, code = await w.walk_in("kel_a", service_code)
    await w.act("fo", tid, "start_verification")
    await w.act("fo", tid, "verify")
    return tid, code


async def approved(w: World, office: str = "kel_a", **kwargs: Any) -> int:
    tid = await awaiting_approval(w, office=office, **kwargs)
    await w.act("approver" if office == "kel_a" else "approver_b", tid, "approve")
    return tid


async def give_nip(hub: Hub, user_id: int, nip: str = NIP) -> None:
    async with hub.unit() as unit:
        await unit.session.execute(update(User).where(User.id == user_id).values(nip=nip))


async def give_nik(hub: Hub, user_id: int, nik: str = NIK) -> None:
    config = hub.settings.accounts
    vault = NikVault(config.nik_encryption_key, config.nik_hash_key)
    async with hub.unit() as unit:
        await unit.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(nik_cipher=vault.encrypt(nik), nik_hash=vault.lookup_hash(nik))
        )


async def letter_of(hub: Hub, ticket_id: int) -> Letter | None:
    async with hub.reader() as session:
        return await session.scalar(select(Letter).where(Letter.ticket_id == ticket_id))


async def ticket_of(hub: Hub, ticket_id: int) -> Ticket:
    async with hub.reader() as session:
        t = await session.get(Ticket, ticket_id)
        assert t is not None
        return t


async def kinds_of(hub: Hub, ticket_id: int) -> list[str]:
    async with hub.reader() as session:
        rows = await session.scalars(
            select(TicketEvent.kind)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.seq)
        )
        return list(rows)


async def call(
    live: RunningHub, who: str | None, w: World, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    async with live.http(w.tokens[who] if who else None) as http:
        return await http.request(method, url, **kwargs)


def pdf_text(body: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)
