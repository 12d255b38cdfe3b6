"""Fixtures for the sessions plugin: a Harness with topics, agenda and sessions, and an organizer's helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest_asyncio

from bot.clock import FakeClock
from bot.testing.harness import ORGANIZER, Harness, make_config
from plugins.sessions import Sessions

START = datetime.fromisoformat("2026-11-28T09:00:00+00:00")


@dataclass
class Event:
    """Builds an event through the real topics and agenda commands, as an organizer would."""

    h: Harness
    start: datetime = START
    slots: dict[datetime, str] = field(default_factory=dict)
    locations: set[str] = field(default_factory=set)

    @property
    def sessions(self) -> Sessions:
        return self.h.bot.core.plugins["sessions"]  # type: ignore[return-value]

    async def topic(self, title: str, proposer: str = ORGANIZER) -> int:
        reply = await self.h.reply_text(proposer, f"!propose {title}")
        return int(reply.split("#", 1)[1].split()[0].rstrip(".,:;)）"))

    async def slot(self, starts: datetime, minutes: int = 60) -> str:
        if starts not in self.slots:
            ends = starts + timedelta(minutes=minutes)
            await self.h.say(ORGANIZER, f"!slot add {starts:%Y-%m-%d} {starts:%H:%M}-{ends:%H:%M}")
            self.slots[starts] = f"S{len(self.slots) + 1}"
        return self.slots[starts]

    async def location(self, name: str, cap: int | None = None) -> str:
        if name not in self.locations:
            await self.h.say(ORGANIZER, f"!location add {name}" + (f" cap {cap}" if cap else ""))
            self.locations.add(name)
        return name

    async def session(
        self,
        title: str,
        *,
        starts: datetime | None = None,
        minutes: int = 60,
        location: str | None = None,
        cap: int | None = None,
        proposer: str = ORGANIZER,
    ) -> int:
        """A topic scheduled into a slot and a place (each new location unless named)."""
        topic_id = await self.topic(title, proposer)
        slot = await self.slot(starts or START + timedelta(hours=1), minutes)
        place = await self.location(location or f"Room{topic_id}", cap)
        reply = await self.h.reply_text(ORGANIZER, f"!schedule {topic_id} {slot} {place}")
        assert f"#{topic_id}" in reply, reply
        return topic_id

    def direct(self, user_id: str) -> list[str]:
        """What the bot told this person in their direct chat."""
        rooms = {
            r.room_id
            for r in self.h.transport.rooms.values()
            if r.spec and r.spec.is_direct and user_id in r.spec.invite
        }
        return [
            s.content.get("body", "") for s in self.h.transport.messages() if s.room_id in rooms
        ]

    async def info(self, topic_id: int) -> Any:
        async with self.h.bot.db.transaction() as tx:
            return await self.sessions.info(tx, topic_id)


async def make_event(
    clock: FakeClock | None = None,
    data_dir: Any = ":memory:",
    core: dict[str, Any] | None = None,
    **sessions_config: Any,
) -> Event:
    from bot.app import discover_plugins

    config = make_config(
        data_dir,
        sessions={"create_rooms": False, **sessions_config},
        topics={"max_open_per_person": 0},
        **(core or {}),
    )
    classes = discover_plugins(["topics", "agenda", "sessions"])
    h = await Harness.create(config, plugins=classes, clock=clock or FakeClock(START))
    # Timed jobs would fire on the wall clock; the tests drive the clock with `sessions.tick()` instead.
    h.bot.scheduler.shutdown()
    # Likewise the room worker: tests create the queued rooms with `sessions.rooms.drain()`.
    await h.bot.core.plugins["sessions"].rooms.stop()
    h.bot.router.rate_limiter.limit = 1_000_000  # the organizer sets up many sessions
    return Event(h)


@pytest_asyncio.fixture
async def event() -> AsyncIterator[Event]:
    ev = await make_event()
    yield ev
    await ev.h.close()


@pytest_asyncio.fixture
async def new_event() -> AsyncIterator[Any]:
    """`await new_event(clock=..., data_dir=..., **sessions_config)`; closed at the end of the test."""
    made: list[Event] = []

    async def make(**kwargs: Any) -> Event:
        ev = await make_event(**kwargs)
        made.append(ev)
        return ev

    yield make
    for ev in made:
        if ev.h.bot.db.is_open:
            await ev.h.close()
