"""Tables of issued letters: the letters, their per-office yearly counters, office settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import utcnow
from hub.models import Base, BigId


class LetterCounter(Base):
    """The last letter number handed out by an office in a (Jakarta) year.

    Incremented in the approval's transaction under the row's lock (an upsert that
    returns the new value), like ``queue_counters``: a rolled-back approval gives its
    number back, so an office's numbers of a year run 1, 2, 3… with no gap and no twice.
    """

    __tablename__ = "letter_counters"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(BigId, default=0)


class Letter(Base):
    """A letter issued on a ticket's approval: one per ticket.

    ``content`` keeps what the letter prints as it was at issue (letterhead, title,
    statement, purpose, signer), so the PDF is regenerated the same every time; the
    applicant's NIK stays encrypted (a copy of the account's cipher). ``verify_code`` is
    the random, URL-safe key of the public check (``/verify/{code}``, 192 bits).
    """

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("office_id", "year", "seq", name="uq_letters_office_year_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigId)
    number: Mapped[str] = mapped_column(String(96))
    verify_code: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[date] = mapped_column(Date)
    applicant_name: Mapped[str] = mapped_column(String(120))
    applicant_nik_cipher: Mapped[str | None] = mapped_column(Text)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    #: ``counter`` (picked up at the office) or ``download`` (electronic delivery)
    delivery: Mapped[str | None] = mapped_column(String(16))
    handed_over_at: Mapped[datetime | None]
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handed_over_by_name: Mapped[str | None] = mapped_column(String(120))
    #: who took the letter at the counter (the applicant unless someone else was named)
    collector_name: Mapped[str | None] = mapped_column(String(120))
    #: ``access_code`` or ``qr`` at the counter; ``download`` electronically
    pickup_method: Mapped[str | None] = mapped_column(String(16))


class LetterSettings(Base):
    """An office's letter settings (admins edit them); no row means the defaults."""

    __tablename__ = "letter_settings"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    number_template: Mapped[str] = mapped_column(String(120))
    electronic_delivery: Mapped[bool] = mapped_column(Boolean, default=False)
