"""What calls record on a unit, for the packages downstream of them.

The queue board (:mod:`hub.queues.projections`) and notifications
(:mod:`notifications.projections`) subscribe to these; :mod:`signaling` never
imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from signaling.models import Call


@dataclass(frozen=True)
class CallChanged:
    """A call rang, was answered or ended (its row as the step left it).

    ``offices``: the call's office and every office above it, nearest first, when the
    step read them before its transaction (None: not read).
    """

    call: Call
    offices: tuple[int, ...] | None = None


@dataclass(frozen=True)
class CallMissed:
    """Nobody answered ``call`` before its ring deadline."""

    call: Call
