"""``asinan-hub audit verify [--office CODE]``: check the audit chains.

Prints one line per chain (its office code, or ``-`` for the chain of acts without an
office, and how many entries it checked) and, for a broken chain, its first broken entry:
the entry's id and seq and what is wrong (:mod:`hub.audit.verify`). Exits 1 if any chain
is broken, 2 for an unknown office code, 0 otherwise.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from hub.audit import actions
from hub.audit_chain import NO_OFFICE
from hub.context import Hub
from hub.errors import NotFound
from hub.settings import Settings
from hub.uow import QuietPublisher


def add_commands(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the tamper-evident audit trail")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    check = commands.add_parser("verify", help="check every office's hash chain")
    check.add_argument("--office", help="only this office (its code, e.g. BGR-BT-01)")


async def run(args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO) -> int:
    """Run ``asinan-hub audit verify``; returns the exit status."""
    hub = Hub(settings, QuietPublisher())
    try:
        try:
            reports, codes = await actions.verify_chains(hub, args.office)
        except NotFound:
            err.write(f"unknown office: {args.office}\n")
            return 2
    finally:
        await hub.close()
    broken = 0
    for r in reports:
        name = "-" if r.chain == NO_OFFICE else codes.get(r.chain, f"#{r.chain}")
        if r.broken is None:
            out.write(f"{name}: ok ({r.entries} entries)\n")
            continue
        broken += 1
        b = r.broken
        where = f"entry id {b.entry_id} (seq {b.seq})" if b.entry_id else f"head (seq {b.seq})"
        out.write(f"{name}: BROKEN at {where}: {b.problem} ({b.detail})\n")
    if broken:
        err.write(f"audit verify: {broken} chain(s) broken\n")
        return 1
    out.write("audit verify: all chains intact\n")
    return 0
