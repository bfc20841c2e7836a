"""Small page helpers shared by the browser tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SERIOUS = ("serious", "critical")


async def axe_violations(page: Any, script: Path) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now."""
    # Served by the hub itself: the pages' CSP (script-src 'self') refuses an inline copy.
    await page.add_script_tag(url=f"/static/dist/{script.name}")
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
