"""What every baseline relays for a ``send``: the same event shape the hub publishes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

_seq = itertools.count(1)


def relayed_event(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "ticket_id": data.get("ticket_id"),
        "seq": next(_seq),
        "kind": "comment",
        "actor": {"id": 0, "name": "bench", "role": "citizen"},
        "client_id": data.get("client_id"),
        "payload": {"body": data.get("body")},
        "created_at": datetime.now(UTC).isoformat(),
    }
