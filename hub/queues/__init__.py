"""Live queues for supervisors: aggregates, presence, the ``/queues`` namespace.

See ``docs/protocol.md §8``. ``board`` holds the pure model a dashboard
client also runs (apply a delta, summarize); ``service`` builds snapshots and
queues deltas on a :class:`~hub.uow.Unit`; ``presence`` follows officers' sockets.
"""

from __future__ import annotations

QUEUES_NS = "/queues"


def queue_room(office_id: int) -> str:
    """Room of the dashboards watching ``office_id`` (its deltas and its sub-offices')."""
    return f"queue:{office_id}"
