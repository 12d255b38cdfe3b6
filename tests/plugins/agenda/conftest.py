"""The `h` fixture of the agenda plugin's unit tests (helpers are in agenda_support.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from agenda_support import agenda_harness

from bot.testing.harness import Harness


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await agenda_harness()
    yield harness
    await harness.close()
