"""The hub's clock starts where a test says: ``@pytest.mark.parametrize("clock", [when],
indirect=True)`` (logins of the test world last a day, so a test starts on its day)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.clock import FakeClock


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock:
    start: datetime | None = getattr(request, "param", None)
    return FakeClock(start)
