"""Who is asking: the resolved identity every service call receives."""

from __future__ import annotations

from dataclasses import dataclass

from hub.models import OFFICER_ROLES, Role


@dataclass(frozen=True)
class Principal:
    """A logged-in user, or a walk-in applicant holding a receipt (``ticket_id`` set)."""

    session_id: str
    user_id: int | None
    role: Role
    name: str
    office_id: int | None = None
    office_scope: frozenset[int] = frozenset()
    ticket_id: int | None = None

    @property
    def actor_key(self) -> str:
        """Stable key of the speaker: ``u:<user>`` or ``w:<ticket>`` for a receipt holder."""
        return f"u:{self.user_id}" if self.user_id is not None else f"w:{self.ticket_id}"

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def is_walk_in(self) -> bool:
        return self.user_id is None

    @property
    def personal_room(self) -> str:
        """Room of every device of this person (all their sockets)."""
        return f"user:{self.user_id}" if self.user_id is not None else f"walkin:{self.ticket_id}"
