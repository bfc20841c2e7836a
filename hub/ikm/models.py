"""Tables of the survey: who was surveyed (claims) apart from what they answered.

Anonymity is by construction: a :class:`SurveyResponse` holds the office, the service, the
(Jakarta) day and the nine scores, and no column that leads to a ticket or a person; the
claim that makes a request's survey "done" holds only the ticket id, with no time that
could be matched against a response. Both are written in one transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.models import Base

SCORE_CHECK = "BETWEEN 1 AND 4"


class SurveyClaim(Base):
    """The request ``ticket_id`` has had its survey (the primary key: once per request)."""

    __tablename__ = "ikm_claims"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)


class SurveyResponse(Base):
    """One anonymous answer: the nine elements' scores (1–4) for a service of an office."""

    __tablename__ = "ikm_responses"
    __table_args__ = tuple(
        CheckConstraint(f"u{i} {SCORE_CHECK}", name=f"u{i}") for i in range(1, 10)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)


class CallRating(Base):
    """The callee's one-tap rating (1–4) of an answered call; one per call."""

    __tablename__ = "call_ratings"
    __table_args__ = (CheckConstraint(f"rating {SCORE_CHECK}", name="rating"),)

    call_id: Mapped[str] = mapped_column(String(32), ForeignKey("calls.id"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
