"""Payloads of the calendar's admin endpoints (unknown fields refused)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from hub.errors import Invalid
from hub.schemas import Payload

DateText = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


class CutiIn(Payload):
    date: DateText
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]


class CutiYearIn(Payload):
    days: Annotated[list[CutiIn], Field(max_length=60)]

    def parsed(self) -> list[tuple[date, str]]:
        out: list[tuple[date, str]] = []
        for i, d in enumerate(self.days):
            try:
                out.append((date.fromisoformat(d.date), d.name))
            except ValueError:
                raise Invalid("date_invalid", field=f"days.{i}.date") from None
        return out
