"""Agenda: the grid of slots and locations, scheduling topics into it, and showing it (table and iCalendar)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.arguments import Choice, Date, Id, Text, TimeRange
from bot.commands import Context, command
from bot.errors import NotFound, PermissionDenied, UserError
from bot.i18n import Raw, T
from bot.memo import Memo
from bot.notices import Html
from bot.plugin import Plugin, subscribe
from bot.roles import Role
from bot.storage import Tx

from . import ics
from .config import AgendaConfig
from .grid import (
    AgendaDay,
    NameAndCap,
    SlotAndPlace,
    check_label,
    check_name,
    event_day,
    slot_code_number,
    slot_span,
    slot_text,
)
from .messages import MESSAGES
from .migrations import migrations
from .store import GRID_TABLES, AgendaStore, Booking, Location, Slot
from .view import Cell, Words, day_messages, packed

__all__ = ["PLUGIN", "Agenda", "Booking", "Location", "Slot"]

Occupancy = Callable[[Tx, list[int]], Awaitable[dict[int, tuple[int, int]]]]
Mine = Callable[[Tx, str], Awaitable[list[int]]]
OPEN_STATES = ("proposed", "scheduled")


class Agenda(Plugin):
    name = "agenda"
    requires = ("topics",)
    migrations = migrations
    messages = MESSAGES
    Config = AgendaConfig
    config: AgendaConfig

    def __init__(self, core: Any, config: AgendaConfig, log: Any) -> None:
        super().__init__(core, config, log)
        self.store = AgendaStore(core.db)
        # The agenda's messages as last shown, while the grid stays and no seat count or title changes:
        # most `!agenda` calls find the same grid as the one before (a few keys: days, zone, language).
        self._shown: Memo[tuple[Html, ...]] = Memo(core.db, GRID_TABLES, max_entries=8)
        # The slots grouped by event day, for every `!agenda` until a slot changes (keyed by the zone).
        self._slot_days: Memo[dict[date, tuple[Slot, ...]]] = Memo(core.db, GRID_TABLES, max_entries=2)
        self._occupancy: Occupancy | None = None
        self._mine: Mine | None = None

    async def start(self) -> None:
        async with self.db.transaction() as tx:
            await self._seed(tx)

    # --- public API (CONTRACT.md) ---

    async def booking(self, tx: Tx, topic_id: int) -> Booking | None:
        return await self.store.booking(tx, topic_id)

    async def bookings(self, tx: Tx, slot_id: int | None = None) -> list[Booking]:
        return await self.store.bookings(tx, slot_id=slot_id)

    async def location_caps(self, tx: Tx) -> dict[int, int | None]:
        """Topic id → the capacity of the location it is booked in (None: not given), for all bookings:
        cheaper than reading the bookings when only the seats matter."""
        return await self.store.location_caps(tx)

    async def slots(self, tx: Tx) -> list[Slot]:
        return await self.store.slots(tx)

    def grid_version(self) -> int:
        """A number that changes whenever a slot, a location or a booking does (and at the rollback of
        such a change): the key of what another plugin keeps that it derived from the grid."""
        return self.db.version(GRID_TABLES)

    async def booked_slots(self, tx: Tx) -> list[Slot]:
        """The slots holding at least one session, by start."""
        return await self.store.booked_slots(tx)

    async def slot_by_ref(self, tx: Tx, ref: str) -> Slot | None:
        """`S1`, `s1`, `1` or the slot's label (any case)."""
        number = slot_code_number(ref)
        if number is not None:
            return await self.store.slot(tx, number)
        return await self.store.slot_by_label(tx, " ".join(ref.split()))

    def set_occupancy(self, provider: Occupancy) -> None:
        self._occupancy = provider

    def set_mine(self, provider: Mine) -> None:
        self._mine = provider

    # --- slots ---

    @command(
        "slot add",
        help="agenda.help.slot_add",
        args=[Date("date"), TimeRange("time", overnight=True), Text("label", required=False, max_length=40)],
        role=Role.ORGANIZER,
        example="!slot add 2026-11-28 10:00-10:45 Morning",
    )
    async def slot_add(
        self, ctx: Context, date: date, time: tuple[time, time], label: str | None
    ) -> None:
        starts_at, ends_at = slot_span(date, time[0], time[1], self.core.config.tz)
        label = check_label(label) if label else None
        await self._refuse_overlap(ctx.tx, starts_at, ends_at)
        if label and await self.store.slot_by_label(ctx.tx, label):
            raise UserError(T("agenda.label_taken", label=label))
        slot = await self.store.add_slot(ctx.tx, starts_at, ends_at, label)
        await ctx.reply(T("agenda.slot_added", slot=slot_text(slot, await ctx.timezone())))

    @command(
        "slot remove",
        help="agenda.help.slot_remove",
        args=[Text("slot", max_length=60)],
        role=Role.ORGANIZER,
        example="!slot remove S3",
    )
    async def slot_remove(self, ctx: Context, slot: str) -> None:
        found = await self._require_slot(ctx.tx, slot)
        self._refuse_if_booked(
            await self.store.bookings(ctx.tx, slot_id=found.id),
            "agenda.slot_in_use",
            slot=found.code,
        )
        await self.store.remove_slot(ctx.tx, found.id)
        await ctx.reply(T("agenda.slot_removed", slot=slot_text(found, await ctx.timezone())))

    @command("slots", help="agenda.help.slots")
    async def slots_command(self, ctx: Context) -> None:
        slots = await self.store.slots(ctx.tx)
        if not slots:
            raise UserError(
                T(
                    "agenda.no_slots",
                    slot_add=self._cmd("slot add <YYYY-MM-DD> <HH:MM>-<HH:MM> [label]"),
                )
            )
        tz = await ctx.timezone()
        counts: dict[int, int] = {}
        for b in await self.store.bookings(ctx.tx):
            counts[b.slot.id] = counts.get(b.slot.id, 0) + 1
        lines = [
            "- "
            + self._render(
                ctx, T("agenda.slot_line", slot=slot_text(s, tz), sessions=counts.get(s.id, 0))
            )
            for s in slots
        ]
        await ctx.reply([T("agenda.slots_header", count=len(slots)), Raw("\n".join(lines))])

    # --- locations ---

    @command(
        "location add",
        help="agenda.help.location_add",
        args=[NameAndCap("name", max_length=200)],
        role=Role.ORGANIZER,
        example="!location add Room A cap 20",
    )
    async def location_add(self, ctx: Context, name: tuple[str, int | None]) -> None:
        location_name, cap = name
        if await self.store.location_by_name(ctx.tx, location_name):
            raise UserError(T("agenda.location_exists", name=location_name))
        location = await self.store.add_location(ctx.tx, location_name, cap)
        await ctx.reply(T("agenda.location_added", location=self._location_text(location)))

    @command(
        "location remove",
        help="agenda.help.location_remove",
        args=[Text("name", max_length=200)],
        role=Role.ORGANIZER,
        example="!location remove Room A",
    )
    async def location_remove(self, ctx: Context, name: str) -> None:
        location = await self._require_location(ctx.tx, name)
        booked = await self.store.bookings(ctx.tx, location_id=location.id)
        self._refuse_if_booked(booked, "agenda.location_in_use", name=location.name)
        await self.store.remove_location(ctx.tx, location.id)
        await ctx.reply(T("agenda.location_removed", name=location.name))

    @command("locations", help="agenda.help.locations")
    async def locations_command(self, ctx: Context) -> None:
        locations = await self.store.locations(ctx.tx)
        if not locations:
            raise UserError(
                T("agenda.no_locations", location_add=self._cmd("location add <name> [cap <n>]"))
            )
        lines = ["- " + self._render(ctx, self._location_text(loc)) for loc in locations]
        await ctx.reply([T("agenda.locations_header", count=len(locations)), Raw("\n".join(lines))])

    # --- scheduling ---

    @command(
        "schedule",
        help="agenda.help.schedule",
        args=[Id("topic"), SlotAndPlace("slot", max_length=200)],
        example="!schedule 3 S1 Room A",
    )
    async def schedule(self, ctx: Context, topic: int, slot: str) -> None:
        """`<slot> [<location>]` are parsed together: labels and location names may have spaces."""
        found = await self.plugin("topics").require(ctx.tx, topic)
        if found.state not in OPEN_STATES:
            raise UserError(
                T("agenda.not_schedulable", id=found.id, state=T(f"agenda.state.{found.state}"))
            )
        organizer = ctx.has(Role.ORGANIZER)
        if not organizer and ctx.sender != found.proposer:
            raise PermissionDenied(T("agenda.schedule_not_yours", id=found.id))
        target_slot, location = await self._slot_and_location(ctx.tx, slot)
        current = await self.store.booking(ctx.tx, found.id)
        if current is not None and not organizer:
            raise PermissionDenied(T("agenda.move_is_for_organizers", id=found.id))
        free = await self._free_locations(ctx.tx, target_slot)
        if location is None:
            if not free:
                raise UserError(T("agenda.slot_full", slot=target_slot.code))
            location = free[0]
        occupant = await self.store.occupant(ctx.tx, target_slot.id, location.id)
        if occupant == found.id:
            raise UserError(
                T(
                    "agenda.already_there",
                    id=found.id,
                    slot=target_slot.code,
                    location=location.name,
                )
            )
        if occupant is not None:
            raise UserError(
                T(
                    "agenda.cell_taken",
                    slot=target_slot.code,
                    location=location.name,
                    id=occupant,
                    free=[loc.name for loc in free] or T("agenda.none_free"),
                )
            )
        await self.store.book(ctx.tx, found.id, target_slot.id, location.id)
        await self.plugin("topics").set_state(ctx.tx, found.id, "scheduled")
        await self.core.bus.emit(ctx.tx, "agenda.scheduled", topic_id=found.id)
        key = "agenda.moved" if current is not None else "agenda.scheduled"
        when = slot_text(target_slot, await ctx.timezone())
        await ctx.reply(T(key, id=found.id, title=found.title, slot=when, location=location.name))

    @command(
        "unschedule",
        help="agenda.help.unschedule",
        args=[Id("topic")],
        role=Role.ORGANIZER,
        example="!unschedule 3",
    )
    async def unschedule(self, ctx: Context, topic: int) -> None:
        found = await self.plugin("topics").require(ctx.tx, topic)
        if not await self.store.unbook(ctx.tx, found.id):
            raise UserError(T("agenda.not_scheduled", id=found.id))
        if found.state == "scheduled":
            await self.plugin("topics").set_state(ctx.tx, found.id, "proposed")
        await self.core.bus.emit(ctx.tx, "agenda.unscheduled", topic_id=found.id)
        await ctx.reply(T("agenda.unscheduled", id=found.id, title=found.title))

    # --- showing the agenda ---

    @command(
        "agenda",
        help="agenda.help.agenda",
        args=[AgendaDay("day")],
        example="!agenda today",
    )
    async def agenda(self, ctx: Context, day: str | None) -> None:
        event_tz = self.core.config.tz
        by_day = await self._slot_days.get(event_tz, lambda: self._slots_by_day(ctx.tx, event_tz))
        if not by_day:
            raise UserError(
                T(
                    "agenda.no_slots",
                    slot_add=self._cmd("slot add <YYYY-MM-DD> <HH:MM>-<HH:MM> [label]"),
                )
            )
        today = ctx.now.astimezone(event_tz).date()
        # After midnight, a night slot still running keeps its day (the one it began on) in view.
        running = [d for d, slots in by_day.items() for s in slots if s.starts_at <= ctx.now < s.ends_at]
        days = self._days(list(by_day), day, today, since=min(running, default=today))
        locations = await self.store.locations(ctx.tx)
        shown = [s.id for d in days for s in by_day[d]]
        occupants, titles, occupancy = await self._cell_inputs(ctx.tx, shown)
        tz = await ctx.timezone()
        lang = ctx.lang

        async def render() -> tuple[Html, ...]:
            cells = self._cells(occupants, titles, occupancy, locations)
            template = self.core.catalogue.template
            messages: list[Html] = []
            for d in days:
                words = Words(
                    heading=template("agenda.grid_heading", lang).format(
                        day=d.isoformat(), zone=tz.key
                    ),
                    continued=template("agenda.grid_continued", lang),
                    time=template("agenda.grid_time", lang),
                    free=template("agenda.grid_free", lang),
                )
                messages += day_messages(by_day[d], locations, cells, tz, words)
            return tuple(packed(messages))

        # The grid (the memo's tables) gives the days' slots, the locations and each topic's cell; the
        # titles and seat counts of these topics, the rest. Compared as read, without making the cells.
        topic_ids = tuple(occupants.values())
        shown_key = (
            tuple(days),
            tz,
            lang,
            topic_ids,
            tuple(map(titles.get, topic_ids)),
            tuple(map(occupancy.get, topic_ids)),
        )
        for message in await self._shown.get(shown_key, render):
            await ctx.reply(message)

    @command(
        "agenda ics",
        help="agenda.help.ics",
        args=[Choice("mine", choices=("mine",), required=False)],
        example="!agenda ics mine",
    )
    async def agenda_ics(self, ctx: Context, mine: str | None) -> None:
        bookings = await self.store.bookings(ctx.tx)
        if mine:
            wanted = set(await self._mine(ctx.tx, ctx.sender)) if self._mine else set()
            topics = await self.plugin("topics").many(ctx.tx, [b.topic_id for b in bookings])
            wanted |= {i for i, t in topics.items() if t.proposer == ctx.sender}
            bookings = [b for b in bookings if b.topic_id in wanted]
        if not bookings:
            raise UserError(T("agenda.ics_empty_mine" if mine else "agenda.ics_empty"))
        topics = await self.plugin("topics").many(ctx.tx, [b.topic_id for b in bookings])
        revisions = await self.store.revisions(ctx.tx, [b.topic_id for b in bookings])
        entries = [
            ics.Entry(
                topic_id=b.topic_id,
                title=topics[b.topic_id].title,
                description=topics[b.topic_id].description,
                starts_at=b.slot.starts_at,
                ends_at=b.slot.ends_at,
                location=b.location.name,
                revision=revisions.get(b.topic_id, 1),
            )
            for b in bookings
            if b.topic_id in topics
        ]
        event_name = self.core.config.core.event.name
        data = ics.calendar(event_name, entries, ctx.now)
        filename = f"{ics.slug(event_name)}{'-mine' if mine else ''}.ics"
        await ctx.reply_file(data, filename=filename, mimetype="text/calendar")

    # --- topics that go away leave the grid ---

    @subscribe("topics.withdrawn")
    async def on_withdrawn(self, tx: Tx, topic_id: int) -> None:
        # No agenda.unscheduled: "topics.withdrawn" already tells everyone (sessions stops the session).
        await self.store.unbook(tx, topic_id)

    @subscribe("topics.merged")
    async def on_merged(self, tx: Tx, source: int, target: int) -> None:
        # No agenda.unscheduled: sessions moves the source's sign-ups on "topics.merged" itself.
        await self.store.unbook(tx, source)

    async def export(self, tx: Tx) -> dict[str, Any]:
        return await self.store.export(tx)

    # --- helpers ---

    def _cmd(self, text: str) -> Raw:
        return Raw(f"`{self.core.config.core.bot.prefix}{text}`")

    def _render(self, ctx: Context, text: T) -> str:
        return self.core.catalogue.render(text, ctx.lang)

    @staticmethod
    def _refuse_if_booked(booked: list[Booking], key: str, **values: Any) -> None:
        """Slots and locations holding sessions stay: the sessions must be moved first."""
        if booked:
            raise UserError(T(key, topics=[f"#{b.topic_id}" for b in booked], **values))

    @staticmethod
    def _location_text(location: Location) -> T:
        if location.cap is None:
            return T("agenda.location_line", name=location.name)
        return T("agenda.location_line_cap", name=location.name, cap=location.cap)

    async def _require_slot(self, tx: Tx, ref: str) -> Slot:
        slot = await self.slot_by_ref(tx, ref)
        if slot is None:
            raise NotFound(T("agenda.no_such_slot", ref=ref[:60], slots=self._cmd("slots")))
        return slot

    async def _require_location(self, tx: Tx, name: str) -> Location:
        location = await self.store.location_by_name(tx, check_name(name))
        if location is None:
            names = [loc.name for loc in await self.store.locations(tx)] or T("agenda.none_free")
            raise NotFound(T("agenda.no_such_location", name=name[:60], locations=names))
        return location

    async def _slot_and_location(self, tx: Tx, text: str) -> tuple[Slot, Location | None]:
        """The shortest slot reference that leaves a known location (or nothing) after it."""
        words = text.split()
        after_slot: str | None = None  # what follows the first slot reference found
        for i in range(1, len(words) + 1):
            slot = await self.slot_by_ref(tx, " ".join(words[:i]))
            if slot is None:
                continue
            rest = " ".join(words[i:])
            if after_slot is None:
                after_slot = rest
            if not rest:
                return slot, None
            location = await self.store.location_by_name(tx, rest)
            if location is not None:
                return slot, location
        if after_slot is not None:  # a slot (a label may have spaces), then no location of that name
            await self._require_location(tx, after_slot)
        raise NotFound(
            T("agenda.no_such_slot", ref=words[0][:60] if words else "", slots=self._cmd("slots"))
        )

    async def _free_locations(self, tx: Tx, slot: Slot) -> list[Location]:
        taken = {b.location.id for b in await self.store.bookings(tx, slot_id=slot.id)}
        return [loc for loc in await self.store.locations(tx) if loc.id not in taken]

    async def _refuse_overlap(self, tx: Tx, starts_at: datetime, ends_at: datetime) -> None:
        clashes = await self.store.overlapping(tx, starts_at, ends_at)
        if clashes:
            raise UserError(T("agenda.slot_overlaps", slots=[s.code for s in clashes]))

    async def _slots_by_day(self, tx: Tx, event_tz: ZoneInfo) -> dict[date, tuple[Slot, ...]]:
        """Event day → its slots by start, the days in order."""
        by_day: dict[date, list[Slot]] = {}
        for s in await self.store.slots(tx):
            by_day.setdefault(event_day(s, event_tz), []).append(s)
        return {d: tuple(by_day[d]) for d in sorted(by_day)}

    async def _cell_inputs(
        self, tx: Tx, slot_ids: list[int]
    ) -> tuple[dict[tuple[int, int], int], dict[int, str], dict[int, tuple[int, int]]]:
        """What the cells of these slots are made of, in a few queries: (slot id, location id) → topic id,
        the topics' titles, and (joined, cap) of those the sessions provider knows."""
        occupants = await self.store.occupants(tx, slot_ids)
        ids = list(occupants.values())
        titles = await self.plugin("topics").titles(tx, ids)
        occupancy = await self._occupancy(tx, ids) if self._occupancy and ids else {}
        return occupants, titles, occupancy

    def _cells(
        self,
        occupants: dict[tuple[int, int], int],
        titles: dict[int, str],
        occupancy: dict[int, tuple[int, int]],
        locations: list[Location],
    ) -> dict[tuple[int, int], Cell]:
        """The grid's cells (see `_cell_inputs`), keyed by (slot id, location id)."""
        caps = {loc.id: loc.cap or self.config.default_cap for loc in locations}
        cells = {}
        for (slot_id, location_id), topic_id in occupants.items():
            joined, cap = occupancy.get(topic_id, (0, caps[location_id]))
            title = titles.get(topic_id, "?")
            cells[(slot_id, location_id)] = Cell(topic_id, title, joined, cap)
        return cells

    @staticmethod
    def _days(days: list[date], choice: str | None, today: date, since: date) -> list[date]:
        """`today`, a date, `all`, or (nothing) the days from `since` on, else all."""
        if choice is None:
            return [d for d in days if d >= since] or days
        if choice.lower() == "all":
            return days
        if choice.lower() == "today":
            wanted = today
        else:
            wanted = Date("day").convert(choice)
        if wanted not in days:
            raise UserError(
                T("agenda.no_slots_on", day=wanted.isoformat(), days=[d.isoformat() for d in days])
            )
        return [wanted]

    async def _seed(self, tx: Tx) -> None:
        """Slots and locations from the config, idempotently (a restart adds nothing twice)."""
        for seed in self.config.locations:
            name = check_name(seed.name)
            existing = await self.store.location_by_name(tx, name)
            if existing is None:
                await self.store.add_location(tx, name, seed.cap)
            elif existing.cap != seed.cap:
                await self.store.set_cap(tx, existing.id, seed.cap)
        for seed in self.config.slots:
            try:
                starts_at, ends_at = slot_span(seed.day, *seed.times, self.core.config.tz)
                label = check_label(seed.label) if seed.label else None
            except UserError as err:
                self.log.error(
                    "[agenda] slot %s %s-%s skipped: %s", seed.date, seed.start, seed.end, err
                )
                continue
            clashes = await self.store.overlapping(tx, starts_at, ends_at)
            if any(s.starts_at == starts_at and s.ends_at == ends_at for s in clashes):
                continue  # seeded before
            if clashes or (label and await self.store.slot_by_label(tx, label)):
                self.log.error(
                    "[agenda] slot %s %s-%s skipped: it overlaps %s or its label is taken",
                    seed.date,
                    seed.start,
                    seed.end,
                    ", ".join(s.code for s in clashes) or "no slot",
                )
                continue
            await self.store.add_slot(tx, starts_at, ends_at, label)


PLUGIN = Agenda
