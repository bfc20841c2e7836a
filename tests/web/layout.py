"""Page checks for layout and visibility, shared by the officer and supervisor tests."""

from __future__ import annotations

from typing import Any

#: Elements whose content is wider than their box, and a page that scrolls sideways.
_OVERFLOW = """() => {
    const bad = [];
    for (const el of document.body.querySelectorAll("*")) {
        if (el.closest("[hidden], dialog:not([open]), .sr")) continue;
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
            const name = `${el.tagName.toLowerCase()}#${el.id}.${el.className}`;
            bad.push(`${name}: ${el.scrollWidth} > ${el.clientWidth}`);
        }
    }
    const page = document.documentElement.scrollWidth - window.innerWidth;
    if (page > 0) bad.push(`the page scrolls sideways by ${page}px`);
    return bad;
}"""

_VISIBILITY = """hidden => {
    if (hidden) {
        const is = (value) => ({configurable: true, get: () => value});
        Object.defineProperty(document, "hidden", is(true));
        Object.defineProperty(document, "visibilityState", is("hidden"));
    } else {
        delete document.hidden;
        delete document.visibilityState;
    }
    document.dispatchEvent(new Event("visibilitychange"));
}"""


async def overflowing(page: Any) -> list[str]:
    """What sticks out of its container horizontally (``scrollWidth > clientWidth``)."""
    bad = await page.evaluate(_OVERFLOW)
    assert isinstance(bad, list)
    return [str(x) for x in bad]


async def set_hidden(page: Any, hidden: bool) -> None:
    """What the browser tells the page when the user switches to another tab (and back)."""
    await page.evaluate(_VISIBILITY, hidden)
