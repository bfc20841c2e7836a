"""Small page helpers shared by the browser tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SERIOUS = ("serious", "critical")
#: Where pages load axe-core from in the tests; the hub has no such file.
AXE_URL = "/__tests__/axe.min.js"


async def axe_violations(page: Any, script: Path) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now."""
    # From web/node_modules, never from the hub's static files (production ships no axe).
    # ``add_script_tag(path=…)`` would inline it, which the pages' CSP (script-src 'self')
    # refuses: the page loads it from its own origin instead, answered by Playwright.
    if not await page.evaluate("typeof axe !== 'undefined'"):

        async def serve(route: Any) -> None:
            await route.fulfill(path=str(script), content_type="text/javascript")

        await page.route(f"**{AXE_URL}", serve)
        await page.add_script_tag(url=AXE_URL)
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    assert isinstance(result, list)
    return [v for v in result if v["impact"] in SERIOUS]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1)


async def send_comment(page: Any, text: str) -> None:
    await page.fill("#composer-text", text)
    await page.click("#composer-send")


def comment(page: Any, text: str) -> Any:
    """The locator of a stored (not pending) comment whose body is exactly ``text``."""
    return page.locator("#timeline li.comment:not(.pending) p.body", has_text=text)
