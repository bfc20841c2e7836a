"""Chat tables: read positions and attachments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import utcnow
from hub.models import Base, BigId


class ReadPosition(Base):
    """How far a reader has read a ticket's timeline (``read up to seq``)."""

    __tablename__ = "read_positions"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    reader_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    reader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reader_role: Mapped[str] = mapped_column(String(24))
    reader_name: Mapped[str] = mapped_column(String(120))
    seq: Mapped[int] = mapped_column(BigId)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A file uploaded to a ticket; the bytes live under ``attachments_dir``, not in the DB."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    uploader_key: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    event_seq: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
