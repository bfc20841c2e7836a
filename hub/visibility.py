"""Who sees which timeline events, and which of their fields (#18 item 8).

A ticket's timeline has two audiences:

- **the office's officers** (:func:`hub.policy.can_see_internal`: an officer — front office,
  staff, approver, supervisor — whose office scope holds the ticket's office) see every
  event with every field;
- **everyone else who may view the ticket** (the applicant, a receipt holder, an admin)
  sees the *public* timeline: events of an officers-only kind (:data:`INTERNAL_KINDS`)
  are left out wherever events are read — the live room, a join's replay, history, gap
  fills, ``GET …/events`` and ``…/dispositions`` — and the officers-only fields of
  public events (:data:`OFFICER_FIELDS`) are left out of their view, which then says
  ``"redacted": true``.

Live delivery follows the same line (:func:`hub.timeline.append_event`): an internal
event goes only to the office's room, never to the ticket's room (where the applicant
is); a public event with officers-only fields goes to the ticket's room redacted and to
the office's room whole. A client that gets both keeps the whole one.

A citizen's seqs therefore have holes where internal events sit. Every answer that
lists events for a range of seqs says how far it covers (``through_seq``): everything
visible to the asker up to it is in the answer, so the holes are never asked for again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Kinds seen only by the office's officers: never in the ticket room, a citizen's
#: replay, history, gap fill, notifications, receipts, letters or exports.
INTERNAL_KINDS = frozenset({"internal_note"})

#: Fields of public events that only the office's officers see. The applicant sees that
#: the request was forwarded and to which desk, not the internal note nor the colleague's
#: name; that it moved to another office, not why.
OFFICER_FIELDS: Mapping[str, frozenset[str]] = {
    "disposed": frozenset({"note", "to_user"}),
    "transferred": frozenset({"note"}),
}


def is_internal(kind: str) -> bool:
    return kind in INTERNAL_KINDS


def public_payload(kind: str, payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The payload as the public sees it, and whether anything was left out."""
    hidden = OFFICER_FIELDS.get(kind)
    if hidden is None:  # most kinds (every comment): nothing to cut, nothing to copy
        return payload, False
    shown = {k: v for k, v in payload.items() if k not in hidden}
    return shown, len(shown) != len(payload)


def covered_through(
    rows_top: int | None, last_seq: int, full_page: bool, before_seq: int | None = None
) -> int:
    """How far an answer that listed events covers the timeline (its ``through_seq``).

    ``rows_top``: the highest seq in the answer (None: empty); ``last_seq``: the ticket's
    last seq as read in the same transaction; ``full_page``: the answer stopped at its
    limit, so it covers only up to its last row; ``before_seq``: the answer's upper bound
    (exclusive), if it had one.
    """
    if full_page and rows_top is not None:
        return rows_top
    top = max(last_seq, rows_top or 0)
    return min(top, before_seq - 1) if before_seq is not None else top
