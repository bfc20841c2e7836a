"""The status machine, as one table that the code and ``docs/protocol.md`` both show.

| action               | from                                          | to                                  | who          |
|----------------------|-----------------------------------------------|-------------------------------------|--------------|
| `start_verification` | submitted                                     | verification                        | front_office |
| `request_documents`  | verification                                  | documents_incomplete (waits on the applicant) | front_office |
| `resubmit`           | documents_incomplete                          | verification                        | citizen (the applicant) |
| `verify`             | verification                                  | staff_verification (high risk) / awaiting_approval (low risk) | front_office |
| `staff_verify`       | staff_verification                            | awaiting_approval                   | staff        |
| `approve`            | awaiting_approval                             | approved                            | approver     |
| `reject` (reason)    | verification, documents_incomplete, staff_verification, awaiting_approval | rejected  | approver     |
| `complete`           | approved                                      | completed (document picked up)      | front_office; the applicant (electronic delivery) |

Guards on the documents (``hub/intake/gate.py``, called by the ticket service): ``verify``
needs every required document marked OK; ``request_documents`` needs at least one marked
missing (each with its reason); ``resubmit`` needs a new upload for every one marked missing
(and happens by itself on the last of them); ``staff_verify`` and ``approve`` need them
still all OK.

``complete`` happens only through the letter's hand-over (``hub/letters/pickup.py``): at
the counter, once the applicant's access code or the receipt's QR is checked, or by the
applicant's own download where the office delivers electronically. The generic transition
route refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hub.models import Risk, Role, TicketStatus

S = TicketStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[TicketStatus]
    roles: frozenset[Role]
    needs_reason: bool = False

    def target(self, current: TicketStatus, risk: Risk) -> TicketStatus:
        return TARGETS[self.action](current, risk)


TARGETS: dict[str, Callable[[TicketStatus, Risk], TicketStatus]] = {
    "start_verification": lambda s, r: S.verification,
    "request_documents": lambda s, r: S.documents_incomplete,
    "resubmit": lambda s, r: S.verification,
    "verify": lambda s, r: S.staff_verification if r is Risk.high else S.awaiting_approval,
    "staff_verify": lambda s, r: S.awaiting_approval,
    "approve": lambda s, r: S.approved,
    "reject": lambda s, r: S.rejected,
    "complete": lambda s, r: S.completed,
}

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("start_verification", frozenset({S.submitted}), frozenset({Role.front_office})),
        Transition(
            "request_documents", frozenset({S.verification}), frozenset({Role.front_office})
        ),
        Transition("resubmit", frozenset({S.documents_incomplete}), frozenset({Role.citizen})),
        Transition("verify", frozenset({S.verification}), frozenset({Role.front_office})),
        Transition("staff_verify", frozenset({S.staff_verification}), frozenset({Role.staff})),
        Transition("approve", frozenset({S.awaiting_approval}), frozenset({Role.approver})),
        Transition(
            "reject",
            frozenset(
                {S.verification, S.documents_incomplete, S.staff_verification, S.awaiting_approval}
            ),
            frozenset({Role.approver}),
            needs_reason=True,
        ),
        Transition(
            "complete", frozenset({S.approved}), frozenset({Role.front_office, Role.citizen})
        ),
    )
}

#: Which role's desk a ticket sits on in each status (None: nobody's, it is closed).
DESK: dict[TicketStatus, Role | None] = {
    S.submitted: Role.front_office,
    S.verification: Role.front_office,
    # waits on the applicant; it comes back to the front office's desk
    S.documents_incomplete: Role.front_office,
    S.staff_verification: Role.staff,
    S.awaiting_approval: Role.approver,
    S.approved: Role.front_office,
    S.rejected: None,
    S.completed: None,
}

OPEN_STATUSES = frozenset(s for s, desk in DESK.items() if desk is not None)
WAITING_STATUSES = frozenset(
    {S.submitted, S.verification, S.documents_incomplete, S.staff_verification, S.awaiting_approval}
)


def allowed_actions(status: TicketStatus, role: Role) -> list[str]:
    """The actions a role may take on a ticket in ``status`` (drives the officer's buttons)."""
    return [a for a, t in TRANSITIONS.items() if status in t.sources and role in t.roles]
