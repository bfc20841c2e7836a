"""The audit trail in tests: read a chain, run ``asinan-hub audit verify``."""

from __future__ import annotations

import argparse
import io

from sqlalchemy import select

from hub.audit.cli import run
from hub.audit_models import AuditEntry
from hub.context import Hub
from hub.settings import Settings


async def chain_of(hub: Hub, office_id: int) -> list[AuditEntry]:
    async with hub.reader() as session:
        return list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.chain == office_id).order_by(AuditEntry.seq)
            )
        )


async def verify_cli(settings: Settings, office: str | None = None) -> tuple[int, str]:
    """``asinan-hub audit verify [--office CODE]``: (exit status, what it printed)."""
    out, err = io.StringIO(), io.StringIO()
    status = await run(argparse.Namespace(office=office), settings, out, err)
    return status, out.getvalue() + err.getvalue()
