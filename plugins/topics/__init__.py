"""Topics: proposals, votes (commands and 👍 reactions), withdrawing, retitling and merging."""

from __future__ import annotations

import re
from typing import Any

from bot.arguments import Choice, Id, Ids, Text
from bot.commands import Context, command
from bot.errors import NotFound, PermissionDenied, UserError
from bot.events import Edit, Reaction, Redaction
from bot.i18n import Raw, T
from bot.plugin import Plugin, on, subscribe
from bot.render import pill
from bot.roles import Role
from bot.storage import Tx

from .config import TopicsConfig
from .messages import MESSAGES
from .migrations import migrations
from .store import OPEN_STATES, Topic, TopicStore

__all__ = ["PLUGIN", "Topic", "Topics"]

ANNOUNCE_TAG = "topics.announce:"
VOTE_KEY = "👍"  # skin tones and the emoji presentation selector still start with it
LINES_PER_PARAGRAPH = 20  # long listings split into several lists, so a long reply splits cleanly


class Topics(Plugin):
    name = "topics"
    forgets = "topics.forgets"
    migrations = migrations
    messages = MESSAGES
    Config = TopicsConfig
    config: TopicsConfig

    def __init__(self, core: Any, config: TopicsConfig, log: Any) -> None:
        super().__init__(core, config, log)
        self.store = TopicStore(core.db)

    # --- public API (CONTRACT.md) ---

    async def get(self, tx: Tx, topic_id: int) -> Topic | None:
        return await self.store.get(tx, topic_id)

    async def require(self, tx: Tx, topic_id: int) -> Topic:
        topic = await self.store.get(tx, topic_id)
        if topic is None:
            raise NotFound(T("topics.not_found", id=topic_id, topics=self._cmd("topics all")))
        return topic

    async def set_state(self, tx: Tx, topic_id: int, state: str) -> None:
        await self.store.set_state(tx, topic_id, state)

    async def many(self, tx: Tx, topic_ids: list[int]) -> dict[int, Topic]:
        """Several topics in one query (agenda grids)."""
        return await self.store.many(tx, topic_ids)

    async def titles(self, tx: Tx, topic_ids: list[int]) -> dict[int, str]:
        """Only the titles of several topics, in one query (large agenda grids)."""
        return await self.store.titles(tx, topic_ids)

    async def proposer_name(self, tx: Tx, topic: Topic) -> T | str:
        """How listings name the proposer ("a former participant" once forgotten)."""
        if not topic.proposer:
            return T("topics.former_participant")
        return (await self.core.people.get(tx, topic.proposer)).name

    # --- proposing ---

    @command(
        "propose",
        help="topics.help.propose",
        args=[Text("title", max_length=4000)],
        takes_body=True,
        example="!propose Open data for transit",
    )
    async def propose(self, ctx: Context, title: str) -> None:
        title = self._clean_title(title)
        limit = self.config.max_open_per_person
        limited = bool(limit) and not ctx.has(Role.ORGANIZER)
        topic = await self.store.create(
            ctx.tx, title, ctx.body, ctx.sender, ctx.event.event_id, open_limit=limit if limited else None
        )
        if topic is None:
            raise UserError(T("topics.too_many_open", limit=limit, withdraw=self._cmd("withdraw <id>")))
        announcement: list[T | str] = [
            T(
                "topics.announced",
                id=topic.id,
                title=topic.title,
                proposer=await self.proposer_name(ctx.tx, topic),
            )
        ]
        if topic.description:
            announcement.append(topic.description)
        announcement.append(T("topics.vote_hint", vote=self._cmd(f"vote {topic.id}")))
        tag = f"{ANNOUNCE_TAG}{topic.id}"
        await self.notices.send(
            ctx.tx,
            ctx.room_id,
            announcement,
            lang=ctx.lang,
            reply_to=ctx.event.event_id,
            thread_root=getattr(ctx.event, "thread_root", None),
            tag=tag,
        )
        lobby = self.core.room("lobby")
        if ctx.is_direct and lobby and lobby != ctx.room_id:
            # Proposed in private: the lobby sees it too, so people can vote with 👍 there.
            await self.notices.send(ctx.tx, lobby, announcement, tag=tag)

    # --- listing ---

    @command(
        "topics", help="topics.help.topics", args=[Choice("all", choices=("all",), required=False)]
    )
    async def topics(self, ctx: Context, all: str | None) -> None:
        listed = await self.store.listing(ctx.tx, include_closed=all is not None)
        if not listed:
            if all is None and await self.store.listing(ctx.tx, include_closed=True):
                raise UserError(T("topics.none_open", topics=self._cmd("topics all")))
            raise UserError(T("topics.none_yet", propose=self._cmd("propose <title>")))
        lines = []
        for topic in listed:
            line = T(
                "topics.line",
                id=topic.id,
                title=_title(topic),
                proposer=await self.proposer_name(ctx.tx, topic),
                votes=topic.votes,
                state=self._state(topic),
            )
            lines.append("- " + self.core.catalogue.render(line, ctx.lang))
        header = T("topics.list_all_header" if all else "topics.list_header", count=len(listed))
        paragraphs: list[T | Raw] = [header]
        for start in range(0, len(lines), LINES_PER_PARAGRAPH):
            paragraphs.append(Raw("\n".join(lines[start : start + LINES_PER_PARAGRAPH])))
        await ctx.reply(paragraphs)

    # --- voting ---

    @command("vote", help="topics.help.vote", args=[Ids("topic")], example="!vote 3 5")
    async def vote(self, ctx: Context, topic: list[int]) -> None:
        chosen = [self._require_open(await self.require(ctx.tx, i)) for i in dict.fromkeys(topic)]
        new = await self._cast(ctx.tx, ctx.sender, chosen)
        texts: list[T] = []
        if new:
            texts.append(T("topics.voted", topics=[self._ref(t) for t in new]))
        already = [t for t in chosen if t not in new]
        if already:
            texts.append(T("topics.already_voted", topics=[self._ref(t) for t in already]))
        texts.append(await self._dots_left(ctx.tx, ctx.sender))
        await ctx.reply(texts)

    @command("unvote", help="topics.help.unvote", args=[Id("topic")], example="!unvote 3")
    async def unvote(self, ctx: Context, topic: int) -> None:
        found = await self.require(ctx.tx, topic)
        if not await self.store.remove_vote(ctx.tx, found, ctx.sender):
            raise UserError(T("topics.not_voted", topic=self._ref(found)))
        await ctx.reply(
            [T("topics.unvoted", topic=self._ref(found)), await self._dots_left(ctx.tx, ctx.sender)]
        )

    @on(Reaction)
    async def on_reaction(self, ctx: Context, event: Reaction) -> None:
        """A 👍 on a topic's announcement is a vote (silent, like the reaction itself)."""
        if not event.key.startswith(VOTE_KEY):
            return
        topic_id = await self._announced_topic(ctx.tx, event.target)
        topic = await self.store.get(ctx.tx, topic_id) if topic_id is not None else None
        if topic is None or not topic.is_open:
            return  # not an announcement, or a withdrawn/merged topic: ignored
        try:
            await self._cast(ctx.tx, event.sender, [topic], reaction_event_id=event.event_id)
        except UserError as err:
            who = (await self.core.people.get(ctx.tx, event.sender)).name
            await self.notices.send(
                ctx.tx,
                event.room_id,
                [T("topics.reaction_refused", who=Raw(pill(event.sender, who))), err.text],
                lang=ctx.lang,
                mentions=[event.sender],
                thread_root=await self._announcement_thread(ctx.tx, topic.id, event.room_id),
            )

    @on(Redaction)
    async def on_redaction(self, ctx: Context, event: Redaction) -> None:
        """Removing the 👍 removes the vote it cast; removing a `!propose` message removes the topic's words
        (withdrawn if still open) and the bot's announcements that quoted them."""
        await self.store.remove_vote_by_reaction(ctx.tx, event.target)
        topic = await self.store.by_source(ctx.tx, event.target)
        if topic is None:
            return
        await self.store.erase_words(ctx.tx, topic.id)
        if topic.state in ("proposed", "scheduled"):
            await self.core.bus.emit(ctx.tx, "topics.withdrawn", topic_id=topic.id)
        outbox = self.core.outbox
        for ref in await outbox.refs_tagged(ctx.tx, f"{ANNOUNCE_TAG}{topic.id}"):
            room_id = await outbox.room_of(ctx.tx, ref)
            if room_id:
                await self.notices.redact(ctx.tx, room_id, ref)

    @on(Edit)
    async def on_edit(self, ctx: Context, event: Edit) -> None:
        """Editing a `!propose` message changes nothing (edits are never commands): say so, and how."""
        topic = await self.store.by_source(ctx.tx, event.target)
        if topic is None or event.sender != topic.proposer or not topic.is_open:
            return
        await self.notices.send(
            ctx.tx,
            event.room_id,
            T("topics.edit_not_applied", id=topic.id, retitle=self._cmd(f"retitle {topic.id} <title>")),
            lang=ctx.lang,
            reply_to=event.target,
            thread_root=await self._announcement_thread(ctx.tx, topic.id, event.room_id),
        )

    # --- changing a topic ---

    @command("withdraw", help="topics.help.withdraw", args=[Id("topic")], example="!withdraw 3")
    async def withdraw(self, ctx: Context, topic: int) -> None:
        found = self._require_open(await self.require(ctx.tx, topic))
        self._require_proposer_or_organizer(ctx, found, "withdraw")
        await self.store.set_state(ctx.tx, found.id, "withdrawn")
        await self.core.bus.emit(ctx.tx, "topics.withdrawn", topic_id=found.id)
        await ctx.reply(T("topics.withdrawn", topic=self._ref(found)))

    @command(
        "retitle",
        help="topics.help.retitle",
        args=[Id("topic"), Text("title", max_length=4000)],
        example="!retitle 3 Open data for buses",
    )
    async def retitle(self, ctx: Context, topic: int, title: str) -> None:
        found = self._require_open(await self.require(ctx.tx, topic))
        self._require_proposer_or_organizer(ctx, found, "retitle")
        title = self._clean_title(title)
        if title == found.title:  # nothing to store or announce; 'now titled X (was: X)' would puzzle
            await ctx.reply(T("topics.retitle_unchanged", id=found.id, title=title))
            return
        await self.store.retitle(ctx.tx, found.id, title)
        await self.core.bus.emit(ctx.tx, "topics.retitled", topic_id=found.id, title=title)
        await ctx.reply(T("topics.retitled", id=found.id, old=found.title, title=title))

    @command(
        "merge",
        help="topics.help.merge",
        args=[Id("from"), Id("into")],
        role=Role.ORGANIZER,
        example="!merge 7 3",
    )
    async def merge(self, ctx: Context, **ids: int) -> None:
        source = self._require_open(await self.require(ctx.tx, ids["from"]))
        target = self._require_open(await self.require(ctx.tx, ids["into"]))
        if source.id == target.id:
            raise UserError(T("topics.merge_same", id=source.id))
        await self.store.merge(ctx.tx, source.id, target.id)
        await self.core.bus.emit(ctx.tx, "topics.merged", source=source.id, target=target.id)
        merged = await self.require(ctx.tx, target.id)
        await ctx.reply(
            T(
                "topics.merged",
                source=self._ref(source),
                target=self._ref(merged),
                votes=merged.votes,
            )
        )

    # --- privacy and export ---

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        await self.store.forget(tx, user_id)

    async def export(self, tx: Tx) -> dict[str, Any]:
        return {"topics": await self.store.export(tx)}

    # --- helpers ---

    def _clean_title(self, title: str) -> str:
        title = " ".join(title.split())
        maximum = self.config.title_max_length
        if len(title) > maximum:
            raise UserError(T("topics.title_too_long", length=len(title), maximum=maximum))
        return title

    def _cmd(self, text: str) -> Raw:
        """A command as inline code, with the configured prefix."""
        return Raw(f"`{self.core.config.core.bot.prefix}{text}`")

    @staticmethod
    def _ref(topic: Topic) -> T:
        return T("topics.ref", id=topic.id, title=_title(topic))

    @staticmethod
    def _state(topic: Topic) -> T:
        if topic.state == "merged" and topic.merged_into is not None:
            return T("topics.state.merged_into", id=topic.merged_into)
        return T(f"topics.state.{topic.state}")

    def _require_open(self, topic: Topic) -> Topic:
        if topic.state not in OPEN_STATES:
            raise UserError(T("topics.closed", topic=self._ref(topic), state=self._state(topic)))
        return topic

    def _require_proposer_or_organizer(self, ctx: Context, topic: Topic, command_name: str) -> None:
        if ctx.sender != topic.proposer and not ctx.has(Role.ORGANIZER):
            raise PermissionDenied(
                T("topics.not_yours", id=topic.id, command=self._cmd(command_name))
            )

    async def _announced_topic(self, tx: Tx, event_id: str) -> int | None:
        tag = await self.core.outbox.tag_of_event(tx, event_id)
        m = re.fullmatch(re.escape(ANNOUNCE_TAG) + r"(\d+)", tag or "")
        return int(m.group(1)) if m else None

    async def _announcement_thread(self, tx: Tx, topic_id: int, room_id: str) -> str | None:
        """The thread the topic was announced in, in this room: answers about it go there too."""
        for ref in await self.core.outbox.refs_tagged(tx, f"{ANNOUNCE_TAG}{topic_id}"):
            if await self.core.outbox.room_of(tx, ref) == room_id:
                return await self.notices.thread_of(tx, ref)
        return None

    async def _cast(
        self, tx: Tx, voter: str, topics: list[Topic], *, reaction_event_id: str | None = None
    ) -> list[Topic]:
        """Vote for each topic (once per person however cast); refuses all when out of dots."""
        limit = self.config.votes_per_person
        if limit:  # without a limit the inserts alone tell which votes are new
            new = [t for t in topics if not await self.store.has_vote(tx, t.id, voter)]
            held = await self.store.votes_held(tx, voter) if new else []
            if len(held) + len(new) > limit:
                raise UserError(
                    T(
                        "topics.out_of_votes",
                        limit=limit,
                        held=[self._ref(t) for t in held] or T("topics.no_votes"),
                        unvote=self._cmd("unvote <id>"),
                    )
                )
        return [t for t in topics if await self.store.add_vote(tx, t, voter, reaction_event_id)]

    async def _dots_left(self, tx: Tx, voter: str) -> T:
        held = await self.store.votes_held_count(tx, voter)
        limit = self.config.votes_per_person
        if not limit:
            return T("topics.votes_held", count=held)
        return T("topics.votes_held_of", count=held, limit=limit)


PLUGIN = Topics


def _title(topic: Topic) -> T | str:
    """A topic whose proposal was redacted keeps its number but not its words."""
    return topic.title or T("topics.removed_title")
