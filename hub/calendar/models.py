"""The cuti bersama days (collective leave) an admin sets per year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.models import Base


class CutiBersama(Base):
    """A day every office is closed besides the national holidays (set per year)."""

    __tablename__ = "cuti_bersama"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
