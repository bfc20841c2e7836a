"""Only what the page uses is shipped: no axe-core in production, no socket client on the
login page, content-hashed bundles cached for a year, the citizen's first load ≤ 300 KB."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DIST, Pages

pytestmark = pytest.mark.browser

#: A string every build of socket.io-client carries (its default path).
SOCKET_CLIENT = '"/socket.io"'
HASHED = re.compile(r"/static/dist/[a-z_]+-[A-Z0-9]{8}\.(js|css)")
YEAR = "public, max-age=31536000, immutable"
BUDGET = 300 * 1024


async def _scripts(page: Any) -> list[str]:
    return list(await page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)"))


def _built(bundle: Path, pattern: str) -> list[Path]:
    return list(bundle.glob(pattern))


async def test_axe_core_is_not_served(pages: Pages, web_bundle: Path) -> None:
    assert not _built(web_bundle, "axe*"), "axe-core must not be in the built files"
    async with pages.live.http() as http:
        assert (await http.get("/static/dist/axe.min.js")).status_code == 404


async def test_login_page_carries_no_socket_client(pages: Pages) -> None:
    ctx = await pages.context()
    page = await ctx.new_page()
    loaded: list[str] = []
    page.on("response", lambda r: loaded.append(r.url) if r.url.endswith(".js") else None)
    await page.goto("/")
    await page.wait_for_load_state("networkidle")
    assert loaded, "the login page loads its bundle"
    async with pages.live.http() as http:
        for url in loaded:
            body = (await http.get(url)).text
            assert SOCKET_CLIENT not in body, f"{url} carries socket.io-client"
        # the marker is real: the officer console's bundle has the client
        officer = json.loads((DIST / "manifest.json").read_text())["officer.js"]
        assert SOCKET_CLIENT in (await http.get(f"/static/dist/{officer}")).text
    assert not [u for u in loaded if "socket.io" in u]


async def test_bundles_have_hashed_names_and_cache_for_a_year(pages: Pages) -> None:
    ctx = await pages.context()
    page = await ctx.new_page()
    await page.goto("/")
    scripts = await _scripts(page)
    styles = await page.eval_on_selector_all("link[rel=stylesheet]", "els => els.map(e => e.href)")
    assert scripts and styles
    async with pages.live.http() as http:
        for url in [*scripts, *styles]:
            assert HASHED.search(url), f"{url} is not content-hashed"
            response = await http.get(url)
            assert response.status_code == 200
            assert response.headers["cache-control"] == YEAR
            assert response.headers["x-content-type-options"] == "nosniff"
        # what carries no hash is revalidated: the worker, the unbuilt style sheet
        for url in ("/sw.js", "/static/app.css", "/static/dist/sw.js"):
            response = await http.get(url)
            assert response.status_code == 200, url
            assert "immutable" not in response.headers.get("cache-control", ""), url
    # every page points at the build of the manifest
    manifest = json.loads((DIST / "manifest.json").read_text())
    for path, entry in (("/officer", "officer.js"), ("/supervisor", "supervisor.js")):
        async with pages.live.http() as http:
            html = (await http.get(path)).text
        assert f'src="/static/dist/{manifest[entry]}"' in html, path


async def test_citizen_page_first_load_stays_under_300_kb(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    signed = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    state = await signed.context.storage_state()
    # a fresh browser (empty cache) with that login opens the ticket page
    ctx = await pages.browser.new_context(
        base_url=pages.live.url, storage_state=state, viewport={"width": 360, "height": 740},
        is_mobile=True, has_touch=True, locale="id-ID",
    )  # fmt: skip
    pages.contexts.append(ctx)
    page = await ctx.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    await page.goto(f"/t/{ticket_id}")
    await page.wait_for_selector("#timeline li[data-kind=created]")
    await page.wait_for_load_state("networkidle")
    total = 0
    rows = []
    for response in responses:
        sizes = await response.request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        rows.append(f"{size:>8}  {response.url}")
    (pages.output / "citizen-first-load.txt").write_text("\n".join([*rows, f"{total:>8}  total"]))
    assert total <= BUDGET, "\n".join(rows)
    # the budget is of what went over the wire: the bundle travels compressed
    assert any(".js" in r.url for r in responses)
