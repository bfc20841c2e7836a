"""Calls: the server-owned state machine, the SDP/ICE relay and the call log.

::

    invite ──▶ ringing ──accept──▶ active ──hangup / grace over──▶ ended
                  │                                   (completed / failed)
                  └──decline / cancel / timeout──▶ ended (declined / cancelled / missed)
    invite while the callee is in another call ──▶ ended (busy)

Every transition is one conditional UPDATE on the ``calls`` row (see
:mod:`signaling.store`), so a race — accept vs cancel, two devices accepting,
two officers ringing one ticket — is decided once by the database and the
loser gets ``conflict``. Every call that ends is logged on its ticket's
timeline. Events are queued on the :class:`~hub.uow.Unit` and leave only after
commit, addressed to the exact sockets of the two parties (a socket id is a
room, so this works across processes with the Redis manager); only those sockets
may act in the call (:mod:`signaling.binding`).

Each step reads what it needs (``plan_*``/:func:`look`: the call, the ticket, the
offices above the call's, TURN credentials), then writes one ``UPDATE … RETURNING`` or
one conditional ``INSERT`` (plus the call log when a call ends). The handlers run both
in one transaction. A plan may also be read beforehand and passed in; it may then be
stale by the time of the write, which is why every write re-checks the status (and
the socket) in its WHERE clause: the database, not the read, decides each race
(``tests/signaling/test_calls_writes.py`` passes stale plans on purpose).

The steps live in :mod:`~signaling.placing` (invite, accept),
:mod:`~signaling.ending` (decline, cancel, hang up; the call log) and
:mod:`~signaling.liveness` (a party's socket lost and back; the sweeper's work), over
the reads of :mod:`~signaling.views`. Each records what changed
(:mod:`signaling.facts`) for the dashboards and notifications downstream.
"""
