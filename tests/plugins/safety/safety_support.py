"""Helpers for the safety plugin: a Harness with safety alone, a safety room and a direct chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest_asyncio

from bot.config import RoomsConfig
from bot.testing.harness import LOBBY, Harness, make_config
from plugins.safety import Safety

SAFETY_ROOM = "!safety:test"


def dm(user_id: str) -> str:
    """The id of a person's direct chat with the bot in these tests (two members: them and the bot)."""
    return f"!dm-{user_id.lstrip('@').split(':')[0]}:test"


async def safety_harness(*, safety_room: bool = True, path: Any = None, **section: Any) -> Harness:
    rooms = RoomsConfig(lobby=LOBBY, safety=SAFETY_ROOM if safety_room else "")
    config = make_config(rooms=rooms, safety=section)
    if path is not None:
        config = replace(config, path=path)
    return await Harness.create(config, plugins={"safety": Safety})


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await safety_harness()
    yield harness
    await harness.close()
