"""Accounts in Chromium: a citizen registers on a phone-sized page with the code from the
loopback SMS gateway, logs in and submits a request; an admin creates an officer, who
logs in; deactivating that officer closes their open console within 2 s."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from hub.models import Ticket, User
from tests.accounts.gateway import Gateway, run_gateway
from tests.support.server import RunningHub, make_settings, run_hub
from tests.support.world import PASSWORD
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe
from tests.web.test_console_and_citizen import small_png

pytestmark = pytest.mark.browser


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    async with run_gateway("sms") as running:
        yield running


@pytest.fixture
async def live(db_url: str, tmp_path: Path, gateway: Gateway) -> AsyncIterator[RunningHub]:
    """The hub of these pages delivers its codes to the loopback SMS gateway."""
    settings = make_settings(db_url, tmp_path / "var", **gateway.env())
    async with run_hub(settings) as running:
        yield running


async def no_sideways_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"


async def test_a_citizen_registers_on_a_phone_logs_in_and_submits_a_request(
    pages: Pages, gateway: Gateway, axe_script: Path
) -> None:
    ctx = await pages.context(phone=True)
    page = await ctx.new_page()
    page.on("console", pages._console)
    await page.goto("/")
    await page.locator("#register-link").click()
    await page.wait_for_url("**/register")
    await page.locator("#reg-kelurahan optgroup").first.wait_for(state="attached")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)

    await page.fill("#reg-phone", "0812 3456 7001")
    await page.click("#form-phone button[type=submit]")
    code = await gateway.code_for("6281234567001")
    await page.locator("#step-details").wait_for()
    assert await page.locator("#resend").is_disabled()  # 60 s before another code
    await page.fill("#reg-code", code)
    await page.fill("#reg-name", "Siti Aminah")
    await page.select_option("#reg-kelurahan", label="Baranangsiang")
    await page.fill("#reg-nik", "3271024508950003")
    await page.fill("#reg-password", "kata-sandi-siti-1")
    await no_sideways_scroll(page)
    await pages.screenshot(page, "register-phone")
    await page.click("#form-details button[type=submit]")
    await page.locator("#step-done").wait_for()
    await page.click("#go-login")
    await page.wait_for_url(re.compile(r"/\?phone="))
    assert await page.input_value("#citizen-phone") == "0812 3456 7001"
    await page.fill("#citizen-password", "kata-sandi-siti-1")
    await page.click("#form-citizen button[type=submit]")
    await page.locator("#my-tickets").wait_for()
    await page.locator("#new-service option[value=SKTM]").wait_for(state="attached")
    await page.select_option("#new-service", "SKTM")
    await page.select_option("#new-office", label="Kelurahan Baranangsiang")
    # the request is made on /ajukan: its documents and form, then sent
    async with page.expect_navigation(url=re.compile(r"/ajukan\?")):
        await page.click("#form-new button[type=submit]")
    await page.locator("#s-docs:not([hidden])").wait_for()
    photo = {"name": "dok.png", "mimeType": "image/png", "buffer": small_png()}
    for doc in ("PENGANTAR_RT_RW", "KTP", "KK"):
        await page.set_input_files(f"#doc-{doc}", files=[photo])
        await page.locator(f"#f-docs li[data-code={doc}][data-has-file='1']").wait_for()
    for field, value in (("KEPERLUAN", "Beasiswa sekolah"), ("PEKERJAAN", "Buruh"),
                         ("PENGHASILAN", "1500000"), ("TANGGUNGAN", "3")):  # fmt: skip
        await page.fill(f"#ff-{field}", value)
    await page.locator("#f-missing", has_text="Lengkap").wait_for()
    async with page.expect_navigation(url=re.compile(r"/t/\d+$")):
        await page.click("#f-submit")
    await page.wait_for_selector("#timeline li[data-kind=created]")
    await no_sideways_scroll(page)
    async with pages.live.hub.reader() as session:
        user = await session.scalar(select(User).where(User.phone == "6281234567001"))
        assert user is not None and user.full_name == "Siti Aminah"
        ticket = await session.scalar(select(Ticket).where(Ticket.applicant_id == user.id))
        assert ticket is not None
    # the login page asks /api/me before anyone is signed in: that 401 is expected
    assert [e for e in pages.console_errors if "status of 401" not in e] == []


async def test_an_admin_creates_an_officer_then_deactivating_closes_their_console(
    pages: Pages, axe_script: Path
) -> None:
    admin = await pages.signed_in("admin", "/admin")
    await admin.locator("#officers-body tr[data-username='fo.a']").wait_for()
    violations = await axe_violations(admin, axe_script)
    assert violations == [], describe(violations)
    await admin.click("#new-officer summary")
    await admin.fill("#new-username", "fo.baru")
    await admin.fill("#new-fullname", "Petugas Baru")
    await admin.select_option("#new-role", "front_office")
    await admin.select_option("#new-office", str(pages.world.offices["kel_a"]))
    await admin.click("#form-officer button[type=submit]")
    status = admin.locator("#admin-status", has_text="fo.baru")
    await status.wait_for()
    text = await status.text_content()
    assert text is not None
    found = re.search(r"fo\.baru: (\S+)", text)
    assert found, text
    password = found.group(1)
    await admin.locator("#officers-body tr[data-username='fo.baru']").wait_for()
    await pages.screenshot(admin, "admin-officers")

    ctx = await pages.context()
    console = await ctx.new_page()
    await console.goto("/?next=/officer")
    await console.fill("#officer-login", "fo.baru")
    await console.fill("#officer-password", password)
    async with console.expect_navigation(url=lambda u: u.endswith("/officer")):
        await console.click("#form-officer button[type=submit]")
    await console.wait_for_function(
        "() => window.hub && window.hub.tickets && window.hub.tickets.connected"
    )
    assert await console.locator("#offline-banner").is_hidden()

    admin.on("dialog", lambda dialog: dialog.accept())
    row = admin.locator("#officers-body tr[data-username='fo.baru']")
    started = time.monotonic()
    await row.get_by_role("button", name="Nonaktifkan").click()
    await console.wait_for_function("() => !window.hub.tickets.connected", timeout=2000)
    await console.locator("#offline-banner").wait_for(timeout=2000)
    assert time.monotonic() - started < 2.5
    await admin.locator("#officers-body tr.inactive[data-username='fo.baru']").wait_for()
    # reloading the console: the session is gone, back to the login page
    await console.reload()
    await console.wait_for_url(re.compile(r"/\?next="))


async def test_admin_edits_an_office_and_a_service(pages: Pages) -> None:
    admin = await pages.signed_in("admin", "/admin")
    await admin.click("#tab-offices")
    row = admin.locator("#offices-body tr[data-code='BGR-BT-01']")
    await row.get_by_role("button", name="Ubah").click()
    await admin.fill("#office-address", "Jl. Sukasari No. 1")
    await admin.check("#closed-fri")
    await admin.click("#form-edit-office button[type=submit]")
    await row.locator("td", has_text="Jl. Sukasari No. 1").wait_for()
    await admin.click("#tab-services")
    service = admin.locator("#services-body tr[data-code='SKTM']")
    await service.get_by_role("button", name="Ubah").click()
    await admin.fill("#service-standard", "2")
    await admin.click("#add-req")
    new_row = admin.locator("#service-reqs tr").last
    await new_row.locator(".req-code").fill("FOTO_RUMAH")
    await new_row.locator(".req-name").fill("Foto rumah")
    await new_row.locator(".req-name-en").fill("Photo of the house")
    await admin.click("#form-edit-service button[type=submit]")
    await service.locator("td", has_text="Foto rumah").wait_for()
    await service.locator("td", has_text="2 hari kerja").wait_for()
    await admin.click("#tab-audit")
    await admin.locator("#audit-body tr", has_text="service.requirements").wait_for()
    await pages.screenshot(admin, "admin-audit")


async def test_a_citizen_resets_a_forgotten_password_on_a_phone(
    pages: Pages, gateway: Gateway, axe_script: Path
) -> None:
    ctx = await pages.context(phone=True)
    page = await ctx.new_page()
    await page.goto("/")
    await page.locator("#reset-link").click()
    await page.wait_for_url("**/reset")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    await page.fill("#reset-phone", "0812-0000-0001")  # the world's citizen
    await page.click("#form-phone button[type=submit]")
    code = await gateway.code_for("6281200000001")
    await page.fill("#reset-code", code)
    await page.fill("#reset-password", "sandi-baru-warga-1")
    await no_sideways_scroll(page)
    await page.click("#form-details button[type=submit]")
    await page.locator("#step-done").wait_for()
    await page.click("#go-login")
    await page.fill("#citizen-password", "sandi-baru-warga-1")
    await page.click("#form-citizen button[type=submit]")
    await page.locator("#my-tickets").wait_for()


async def test_my_account_shows_masked_data_and_changes_the_password(
    pages: Pages, axe_script: Path
) -> None:
    page = await pages.signed_in("fo", "/account")
    await page.locator("#profile dd", has_text="fo.a").wait_for()
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    await page.fill("#current-password", "salah-sekali-1")
    await page.fill("#new-password", "sandi-baru-fo-1")
    await page.fill("#confirm-password", "sandi-baru-fo-1")
    await page.click("#form-password button[type=submit]")
    await page.locator("#password-error", has_text="salah").wait_for()
    await page.fill("#current-password", PASSWORD)
    await page.fill("#new-password", "sandi-baru-fo-1")
    await page.fill("#confirm-password", "sandi-baru-fo-1")
    await page.click("#form-password button[type=submit]")
    await page.locator("#password-done", has_text="1 sesi lain").wait_for()
    async with pages.live.http(pages.world.tokens["fo"]) as http:  # the other session ended
        assert (await http.get("/api/me")).status_code == 401
