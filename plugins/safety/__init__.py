"""Safety: the code of conduct (!coc), confidential reports to the safety team (!report) and their answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from bot.arguments import Flag, Id, Text
from bot.commands import Context, command
from bot.errors import NotFound, UsageError, UserError
from bot.events import Redaction
from bot.i18n import Raw, T
from bot.plugin import Plugin, on, subscribe
from bot.render import escape, pill
from bot.roles import Role
from bot.storage import Tx

from .coc import coc_paths, read_coc
from .config import SafetyConfig
from .messages import MESSAGES
from .migrations import migrations
from .store import ReportStore

# The router's own length check (`[bot] max_command_length`) bounds the text; ours comes after the
# direct-chat check, so that a report typed in public is never answered with anything about its text.
UNBOUNDED = 1_000_000
REPORT_TAG = "safety.report:"  # tags the copy in the safety room, to remove it if the reporter deletes theirs


class Safety(Plugin):
    name = "safety"
    forgets = "safety.forgets"
    migrations = migrations
    messages = MESSAGES
    Config = SafetyConfig

    def __init__(self, core: Any, config: SafetyConfig, log: Any) -> None:
        super().__init__(core, config, log)
        self.reports = ReportStore()
        self.prefix = core.config.core.bot.prefix

    async def start(self) -> None:
        if self.config.forget_reporters_after_days > 0:
            await self.forget_old_reporters()  # also what was due while the bot was down
            self.scheduler.daily("safety.retention", 4, 0, self.forget_old_reporters)
        if self.config.coc_file and not any(
            p.is_file() for p in coc_paths(self.core.config.path, self.config.coc_file, "en")
        ):
            self.log.error(
                "[safety] coc_file %r not found next to %s; showing the built-in code of conduct",
                self.config.coc_file,
                self.core.config.path,
            )

    async def forget_old_reporters(self) -> None:
        """The scheduled retention job: its own transaction."""
        cutoff = self.clock.now() - timedelta(days=self.config.forget_reporters_after_days)
        async with self.db.transaction() as tx:
            count = await self.reports.anonymise_older_than(tx, cutoff)
        if count:
            self.log.info("retention: %d old reports no longer say who made them", count)

    # --- the code of conduct ---

    @command("coc", help="safety.help.coc", example="!coc")
    async def coc(self, ctx: Context) -> None:
        own = read_coc(self.core.config.path, self.config.coc_file, ctx.lang)
        await ctx.reply(
            [
                Raw(own) if own else T("safety.coc_default"),
                *await self._contacts(ctx.tx),
                T("safety.how_to_report", report=self._cmd("report")),
            ]
        )

    async def _contacts(self, tx: Tx) -> list[T]:
        members = self.core.roles.members(Role.SAFETY)
        if not members:
            return [T("safety.no_contacts")]
        texts = [T("safety.contacts", people=await self._pills(tx))]
        room = self.core.config.core.rooms.safety
        if room:
            texts.append(
                T(
                    "safety.contacts_room",
                    room=Raw(f"[{escape(room)}](https://matrix.to/#/{quote(room, safe='!:')})"),
                )
            )
        return texts

    async def _pills(self, tx: Tx) -> Raw | T:
        """The safety team as pills with their names (no notification: m.mentions stays empty)."""
        members = self.core.roles.members(Role.SAFETY)
        if not members:
            return T("safety.nobody")
        people = await self.core.people.many(tx, members)
        return Raw(", ".join(pill(p.user_id, p.name) for p in people))

    # --- reports ---

    @command(
        "report",
        help="safety.help.report",
        args=[Flag("named"), Text("text", required=False, max_length=UNBOUNDED)],
        takes_body=True,
        example="!report Someone keeps filming people who asked not to be photographed.",
        # Checked by the handler, after a public report has been removed: never refused in public first.
        max_length=1_000_000,
    )
    async def report(self, ctx: Context, named: bool, text: str | None) -> None:
        if not ctx.is_direct:
            # Nothing of the text is kept or passed on; the person is told privately where to go.
            await self.notices.redact(ctx.tx, ctx.room_id, ctx.event.event_id)
            await self.notices.direct(
                ctx.tx, ctx.sender, T("safety.report_in_public", report=self._cmd("report"))
            )
            return
        full = _full_text(text, ctx.body)
        if not full:
            raise UsageError(T("safety.report_empty", report=self._cmd("report")))
        if len(full) > self.config.report_max_length:
            raise UserError(
                T("safety.report_too_long", length=len(full), maximum=self.config.report_max_length)
            )
        room = self.core.room("safety")
        if room is None:
            raise UserError(T("safety.no_safety_room", people=await self._pills(ctx.tx)))
        await self._check_budget(ctx)
        report = await self.reports.create(
            ctx.tx, reporter=ctx.sender, reply_room=ctx.room_id, named=named, now=ctx.now,
            source_event_id=ctx.event.event_id,
        )
        answer = Raw(f"{self._cmd('answer')} {report.number} …")
        if named:
            person = await self.core.people.get(ctx.tx, ctx.sender)
            forwarded = T(
                "safety.forwarded_named",
                number=report.number,
                person=Raw(pill(ctx.sender, person.name)),
                text=quoted(full),
                answer=answer,
            )
        else:
            forwarded = T(
                "safety.forwarded_anonymous", number=report.number, text=quoted(full), answer=answer
            )
        # The team is notified (m.mentions); the reporter is never mentioned.
        await self.notices.send(
            ctx.tx, room, forwarded, mentions=self.core.roles.members(Role.SAFETY),
            tag=f"{REPORT_TAG}{report.number}",
        )
        await ctx.reply(
            T(
                "safety.received_named" if named else "safety.received_anonymous",
                number=report.number,
            )
        )
        self.log.info("report #%d forwarded to the safety room", report.number)

    @on(Redaction)
    async def report_deleted(self, ctx: Context, event: Redaction) -> None:
        """The reporter deleted their `!report`: its copy leaves the safety room too; the team is told."""
        number = await self.reports.take_by_source(ctx.tx, event.target)
        room = self.core.room("safety")
        if number is None or room is None:
            return
        for ref in await self.core.outbox.refs_tagged(ctx.tx, f"{REPORT_TAG}{number}"):
            await self.notices.redact(ctx.tx, room, ref)
        await self.notices.send(ctx.tx, room, T("safety.report_deleted", number=number))

    async def _check_budget(self, ctx: Context) -> None:
        limit = self.config.reports_per_hour
        if limit <= 0:
            return
        recent = await self.reports.count_since(ctx.tx, ctx.sender, ctx.now - timedelta(hours=1))
        if recent >= limit:
            raise UserError(
                T("safety.report_too_many", count=recent, people=await self._pills(ctx.tx))
            )

    # --- the safety team's side ---

    def _confidential(self, ctx: Context) -> bool:
        """Where report matters may be discussed: the safety room or a direct chat with the bot."""
        return ctx.is_direct or ctx.room_id == self.core.room("safety")

    @command(
        "answer",
        help="safety.help.answer",
        args=[Id("number"), Flag("close"), Text("text", required=False, max_length=UNBOUNDED)],
        role=Role.SAFETY,
        takes_body=True,
        example="!answer 3 Thank you for telling us. We have spoken with the person.",
    )
    async def answer(self, ctx: Context, number: int, close: bool, text: str | None) -> None:
        if not self._confidential(ctx):
            await self.notices.redact(ctx.tx, ctx.room_id, ctx.event.event_id)
            await self.notices.direct(ctx.tx, ctx.sender, T("safety.answer_wrong_room"))
            return
        full = _full_text(text, ctx.body)
        if not full and not close:
            raise UsageError(T("safety.answer_empty"))
        if len(full) > self.config.answer_max_length:
            raise UserError(
                T("safety.answer_too_long", length=len(full), maximum=self.config.answer_max_length)
            )
        report = await self.reports.get(ctx.tx, number)
        if report is None:
            raise NotFound(T("safety.not_found", number=number, reports=self._cmd("reports")))
        if not report.is_open:
            raise UserError(T("safety.is_closed", number=number))
        if report.reporter is None and not close:
            raise UserError(T("safety.unreachable", number=number))
        replies: list[T] = []
        if report.reporter is not None and report.reply_room is not None:
            relay: list[T] = [T("safety.relayed", number=number, text=quoted(full))] if full else []
            if close:
                relay.append(T("safety.relayed_closed", number=number, report=self._cmd("report")))
            else:
                relay.append(
                    T("safety.relayed_follow_up", number=number, report=self._cmd("report"))
                )
            await self._relay(ctx.tx, report.reporter, report.reply_room, relay)
            if full:
                replies.append(T("safety.answer_sent", number=number))
        if close:
            await self.reports.close(ctx.tx, number, ctx.now)
            replies.append(T("safety.answer_closed", number=number))
        await ctx.reply(replies)

    async def _relay(self, tx: Tx, reporter: str, reply_room: str, texts: list[T]) -> None:
        """To the direct chat the report came from, while it is still just the two of us; else to the
        person's direct chat with the bot (found or opened by the core)."""
        if self.core.transport.joined_count(reply_room) == 2:
            lang = await self.core.preferences.language(tx, reporter, reply_room)
            await self.notices.send(tx, reply_room, texts, lang=lang)
        else:
            await self.notices.direct(tx, reporter, texts)

    @command("reports", help="safety.help.reports", role=Role.SAFETY)
    async def list_reports(self, ctx: Context) -> None:
        if not self._confidential(ctx):
            raise UserError(T("safety.reports_wrong_room", reports=self._cmd("reports")))
        reports = await self.reports.open_reports(ctx.tx)
        if not reports:
            await ctx.reply(T("safety.reports_none"))
            return
        tz = await ctx.timezone()
        lines: list[str] = []
        for r in reports:
            when = r.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if r.named and r.reporter:
                person = await self.core.people.get(ctx.tx, r.reporter)
                line = T(
                    "safety.reports_line_named",
                    number=r.number,
                    when=when,
                    person=Raw(pill(r.reporter, person.name)),
                )
            elif r.reporter is None:
                line = T("safety.reports_line_forgotten", number=r.number, when=when)
            else:
                line = T("safety.reports_line_anonymous", number=r.number, when=when)
            lines.append("- " + self.core.catalogue.render(line, ctx.lang))
        await ctx.reply([T("safety.reports_header", count=len(reports)), Raw("\n".join(lines))])

    # --- privacy ---

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        # The reports stay (the team's records); who sent them does not.
        await self.reports.anonymise(tx, user_id)

    async def export(self, tx: Tx) -> dict[str, Any]:
        """Counts only: never who reported, never what."""
        counts = await self.reports.counts(tx)
        return {"reports": {"total": counts.total, "open": counts.open, "named": counts.named}}

    def _cmd(self, name: str) -> Raw:
        """A command name for a `code span` in a template (code spans show backslashes, so no escaping)."""
        return Raw(f"{self.prefix}{name}".replace("`", "'"))


def _full_text(first_line: str | None, body: str) -> str:
    """The report or answer: the rest of the command's line plus the lines below it."""
    return "\n".join(part for part in ((first_line or "").strip(), body.strip()) if part)


def quoted(text: str) -> Raw:
    """User text as a Markdown block quote, escaped line by line (nothing in it is interpreted)."""
    # Two trailing spaces keep the reporter's line breaks (a hard break) in the HTML too.
    lines = [f"> {escape(line)}" if line.strip() else ">" for line in text.splitlines()]
    return Raw("  \n".join(lines))


PLUGIN = Safety
