"""Which page each role uses, and where a page sends someone it is not for.

Pure rules over a :class:`~hub.principal.Principal` (no transport here), plus the one
read a page needs before it answers: may this person see that ticket. A page refused
to a role redirects to that role's own page with ``?denied=<page>``; the page then
says why (``web/src/common.js``, ``initI18n``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from hub.models import Role
from hub.principal import Principal
from hub.schemas import MAX_ID, decimal_id

#: page name (as in ``?denied=``) → who may use it.
RULES: dict[str, Callable[[Principal], bool]] = {
    "officer": lambda p: p.is_officer or p.role is Role.admin,
    "supervisor": lambda p: p.role in (Role.supervisor, Role.admin),
    "admin": lambda p: p.role is Role.admin,
    "requests": lambda p: p.role is Role.citizen and not p.is_walk_in,
    "preferences": lambda p: not p.is_walk_in,
    "ticket": lambda p: p.role is Role.citizen,
}


def home_of(p: Principal) -> str:
    """The page a person lands on: their ticket (receipt), their requests, their desk."""
    if p.is_walk_in:
        return f"/t/{p.ticket_id}"
    if p.role is Role.citizen:
        return "/requests"
    if p.role is Role.admin:
        return "/admin"
    if p.role is Role.supervisor:
        return "/supervisor"
    return "/officer"


def refused_target(p: Principal, page: str, ticket_id: int | None = None) -> str | None:
    """Where to send ``p`` instead of ``page``; None when the page is theirs.

    An officer asking for a citizen's ticket page goes to that ticket in the console.
    """
    if RULES[page](p):
        return None
    home = home_of(p)
    if page == "ticket" and ticket_id is not None and home == "/officer":
        return f"/officer?denied=ticket#t={ticket_id}"
    return f"{home}?denied={quote(page)}"


def path_id(text: str) -> int | None:
    """A ticket id from a page path, or None when the text is not one (a not-found page)."""
    try:
        number = decimal_id(text)
    except ValueError:
        return None
    return number if 1 <= number <= MAX_ID else None
