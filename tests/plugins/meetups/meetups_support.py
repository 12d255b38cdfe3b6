"""Helpers for the meetups plugin: a Harness with meetups alone (sheets need no other plugin)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest_asyncio

from bot.clock import FakeClock
from bot.testing.harness import Harness, make_config
from plugins.meetups import Meetups

# Years ahead of the wall clock: the real scheduler never fires a reminder by itself during a test
# (tests call `remind` when they move the fake clock there).
START = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)


async def meetups_harness(
    data_dir: Any = ":memory:", *, start: datetime = START, **section: Any
) -> Harness:
    config = make_config(data_dir, meetups=section)
    return await Harness.create(config, plugins={"meetups": Meetups}, clock=FakeClock(start))


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await meetups_harness()
    yield harness
    await harness.close()
