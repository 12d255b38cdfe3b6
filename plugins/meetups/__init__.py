"""Meetups: informal sign-up sheets (dinner, a walk) with a cap, a waitlist and a reminder at the time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.arguments import Id, Text
from bot.commands import Context, command
from bot.errors import NotFound, PermissionDenied, UsageError, UserError, WrongPlace
from bot.i18n import Raw, T
from bot.plugin import Plugin, subscribe
from bot.render import pill
from bot.roles import Role
from bot.storage import Tx

from .config import MeetupsConfig
from .messages import MESSAGES
from .migrations import migrations
from .request import next_occurrence, parse_request
from .store import Meetup, MeetupStore

# The roster needs a number; a sheet without a cap never fills.
NO_CAP = 1_000_000
EXAMPLE = "!meetup Dinner at the night market at 19:30 cap 6"


@dataclass(frozen=True)
class SheetText(Text):
    """The free text of `!meetup`, whose usage line shows the optional time and cap."""

    def usage(self) -> str:
        return "<title> [at HH:MM] [cap <n>]"


class Meetups(Plugin):
    name = "meetups"
    forgets = "meetups.forgets"
    migrations = migrations
    messages = MESSAGES
    Config = MeetupsConfig

    def __init__(self, core: Any, config: MeetupsConfig, log: Any) -> None:
        super().__init__(core, config, log)
        self.sheets = MeetupStore()
        self.prefix = core.config.core.bot.prefix

    async def start(self) -> None:
        """The database is the truth: every reminder not yet sent gets its job back."""
        async with self.db.transaction() as tx:
            due = await self.sheets.unreminded(tx)
        for meetup in due:
            self._schedule(meetup)

    # --- commands ---

    @command(
        "meetup",
        help="meetups.help.open",
        args=[SheetText("title", max_length=1000)],
        example=EXAMPLE,
    )
    async def create_sheet(self, ctx: Context, title: str) -> None:
        if ctx.is_direct:
            raise WrongPlace(T("meetups.not_in_direct"))
        request = parse_request(title, self.config.max_cap)
        if not request.title:
            raise UsageError(T("meetups.title_missing", example=self._code(EXAMPLE)))
        if len(request.title) > self.config.title_max_length:
            raise UserError(
                T(
                    "meetups.title_too_long",
                    length=len(request.title),
                    maximum=self.config.title_max_length,
                )
            )
        limit = self.config.max_open_per_person
        if limit > 0:
            count = await self.sheets.open_count_by(ctx.tx, ctx.sender, ctx.now)
            if count >= limit:
                raise UserError(
                    T("meetups.too_many_open", count=count, cancel=self._code("meetup cancel <id>"))
                )
        tz = await ctx.timezone()
        starts_at = next_occurrence(request.at, tz, ctx.now) if request.at else None
        meetup = await self.sheets.create(
            ctx.tx,
            title=request.title,
            creator=ctx.sender,
            room_id=ctx.room_id,
            starts_at=starts_at,
            cap=request.cap,
            now=ctx.now,
        )
        await self.core.roster.join(ctx.tx, meetup.roster, ctx.sender, _cap(meetup))
        self._schedule(meetup)
        size = T("meetups.cap_of", cap=meetup.cap) if meetup.cap else T("meetups.no_cap")
        await ctx.reply(
            T(
                "meetups.opened",
                id=meetup.id,
                title=meetup.title,
                when=self._when(meetup, tz, ctx.now),
                size=size,
                join=self._code(f"meetup join {meetup.id}"),
            )
        )

    @command("meetups", help="meetups.help.list")
    async def list_sheets(self, ctx: Context) -> None:
        sheets = await self.sheets.open(ctx.tx, ctx.now)
        if not sheets:
            await ctx.reply(T("meetups.none", example=self._code(EXAMPLE)))
            return
        counts = await self.core.roster.counts(ctx.tx, [m.roster for m in sheets])
        tz = await ctx.timezone()
        lines = []
        for m in sheets:
            seated, waiting = counts[m.roster]
            line = T(
                "meetups.list_line",
                id=m.id,
                title=m.title,
                when=self._when(m, tz, ctx.now),
                occupancy=_occupancy(m, seated, waiting),
            )
            lines.append("- " + self.core.catalogue.render(line, ctx.lang))
        await ctx.reply([T("meetups.list_header", count=len(sheets)), Raw("\n".join(lines))])

    @command("meetup join", help="meetups.help.join", args=[Id("meetup")], example="!meetup join 3")
    async def join(self, ctx: Context, meetup: int) -> None:
        sheet = await self._require(ctx.tx, meetup)
        if not sheet.is_open(ctx.now):
            raise UserError(T("meetups.not_open", id=sheet.id, title=sheet.title))
        place = await self.core.roster.join(ctx.tx, sheet.roster, ctx.sender, _cap(sheet))
        if place.state == "seated":
            if not place.changed:
                raise UserError(T("meetups.already_joined", id=sheet.id, title=sheet.title))
            waiting = len(await self.core.roster.waiting(ctx.tx, sheet.roster))
            await ctx.reply(
                T(
                    "meetups.joined",
                    id=sheet.id,
                    title=sheet.title,
                    occupancy=_occupancy(sheet, place.seated, waiting),
                )
            )
            return
        if not place.changed:
            raise UserError(
                T(
                    "meetups.already_waiting",
                    id=sheet.id,
                    title=sheet.title,
                    position=place.position,
                )
            )
        await ctx.reply(
            T("meetups.waitlisted", id=sheet.id, title=sheet.title, position=place.position)
        )

    @command(
        "meetup leave", help="meetups.help.leave", args=[Id("meetup")], example="!meetup leave 3"
    )
    async def leave(self, ctx: Context, meetup: int) -> None:
        sheet = await self._require(ctx.tx, meetup)
        was_there, promoted = await self.core.roster.leave(
            ctx.tx, sheet.roster, ctx.sender, _cap(sheet)
        )
        if not was_there:
            raise UserError(T("meetups.not_signed_up", id=sheet.id))
        await self._tell_promoted(ctx.tx, sheet, promoted)
        await ctx.reply(T("meetups.left", id=sheet.id, title=sheet.title))

    @command(
        "meetup cancel", help="meetups.help.cancel", args=[Id("meetup")], example="!meetup cancel 3"
    )
    async def withdraw_sheet(self, ctx: Context, meetup: int) -> None:
        sheet = await self._require(ctx.tx, meetup)
        if sheet.cancelled:
            raise UserError(T("meetups.not_open", id=sheet.id, title=sheet.title))
        if ctx.sender != sheet.creator and not ctx.has(Role.ORGANIZER):
            raise PermissionDenied(T("meetups.cancel_not_allowed", id=sheet.id))
        await self.sheets.cancel(ctx.tx, sheet.id, ctx.now)
        signed_up = [
            u for u in await self.core.roster.delete(ctx.tx, sheet.roster) if u != ctx.sender
        ]
        self.scheduler.cancel(_job_id(sheet.id))
        if not signed_up:
            await ctx.reply(T("meetups.cancelled", id=sheet.id, title=sheet.title))
            return
        notice = T(
            "meetups.cancelled_notice",
            id=sheet.id,
            title=sheet.title,
            people=await self._pills(ctx.tx, signed_up),
        )
        if ctx.room_id == sheet.room_id:
            await ctx.reply(notice, mentions=signed_up)
            return
        await self.notices.send(ctx.tx, sheet.room_id, notice, mentions=signed_up)
        await ctx.reply(T("meetups.cancelled", id=sheet.id, title=sheet.title))

    # --- the reminder ---

    def _schedule(self, meetup: Meetup) -> None:
        if meetup.starts_at is None or meetup.reminded or meetup.cancelled:
            return
        self.scheduler.at(_job_id(meetup.id), self._due(meetup), self.remind, meetup.id)

    def _due(self, meetup: Meetup) -> datetime:
        assert meetup.starts_at is not None
        return meetup.starts_at - timedelta(minutes=self.config.remind_minutes_before)

    async def remind(self, meetup_id: int) -> None:
        """The scheduled job: its own transaction, like every job."""
        async with self.db.transaction() as tx:
            await self.send_reminder(tx, meetup_id)

    async def send_reminder(self, tx: Tx, meetup_id: int) -> bool:
        """Mention those signed up in the room where the sheet was opened; exactly once (the mark commits
        with the message). Too late (the bot was down long past the time): marked, not sent."""
        sheet = await self.sheets.get(tx, meetup_id)
        if sheet is None or sheet.cancelled or sheet.starts_at is None:
            return False
        now = self.clock.now()
        if now < self._due(sheet) - timedelta(minutes=1):
            return False  # not yet by our clock (a job fired early): leave it for the next start-up
        if not await self.sheets.mark_reminded(tx, sheet.id, now):
            return False
        if now > sheet.starts_at + timedelta(minutes=self.config.late_reminder_minutes):
            self.log.info(
                "meetup #%d: reminder skipped, its time passed while the bot was away", sheet.id
            )
            return False
        seated = await self.core.roster.seated(tx, sheet.roster)
        if not seated:
            return False
        text = T(
            "meetups.reminder",
            id=sheet.id,
            title=sheet.title,
            when=self._when(sheet, self.core.config.tz, now),
            people=await self._pills(tx, seated),
        )
        await self.notices.send(tx, sheet.room_id, text, mentions=seated)
        return True

    # --- privacy ---

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        """Off every sheet (the first person waiting moves up and is told); their own sheets lose their name."""
        await self.sheets.forget_creator(tx, user_id)
        for roster in await self.core.roster.rosters_of(tx, user_id, "meetup:"):
            sheet = await self.sheets.get(tx, int(roster.split(":", 1)[1]))
            cap = _cap(sheet) if sheet else 0
            _, promoted = await self.core.roster.leave(tx, roster, user_id, cap)
            if sheet is not None and sheet.is_open(self.clock.now()):
                await self._tell_promoted(tx, sheet, promoted)

    async def export(self, tx: Tx) -> dict[str, Any]:
        sheets = []
        for m in await self.sheets.all(tx):
            sheets.append(
                {
                    "id": m.id,
                    "title": m.title,
                    "creator": m.creator,
                    "room_id": m.room_id,
                    "starts_at": m.starts_at.isoformat() if m.starts_at else None,
                    "cap": m.cap,
                    "cancelled": m.cancelled,
                    "reminded": m.reminded,
                    "signed_up": await self.core.roster.seated(tx, m.roster),
                    "waitlist": await self.core.roster.waiting(tx, m.roster),
                }
            )
        return {"meetups": sheets}

    # --- helpers ---

    async def _require(self, tx: Tx, meetup_id: int) -> Meetup:
        sheet = await self.sheets.get(tx, meetup_id)
        if sheet is None:
            raise NotFound(T("meetups.not_found", id=meetup_id, list=self._code("meetups")))
        return sheet

    async def _tell_promoted(self, tx: Tx, sheet: Meetup, users: Sequence[str]) -> None:
        for user_id in users:
            tz = await self.core.preferences.timezone(tx, user_id)
            when = self._when(sheet, tz, self.clock.now())
            await self.notices.direct(
                tx, user_id, T("meetups.promoted", id=sheet.id, title=sheet.title, when=when)
            )

    async def _pills(self, tx: Tx, users: Sequence[str]) -> Raw:
        people = await self.core.people.many(tx, users)
        return Raw(", ".join(pill(p.user_id, p.name) for p in people))

    @staticmethod
    def _when(sheet: Meetup, tz: ZoneInfo, now: datetime) -> T:
        if sheet.starts_at is None:
            return T("meetups.no_time")
        local = sheet.starts_at.astimezone(tz)
        shown = (
            local.strftime("%H:%M")
            if local.date() == now.astimezone(tz).date()
            else local.strftime("%Y-%m-%d %H:%M")
        )
        return T("meetups.at", time=shown)

    def _code(self, text: str) -> Raw:
        """A command for a `code span` in a template (code spans show backslashes, so no escaping)."""
        return Raw(f"{self.prefix}{text.removeprefix('!')}".replace("`", "'"))


def _cap(sheet: Meetup) -> int:
    return sheet.cap or NO_CAP


def _job_id(meetup_id: int) -> str:
    return f"meetups.remind:{meetup_id}"


def _occupancy(sheet: Meetup, seated: int, waiting: int) -> T | list[T]:
    if sheet.cap is None:
        return T("meetups.occupancy_open", joined=seated)
    parts = [T("meetups.occupancy_cap", joined=seated, cap=sheet.cap)]
    if seated >= sheet.cap:
        parts.append(T("meetups.full"))
    if waiting:
        parts.append(T("meetups.waiting", count=waiting))
    return parts


PLUGIN = Meetups
