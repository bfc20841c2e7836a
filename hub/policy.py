"""Authorization, in one place: who may do what to which ticket.

Pure functions over a :class:`Principal` and the ticket's facts, so each rule is
tested on its own (``tests/hub/test_policy.py``). Services call the ``check_*``
variants, which raise; a ticket one may not see raises :class:`NotFound`, the same
answer as a ticket that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Protocol

from hub.errors import Forbidden, NotFound
from hub.models import Role
from hub.principal import Principal

#: Officer roles that work tickets (and so may ring an applicant).
HANDLING_ROLES = frozenset({Role.front_office, Role.staff, Role.approver})


class TicketFacts(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def office_id(self) -> int: ...
    @property
    def applicant_id(self) -> int | None: ...


def in_office_scope(p: Principal, office_id: int) -> bool:
    """Officers act on their own office and, at a kecamatan or the kota, the offices under it."""
    return p.role is Role.admin or office_id in p.office_scope


def can_view_ticket(p: Principal, t: TicketFacts) -> bool:
    if p.is_walk_in:
        return p.ticket_id == t.id
    if p.role is Role.citizen:
        return t.applicant_id == p.user_id
    return in_office_scope(p, t.office_id)


def can_comment(p: Principal, t: TicketFacts) -> bool:
    if p.role is Role.admin:
        return False  # admins audit; they do not speak on a citizen's case
    return can_view_ticket(p, t)


def can_call(p: Principal, t: TicketFacts) -> bool:
    """Only an officer who handles tickets of the office rings its applicant."""
    return p.role in HANDLING_ROLES and in_office_scope(p, t.office_id)


def can_dispose(p: Principal, t: TicketFacts) -> bool:
    """Forward (disposisi) within the office: handling officers and supervisors."""
    return (p.role in HANDLING_ROLES or p.role is Role.supervisor) and in_office_scope(
        p, t.office_id
    )


def can_transition(p: Principal, t: TicketFacts, roles: frozenset[Role]) -> bool:
    """An officer of a role the transition names, in the ticket's office scope; or, for a
    transition the applicant makes (``resubmit``), the ticket's own citizen (or receipt)."""
    if p.role not in roles:
        return False
    if p.role is Role.citizen:
        return can_view_ticket(p, t)
    return in_office_scope(p, t.office_id)


def can_see_internal(p: Principal, t: TicketFacts) -> bool:
    """Internal notes and officers-only fields (:mod:`hub.visibility`): the officers of
    the ticket's office scope. Not the applicant, a receipt holder, nor an admin."""
    return p.is_officer and in_office_scope(p, t.office_id)


def can_manage_canned(p: Principal, office_id: int) -> bool:
    """An office's canned replies are kept by its supervisors (and those above it)."""
    return p.role is Role.supervisor and in_office_scope(p, office_id)


def can_supervise(p: Principal, office_id: int) -> bool:
    return p.role in (Role.supervisor, Role.admin) and in_office_scope(p, office_id)


def can_create_walk_in(p: Principal, office_id: int) -> bool:
    return p.role is Role.front_office and in_office_scope(p, office_id)


def check_view_ticket(p: Principal, t: TicketFacts | None) -> None:
    """Raise NotFound for a missing ticket and for a ticket the principal may not see."""
    if t is None or not can_view_ticket(p, t):
        raise NotFound("ticket_not_found")


def check_comment(p: Principal, t: TicketFacts | None) -> None:
    check_view_ticket(p, t)
    assert t is not None
    if not can_comment(p, t):
        raise Forbidden("cannot_comment")


def check_call(p: Principal, t: TicketFacts | None) -> None:
    check_view_ticket(p, t)
    assert t is not None
    if not can_call(p, t):
        raise Forbidden("officers_call_only")


def check_dispose(p: Principal, t: TicketFacts | None) -> None:
    check_view_ticket(p, t)
    assert t is not None
    if not can_dispose(p, t):
        raise Forbidden("cannot_forward")


def check_internal(p: Principal, t: TicketFacts | None) -> None:
    """May ``p`` write (and read) the ticket's internal notes? ``not_found`` for a ticket
    they may not see, ``forbidden`` for one they see but not as its office's officer."""
    check_view_ticket(p, t)
    assert t is not None
    if not can_see_internal(p, t):
        raise Forbidden("notes_office_officers_only")


def check_manage_canned(p: Principal, office_id: int) -> None:
    if not can_manage_canned(p, office_id):
        raise Forbidden("office_supervisors_only")


def check_supervise(p: Principal, office_id: int) -> None:
    if not can_supervise(p, office_id):
        raise Forbidden("office_supervisors_only")


def can_administer(p: Principal) -> bool:
    """Accounts, offices, services and the audit trail: admins only."""
    return p.role is Role.admin


def check_administer(p: Principal) -> None:
    if not can_administer(p):
        raise Forbidden("admins_only")
