"""The `h` fixture of the topics plugin's unit tests (helpers are in topics_support.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from topics_support import topics_harness

from bot.testing.harness import Harness


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await topics_harness()
    yield harness
    await harness.close()
