"""Fixtures for the notes plugin (helpers in notes_helpers.py: conftest modules share one name)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from notes_helpers import Event, notes_harness


@pytest_asyncio.fixture
async def ev() -> AsyncIterator[Event]:
    h = await notes_harness()
    yield Event(h)
    await h.close()
