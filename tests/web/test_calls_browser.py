"""The officer calls, the citizen accepts; both see the other's video; the call is logged."""

from __future__ import annotations

import pytest

from tests.web.calls import video_call
from tests.web.conftest import Pages

pytestmark = pytest.mark.browser


async def test_video_call_between_officer_and_citizen(pages: Pages) -> None:
    _officer, _citizen, pairs = await video_call(pages)
    assert all(pair is not None for pair in pairs)
