"""Shared notes of a session, the random reporter, and the digest that moderators approve before it is published."""

from __future__ import annotations

import json
import weakref
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.arguments import Id, Text
from bot.commands import Context, ascii_prefix, command
from bot.errors import NotFound, PermissionDenied, UsageError, UserError
from bot.events import Edit, Reaction, Redaction
from bot.i18n import Raw, T
from bot.memo import RowMemo
from bot.outbox import Ref
from bot.plugin import Plugin, on, subscribe
from bot.roles import Role
from bot.storage import Tx

from .compose import NameFilter, Withheld, moderator_markdown, withheld_found
from .config import DigestsConfig, NotesConfig
from .files import PublishedFile, write_digests
from .messages import MESSAGES
from .migrations import migrations
from .parse import quoted_reply, split_owner, split_session, split_speaker
from .reporter import ReporterDraw
from .store import Digest, Note, NoteStore
from .writer import DigestWriter

DIGEST_TAG = "notes.digest:"
APPROVE, REJECT = "✅", "❌"
COMMAND_OF_KIND = {"note": "note", "expectation": "expect", "action": "action"}


class Notes(Plugin):
    name = "notes"
    forgets = "notes.forgets"
    requires = ("sessions", "badges")
    migrations = migrations
    messages = MESSAGES
    Config = NotesConfig
    extra_sections = {"digests": DigestsConfig}

    def __init__(self, core, config, log):
        super().__init__(core, config, log)
        self.store = NoteStore()
        # Every note asks whether its session still takes notes: its digest's state, kept per session
        # until that digest's row changes (nearly always: no digest yet, the session is running).
        self._digest_states: RowMemo[int, str | None] = RowMemo(
            core.db, {"notes_digests": "session_id"}
        )
        # What `people.forgetting` gathered, for the `people.forget` of the same transaction: held
        # by the transaction alone, so nothing of the person outlives it (nor a rollback).
        self._forgetting: weakref.WeakKeyDictionary[Tx, dict[str, list[str]]] = (
            weakref.WeakKeyDictionary()
        )

    async def start(self) -> None:
        self.writer = DigestWriter(self.core, self.store, self.sessions, self.badges)
        self.reporters = ReporterDraw(self.core, self.badges)
        self.scheduler.daily("notes.retention", 3, 23, self.purge_expired)
        # Rewrite the files from the database: repairs the folder if a crash came between commit and write.
        async with self.db.transaction() as tx:
            await self._write_files(tx)

    @property
    def sessions(self) -> Any:
        return self.plugin("sessions")

    @property
    def badges(self) -> Any:
        return self.plugin("badges")

    # --- capture ---

    @command(
        "note",
        help="notes.help.note",
        args=[Text("text", required=False, max_length=4000)],
        example="!note We agreed to meet monthly",
    )
    async def note(self, ctx: Context, text: str | None) -> None:
        if text is None:
            await self._capture_reply(ctx)
            return
        session_id, text = await self._session_and_text(ctx, text)
        speaker, text = split_speaker(text, await self._pill(ctx))
        await self._add(ctx, session_id, "note", text, speaker=speaker or ctx.sender)

    @command(
        "expect",
        help="notes.help.expect",
        args=[Text("text", max_length=4000)],
        example="!expect Learn how others run their meetups",
    )
    async def expect(self, ctx: Context, text: str) -> None:
        session_id, text = await self._session_and_text(ctx, text)
        await self._add(ctx, session_id, "expectation", text, speaker=ctx.sender)

    @command(
        "action",
        help="notes.help.action",
        args=[Text("text", max_length=4000)],
        example="!action Write the wiki page @mei:example.org",
    )
    async def action(self, ctx: Context, text: str) -> None:
        session_id, text = await self._session_and_text(ctx, text)
        owner, text = split_owner(text, ctx.event.mentions, self._display_name_of_last_mention(ctx))
        await self._add(ctx, session_id, "action", text, speaker=ctx.sender, owner=owner)

    async def _pill(self, ctx: Context) -> tuple[str, set[str]] | None:
        """The first person mentioned, with the labels a client may have written for their pill."""
        if not ctx.event.mentions:
            return None
        user = ctx.event.mentions[0]
        person = await self.core.people.get(ctx.tx, user)
        shown = self.core.transport.display_name(user)
        return user, {
            user,
            person.name,
            self.core.people.fallback_name(user),
            *([shown] if shown else []),
        }

    def _display_name_of_last_mention(self, ctx: Context) -> str | None:
        mentions = ctx.event.mentions
        return self.core.transport.display_name(mentions[-1]) if mentions else None

    async def _capture_reply(self, ctx: Context) -> None:
        """A bare `!note` in reply to a message: only the quoted fallback can be captured (we fetch nothing)."""
        if not getattr(ctx.event, "reply_to", None):
            raise UsageError(T("notes.empty_text"))
        quote = quoted_reply(getattr(ctx.event, "quoted", None) or "")
        if quote is None:
            raise UserError(T("notes.reply_unseen"))
        session_id = await self.sessions.session_for_room(ctx.tx, ctx.room_id)
        if session_id is None:
            raise UserError(T("notes.reply_outside_session"))
        await self._add(ctx, session_id, "note", quote.text, speaker=quote.sender)

    async def _session_and_text(self, ctx: Context, text: str) -> tuple[int, str]:
        """In a session's room the room says which session (unless the text starts with `#<id>`: a bare
        number there is part of the text, "3 ideas came up"); elsewhere the text starts with the id."""
        in_room = await self.sessions.session_for_room(ctx.tx, ctx.room_id)
        session_id, rest = split_session(text)
        if in_room is not None and (session_id is None or not text.startswith(("#", "＃"))):
            return in_room, text
        if session_id is None:
            raise UsageError(T("notes.which_session"))
        return session_id, rest

    async def _add(
        self,
        ctx: Context,
        session_id: int,
        kind: str,
        text: str,
        *,
        speaker: str,
        owner: str | None = None,
    ) -> None:
        tx = ctx.tx
        participants, drafted = await self._open_session(tx, session_id)
        text = self._checked_text(text)
        note = await self.store.add(
            tx,
            session_id=session_id,
            kind=kind,
            speaker=speaker,
            author=ctx.sender,
            owner=owner,
            text=text,
            event_id=ctx.event.event_id,
            at=self.clock.now(),
            per_minute=self.config.per_minute,
        )
        if note is None:
            raise UserError(T("notes.slow_down", limit=self.config.per_minute))
        await self.writer.remember_names(tx, note, participants)
        if drafted:  # after the end: the draft follows the new note
            await self._refresh_draft(tx, session_id)
        if speaker != ctx.sender:
            await ctx.reply(T("notes.added_other", id=session_id, user=speaker))
            return
        how = await self.badges.consent_of(tx, ctx.sender, session_id)
        await ctx.reply([T(f"notes.added.{kind}", id=session_id), T(f"notes.how.{how}")])

    def _checked_text(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise UsageError(T("notes.empty_text"))
        if len(text) > self.config.max_length:
            raise UserError(T("notes.too_long", length=len(text), maximum=self.config.max_length))
        return text

    async def _open_session(self, tx: Tx, session_id: int) -> tuple[tuple[str, ...], bool]:
        """Refuses a session that is not taking notes; returns its participants (a note may name them)
        and whether it ended (its digest is a draft)."""
        info = await self.sessions.info(tx, session_id)
        if info is None:
            raise NotFound(T("notes.no_session", id=session_id))
        if info.state == "scheduled":
            raise UserError(T("notes.not_started", id=session_id))
        state = await self._digest_states.get(
            session_id, lambda: self.store.digest_state(tx, session_id)
        )
        if state is not None and state != "draft":
            raise UserError(T("notes.closed", id=session_id))
        return info.participants, state == "draft"

    @on(Edit)
    async def note_edited(self, ctx: Context, event: Edit) -> None:
        """Editing the command's message edits the note; editing the command away deletes it."""
        note = await self.store.by_event(ctx.tx, event.target)
        if note is None or note.author != event.sender:
            return
        first, _, rest = ascii_prefix(event.new_body, self.core.config.core.bot.prefix).partition(" ")
        if first.lower() != self.core.config.core.bot.prefix + COMMAND_OF_KIND[note.kind]:
            await self._delete(ctx.tx, note)
            return
        if await self.sessions.session_for_room(ctx.tx, ctx.room_id) is None:
            _, rest = split_session(rest)  # the session stays the one it was noted in
        speaker, owner = note.speaker, note.owner
        if note.kind == "note":
            named, rest = split_speaker(rest)
            speaker = named or note.speaker  # without a new "@user:" the speaker stays
        if note.kind == "action":
            owner, rest = split_owner(rest, (), None)
        edited = replace(note, speaker=speaker, owner=owner, text=self._checked_text(rest))
        await self.store.update_text(ctx.tx, note.id, speaker, owner, edited.text)
        await self.writer.renew_names(ctx.tx, edited)
        await self._refresh_draft(ctx.tx, note.session_id)

    @on(Redaction)
    async def note_redacted(self, ctx: Context, event: Redaction) -> None:
        """A redacted note message deletes the note; a redacted ✅ on a draft takes the approval back."""
        note = await self.store.by_event(ctx.tx, event.target)
        if note is not None:
            await self._delete(ctx.tx, note)
            return
        session_id = await self.store.withdraw_approval(ctx.tx, event.target)
        if session_id is not None:
            count = await self.store.approvals(ctx.tx, session_id)
            required = self.section("digests").approvals_required
            text = T("notes.approval_withdrawn", id=session_id, count=count, required=required)
            await self.notices.send(ctx.tx, event.room_id, text, lang=ctx.lang)

    async def _delete(self, tx: Tx, note: Note) -> None:
        await self.store.delete(tx, note.id)
        await self._refresh_draft(tx, note.session_id)

    @command(
        "notes", help="notes.help.notes", args=[Id("session", required=False)], example="!notes 12"
    )
    async def notes(self, ctx: Context, session: int | None) -> None:
        # `!notes 0` asks for session #0 (none), not for this room's session.
        session_id = session if session is not None else await self.sessions.session_for_room(ctx.tx, ctx.room_id)
        if session_id is None:
            raise UsageError(T("notes.which_session"))
        digest = await self.store.digest(ctx.tx, session_id)
        if digest is not None:
            text = (
                digest.published
                if digest.state == "published"
                else (await self.writer.current(ctx.tx, digest))[0]
            )
        else:
            info = await self.sessions.info(ctx.tx, session_id)
            if info is None:
                raise NotFound(T("notes.no_session", id=session_id))
            header = self.writer.header(
                session_id,
                info.title,
                info.starts_at,
                info.ends_at,
                info.location,
                len(info.participants),
            )
            text, _ = await self.writer.generate(ctx.tx, header, None)
        await ctx.reply([T("notes.preview_header", id=session_id), Raw(text or "")])

    # --- the end of a session: reporter and draft ---

    @subscribe("sessions.ended")
    async def session_ended(self, tx: Tx, topic_id: int) -> None:
        info = await self.sessions.info(tx, topic_id)
        if info is None:
            return
        reporter = await self.reporters.draw(tx, topic_id, info.participants, exclude=None)
        created = await self.store.create_digest(
            tx,
            session_id=topic_id,
            title=info.title,
            starts_at=info.starts_at,
            ends_at=info.ends_at,
            location=info.location,
            participants=len(info.participants),
            proposer=info.proposer,
            room_id=info.room_id,
            reporter=reporter,
            at=self.clock.now(),
        )
        if not created:
            return  # already ended once: exactly one digest per session
        await self.reporters.announce(tx, topic_id, info.title, info.room_id, reporter)
        await self._post_draft(tx, topic_id)

    @command("reporter", help="notes.help.reporter", args=[Id("session")], example="!reporter 12")
    async def reporter(self, ctx: Context, session: int) -> None:
        digest = await self._digest(ctx.tx, session)
        if not (ctx.has(Role.ORGANIZER) or digest.proposer == ctx.sender):
            raise PermissionDenied(T("notes.reporter_not_allowed"))
        if digest.state != "draft":
            raise UserError(
                T("notes.not_draft", id=session, state=T(f"notes.state.{digest.state}"))
            )
        info = await self.sessions.info(ctx.tx, session)
        participants = info.participants if info else ()
        reporter = await self.reporters.draw(ctx.tx, session, participants, exclude=digest.reporter)
        await self.store.update_digest(ctx.tx, session, reporter=reporter)
        await self.reporters.announce(ctx.tx, session, digest.title, digest.room_id, reporter)
        await self._refresh_draft(ctx.tx, session)
        await ctx.reply(T("notes.redrawn", id=session))

    # --- the moderators' review ---

    async def _post_draft(self, tx: Tx, session_id: int) -> None:
        d = await self._digest(tx, session_id)
        text, _ = await self.writer.current(tx, d)
        await self.store.update_digest(tx, session_id, shown=text)
        room = self.core.room("moderation")
        if room is None:
            return  # moderators still review with !digest list / show / approve
        ref = await self.notices.send(
            tx, room, self._draft_message(d, text), tag=f"{DIGEST_TAG}{session_id}"
        )
        for key in (APPROVE, REJECT):
            await self.notices.react(tx, room, ref, key)
        await self.store.update_digest(tx, session_id, draft_ref=ref.row_id)

    def _draft_message(self, d: Digest, text: str, *, changed: bool = False) -> list[T | Raw]:
        header = T(
            "notes.draft_header",
            id=d.session_id,
            title=d.title,
            required=self.section("digests").approvals_required,
        )
        texts: list[T | Raw] = [header, Raw(text)]
        if changed:
            texts.insert(1, T("notes.draft_changed"))
        return texts

    async def _refresh_draft(self, tx: Tx, session_id: int) -> None:
        """The draft follows the notes and consents; a changed draft needs its approvals again."""
        d = await self.store.digest(tx, session_id)
        if d is None or d.state != "draft":
            return
        text, _ = await self.writer.current(tx, d)
        if text == d.shown:
            return
        await self.store.update_digest(tx, session_id, shown=text)
        await self.store.clear_approvals(tx, session_id)
        room = self.core.room("moderation")
        if room and d.draft_ref:
            await self.notices.edit(
                tx, room, Ref(d.draft_ref), self._draft_message(d, text, changed=True)
            )

    async def _digest(self, tx: Tx, session_id: int) -> Digest:
        d = await self.store.digest(tx, session_id)
        if d is None:
            raise NotFound(T("notes.no_digest", id=session_id))
        return d

    async def _draft(self, tx: Tx, session_id: int) -> Digest:
        d = await self._digest(tx, session_id)
        if d.state != "draft":
            raise UserError(T("notes.not_draft", id=session_id, state=T(f"notes.state.{d.state}")))
        return d

    @command("digest list", help="notes.help.digest_list", role=Role.MODERATOR)
    async def digest_list(self, ctx: Context) -> None:
        lines = []
        for d in await self.store.digests(ctx.tx):
            approvals = await self.store.approvals(ctx.tx, d.session_id)
            lines.append(
                T(
                    "notes.list_line",
                    id=d.session_id,
                    title=d.title,
                    state=T(f"notes.state.{d.state}"),
                    approvals=approvals,
                    required=self.section("digests").approvals_required,
                )
            )
        if not lines:
            await ctx.reply(T("notes.list_empty"))
            return
        body = "\n".join("- " + self.notices.text(line, ctx.lang) for line in lines)
        await ctx.reply([T("notes.list_header"), Raw(body)])

    @command(
        "digest show",
        help="notes.help.digest_show",
        args=[Id("session")],
        role=Role.MODERATOR,
        example="!digest show 12",
    )
    async def digest_show(self, ctx: Context, session: int) -> None:
        d = await self._digest(ctx.tx, session)
        text = d.published if d.state == "published" else (await self.writer.current(ctx.tx, d))[0]
        await ctx.reply(
            [T("notes.show_header", id=session, state=T(f"notes.state.{d.state}")), Raw(text or "")]
        )

    @command(
        "digest approve",
        help="notes.help.digest_approve",
        args=[Id("session")],
        role=Role.MODERATOR,
        example="!digest approve 12",
    )
    async def digest_approve(self, ctx: Context, session: int) -> None:
        await ctx.reply(await self._approve(ctx.tx, session, ctx.sender))

    @command(
        "digest reject",
        help="notes.help.digest_reject",
        args=[Id("session"), Text("reason", max_length=500)],
        role=Role.MODERATOR,
        example="!digest reject 12 names a person who asked not to be quoted",
    )
    async def digest_reject(self, ctx: Context, session: int, reason: str) -> None:
        await ctx.reply(await self._reject(ctx.tx, session, reason))

    @command(
        "digest edit",
        help="notes.help.digest_edit",
        args=[Id("session")],
        role=Role.MODERATOR,
        takes_body=True,
        example="!digest edit 12",
    )
    async def digest_edit(self, ctx: Context, session: int) -> None:
        d = await self._draft(ctx.tx, session)
        if not ctx.body.strip():
            raise UsageError(T("notes.edit_empty"))
        if len(ctx.body) > 20_000:
            raise UserError(T("notes.too_long", length=len(ctx.body), maximum=20_000))
        hidden = await self.writer.hidden_names(ctx.tx, session, d.reporter)
        found = withheld_found(ctx.body, await self.writer.withheld(ctx.tx, session, hidden))
        if found:  # refused, not stripped: the moderator is here and decides how to rephrase
            raise UserError(T("notes.edit_refused_withheld", notes=[f"#{i}" for i in found]))
        if hidden.found(ctx.body):
            raise UserError(T("notes.edit_refused_names"))
        await self.store.update_digest(ctx.tx, session, edited=moderator_markdown(ctx.body))
        await self._refresh_draft(ctx.tx, session)
        await ctx.reply(
            T("notes.edited", id=session, required=self.section("digests").approvals_required)
        )

    @on(Reaction)
    async def draft_reaction(self, ctx: Context, event: Reaction) -> None:
        """✅ / ❌ on a draft in the moderation room; anyone but a moderator is ignored."""
        key = event.key.replace("\ufe0f", "")
        if key not in (APPROVE, REJECT) or not ctx.has(Role.MODERATOR):
            return
        tag = await self.core.outbox.tag_of_event(ctx.tx, event.target)
        if not tag or not tag.startswith(DIGEST_TAG):
            return
        session_id = int(tag.removeprefix(DIGEST_TAG))
        if key == APPROVE:
            text = await self._approve(ctx.tx, session_id, event.sender, event.event_id)
        else:
            text = await self._reject(ctx.tx, session_id, None)
        await self.notices.send(ctx.tx, event.room_id, text, lang=ctx.lang)

    async def _approve(
        self, tx: Tx, session_id: int, moderator: str, reaction_event_id: str | None = None
    ) -> T:
        await self._draft(tx, session_id)
        count = await self.store.approve(tx, session_id, moderator, reaction_event_id)
        if count < self.section("digests").approvals_required:
            return T(
                "notes.approved",
                id=session_id,
                count=count,
                required=self.section("digests").approvals_required,
            )
        where = await self._publish(tx, session_id)
        return T(f"notes.published_{where}", id=session_id)

    async def _reject(self, tx: Tx, session_id: int, reason: str | None) -> T:
        d = await self._draft(tx, session_id)
        await self.store.update_digest(
            tx, session_id, state="rejected", reason=reason, closed_at=self.clock.now()
        )
        await self.core.bus.emit(tx, "notes.closed", session_id=session_id)
        if d.proposer:
            told = (
                T("notes.rejected_dm", id=session_id, title=d.title, reason=reason)
                if reason
                else T("notes.rejected_dm_no_reason", id=session_id, title=d.title)
            )
            await self.notices.direct(tx, d.proposer, told)
        return T("notes.rejected", id=session_id)

    # --- publication ---

    async def _publish(self, tx: Tx, session_id: int) -> str:
        """Publish the digest; returns where: in the "announcements" room, the "lobby", or "nowhere" (files only)."""
        d = await self._digest(tx, session_id)
        text, quoted = await self.writer.current(tx, d)  # consent checked again at publication
        where = next((name for name in ("announcements", "lobby") if self.core.room(name)), "nowhere")
        room = self.core.room(where) if where != "nowhere" else None
        ref = await self.notices.send(tx, room, Raw(text)) if room else None
        await self.store.update_digest(
            tx,
            session_id,
            state="published",
            published=text,
            published_at=self.clock.now(),
            closed_at=self.clock.now(),
            published_ref=ref.row_id if ref else None,
            published_notes=json.dumps(quoted),
        )
        await self.core.bus.emit(tx, "notes.closed", session_id=session_id)
        await self._write_files(tx)
        return where

    async def _write_files(self, tx: Tx) -> None:
        published = [
            PublishedFile(d.session_id, d.title, f"{d.published_at:%Y-%m-%d}", d.published or "")
            for d in await self.store.digests(tx, ("published",))
        ]
        if published:
            write_digests(
                self.core.config.data_dir, published, self.writer.render(T("notes.index_title"))
            )

    @subscribe("consent.changed")
    async def consent_changed(self, tx: Tx, user_id: str, session_id: int | None) -> None:
        """Drafts follow at once; a published digest loses what is no longer consented (never gains)."""
        for d in await self.store.digests(tx, ("draft", "published")):
            if session_id is not None and d.session_id != session_id:
                continue
            if d.state == "draft":
                await self._refresh_draft(tx, d.session_id)
            else:
                await self._correct_publication(tx, d)

    async def _correct_publication(
        self, tx: Tx, d: Digest, forgotten: NameFilter | None = None, gone: Withheld = ()
    ) -> None:
        text = await self.writer.correction(tx, d, forgotten, gone)
        if text == d.published:
            return
        await self.store.update_digest(tx, d.session_id, published=text)
        if d.published_ref:
            room = await self.core.outbox.room_of(tx, Ref(d.published_ref))
            if room:
                await self.notices.edit(tx, room, Ref(d.published_ref), Raw(text))
        await self._write_files(tx)
        moderation = self.core.room("moderation")
        if moderation:
            await self.notices.send(
                tx, moderation, T("notes.corrected", id=d.session_id, title=d.title)
            )

    # --- privacy ---

    @subscribe("people.forgetting")
    async def forgetting(self, tx: Tx, user_id: str) -> None:
        """Before anyone erases: the names the person goes by today. The badge name is gone by the
        time `forget` reaches this plugin (badges comes first), and no note may have recorded it
        (one written where the person was not involved)."""
        self._forgetting.setdefault(tx, {})[user_id] = await self.writer.names_now(tx, user_id)

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        """Their notes (spoken or typed) go, and their names leave everyone else's notes for good:
        once forgotten they are nobody the digest's name filter knows, so nothing may still name them.

        Subscribers run in plugin order, requirements first: badges has already erased the badge
        and sessions the seats. The names are what `forgetting` gathered (today's, badge name
        included), what is still known (the display name: Matrix profile, not erased), the names
        the notes were seen to use for them (`notes_names`, kept per note when written) and the ID."""
        digests = await self.store.digests(tx)
        known = self._forgetting.get(tx, {}).pop(user_id, [])
        names = await self.writer.names_of_forgotten(tx, user_id, known)
        gone: Withheld = [(n.id, n.text) for n in await self.store.notes_by(tx, user_id)]
        changed = await self.store.rewrite_texts(tx, names.apply)
        changed.update(await self.store.forget(tx, user_id))  # also drops their notes_names rows
        for d in digests:
            affected = d.session_id in changed or d.reporter == user_id
            stored: dict[str, str] = {}
            if d.edited:
                stored["edited"] = self.writer.erased(d.edited, names, gone)
            if d.state != "draft" and d.shown:  # a draft's is replaced below when it changes
                stored["shown"] = self.writer.erased(d.shown, names, gone)
            stored = {k: v for k, v in stored.items() if v != getattr(d, k)}
            if stored:
                await self.store.update_digest(tx, d.session_id, **stored)
                affected = True
            if d.state == "draft" and affected:
                await self._refresh_draft(tx, d.session_id)
            elif d.state == "published" and (affected or names.found(d.published or "")):
                fresh = await self._digest(tx, d.session_id)
                await self._correct_publication(tx, fresh, names, gone)

    async def purge_expired(self) -> int:
        cutoff = self.clock.now() - timedelta(days=self.badges.section("privacy").retention_days)
        async with self.db.transaction() as tx:
            removed = await self.store.purge_closed(tx, cutoff)
        self.log.info("retention: %d raw notes purged", removed)
        return removed

    async def export(self, tx: Tx) -> dict[str, Any]:
        digests = []
        for d in await self.store.digests(tx):
            row = {
                k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.__dict__.items()
            }
            digests.append(row)
        return {"notes": await self.store.all_notes(tx), "digests": digests}


PLUGIN = Notes
