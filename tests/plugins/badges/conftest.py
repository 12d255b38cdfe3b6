"""Fixtures for the badges plugin: a Harness with badges alone (it needs no other plugin)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

# tests/plugins (no __init__.py) must not shadow the real `plugins` package.
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("plugins"), "__file__", "") is None:
    for _name in [m for m in sys.modules if m == "plugins" or m.startswith("plugins.")]:
        del sys.modules[_name]

from bot.testing.harness import Harness, make_config  # noqa: E402
from plugins.badges import Badges  # noqa: E402


async def badges_harness(**sections) -> Harness:
    return await Harness.create(make_config(**sections), plugins={"badges": Badges})


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await badges_harness()
    yield harness
    await harness.close()
