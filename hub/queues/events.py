"""Schemas of what ``/queues`` accepts and publishes: queue metadata only, no PII."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from hub.clock import iso
from hub.contract import ClientEvent, Empty, NamespaceContract, Wire
from hub.models import Office, ServiceType, Ticket, User
from hub.queues import QUEUES_NS
from hub.schemas import Id, Payload
from signaling.models import Call


class WatchIn(Payload):
    office_id: Id


class ReassignIn(Payload):
    ticket_id: Id
    version: Id
    note: str = Field(min_length=1, max_length=1000)
    to_user_id: Id | None = None
    to_role: Literal["front_office", "staff", "approver"] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> ReassignIn:
        if (self.to_user_id is None) == (self.to_role is None):
            raise ValueError("give exactly one of to_user_id and to_role")
        return self


class Out(Wire):
    def json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class OfficeItem(Out):
    id: int
    name: str
    level: str
    parent_id: int | None


class TicketItem(Out):
    """A ticket as a queue sees it; deliberately without name, phone, NIK or comments."""

    id: int
    number: str
    queue: str
    office_id: int
    service: str
    status: str
    assignee_id: int | None
    assigned_role: str | None
    version: int
    created_at: str
    due_at: str
    #: from then on the ticket is "at risk" (hub.calendar; docs/protocol.md §14)
    at_risk_at: str
    decided_at: str | None
    closed_at: str | None


class OfficerItem(Out):
    id: int
    name: str
    role: str
    office_id: int
    online: bool
    v: int


class CallItem(Out):
    id: str
    office_id: int
    ticket_id: int
    caller_id: int
    status: str
    started_at: str
    answered_at: str | None


class OldestWaiting(Out):
    id: int
    number: str
    created_at: str


class WaitToday(Out):
    count: int
    avg_minutes: float | None
    p90_minutes: float | None


class Sla(Out):
    breached: int
    at_risk: int


class OfficerCounts(Out):
    online: int
    in_call: int
    idle: int
    offline: int


class CallCounts(Out):
    ringing: int
    active: int


class Summary(Out):
    """One office's numbers, rolled up over its subtree (``board.summarize``)."""

    waiting: int
    by_status: dict[str, int]
    by_service: dict[str, int]
    oldest_waiting: OldestWaiting | None
    wait_today: WaitToday
    sla: Sla
    officers: OfficerCounts
    calls: CallCounts
    completed_today: int


class Snapshot(Out):
    office_id: int
    as_of: str
    day: str
    offices: list[OfficeItem]
    tickets: list[TicketItem]
    officers: list[OfficerItem]
    calls: list[CallItem]
    #: by office id (as text): every office of the subtree
    summary: dict[str, Summary]


class SnapshotOut(Out):
    """``queue_snapshot`` (a fresh board after an outage) and the ``watch`` ack."""

    snapshot: Snapshot


class TicketDelta(Out):
    ticket: TicketItem


class OfficerDelta(Out):
    officer: OfficerItem


class CallDelta(Out):
    call: CallItem


CONTRACT = NamespaceContract(
    QUEUES_NS,
    "Supervisors' live queues: a snapshot of an office's subtree, then deltas.",
    client={
        "watch": ClientEvent(WatchIn, SnapshotOut, "Watch an office's subtree; the snapshot."),
        "unwatch": ClientEvent(WatchIn, Empty, "Stop watching an office."),
        "reassign": ClientEvent(ReassignIn, TicketDelta, "Dispose a ticket from the wall."),
    },
    server={
        "queue_snapshot": SnapshotOut,
        "queue_ticket": TicketDelta,
        "queue_officer": OfficerDelta,
        "queue_call": CallDelta,
    },
)


def office_item(o: Office) -> OfficeItem:
    return OfficeItem(id=o.id, name=o.name, level=o.level.value, parent_id=o.parent_id)


def ticket_item(t: Ticket, service: ServiceType) -> TicketItem:
    return TicketItem(
        id=t.id,
        number=t.number,
        queue=t.queue_label,
        office_id=t.office_id,
        service=service.code,
        status=t.status.value,
        assignee_id=t.assignee_id,
        assigned_role=t.assigned_role.value if t.assigned_role else None,
        version=t.version,
        created_at=iso(t.created_at),
        due_at=iso(t.due_at),
        at_risk_at=iso(t.at_risk_at or t.due_at),
        decided_at=iso(t.decided_at) if t.decided_at else None,
        closed_at=iso(t.closed_at) if t.closed_at else None,
    )


def officer_item(u: User, online: bool, v: int) -> OfficerItem:
    assert u.office_id is not None
    return OfficerItem(
        id=u.id, name=u.full_name, role=u.role.value, office_id=u.office_id, online=online, v=v
    )


def call_item(c: Call) -> CallItem:
    return CallItem(
        id=c.id,
        office_id=c.office_id,
        ticket_id=c.ticket_id,
        caller_id=c.caller_id,
        status=c.status.value,
        started_at=iso(c.created_at),
        answered_at=iso(c.answered_at) if c.answered_at else None,
    )


class QueuePositionAnswer(Out):
    """``GET /api/tickets/{id}/queue-position``."""

    ok: Literal[True]
    ticket_id: int
    status: str
    waiting: bool
    position: int | None
    ahead: int | None
    estimated_wait_minutes: int | None
    basis: Literal["service", "office", "sla", "none"]
