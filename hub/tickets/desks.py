"""Forwarding with no dead ends (#18 item 7): who may receive a ticket now, and who holds it.

A ticket may be forwarded (disposisi) only to someone who can act on it in its current
status (:func:`hub.tickets.lifecycle.allowed_actions`):

- to a **desk** (a role) when at least one *active* officer of the ticket's office has that
  role and the role has an action in the status;
- to a **named officer** when they are active, of the ticket's office, and their role has
  an action in the status.

Anything else is refused (``invalid``, naming ``to_user_id`` or ``to_role`` and the
``reason``) before the ticket changes. :func:`targets` lists exactly the targets
:func:`check_target` accepts, grouped by desk, for the console's picker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.errors import Invalid
from hub.models import Role, Ticket, User
from hub.principal import Principal
from hub.tickets import store
from hub.tickets.lifecycle import DESK, allowed_actions

#: The desks in the order the picker shows them (the status's own desk comes first).
DESK_ORDER = (Role.front_office, Role.staff, Role.approver)


@dataclass(frozen=True)
class Desk:
    role: Role
    #: the active officers of the ticket's office at this desk, by name
    officers: list[User]


def acting_roles(t: Ticket) -> list[Role]:
    """The desks that can act on ``t`` in its status, its own desk first."""
    own = DESK.get(t.status)
    roles = [r for r in DESK_ORDER if r in policy.HANDLING_ROLES and allowed_actions(t.status, r)]
    return sorted(roles, key=lambda r: r is not own)


async def targets(session: AsyncSession, t: Ticket) -> list[Desk]:
    """Every desk that can take ``t`` now, with its active officers; empty desks left out."""
    roles = acting_roles(t)
    people = await store.active_officers(session, t.office_id, roles)
    desks = [Desk(r, [u for u in people if u.role is r]) for r in roles]
    return [d for d in desks if d.officers]


async def check_target(
    session: AsyncSession, t: Ticket, to_user_id: int | None, to_role: Role | None
) -> tuple[Role, User | None]:
    """The desk (and the officer) a forward of ``t`` goes to, or ``invalid`` saying why."""
    status = t.status.value
    if to_user_id is not None:
        user = await store.user(session, to_user_id)
        if (
            user is None
            or not user.is_active
            or user.office_id != t.office_id
            or user.role not in policy.HANDLING_ROLES
        ):
            raise Invalid("not_an_officer_here", field="to_user_id")
        if not allowed_actions(t.status, user.role):
            raise Invalid("cannot_act", field="to_user_id", status=status)
        return user.role, user
    if to_role not in policy.HANDLING_ROLES:
        raise Invalid("target_role_invalid", field="to_role")
    if not allowed_actions(t.status, to_role):
        raise Invalid("cannot_act", field="to_role", status=status)
    if not await store.active_officers(session, t.office_id, [to_role]):
        raise Invalid("no_active_officer", field="to_role", status=status, role=to_role.value)
    return to_role, None


async def forward_targets(session: AsyncSession, p: Principal, ticket_id: int) -> dict[str, Any]:
    """What the console's forward picker offers: :func:`targets` of a ticket ``p`` may
    forward (``not_found`` / ``forbidden`` like the forward itself; a closed ticket has
    none)."""
    t = await store.ticket(session, ticket_id)
    policy.check_dispose(p, t)
    assert t is not None
    desks = await targets(session, t) if DESK.get(t.status) is not None else []
    return targets_view(t, desks, p)


def targets_view(t: Ticket, desks: list[Desk], viewer: Principal) -> dict[str, Any]:
    return {
        "ticket_id": t.id,
        "status": t.status.value,
        "version": t.version,
        "desks": [
            {
                "role": d.role.value,
                "current": d.role is t.assigned_role,
                "officers": [
                    {
                        "id": u.id,
                        "name": u.full_name,
                        "holder": u.id == t.assignee_id,
                        "me": u.id == viewer.user_id,
                    }
                    for u in d.officers
                ],
            }
            for d in desks
        ],
    }


async def holder_view(session: AsyncSession, t: Ticket, full: bool) -> dict[str, Any]:
    """Who holds the ticket now: its desk, and — for the office's officers — the officer.

    The applicant sees the desk only (``"Kasi / staf"``), never a colleague's name.
    """
    person = None
    if full and t.assignee_id is not None:
        user = await store.user(session, t.assignee_id)
        if user is not None:
            person = {"id": user.id, "name": user.full_name, "active": user.is_active}
    return {"desk": t.assigned_role.value if t.assigned_role else None, "officer": person}
