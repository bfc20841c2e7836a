"""Browser fixtures: the built bundle, Debian's Chromium driven by Playwright, signed-in pages.

Never downloads a browser: Playwright launches ``/usr/bin/chromium`` (installed by
``scripts/install-deps.sh``) with a fake camera and microphone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.server import RunningHub
from tests.support.services import ServiceMissing, require_or_skip
from tests.support.world import PASSWORD, PEOPLE, World

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
DIST = WEB / "static" / "dist"
OUTPUT = ROOT / "test-output"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MANIFEST = DIST / "manifest.json"
#: axe-core is for the tests only: injected from node_modules, never served by the hub.
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]

pytestmark = pytest.mark.browser


def _stale() -> bool:
    """No build, a file of the manifest missing, or a source newer than the build."""
    if not MANIFEST.is_file() or not AXE.is_file():
        return True
    built = [DIST / "sw.js", *(DIST / name for name in json.loads(MANIFEST.read_text()).values())]
    if not all(p.is_file() for p in built):
        return True
    oldest = min(p.stat().st_mtime for p in [MANIFEST, *built])
    sources = [
        *(WEB / "src").glob("*.js"), *(WEB / "src").glob("*.css"), *(WEB / "static").glob("*.css"),
        WEB / "build.mjs", WEB / "package-lock.json",
    ]  # fmt: skip
    return any(p.stat().st_mtime > oldest for p in sources)


@pytest.fixture(scope="session")
def web_bundle() -> Path:
    """``web/static/dist``, built now when missing or older than its sources."""
    if _stale():
        npm = shutil.which("npm")
        if npm is None:
            require_or_skip(ServiceMissing("npm (nodejs) to build the web bundle"))
        if not AXE.is_file():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)
        subprocess.run([npm, "run", "--silent", "build"], cwd=WEB, check=True)
    return DIST


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture
async def browser(web_bundle: Path) -> AsyncIterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        require_or_skip(ServiceMissing(f"{CHROMIUM} (Debian package chromium)"))
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            await chromium.close()


class Pages:
    """Opens browser contexts (one per person) signed in through the login page."""

    def __init__(self, browser: Any, live: RunningHub, world: World, output: Path) -> None:
        self.browser = browser
        self.live = live
        self.world = world
        self.output = output
        self.contexts: list[Any] = []
        self.foreign: list[str] = []
        self.console_errors: list[str] = []

    async def context(self, *, phone: bool = False) -> Any:
        options: dict[str, Any] = {"base_url": self.live.url, "locale": "id-ID"}
        if phone:
            options.update(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 860})
        ctx = await self.browser.new_context(**options)
        await ctx.grant_permissions(["camera", "microphone"], origin=self.live.url)
        ctx.on("request", self._check_host)
        self.contexts.append(ctx)
        return ctx

    def _check_host(self, request: Any) -> None:
        url: str = request.url
        if not url.startswith((self.live.url, "data:", "blob:")):
            self.foreign.append(url)

    async def signed_in(self, who: str, path: str, *, phone: bool = False) -> Any:
        """A page of ``who`` (a key of ``PEOPLE``) opened at ``path`` after the login form."""
        ctx = await self.context(phone=phone)
        page = await ctx.new_page()
        page.on("console", self._console)
        await page.goto(f"/?next={quote(path)}")
        role, _office, login = PEOPLE[who]
        form = "#form-citizen" if role.value == "citizen" else "#form-officer"
        await page.fill(f"{form} input[name=login]", login)
        await page.fill(f"{form} input[name=password]", PASSWORD)
        async with page.expect_navigation(url=lambda u: u.endswith(path)):
            await page.click(f"{form} button[type=submit]")
        return page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    async def screenshot(self, page: Any, name: str) -> Path:
        path = self.output / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    async def close(self) -> None:
        for ctx in self.contexts:
            await ctx.close()


@pytest.fixture
async def pages(
    browser: Any, live: RunningHub, live_world: World, output_dir: Path
) -> AsyncIterator[Pages]:
    crowd = Pages(browser, live, live_world, output_dir)
    try:
        yield crowd
    finally:
        await crowd.close()
    assert crowd.foreign == [], f"requests to other hosts: {crowd.foreign}"


@pytest.fixture(scope="session")
def axe_script(web_bundle: Path) -> Iterator[Path]:
    """axe-core from ``web/node_modules`` (a dev dependency; the hub does not serve it)."""
    del web_bundle  # built, so node_modules is installed
    yield AXE
