"""Shared fixtures: one real Synapse per test session, people as real nio clients, the bot as a subprocess."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.testing.matrix import TestUser
from bot.testing.process import BotProcess
from bot.testing.synapse import Synapse

_names = itertools.count(1)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real homeserver on 127.0.0.1. If it cannot start, every test using it fails (SynapseError) — never skips."""
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture
async def new_user(synapse: Synapse, tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[TestUser]]]:
    users: list[TestUser] = []

    async def make(name: str = "user", *, encrypted: bool = False) -> TestUser:
        account = await synapse.aregister(f"{name}-{next(_names)}")
        user = TestUser(synapse.url, account, store_dir=tmp_path / f"store-{account.device_id}" if encrypted else None)
        await user.start()
        users.append(user)
        return user

    yield make
    for user in users:
        await user.close()


@pytest_asyncio.fixture
async def start_flipchart(synapse: Synapse, tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[BotProcess]]]:
    bots: list[BotProcess] = []

    async def make(
        *,
        organizers: list[str] = (),  # type: ignore[assignment]
        moderators: list[str] = (),  # type: ignore[assignment]
        safety: list[str] = (),  # type: ignore[assignment]
        rooms: dict[str, str] | None = None,
        extra: dict[str, dict[str, Any]] | None = None,
        account: Any = None,
        start: bool = True,
    ) -> BotProcess:
        account = account or await synapse.aregister(f"flipchart-{next(_names)}")
        sections: dict[str, dict[str, Any]] = {
            "roles": {"organizers": list(organizers), "moderators": list(moderators), "safety": list(safety)},
            "rooms": dict(rooms or {}),
        }
        for name, values in (extra or {}).items():
            sections.setdefault(name, {}).update(values)
        bot = BotProcess(tmp_path / f"bot-{len(bots)}", synapse.url, account, sections)
        bots.append(bot)
        if start:
            await bot.start()
        return bot

    yield make
    for bot in bots:
        await bot.kill()


@pytest_asyncio.fixture
async def bot_account(synapse: Synapse) -> Any:
    """An account for the bot registered ahead of time (to invite it before it starts)."""
    return await synapse.aregister(f"flipchart-{next(_names)}")
