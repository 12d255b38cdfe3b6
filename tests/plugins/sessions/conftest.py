"""Fixtures for the sessions plugin: a Harness with topics, agenda and sessions, and an organizer's helpers."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest_asyncio

# tests/plugins (no __init__.py) on pytest's sys.path would shadow the real `plugins` package as a
# namespace package; put the checkout first and drop a namespace import made before us.
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("plugins"), "__file__", "") is None:
    for _name in [m for m in sys.modules if m == "plugins" or m.startswith("plugins.")]:
        del sys.modules[_name]

from bot.clock import FakeClock  # noqa: E402
from bot.testing.harness import ORGANIZER, Harness, make_config  # noqa: E402
from plugins.sessions import Sessions  # noqa: E402

STUB_AGENDA = True  # until plugins/agenda lands
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
    classes = (
        discover_plugins(["topics", "sessions"])
        if STUB_AGENDA
        else discover_plugins(["topics", "agenda", "sessions"])
    )
    if STUB_AGENDA:
        classes["agenda"] = StubAgenda
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
        if ev.h.bot.db._conn is not None:
            await ev.h.close()


# --- a stand-in for plugins/agenda until it lands (same commands and CONTRACT.md API) ---

from bot.arguments import Date, Id, TimeRange, Word  # noqa: E402
from bot.commands import Context, command  # noqa: E402
from bot.i18n import Raw  # noqa: E402
from bot.plugin import Plugin  # noqa: E402
from bot.roles import Role  # noqa: E402
from bot.storage import Migrations, Tx  # noqa: E402

stub_migrations = Migrations("agenda")
stub_migrations.step(
    1,
    """
    CREATE TABLE agenda_slot (id INTEGER PRIMARY KEY, starts_at TEXT, ends_at TEXT);
    CREATE TABLE agenda_location (id INTEGER PRIMARY KEY, name TEXT UNIQUE, cap INTEGER);
    CREATE TABLE agenda_booking (topic_id INTEGER PRIMARY KEY, slot_id INTEGER, location_id INTEGER);
    """,
)


@dataclass(frozen=True)
class Slot:
    id: int
    code: str
    label: str | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Location:
    id: int
    name: str
    cap: int | None


@dataclass(frozen=True)
class Booking:
    topic_id: int
    slot: Slot
    location: Location


class StubAgenda(Plugin):
    name = "agenda"
    requires = ("topics",)
    migrations = stub_migrations
    messages = {"agenda.ok": {"en": "{text}", "zh-TW": "{text}"}}

    def set_occupancy(self, provider: Any) -> None:
        self.occupancy = provider

    def set_mine(self, provider: Any) -> None:
        self.mine = provider

    def _slot(self, r: Any) -> Slot:
        return Slot(
            r["id"],
            f"S{r['id']}",
            None,
            datetime.fromisoformat(r["starts_at"]),
            datetime.fromisoformat(r["ends_at"]),
        )

    async def slots(self, tx: Tx) -> list[Slot]:
        return [
            self._slot(r) for r in await tx.fetchall("SELECT * FROM agenda_slot ORDER BY starts_at")
        ]

    async def slot_by_ref(self, tx: Tx, ref: str) -> Slot | None:
        number = ref.upper().removeprefix("S")
        r = (
            await tx.fetchone("SELECT * FROM agenda_slot WHERE id = ?", (int(number),))
            if number.isdigit()
            else None
        )
        return self._slot(r) if r else None

    async def bookings(self, tx: Tx, slot_id: int | None = None) -> list[Booking]:
        rows = await tx.fetchall(
            "SELECT b.topic_id, s.id AS sid, s.starts_at, s.ends_at, l.id AS lid, l.name, l.cap FROM agenda_booking b "
            "JOIN agenda_slot s ON s.id = b.slot_id JOIN agenda_location l ON l.id = b.location_id "
            "WHERE ? IS NULL OR s.id = ? ORDER BY s.starts_at, l.name",
            (slot_id, slot_id),
        )
        return [
            Booking(
                r["topic_id"],
                self._slot({"id": r["sid"], "starts_at": r["starts_at"], "ends_at": r["ends_at"]}),
                Location(r["lid"], r["name"], r["cap"]),
            )
            for r in rows
        ]

    async def booking(self, tx: Tx, topic_id: int) -> Booking | None:
        return next((b for b in await self.bookings(tx) if b.topic_id == topic_id), None)

    @command(
        "slot add", help="agenda.ok", args=[Date("date"), TimeRange("times")], role=Role.ORGANIZER
    )
    async def slot_add(self, ctx: Context, date: Any, times: Any) -> None:
        tz = self.core.config.tz
        start = datetime.combine(date, times[0], tz)
        end = datetime.combine(date, times[1], tz)
        await ctx.tx.execute(
            "INSERT INTO agenda_slot (starts_at, ends_at) VALUES (?, ?)",
            (start.isoformat(), end.isoformat()),
        )
        await ctx.reply(Raw("ok"))

    @command(
        "location add",
        help="agenda.ok",
        args=[Word("name"), Word("cap", required=False), Word("n", required=False)],
        role=Role.ORGANIZER,
    )
    async def location_add(self, ctx: Context, name: str, cap: str | None, n: str | None) -> None:
        await ctx.tx.execute(
            "INSERT INTO agenda_location (name, cap) VALUES (?, ?)", (name, int(n) if n else None)
        )
        await ctx.reply(Raw("ok"))

    @command(
        "schedule",
        help="agenda.ok",
        args=[Id("topic"), Word("slot"), Word("location")],
        role=Role.ORGANIZER,
    )
    async def schedule(self, ctx: Context, topic: int, slot: str, location: str) -> None:
        found = await self.slot_by_ref(ctx.tx, slot)
        assert found is not None
        lid = await ctx.tx.fetchval("SELECT id FROM agenda_location WHERE name = ?", (location,))
        await ctx.tx.execute(
            "INSERT OR REPLACE INTO agenda_booking VALUES (?, ?, ?)", (topic, found.id, lid)
        )
        await self.core.plugins["topics"].set_state(ctx.tx, topic, "scheduled")
        await self.core.bus.emit(ctx.tx, "agenda.scheduled", topic_id=topic)
        await ctx.reply(Raw(f"#{topic} scheduled"))

    @command("unschedule", help="agenda.ok", args=[Id("topic")], role=Role.ORGANIZER)
    async def unschedule(self, ctx: Context, topic: int) -> None:
        await ctx.tx.execute("DELETE FROM agenda_booking WHERE topic_id = ?", (topic,))
        await self.core.plugins["topics"].set_state(ctx.tx, topic, "proposed")
        await self.core.bus.emit(ctx.tx, "agenda.unscheduled", topic_id=topic)
        await ctx.reply(Raw(f"#{topic} unscheduled"))
