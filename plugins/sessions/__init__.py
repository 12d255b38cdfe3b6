"""Capped sessions: seats and waitlists (core.roster), a room per session, and the session's clock."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import fields, replace
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.arguments import Id, Int, Text
from bot.commands import Context, command
from bot.errors import NotFound, PermissionDenied, UsageError, UserError
from bot.events import server_of
from bot.i18n import Raw, T
from bot.memo import Memo
from bot.people import Person
from bot.plugin import Core, Plugin, subscribe
from bot.render import pill
from bot.roles import Role
from bot.storage import Tx

from . import listing, timeline
from .clock import SessionClock
from .config import SessionsConfig
from .messages import MESSAGES
from .migrations import migrations
from .model import (
    Clash,
    Load,
    Seating,
    Session,
    SessionInfo,
    emptiness,
    roster_name,
    topic_of_roster,
)
from .rooms import RoomWorker
from .store import SessionState, SessionStore

__all__ = ["PLUGIN", "Session", "SessionInfo", "Sessions"]

SUGGESTIONS = 3  # how many other sessions a full session's reply proposes
SESSIONS_KEPT = 1024  # sessions kept made, one per topic (a large event: a few thousand sessions)
PERSON_LINES = 1024  # participants' lines kept rendered (a few hundred bytes each)
person_fields = attrgetter(*(f.name for f in fields(Person)))  # a Person's fields, in Person(*…)'s order
ROSTER_ROWS = ("core_roster",)  # where the seats are (rows keyed by roster name)


class Made(NamedTuple):
    """A session as `_make` made it, and the reads of the grid and the store it was made of."""

    booking: Any
    state: SessionState
    session: Session


class KeptOccupancy(NamedTuple):
    """The last answer of `Sessions.occupancy`, and what it was made of."""

    topic_ids: tuple[int, ...]
    seatings: dict[int, Seating]  # the object kept by `_seatings`: a new one at any change
    versions: list[int]  # of the booked sessions' roster rows, in the order of `topic_ids`
    answer: dict[int, tuple[int, int]]


class Sessions(Plugin):
    name = "sessions"
    forgets = "sessions.forgets"
    requires = ("topics", "agenda")
    migrations = migrations
    messages = MESSAGES
    Config = SessionsConfig
    config: SessionsConfig

    def __init__(self, core: Core, config: SessionsConfig, log: logging.Logger) -> None:
        super().__init__(core, config, log)
        self.store = SessionStore(core.db)
        self.rooms = RoomWorker(self)
        self.session_clock = SessionClock(self)
        # `!who` lists the same people again and again. A line depends on nothing but the person (every
        # field of whom it shows) and the language, so a kept line is never out of date. Keyed by the
        # tuple of the person's fields: hashed and compared in C, not by Person's generated methods.
        self._person_line = lru_cache(maxsize=PERSON_LINES)(self._render_person)
        # Every `!join`, `!who` and `!leave` makes its session from the same kept reads (see `_make`), and
        # every `!note` its session with the people (`_with_people`): one of each per topic.
        self._made: dict[int, Made] = {}
        self._with: dict[int, tuple[Session, SessionInfo]] = {}
        # Every booked session's roster and cap, read by every `!agenda` (all of them) and every full
        # `!join` (its slot's): made of the grid (whose version is in the key) and this plugin's caps
        # and steps (the watched tables). Keys: a slot id or None (all), each with a grid version.
        self._seatings: Memo[Any] = Memo(core.db, ("sessions_session", "sessions_step"), max_entries=64)
        # The agenda asks for the seats of the same sessions at every `!agenda`, and about half the time
        # none of their rosters changed since the last: that answer is kept with what it was made of
        # (otherwise only the sessions whose rosters changed are counted again).
        # The rosters' rows are the core's (`core.roster`, which watches them by roster name too).
        core.db.watch_rows("core_roster", "roster")
        self._last_occupancy: KeptOccupancy | None = None

    # --- life cycle ---

    async def start(self) -> None:
        agenda = self.plugin("agenda")
        agenda.set_occupancy(self.occupancy)
        agenda.set_mine(self.seats_of)
        async with self.db.transaction() as tx:
            bookings = await agenda.bookings(tx)
            states = await self.store.states(tx, [b.topic_id for b in bookings])
            sessions = await self._sessions_of(tx, bookings, states)
            await self.store.ensure_many(tx, [s.topic_id for s in sessions])
            if self.config.create_rooms:
                await self.store.queue_rooms(
                    tx, [s.topic_id for s in sessions if s.room_id is None]
                )
        for session in sessions:
            self.session_clock.arm(session, states[session.topic_id].steps)
        if self.config.create_rooms:
            self.rooms.start()

    async def stop(self) -> None:
        await self.rooms.stop()

    # --- public API (CONTRACT.md) ---

    async def info(self, tx: Tx, topic_id: int) -> SessionInfo | None:
        """The scheduled session of this topic, or None when the topic is not on the agenda."""
        session = await self.session(tx, topic_id)
        return await self._with_people(tx, session) if session is not None else None

    async def session(self, tx: Tx, topic_id: int) -> Session | None:
        """Like `info` without the people (two queries fewer): times, place, cap, state, room."""
        booking = await self.plugin("agenda").booking(tx, topic_id)
        if booking is None:
            return None
        topic = await self.plugin("topics").get(tx, topic_id)
        return await self._session(tx, topic, booking) if topic is not None else None

    async def session_for_room(self, tx: Tx, room_id: str) -> int | None:
        return await self.store.topic_of_room(tx, room_id)

    async def occupancy(self, tx: Tx, topic_ids: list[int]) -> dict[int, tuple[int, int]]:
        """(joined, cap) per topic, for the agenda grid (registered with agenda.set_occupancy)."""
        seatings = await self._seatings_by_topic(tx)
        booked = [s for t in topic_ids if (s := seatings.get(t)) is not None]
        wanted = tuple(topic_ids)
        versions = self.db.row_versions(ROSTER_ROWS, [s.roster for s in booked])
        last = self._last_occupancy
        if last is not None and last.topic_ids == wanted and last.seatings is seatings:
            if last.versions == versions:
                return dict(last.answer)
            # Only the sessions whose rosters changed since are counted again (a seat or two, mostly).
            stale = [s for s, now, then in zip(booked, versions, last.versions, strict=True) if now != then]
            answer = dict(last.answer)
        else:
            stale = booked
            answer = dict.fromkeys(topic_ids, (0, self.config.default_cap))  # unbooked ones stay so
        counts = await self.core.roster.counts(tx, [s.roster for s in stale])
        for s in stale:
            answer[s.topic_id] = (counts[s.roster][0], s.cap)
        self._last_occupancy = KeptOccupancy(wanted, seatings, versions, answer)
        return dict(answer)

    async def seats_of(self, tx: Tx, user_id: str) -> list[int]:
        """Topic ids where the person holds a seat (registered with agenda.set_mine)."""
        seats = []
        for roster in await self.core.roster.rosters_of(tx, user_id, "session:"):
            place = await self.core.roster.place(tx, roster, user_id)
            topic_id = topic_of_roster(roster)
            if place is not None and place.state == "seated" and topic_id is not None:
                seats.append(topic_id)
        return sorted(seats)

    # --- commands: seats ---

    @command("join", help="sessions.help.join", args=[Id("session")], example="!join 12")
    async def join(self, ctx: Context, session: int) -> None:
        info = await self._require(ctx.tx, session)
        if info.state == "ended":
            raise UserError(
                T(
                    "sessions.over",
                    id=info.topic_id,
                    title=info.title,
                    sessions=self.cmd("sessions"),
                )
            )
        roster = self.core.roster
        held = await roster.rosters_of(ctx.tx, ctx.sender, "session:")
        if roster_name(info.topic_id) in held:
            current = await roster.place(ctx.tx, roster_name(info.topic_id), ctx.sender)
            if current is not None:
                await ctx.reply(listing.standing(info, current))
                return
        moved = await self._leave_slot(ctx.tx, info, ctx.sender, held)
        place = await roster.join(ctx.tx, roster_name(info.topic_id), ctx.sender, info.cap)
        texts: list[T] = []
        if place.state == "seated":
            await self._invite(ctx.tx, info, [ctx.sender])
            tz = await ctx.timezone()
            texts.append(
                T(
                    "sessions.joined",
                    id=info.topic_id,
                    title=info.title,
                    joined=place.seated,
                    cap=info.cap,
                    when=listing.when(info.starts_at, info.ends_at, tz),
                    location=info.location,
                )
            )
        else:
            texts.append(
                T(
                    "sessions.waitlisted",
                    id=info.topic_id,
                    title=info.title,
                    position=place.position,
                    cap=info.cap,
                )
            )
        # Where the person came from comes right after the outcome; suggestions (full case) last.
        texts.extend(moved)
        if place.state != "seated":
            texts.append(await self._alternatives(ctx.tx, info))
        await ctx.reply(texts)

    @command(
        "leave",
        help="sessions.help.leave",
        args=[Id("session", required=False)],
        example="!leave 12",
    )
    async def leave(self, ctx: Context, session: int | None) -> None:
        topic = await self.plugin("topics").require(ctx.tx, await self._session_arg(ctx, session))
        info = await self._session(ctx.tx, topic)
        # Unscheduled: cap 0 promotes nobody (the waitlist moves up when it is scheduled again); ended:
        # nobody either (a seat in a session that is over is no news).
        was, promoted = await self.core.roster.leave(
            ctx.tx, roster_name(topic.id), ctx.sender, _open_seats(info)
        )
        if not was:
            raise UserError(self._not_signed_up(topic))
        if info is not None:
            await self._promoted(ctx.tx, info, promoted)
        await ctx.reply(T("sessions.left", id=topic.id, title=topic.title))

    def _not_signed_up(self, topic: Any) -> T:
        """`!leave` of a place not held; no "to join it" for a topic that can no longer be joined."""
        if topic.state == "merged" and topic.merged_into is not None:
            target = topic.merged_into
            return T("sessions.not_signed_up_merged", id=topic.id, target=target, leave=self.cmd(f"leave {target}"))
        if topic.state == "withdrawn":
            return T("sessions.not_signed_up_withdrawn", id=topic.id)
        return T("sessions.not_signed_up", id=topic.id, join=self.cmd(f"join {topic.id}"))

    @command(
        "cap",
        help="sessions.help.cap",
        args=[Id("session"), Int("seats", minimum=1, maximum=100_000)],
        role=Role.ORGANIZER,
        example="!cap 12 20",
    )
    async def cap(self, ctx: Context, session: int, seats: int) -> None:
        info = replace(await self._require(ctx.tx, session), cap=seats)
        if info.state == "ended":  # raising it would seat the waitlist in a session that is over
            raise UserError(T("sessions.cap_ended", id=info.topic_id, title=info.title))
        roster = roster_name(info.topic_id)
        await self.store.set_cap(ctx.tx, info.topic_id, seats)
        promoted = await self.core.roster.promote(ctx.tx, roster, seats)
        await self._promoted(ctx.tx, info, promoted)
        joined = (await self.core.roster.counts(ctx.tx, [roster]))[roster][0]
        texts = [
            T("sessions.cap_set", id=info.topic_id, title=info.title, cap=seats, joined=joined)
        ]
        if promoted:
            texts.append(T("sessions.cap_promoted", count=len(promoted)))
        if joined > seats:
            texts.append(T("sessions.cap_over", over=joined - seats))
        await ctx.reply(texts)

    # --- commands: listings ---

    @command(
        "who", help="sessions.help.who", args=[Id("session", required=False)], example="!who 12"
    )
    async def who(self, ctx: Context, session: int | None) -> None:
        info = await self._require(ctx.tx, await self._session_arg(ctx, session))
        seated, waiting = await self.core.roster.people(ctx.tx, roster_name(info.topic_id))
        tz = await ctx.timezone()
        texts: list[T | Raw] = [
            T(
                "sessions.who_header",
                id=info.topic_id,
                title=info.title,
                joined=len(seated),
                cap=info.cap,
                when=listing.when(info.starts_at, info.ends_at, tz),
                location=info.location,
            )
        ]
        # Both lists' people in one read, each line looked up by every field of the person as they are now.
        people = await self.core.people.many(ctx.tx, seated + waiting) if seated or waiting else []
        lines = [self._person_line(person_fields(p), ctx.lang) for p in people]
        if seated:
            texts.append(self._lines(lines[: len(seated)]))
        else:
            texts.append(T("sessions.nobody_yet", join=self.cmd(f"join {info.topic_id}")))
        if waiting:
            texts.append(T("sessions.waitlist_heading", count=len(waiting)))
            texts.append(self._lines(lines[len(seated) :], numbered=True))
        await ctx.reply(texts)

    @command(
        "sessions",
        help="sessions.help.sessions",
        args=[
            Text("when", required=False, max_length=60)
        ],  # now, next, or a slot (labels have spaces)
        example="!sessions next",
    )
    async def sessions(self, ctx: Context, when: str | None) -> None:
        """One slot at a time (by default the one running and the next): a whole event does not fit in
        a chat message, so later slots are only counted, with how to ask for them."""
        agenda = self.plugin("agenda")
        slots, later = await self._slots_asked(ctx.tx, when)
        bookings = [b for slot in slots for b in await agenda.bookings(ctx.tx, slot.id)]
        sessions = await self._sessions_of(ctx.tx, bookings)
        if not sessions:
            await ctx.reply(self._none_listed(when, slots))
            return
        loads = await self._loads(ctx.tx, sessions)
        tz = await ctx.timezone()
        texts: list[T | Raw] = []
        for slot_id in dict.fromkeys(s.slot_id for s in sessions):  # slots in start order
            in_slot = sorted(
                (s for s in sessions if s.slot_id == slot_id),
                key=lambda s: loads[s.topic_id].emptiness,
            )
            first = in_slot[0]
            texts.append(
                T(
                    "sessions.slot_header",
                    slot=first.slot_code,
                    when=listing.when(first.starts_at, first.ends_at, tz),
                )
            )
            lines = [listing.session_line(s, loads[s.topic_id]) for s in in_slot]
            texts.append(self._list(ctx.lang, lines))
        if later:
            texts.append(
                T(
                    "sessions.more_later",
                    count=len(later),
                    example=self.cmd(f"sessions {later[0].code}"),
                    slots=self.cmd("slots"),
                    agenda=self.cmd("agenda"),
                )
            )
        await ctx.reply(texts)

    def _none_listed(self, when: str | None, slots: list[Any]) -> T:
        """What `!sessions [now|next|<slot>]` says when it has no session to show."""
        ref = (when or "").lower()
        agenda = self.cmd("agenda")
        if ref == "now":
            return T("sessions.none_now", next=self.cmd("sessions next"))
        if ref == "next":
            return T("sessions.none_next", agenda=agenda)
        if when:
            return T("sessions.none_listed", slot=slots[0].code, agenda=agenda)
        return T("sessions.none_now_or_next", agenda=agenda)

    async def _slots_asked(self, tx: Tx, when: str | None) -> tuple[list[Any], list[Any]]:
        """The slots `!sessions [now|next|<slot>]` shows, and (without a choice) the later ones left out."""
        agenda = self.plugin("agenda")
        ref = (when or "").lower()
        if when and ref not in ("now", "next"):
            slot = await agenda.slot_by_ref(tx, when)
            if slot is None:
                raise NotFound(T("sessions.no_such_slot", slot=when[:40], slots=self.cmd("slots")))
            return [slot], []
        now = self.clock.now()
        booked = await agenda.booked_slots(tx)  # slots never overlap: at most one runs now
        running = [s for s in booked if s.starts_at <= now < s.ends_at]
        upcoming = [s for s in booked if s.starts_at > now]
        if ref == "now":
            return running, []
        if ref == "next":
            return upcoming[:1], []
        return running + upcoming[:1], upcoming[1:]

    @command("mine", help="sessions.help.mine", example="!mine")
    async def mine(self, ctx: Context) -> None:
        tz = await ctx.timezone()
        lines: list[tuple[Any, T]] = []
        for roster in await self.core.roster.rosters_of(ctx.tx, ctx.sender, "session:"):
            topic_id = topic_of_roster(roster)
            info = await self.session(ctx.tx, topic_id) if topic_id is not None else None
            place = await self.core.roster.place(ctx.tx, roster, ctx.sender)
            if info is None or place is None:
                continue
            standing = (
                T("sessions.place_seat")
                if place.state == "seated"
                else T("sessions.place_waiting", position=place.position)
            )
            lines.append(
                (
                    info.starts_at,
                    T(
                        "sessions.mine_line",
                        when=listing.when(info.starts_at, info.ends_at, tz),
                        id=info.topic_id,
                        title=info.title,
                        location=info.location,
                        standing=standing,
                    ),
                )
            )
        if not lines:
            await ctx.reply(T("sessions.mine_empty", sessions=self.cmd("sessions")))
            return
        lines.sort(key=lambda pair: pair[0])
        await ctx.reply(
            [
                T("sessions.mine_header", zone=listing.zone_name(tz)),
                self._list(ctx.lang, [t for _, t in lines]),
            ]
        )

    # --- commands: the clock by hand ---

    @command(
        "start",
        help="sessions.help.start",
        args=[Id("session", required=False)],
        example="!start 12",
    )
    async def start_session(self, ctx: Context, session: int | None) -> None:
        await self._by_hand(ctx, session, "start")

    @command(
        "end", help="sessions.help.end", args=[Id("session", required=False)], example="!end 12"
    )
    async def end_session(self, ctx: Context, session: int | None) -> None:
        await self._by_hand(ctx, session, "end")

    async def _by_hand(self, ctx: Context, session: int | None, step: str) -> None:
        """`!start` / `!end`: once each, and an end only after a start (so every event comes in order)."""
        info = await self._with_people(ctx.tx, await self._steerable(ctx, session))
        taken = await self.store.steps(ctx.tx, info.topic_id)
        if step in taken:
            raise UserError(T(f"sessions.already_{step}", id=info.topic_id))
        if step == "end" and "start" not in taken:
            raise UserError(
                T(
                    "sessions.not_started",
                    id=info.topic_id,
                    start=self.cmd(f"start {info.topic_id}"),
                )
            )
        await self.session_clock.take(ctx.tx, info, timeline.by_hand(step, taken))
        await ctx.reply(T(f"sessions.by_hand_{step}", id=info.topic_id, title=info.title))

    # --- bus ---

    @subscribe("agenda.scheduled")
    async def on_scheduled(self, tx: Tx, topic_id: int) -> None:
        info = await self.session(tx, topic_id)
        if info is None:
            return
        await self.store.ensure(tx, topic_id)
        await self._arrived(tx, info)
        if info.room_id is not None:  # moved: the room's topic follows
            await self.notices.put_state(
                tx,
                info.room_id,
                "m.room.topic",
                {"topic": listing.room_topic(info, self.core.config.tz)},
            )
        elif self.config.create_rooms:
            await self.store.queue_room(tx, topic_id)
            self.rooms.wake()
        self.session_clock.arm(info, await self.store.steps(tx, topic_id))

    @subscribe("agenda.unscheduled")
    async def on_unscheduled(self, tx: Tx, topic_id: int) -> None:
        """The room stays as it is; the clock stops; sign-ups wait for a new booking."""
        self.session_clock.disarm(topic_id)
        await self.store.unqueue_room(tx, topic_id)

    @subscribe("topics.withdrawn")
    async def on_withdrawn(self, tx: Tx, topic_id: int) -> None:
        await self.on_unscheduled(tx, topic_id)

    @subscribe("topics.merged")
    async def on_merged(self, tx: Tx, source: int, target: int) -> None:
        """Sign-ups follow the topic: people of the source queue up at the end of the target."""
        await self.on_unscheduled(tx, source)
        await self.core.roster.move_all(tx, roster_name(source), roster_name(target))
        info = await self.session(tx, target)
        # An unscheduled target has no slot yet: the rule applies when it is scheduled.
        if info is not None:
            await self._arrived(tx, info, merged=await self.plugin("topics").get(tx, source))

    @subscribe("topics.retitled")
    async def on_retitled(self, tx: Tx, topic_id: int, title: str) -> None:
        info = await self.session(tx, topic_id)
        if info is not None and info.room_id is not None:
            await self.notices.put_state(
                tx, info.room_id, "m.room.name", {"name": listing.room_name(info)}
            )

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        """Free the person's seats and waitlist places (only this plugin's rosters); the waitlist moves up."""
        for roster in await self.core.roster.rosters_of(tx, user_id, "session:"):
            topic_id = topic_of_roster(roster)
            info = await self.session(tx, topic_id) if topic_id is not None else None
            _, promoted = await self.core.roster.leave(tx, roster, user_id, _open_seats(info))
            if info is not None:
                await self._promoted(tx, info, promoted)
        # The lines kept for `!who` would keep the badge of someone forgotten in memory, and the sessions
        # kept made their ID (never shown: each is looked up by what it is made of as it is now); they go
        # too, once this is committed.
        tx.after_commit(self._forget_kept)

    def _forget_kept(self) -> None:
        self._person_line.cache_clear()
        self._made.clear()
        self._with.clear()

    async def export(self, tx: Tx) -> dict[str, Any]:
        sessions = []
        rows = await self.store.all(tx)
        states = await self.store.states(tx, [row.topic_id for row in rows])
        for row in rows:
            roster = roster_name(row.topic_id)
            sessions.append(
                {
                    "topic_id": row.topic_id,
                    "cap": row.cap,
                    "room_id": row.room_id,
                    "steps": states[row.topic_id].steps,
                    "participants": await self.core.roster.seated(tx, roster),
                    "waitlist": await self.core.roster.waiting(tx, roster),
                }
            )
        return {"space": await self.store.meta(tx, "space"), "sessions": sessions}

    # --- rooms (called by the worker, inside its transaction) ---

    async def room_created(self, tx: Tx, topic_id: int, room_id: str, space: str | None) -> None:
        """Record the new room, put it in the space and invite everyone seated."""
        await self.store.set_room(tx, topic_id, room_id)
        if space:
            via = [server_of(self.core.transport.user_id)]
            await self.notices.put_state(
                tx, space, "m.space.child", {"via": via}, state_key=room_id
            )
        info = await self.info(tx, topic_id)
        if info is None:
            return
        await self.notices.send(
            tx,
            room_id,
            T(
                "sessions.room_intro",
                id=info.topic_id,
                title=info.title,
                when=listing.when(info.starts_at, info.ends_at, self.core.config.tz),
                zone=listing.zone_name(self.core.config.tz),
                location=info.location,
                who=self.cmd("who"),
            ),
        )
        await self._invite(tx, info, info.participants)
        # Scheduled into a running slot: the start came before the room, so the welcome comes now.
        if info.state == "started":
            await self.notices.send(tx, room_id, await self.session_clock.welcome(tx, info))

    async def link_configured_rooms(self, tx: Tx, space: str) -> None:
        """The announcements room and the lobby become children of the space (and know their parent)."""
        via = [server_of(self.core.transport.user_id)]
        for name in ("announcements", "lobby"):
            room_id = self.core.room(name)
            if room_id:
                await self.notices.put_state(
                    tx, space, "m.space.child", {"via": via}, state_key=room_id
                )
                await self.notices.put_state(
                    tx, room_id, "m.space.parent", {"via": via}, state_key=space
                )

    # --- the clock ---

    async def tick(self) -> None:
        """Take every step that is due now, for every session (tests; the timed jobs do it one by one)."""
        await self.session_clock.tick()

    # --- helpers ---

    async def _session(self, tx: Tx, topic: Any, booking: Any = None) -> Session | None:
        """The topic's session (None when it is not on the agenda), from its booking if known."""
        booking = booking or await self.plugin("agenda").booking(tx, topic.id)
        if booking is None:
            return None
        return self._make(topic, booking, await self.store.state(tx, topic.id))

    async def _sessions_of(
        self, tx: Tx, bookings: Sequence[Any], states: dict[int, SessionState] | None = None
    ) -> list[Session]:
        """The sessions of these bookings (in their order), in two queries however many."""
        ids = [b.topic_id for b in bookings]
        topics = await self.plugin("topics").many(tx, ids)
        states = states if states is not None else await self.store.states(tx, ids)
        return [
            self._make(topics[b.topic_id], b, states[b.topic_id])
            for b in bookings
            if b.topic_id in topics
        ]

    def _make(self, topic: Any, booking: Any, state: SessionState) -> Session:
        """The session of these reads; the one made last if made of the same title and proposer and of
        these very booking and state (the kept reads of the grid and the store, immutable: the same objects
        while nothing of theirs changed, and held here, so no other object can take their place). The
        topic is compared by the fields taken from it: a vote reads it again, as a new object."""
        made = self._made.get(topic.id)
        if (
            made is not None
            and made.booking is booking
            and made.state is state
            and made.session.title == topic.title
            and made.session.proposer == topic.proposer
        ):
            return made.session
        session = Session(
            topic_id=topic.id,
            title=topic.title,
            proposer=topic.proposer,
            room_id=state.room_id,
            starts_at=booking.slot.starts_at,
            ends_at=booking.slot.ends_at,
            location=booking.location.name,
            cap=self._cap(state.cap, booking.location.cap),
            state=timeline.state_of(state.steps),
            slot_id=booking.slot.id,
            slot_code=booking.slot.code,
        )
        _keep_newest(self._made, topic.id, Made(booking, state, session))
        return session

    async def _with_people(self, tx: Tx, session: Session) -> SessionInfo:
        """The session with its people; the one given last if made of this very session and roster read
        (both kept and immutable: the same objects while neither changed)."""
        seated, waiting = await self.core.roster.people(tx, roster_name(session.topic_id))
        made_of, info = self._with.get(session.topic_id, (None, None))
        if made_of is session and info is not None and info.participants is seated and info.waitlist is waiting:
            return info
        info = session.with_people(seated, waiting)
        _keep_newest(self._with, session.topic_id, (session, info))
        return info

    def _cap(self, own: int | None, location: int | None) -> int:
        """`!cap` first, then the location's capacity, then `[sessions] default_cap` (none is 0)."""
        return own or location or self.config.default_cap

    async def _require(self, tx: Tx, topic_id: int) -> Session:
        topic = await self.plugin("topics").require(tx, topic_id)
        if topic.state == "merged" and topic.merged_into is not None:
            raise UserError(T("sessions.merged", id=topic.id, target=topic.merged_into))
        if topic.state == "withdrawn":  # not "not on the agenda yet": it never will be
            raise NotFound(T("sessions.withdrawn", id=topic.id, sessions=self.cmd("sessions")))
        info = await self._session(tx, topic)
        if info is None:
            raise NotFound(T("sessions.not_scheduled", id=topic.id, agenda=self.cmd("agenda")))
        return info

    async def _session_arg(self, ctx: Context, session: int | None) -> int:
        """The id typed, else the session whose room this is."""
        if session is not None:
            return session
        in_room = await self.store.topic_of_room(ctx.tx, ctx.room_id)
        if in_room is None:
            raise UsageError(
                T(
                    "sessions.which_session",
                    example=self.cmd(f"{ctx.spec.name if ctx.spec else 'who'} 12"),
                )
            )
        return in_room

    async def _steerable(self, ctx: Context, session: int | None) -> Session:
        """A session the sender may start or end by hand: organizers, and the topic's proposer."""
        info = await self._require(ctx.tx, await self._session_arg(ctx, session))
        if not ctx.has(Role.ORGANIZER) and ctx.sender != info.proposer:
            raise PermissionDenied(T("sessions.not_steerable", id=info.topic_id))
        return info

    async def _leave_slot(
        self, tx: Tx, info: Session, user_id: str, held: Sequence[str]
    ) -> list[T]:
        """Free the person's place in the other sessions of the same slot (`held`: their rosters);
        says where they came from."""
        moved: list[T] = []
        for other in await self._others_in_slot(tx, info, held):
            roster = roster_name(other.topic_id)
            seated = user_id in (await self.core.roster.people(tx, roster))[0]
            _, promoted = await self.core.roster.leave(tx, roster, user_id, _open_seats(other))
            await self._promoted(tx, other, promoted)
            key = "sessions.moved_from_seat" if seated else "sessions.moved_from_waitlist"
            moved.append(T(key, id=other.topic_id, title=other.title))
        return moved

    async def _others_in_slot(self, tx: Tx, info: Session, held: Sequence[str]) -> list[Session]:
        """The sessions of `info`'s slot, other than `info`, among the rosters `held` by a person."""
        others = set(held)
        others.discard(roster_name(info.topic_id))
        if not others:
            return []
        # The slot's sessions are kept (`_seatings_in_slot`): a booking is read only for a place held
        # in the slot (most people hold places in other slots only).
        seatings = await self._seatings_in_slot(tx, info.slot_id)
        in_slot = sorted(s.topic_id for s in seatings if s.roster in others)
        if not in_slot:
            return []
        # One by one (a person holds one place in a slot, two at most for a moment), each from the reads
        # `_require` makes it of.
        return [s for topic_id in in_slot if (s := await self.session(tx, topic_id)) is not None]

    async def _arrived(self, tx: Tx, info: Session, merged: Any = None) -> None:
        """`info` came into its slot (scheduled, moved, or the target of the `merged` topic): seat
        whom its cap allows, then give back the second place of anyone who now holds two in the slot
        (`!join` keeps that rule for people; this keeps it for organizers' actions)."""
        roster = self.core.roster
        name = roster_name(info.topic_id)
        promoted = await roster.promote(tx, name, info.cap)
        clashes: list[Clash] = []
        # Seated first, then the waitlist in order: a seat freed here goes to someone still ahead
        # in this loop, who is then checked with their new seat.
        for user in await roster.seated(tx, name) + await roster.waiting(tx, name):
            held = await roster.rosters_of(tx, user, "session:")
            for other in await self._others_in_slot(tx, info, held):
                clash = await self._one_place(tx, info, other, user)
                promoted += clash.promoted_here
                clashes.append(clash)
                if clash.freed is info:
                    break  # nothing left here to weigh against another place
        # Only seats still held are announced: a seat given back at once is no news.
        seated = set(await roster.seated(tx, name))
        await self._promoted(tx, info, [u for u in dict.fromkeys(promoted) if u in seated])
        for clash in clashes:
            await self._tell_clash(tx, info, clash, merged)
        if clashes:  # the organizer whose !schedule or !merge did this learns it happened, not who
            who = self.cmd(f"who {info.topic_id}")
            tx.aside(T("sessions.clashes_told", count=len(clashes), id=info.topic_id, slot=info.slot_code, who=who))

    async def _one_place(self, tx: Tx, arrived: Session, other: Session, user: str) -> Clash:
        """The person holds places in both sessions of one slot: keep one, free the other.

        A seat beats a waitlist place (a sure place is worth more than a chance of one); between two
        places alike, the one in the session already in the slot stays — the person chose it for
        that hour, while the other came there by an organizer's action, not by theirs."""
        seated = {s.topic_id: await self._seated_in(tx, s, user) for s in (arrived, other)}
        keep_arrived = seated[arrived.topic_id] and not seated[other.topic_id]
        kept, freed = (arrived, other) if keep_arrived else (other, arrived)
        _, promoted = await self.core.roster.leave(tx, roster_name(freed.topic_id), user, freed.cap)
        if freed is other:
            await self._promoted(tx, other, promoted)
        return Clash(
            user=user,
            other=other,
            kept=kept,
            kept_seat=seated[kept.topic_id],
            freed=freed,
            freed_seat=seated[freed.topic_id],
            promoted_here=promoted if freed is arrived else [],
        )

    async def _seated_in(self, tx: Tx, info: Session, user: str) -> bool:
        place = await self.core.roster.place(tx, roster_name(info.topic_id), user)
        return place is not None and place.state == "seated"

    async def _tell_clash(self, tx: Tx, info: Session, clash: Clash, merged: Any) -> None:
        """Tell the person which place they keep, and why they lost the other."""
        values: dict[str, Any] = {
            "id": info.topic_id,
            "title": info.title,
            "other": clash.other.topic_id,
            "other_title": clash.other.title,
            "kept": T("sessions.a_seat" if clash.kept_seat else "sessions.a_waitlist_place"),
            "kept_id": clash.kept.topic_id,
            "freed": T("sessions.a_seat" if clash.freed_seat else "sessions.a_waitlist_place"),
            "freed_id": clash.freed.topic_id,
        }
        key = "sessions.clash_moved"
        if merged is not None:
            key = "sessions.clash_merged"
            values.update(source=merged.id, source_title=merged.title)
        await self._tell(tx, clash.user, key, info, **values)

    async def _alternatives(self, tx: Tx, info: Session) -> T:
        """The emptiest sessions of the same slot that still have seats."""
        others = [
            s
            for s in await self._seatings_in_slot(tx, info.slot_id)
            if s.topic_id != info.topic_id and not s.ended
        ]
        counts = await self.core.roster.counts(tx, [s.roster for s in others])
        # Ids are unique: the sort never compares the seatings that follow the key.
        open_ones = sorted(
            (emptiness(joined, s.cap, s.topic_id), s, joined)
            for s in others
            if (joined := counts[s.roster][0]) < s.cap
        )
        # Titles of the first few only; all of them if a topic is missing (then the next ones are named).
        topics = self.plugin("topics")
        titles = await topics.titles(tx, [s.topic_id for _, s, _ in open_ones[:SUGGESTIONS]]) if open_ones else {}
        if len(titles) < min(SUGGESTIONS, len(open_ones)):
            titles = await topics.titles(tx, [s.topic_id for _, s, _ in open_ones])
        open_ones = [one for one in open_ones if one[1].topic_id in titles][:SUGGESTIONS]
        if not open_ones:
            return T("sessions.slot_all_full")
        options = [
            T("sessions.option", id=s.topic_id, title=titles[s.topic_id], joined=joined, cap=s.cap)
            for _, s, joined in open_ones
        ]
        return T("sessions.try_instead", options=options)

    async def _seatings_by_topic(self, tx: Tx) -> dict[int, Seating]:
        """Every booked session's seating, by topic id (shared: not to be changed)."""
        agenda = self.plugin("agenda")

        async def read() -> dict[int, Seating]:
            return {s.topic_id: s for s in await self._read_seatings(tx, None)}

        return await self._seatings.get((None, agenda.grid_version()), read)

    async def _seatings_in_slot(self, tx: Tx, slot_id: int) -> tuple[Seating, ...]:
        """The seatings of one slot's sessions, in the agenda's order."""
        agenda = self.plugin("agenda")

        async def read() -> tuple[Seating, ...]:
            return tuple(await self._read_seatings(tx, slot_id))

        return await self._seatings.get((slot_id, agenda.grid_version()), read)

    async def _read_seatings(self, tx: Tx, slot_id: int | None) -> list[Seating]:
        agenda = self.plugin("agenda")
        if slot_id is None:  # every session: their location caps alone, no Booking objects for thousands
            location_caps = list((await agenda.location_caps(tx)).items())
        else:  # in the agenda's order
            location_caps = [(b.topic_id, b.location.cap) for b in await agenda.bookings(tx, slot_id)]
        terms = await self.store.seat_terms(tx)
        own_caps, ended = terms.caps, terms.ended
        return [
            Seating(topic_id, roster_name(topic_id), self._cap(own_caps.get(topic_id), location_cap), topic_id in ended)
            for topic_id, location_cap in location_caps
        ]

    async def _loads(self, tx: Tx, sessions: Sequence[Session]) -> dict[int, Load]:
        """How full each session is, in one query however many sessions."""
        rosters = [roster_name(s.topic_id) for s in sessions]
        counts = await self.core.roster.counts(tx, rosters)
        return {
            s.topic_id: Load(s.topic_id, counts[r][0], s.cap, s.state == "ended", counts[r][1])
            for s, r in zip(sessions, rosters, strict=True)
        }

    async def _invite(self, tx: Tx, info: Session, users: Iterable[str]) -> None:
        if info.room_id is not None:
            for user in users:
                await self.notices.invite(tx, info.room_id, user)

    async def _promoted(self, tx: Tx, info: Session, users: Sequence[str]) -> None:
        """People who just got a seat from the waitlist: invited, and told (directly or in the lobby)."""
        await self._invite(tx, info, users)
        for user in users:
            await self._tell(
                tx,
                user,
                "sessions.promoted",
                info,
                id=info.topic_id,
                title=info.title,
                location=info.location,
            )

    async def _tell(self, tx: Tx, user: str, key: str, info: Session, **values: Any) -> None:
        """News about the person's place in `info`: in the lobby with a mention (`key` + "_lobby",
        times in the event's zone) when `notify_promotion` says so, else directly (in their zone)."""
        lobby = self.core.room("lobby")
        if self.config.notify_promotion == "lobby" and lobby:
            person = await self.core.people.get(tx, user)
            text = T(
                f"{key}_lobby",
                person=Raw(pill(user, person.name)),
                when=self._when_in(info, self.core.config.tz),
                **values,
            )
            await self.notices.send(tx, lobby, text, mentions=[user])
        else:
            tz = await self.core.preferences.timezone(tx, user)
            await self.notices.direct(tx, user, T(key, when=self._when_in(info, tz), **values))

    @staticmethod
    def _when_in(info: Session, tz: ZoneInfo) -> str:
        return listing.when(info.starts_at, info.ends_at, tz)

    def _list(self, lang: str, items: Sequence[T], *, numbered: bool = False) -> Raw:
        """A Markdown list of rendered texts (values inside are escaped by the catalogue)."""
        render = self.core.catalogue.render
        return self._lines([render(item, lang) for item in items], numbered=numbered)

    @staticmethod
    def _lines(rendered: Sequence[str], *, numbered: bool = False) -> Raw:
        """A Markdown list of texts rendered already."""
        if numbered:
            return Raw("\n".join([f"{n}. {line}" for n, line in enumerate(rendered, 1)]))
        return Raw("- " + "\n- ".join(rendered) if rendered else "")

    def _render_person(self, values: tuple[Any, ...], lang: str) -> str:
        """A participant's line, from `person_fields` of them."""
        return self.core.catalogue.render(listing.person(Person(*values)), lang)

    def cmd(self, rest: str) -> Raw:
        return Raw(f"`{self.core.config.core.bot.prefix}{rest}`")


def _open_seats(info: Session | None) -> int:
    """The cap a leaving person's seat goes up to: none for a session not on the agenda or over."""
    return info.cap if info is not None and info.state != "ended" else 0


def _keep_newest(kept: dict[int, Any], topic_id: int, value: Any) -> None:
    """Keep a topic's newest value, the oldest kept going first past `SESSIONS_KEPT` topics."""
    kept.pop(topic_id, None)
    if len(kept) >= SESSIONS_KEPT:
        del kept[next(iter(kept))]
    kept[topic_id] = value


PLUGIN = Sessions
