"""The ``canned_replies`` table: an office's ready answers for the composer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import utcnow
from hub.models import Base, BigId


class CannedReply(Base):
    """One ready answer of an office; titles are unique per office. ``version`` rises with
    each change (an edit names the version it saw: two supervisors at once → ``conflict``)."""

    __tablename__ = "canned_replies"
    __table_args__ = (
        UniqueConstraint("office_id", "title", name="uq_canned_replies_office_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigId, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
