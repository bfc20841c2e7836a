"""Use cases of letters, each owning its transaction (the shape of ``hub/queues/actions.py``).

Routes parse and call one of these; slow work (the access-code check, the PDF) runs off
the event loop and before any write transaction.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from hub.accounts.nik import NikVault
from hub.context import Hub
from hub.errors import Invalid, NotFound
from hub.letters import office_settings, pickup, service
from hub.letters.document import printable
from hub.letters.pdf import render_letter
from hub.letters.verify import VERIFY_LOOKUPS, PublicLetter, public_letter
from hub.policy import check_administer
from hub.principal import Principal
from hub.ratelimit import RECEIPT_FAILURES
from hub.tickets.views import view as ticket_view


@dataclass(frozen=True)
class Pdf:
    body: bytes
    filename: str


async def letter(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    async with hub.reader() as session:
        return await pickup.pickup_info(session, p, ticket_id)


async def pdf(hub: Hub, p: Principal, ticket_id: int, verify_base: str) -> Pdf:
    """The letter as a PDF (regenerated from what was fixed at issue), off the loop."""
    async with hub.reader() as session:
        t, issued = await service.ticket_and_letter(session, p, ticket_id)
        service.check_download(p, t, issued)
    nik = None
    if issued.applicant_nik_cipher:
        try:
            config = hub.settings.accounts
            vault = NikVault(config.nik_encryption_key, config.nik_hash_key)
            nik = vault.decrypt(issued.applicant_nik_cipher)
        except ValueError:
            nik = None  # another key: the letter prints without it
    doc = printable(issued, service.issued_on(issued), nik, f"{verify_base}/{issued.verify_code}")
    return Pdf(await asyncio.to_thread(render_letter, doc), f"surat-{t.number}.pdf")


async def revoke(hub: Hub, p: Principal, ticket_id: int, reason: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        revoked = await service.revoke_letter(unit, p, ticket_id, reason)
        t, _ = await service.ticket_and_letter(unit.session, p, ticket_id)
        return service.letter_view(t, revoked, p)


async def receive(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    async with hub.unit() as unit:
        received = await pickup.receive_electronically(unit, p, ticket_id)
        t, _ = await service.ticket_and_letter(unit.session, p, ticket_id)
        return {
            "letter": service.letter_view(t, received, p),
            "ticket": await ticket_view(unit.session, p, t),
        }


async def hand_over(
    hub: Hub,
    p: Principal,
    ticket_id: int,
    version: int,
    *,
    access_code: str | None,
    scanned: str | None,
    id_checked: bool,
    collector: str | None,
) -> dict[str, Any]:
    """The counter hands the letter over once the applicant proved it is theirs: the
    access code (checked in the password pool, failures rate limited per ticket) or the
    receipt's QR with the ID card seen."""
    if (access_code is None) == (scanned is None):
        raise Invalid("access_code_or_qr_required")
    async with hub.reader() as session:
        check = await pickup.check_counter(session, p, ticket_id)
        if scanned is not None:
            await pickup.check_scan(session, p, ticket_id, scanned)
    if scanned is not None and not id_checked:
        raise Invalid("id_card_check_required", field="id_checked")
    if access_code is not None:
        key = f"pickup:t:{ticket_id}"
        await hub.limiter.hit(key, RECEIPT_FAILURES)  # kept on a wrong code
        if not await hub.passwords.verify(check.code_hash, access_code.strip().upper()):
            raise Invalid("access_code_wrong", field="access_code")
        await hub.limiter.refund(key, RECEIPT_FAILURES)
    method = "access_code" if access_code is not None else "qr"
    async with hub.unit() as unit:
        t, handed = await pickup.hand_over(unit, p, ticket_id, version, method, collector)
        view = service.letter_view(t, handed, p)
        return {
            "ticket": await ticket_view(unit.session, p, t),
            "letter": view,
            "receipt_url": view["pickup_receipt_url"],
        }


async def lookup(hub: Hub, p: Principal, text: str) -> dict[str, Any]:
    if not p.is_officer:
        raise NotFound("ticket_not_found")
    async with hub.reader() as session:
        t = await pickup.resolve_scan(session, p, text)
    return {"ticket_id": t.id, "number": t.number}


async def settings(hub: Hub, p: Principal, office_id: int) -> dict[str, Any]:
    check_administer(p)
    async with hub.reader() as session:
        return await office_settings.settings_view(session, office_id, hub.clock.now())


async def update_settings(
    hub: Hub,
    p: Principal,
    office_id: int,
    number_template: str | None,
    electronic_delivery: bool | None,
) -> dict[str, Any]:
    check_administer(p)
    async with hub.unit() as unit:
        return await office_settings.update_settings(
            unit, p, office_id,
            number_template=number_template, electronic_delivery=electronic_delivery,
        )  # fmt: skip


async def verify(hub: Hub, address: str, code: str) -> PublicLetter:
    """The public check of a letter: rate limited per address, no personal data."""
    await hub.limiter.hit(f"verify:ip:{address}", VERIFY_LOOKUPS)
    async with hub.reader() as session:
        return await public_letter(session, code)


async def pickup_receipt(hub: Hub, p: Principal, ticket_id: int) -> tuple[str, Any]:
    """The ticket number and the handed-over letter, for the applicant or the office."""
    async with hub.reader() as session:
        t, handed = await service.ticket_and_letter(session, p, ticket_id)
    if not (service.is_applicant(p, t) or service.is_office_officer(p, t)):
        raise NotFound()
    if handed.handed_over_at is None:
        raise NotFound("handover_not_found")
    return t.number, handed
