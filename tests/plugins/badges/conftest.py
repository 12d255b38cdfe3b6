"""Fixtures for the badges plugin: a Harness with badges alone (it needs no other plugin)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.testing.harness import Harness, make_config
from plugins.badges import Badges


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await Harness.create(make_config(), plugins={"badges": Badges})
    yield harness
    await harness.close()
