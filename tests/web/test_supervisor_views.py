"""The supervisor's views in Chromium: the officer roster (states, open tickets, was the
officer told?), call history with outcomes, transfer between offices from the wall, and
the day's charts drawn by Chart.js — axe-clean in each state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chat import posting
from hub.models import Role
from hub.ratelimit import Rule
from hub.tickets import forwarding, views
from tests.support.server import connect
from tests.support.world import World
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser

RULE = Rule(10_000, 1000.0)
#: Whether a canvas holds any pixel that is not transparent.
DRAWN = """id => {
    const c = document.getElementById(id);
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
}"""


async def dispose(world: World, ticket_id: int, **to: Any) -> None:
    async with world.hub.unit() as unit:
        t = await views.visible_ticket(unit.session, world.principals["spv"], ticket_id)
        await forwarding.dispose(unit, world.principals["spv"], ticket_id, t.version, "cek", **to)


async def say(world: World, who: str, ticket_id: int, body: str) -> None:
    c = posting.NewComment(world.principals[who], ticket_id, f"c-{abs(hash(body))}", body)
    async with world.hub.unit() as unit:
        [result] = await posting.post_comments(unit, world.hub.limiter, [c], RULE)
    assert isinstance(result, tuple), result


async def axe_clean(page: Any, script: Path) -> None:
    violations = await axe_violations(page, script)
    assert violations == [], describe(violations)


def roster_row(page: Any, user_id: int) -> Any:
    return page.locator(f"#roster-list tr[data-officer-id='{user_id}']")


async def test_roster_delivery_record_and_call_history(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    fo, staff = w.users["fo"], w.users["staff"]
    mine = await w.new_ticket()
    other = await w.new_ticket()
    officer = await pages.signed_in("fo", "/officer")  # the front office is online
    await officer.wait_for_selector(f"#queue-list li[data-ticket-id='{mine}']")
    # both reach fo's open inbox, live
    await dispose(w, mine, to_user_id=fo)
    await say(w, "citizen", mine, "Pak, sudah diterima?")
    # on the kasi's desk (high risk, verified): forwarded there, but the kasi is not here
    await w.act("fo", other, "start_verification")
    await w.act("fo", other, "verify")
    await dispose(w, other, to_role=Role.staff)  # nobody to tell

    wall = await pages.signed_in("spv", "/supervisor#officers")
    await wall.wait_for_selector("#view-officers:not([hidden])")
    assert await wall.get_attribute(".views a[data-view=officers]", "aria-current") == "page"
    await roster_row(wall, fo).locator("[data-ticket-id]").first.wait_for()
    assert await roster_row(wall, fo).get_attribute("data-state") == "idle"
    assert await roster_row(wall, staff).get_attribute("data-state") == "offline"
    chips = await roster_row(wall, fo).locator(".chips li").all_inner_texts()
    assert len(chips) == 1 and chips[0].startswith("A-001")
    await roster_row(wall, fo).locator(".told", has_text="2 hari ini, semua sampai").wait_for()
    await roster_row(wall, staff).locator(".told", has_text="1 dari 1 belum sampai").wait_for()

    # in a call while it rings; the roster follows live
    caller = await connect(pages.live.url, w.tokens["fo"], ("/calls",))
    try:
        ack = await caller.call("invite", {"ticket_id": other, "media": "audio"}, "/calls")
        assert ack["ok"], ack
        await wall.wait_for_selector(f"#roster-list tr[data-officer-id='{fo}'][data-state=in_call]")
        assert await roster_row(wall, fo).locator(".state").inner_text() == "Dalam panggilan"
        await pages.screenshot(wall, "supervisor-roster")
        await axe_clean(wall, axe_script)
        assert (await caller.call("cancel", {"call_id": ack["call_id"]}, "/calls"))["ok"]
    finally:
        await caller.close()
    await wall.wait_for_selector(f"#roster-list tr[data-officer-id='{fo}'][data-state=idle]")

    # the kasi's record: the disposition never reached them
    await roster_row(wall, staff).locator("button").click()
    dialog = wall.locator("#delivery")
    await dialog.wait_for(state="visible")
    record = wall.locator("#delivery-list tr")
    await record.first.wait_for()
    assert await record.count() == 1
    assert await record.first.get_attribute("data-reached") == "false"
    cells = await record.first.locator("td").all_inner_texts()
    assert cells[0] == "Disposisi" and cells[3:] == ["belum", "belum", "belum", "belum sampai"]
    await pages.screenshot(wall, "supervisor-delivery-record")
    await axe_clean(wall, axe_script)
    await wall.keyboard.press("Escape")
    await dialog.wait_for(state="hidden")
    assert await wall.evaluate("document.activeElement.dataset.officerId") == str(staff)

    # the call history, with the cancelled call; narrowed to an office
    await wall.click(".views a[data-view=calls]")
    row = wall.locator("#calls-list tr").first
    await row.wait_for()
    assert await row.get_attribute("data-outcome") == "cancelled"
    texts = await row.locator("td").all_inner_texts()
    assert texts[3] == "Uji fo" and texts[4] == "Suara" and texts[5] == "dibatalkan"
    await wall.select_option("#calls-office", str(w.offices["kel_b"]))
    await wall.wait_for_selector("#calls-empty:not([hidden])")
    await wall.select_option("#calls-office", str(w.offices["kel_a"]))
    await wall.wait_for_selector("#calls-list tr[data-outcome=cancelled]")
    await pages.screenshot(wall, "supervisor-calls")
    await axe_clean(wall, axe_script)

    # English, and the address names the view
    await wall.click("#lang-toggle")
    await wall.locator("#h-calls", has_text="Call history").wait_for()
    await wall.locator("#calls-list td", has_text="cancelled").wait_for()
    await axe_clean(wall, axe_script)
    await wall.click("#lang-toggle")
    assert wall.url.endswith("#calls")


async def test_charts_of_the_day_follow_the_wall(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    for _ in range(3):
        await w.new_ticket()
    decided = await w.new_ticket(service_code="KLH")
    await w.act("fo", decided, "start_verification")
    await w.act("fo", decided, "verify")
    await w.act("approver", decided, "approve")
    wall = await pages.signed_in("spv", "/supervisor#charts")
    await wall.wait_for_selector("#view-charts:not([hidden])")
    await wall.wait_for_function("() => window.hub.views.charts.waiting !== null")
    series = await wall.evaluate("window.hub.views.charts.series")
    assert series["waiting"][-1] == 3 and series["breached"][-1] == 0
    assert series["labels"][0] == "00:00" and len(series["labels"]) == len(series["waiting"])
    # Chart.js drew on both canvases (pixels that are not blank)
    for canvas in ("chart-waiting", "chart-breaches"):
        drawn = await wall.evaluate(DRAWN, canvas)
        assert drawn, canvas
    # live: one more waiting ticket moves the last point
    await w.new_ticket()
    await wall.wait_for_function("() => window.hub.views.charts.series.waiting.at(-1) === 4")
    last = wall.locator("#chart-data-rows tr").last
    await wall.locator("details.chart-data summary").click()
    assert (await last.locator("td").all_inner_texts())[0] == "4"
    label = await wall.get_attribute("#chart-waiting", "aria-label")
    assert label is not None and label.startswith("Tiket menunggu sepanjang hari: 4")
    await pages.screenshot(wall, "supervisor-charts")
    await axe_clean(wall, axe_script)
    # the wall's number is the chart's last point
    await wall.click(".views a[data-view=wall]")
    waiting = wall.locator("#wall-totals [data-tile=waiting] .num")
    assert await waiting.inner_text() == "4"


async def test_transfer_between_offices_from_the_wall(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    ticket_id = await w.new_ticket(office="kel_a")  # SKTM: issued by a kelurahan
    receiver = await pages.signed_in("fo_b", "/officer")
    wall = await pages.signed_in("spv", "/supervisor")
    row = wall.locator(f"#waiting-list tr[data-ticket-id='{ticket_id}']")
    await row.wait_for()
    await row.locator("button[data-transfer-id]").focus()
    await wall.keyboard.press("Enter")
    dialog = wall.locator("#transfer")
    await dialog.wait_for(state="visible")
    assert await wall.evaluate("document.activeElement.id") == "transfer-to"
    # only the kecamatan's other kelurahan: not its own, not the kecamatan, not elsewhere
    options = await wall.eval_on_selector_all(
        "#transfer-to option", "os => os.map(o => Number(o.value))"
    )
    assert w.offices["kel_b"] in options and len(options) == 5  # Bogor Timur has 6 kelurahan
    for never in ("kel_a", "kec", "kel_other", "kota"):
        assert w.offices[never] not in options, never
    assert "kelurahan" in await wall.inner_text("#transfer-rule")
    await wall.select_option("#transfer-to", str(w.offices["kel_b"]))
    await wall.fill("#transfer-note", "Salah kelurahan, pemohon tinggal di kel. B")
    await pages.screenshot(wall, "supervisor-transfer-dialog")
    await axe_clean(wall, axe_script)

    # someone moves the ticket on first: a stale version, said in words; then it goes
    await w.act("fo", ticket_id, "start_verification")
    await row.filter(has=wall.locator("td", has_text="Sedang diverifikasi")).wait_for()
    await wall.click("#transfer-send")
    await wall.locator("#transfer-error", has_text="Tiket sudah diubah orang lain").wait_for()
    await wall.click("#transfer-send")
    await dialog.wait_for(state="hidden")
    await wall.locator("#reassign-done", has_text="dipindahkan").wait_for()
    office_b = await wall.evaluate(
        "id => window.hub.board.offices.find(o => o.id === id).name", w.offices["kel_b"]
    )
    await row.locator("td", has_text=office_b).wait_for()  # via the queue delta
    assert await wall.evaluate("document.activeElement.dataset.transferId") == str(ticket_id)
    # the receiving office's console has it now
    await receiver.wait_for_selector(f"#queue-list li[data-ticket-id='{ticket_id}']")
    await pages.screenshot(wall, "supervisor-transferred")
