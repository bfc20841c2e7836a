"""The doors as a browser meets them: a forging page next door, the login wait, the receipt.

The attacker's page is served by its own little server on another port of 127.0.0.1:
the same *site* as the hub (so the ``SameSite=Lax`` cookie is sent), not the same
*origin*.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from hub.auth import COOKIE_NAME
from tests.support.server import RunningHub
from tests.support.services import free_port
from tests.support.world import PASSWORD, World

pytestmark = pytest.mark.browser


@contextlib.asynccontextmanager
async def serve_page(text: str) -> AsyncIterator[str]:
    """``text`` as the page ``/`` of a server on a free port; yields its URL."""

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(text)

    port = free_port()
    config = uvicorn.Config(
        Starlette(routes=[Route("/", index)]), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        async with asyncio.timeout(10):
            await task


def form(name: str, action: str, json_body: str | None) -> str:
    """A form posting to the hub into its own iframe; with ``json_body``, as text/plain.

    ``text/plain`` sends ``name=value``: the ``=`` is hidden inside the last string of
    the JSON (the classic way to forge a JSON body with a form).
    """
    field = ""
    if json_body is not None:
        head, tail = json_body[:-2], json_body[-2:]  # split inside the last string value
        field = f'<input name="{html.escape(head)}" value="{html.escape(tail)}">'
    return (
        f'<iframe name="{name}-frame"></iframe>'
        f'<form id="{name}" method="post" enctype="text/plain" action="{html.escape(action)}" '
        f'target="{name}-frame">{field}</form>'
    )


def attacker_page(hub: str, shots: list[tuple[str, str, str, str | None]]) -> str:
    """``shots``: (name, method, path, JSON body or None), fired in order by ``attack()``."""
    forms = "".join(
        form(name, hub + path, body) for name, method, path, body in shots if method == "POST"
    )
    script = """
const HUB = __HUB__, SHOTS = __SHOTS__;
function submitted(name) {
  return new Promise((resolve) => {
    const frame = document.querySelector(`iframe[name=${name}-frame]`);
    frame.addEventListener("load", resolve, {once: true});
    document.getElementById(name).submit();
  });
}
window.attack = async () => {
  const seen = [];
  for (const [name, method, path, body] of SHOTS) {
    for (const mode of ["no-cors", "cors"]) {
      try {
        await fetch(HUB + path, {method, mode, credentials: "include",
          headers: {"Content-Type": "text/plain"}, body: body || ""});
        seen.push(`${mode} ${method} ${path}: sent`);
      } catch (e) {
        seen.push(`${mode} ${method} ${path}: ${e.name}`);
      }
    }
    if (method === "POST") await submitted(name);
  }
  return seen;
};
""".replace("__HUB__", json.dumps(hub)).replace("__SHOTS__", json.dumps(shots))
    return (
        f"<!doctype html><html><body><h1>Hadiah!</h1>{forms}<script>{script}</script></body></html>"
    )


async def sign_in(browser: Any, live: RunningHub, login: str) -> tuple[Any, str]:
    """A browser context signed in through the login page; returns it and its cookie."""
    ctx = await browser.new_context(base_url=live.url, locale="id-ID")
    page = await ctx.new_page()
    await page.goto("/")
    await page.fill("#officer-login", login)
    await page.fill("#officer-password", PASSWORD)
    async with page.expect_navigation(url=lambda u: u.endswith("/officer")):
        await page.click("#form-officer button[type=submit]")
    await page.close()
    cookies = {c["name"]: c["value"] for c in await ctx.cookies(live.url)}
    return ctx, cookies[COOKIE_NAME]


async def test_a_page_on_another_port_cannot_write_with_the_officers_cookie(
    browser: Any, live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket(service_code="SKTM")
    office = live_world.offices["kel_a"]
    ctx, token = await sign_in(browser, live, "fo.a")
    async with live.http(token) as api:
        tickets_before = (await api.get("/api/tickets")).json()["tickets"]
        prefs_before = (await api.get("/api/notifications/preferences")).json()["preferences"]
    create = {
        "service_code": "KLH",
        "office_id": office,
        "channel": "walk_in",
        "applicant_name": "Korban CSRF",
    }
    prefs = {"muted_tickets": [tid], "push_opt_out": ["comment"], "quiet_hours": None}
    shots: list[tuple[str, str, str, str | None]] = [
        ("create", "POST", "/api/tickets", json.dumps(create)),
        (
            "transition",
            "POST",
            f"/api/tickets/{tid}/transition",
            json.dumps({"action": "start_verification", "version": 1, "reason": "ok"}),
        ),
        ("prefs-put", "PUT", "/api/notifications/preferences", json.dumps(prefs)),
        ("prefs", "POST", "/api/notifications/preferences", json.dumps(prefs)),
        ("logout", "POST", "/api/auth/logout", None),
    ]
    answered: list[tuple[str, str, int]] = []
    try:
        async with serve_page(attacker_page(live.url, shots)) as evil:
            page = await ctx.new_page()

            def record(response: Any) -> None:
                request = response.request
                if response.url.startswith(live.url) and request.method != "OPTIONS":
                    answered.append(
                        (request.method, response.url[len(live.url) :], response.status)
                    )

            page.on("response", record)
            await page.goto(evil)
            async with asyncio.timeout(60):
                seen = await page.evaluate("attack()")
    finally:
        await ctx.close()
    # every POST reached the hub — by fetch and by form — and was refused there;
    # the PUT never left the browser (its CORS pre-flight found no CORS)
    posts = [(m, p) for m, p, _ in answered]
    for _name, method, path, _body in shots:
        if method == "POST":
            assert posts.count(("POST", path)) >= 2, (path, answered, seen)
    assert ("PUT", "/api/notifications/preferences") not in posts
    assert {status for _m, _p, status in answered} == {403}, answered
    # and through the API: nothing changed, the session still works
    async with live.http(token) as api:
        assert (await api.get("/api/me")).status_code == 200
        assert (await api.get("/api/tickets")).json()["tickets"] == tickets_before
        ticket = (await api.get(f"/api/tickets/{tid}")).json()["ticket"]
        assert (ticket["status"], ticket["version"]) == ("submitted", 1)
        prefs_after = (await api.get("/api/notifications/preferences")).json()["preferences"]
        assert prefs_after == prefs_before


async def test_the_login_page_says_how_long_to_wait(
    browser: Any, live: RunningHub, live_world: World
) -> None:
    ctx = await browser.new_context(base_url=live.url, locale="id-ID")
    try:
        page = await ctx.new_page()
        await page.goto("/")
        await page.fill("#officer-login", "fo.a")
        error = page.locator("#officer-error")
        for attempt in range(6):
            await page.fill("#officer-password", f"salah-{attempt}")
            async with page.expect_response("**/api/auth/login") as answer:
                await page.click("#form-officer button[type=submit]")
            status = (await answer.value).status
            if status == 429:
                break
            await error.filter(has_text="salah").wait_for()
        assert status == 429
        await error.filter(has_text="Coba lagi dalam").wait_for()
        text = await error.text_content()
        assert text is not None
        assert text.endswith(("detik.", "menit.")), text
        wait = [int(word) for word in text.split() if word.isdigit()]
        assert len(wait) == 1 and 1 <= wait[0] <= 60, text
        await page.click("#lang-toggle")
        await page.fill("#officer-password", "salah-lagi")
        await page.click("#form-officer button[type=submit]")
        await error.filter(has_text="Try again in").wait_for()
    finally:
        await ctx.close()


async def test_the_receipt_page_works_under_the_shared_csp(
    browser: Any, live: RunningHub, live_world: World
) -> None:
    tid, code = await live_world.walk_in()
    ctx = await browser.new_context(base_url=live.url, locale="id-ID")
    try:
        # a CSP refusal is reported on the document; print() is counted instead of shown
        await ctx.add_init_script(
            """
            window.__refused = [];
            document.addEventListener("securitypolicyviolation",
              (e) => window.__refused.push(e.violatedDirective));
            window.__printed = 0;
            window.print = () => { window.__printed += 1; };
            """
        )
        page = await ctx.new_page()
        response = await page.goto(f"/tickets/{tid}/receipt?code={code}")
        assert response is not None and response.status == 200
        login = await ctx.request.get("/")
        assert (
            response.headers["content-security-policy"] == login.headers["content-security-policy"]
        )
        await page.click("#print")
        assert await page.evaluate("window.__printed") == 1
        width = await page.evaluate("getComputedStyle(document.body).maxWidth")
        assert width == "279.685px"  # 74 mm: a walk-in's 80 mm layout stylesheet applied
        assert await page.evaluate("window.__refused") == []
    finally:
        await ctx.close()
