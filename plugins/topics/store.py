"""All SQL of the topics plugin: topics, votes (however cast, one per person and topic), forgetting."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.memo import Memo, RowMemo
from bot.storage import Database, Tx, in_chunks

STATES = ("proposed", "scheduled", "merged", "withdrawn")
OPEN_STATES = ("proposed", "scheduled")
# The proposer of a topic whose author asked to be forgotten.
FORMER_PARTICIPANT = ""
# Voters who asked to be forgotten become a random tombstone: their votes still count, nobody is named.
TOMBSTONE_PREFIX = "forgotten:"


@dataclass(frozen=True)
class Topic:
    id: int
    title: str
    description: str
    proposer: str  # FORMER_PARTICIPANT ("") once the proposer was forgotten
    state: str  # 'proposed' | 'scheduled' | 'merged' | 'withdrawn'
    merged_into: int | None
    votes: int

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def with_votes(self, votes: int) -> Topic:
        """`dataclasses.replace(self, votes=votes)`, without its look at every field (a vote makes one)."""
        return Topic(self.id, self.title, self.description, self.proposer, self.state, self.merged_into, votes)


_SELECT = (
    "SELECT t.id, t.title, t.description, t.proposer, t.state, t.merged_into, "
    "(SELECT count(*) FROM topics_votes v WHERE v.topic_id = t.id) AS votes FROM topics_topics t"
)
_OPEN = "('proposed', 'scheduled')"
# From this many titles wanted at once, ids spread over less than twice as many are read as one range.
_DENSE_READ = 256


def _topic(row: Any) -> Topic:
    return Topic(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        proposer=row["proposer"],
        state=row["state"],
        merged_into=row["merged_into"],
        votes=row["votes"],
    )


class TopicStore:
    def __init__(self, db: Database) -> None:
        # What sessions and the agenda read at every command, each topic kept until it (or a vote for
        # it) changes: a vote for one topic leaves the others.
        self._titles: RowMemo[int, str] = RowMemo(db, {"topics_topics": "id"})
        # The agenda asks for the same grid's titles at every `!agenda`: the whole answer is kept while
        # no topic row at all changes (proposals are rarer than agendas), else each title above.
        self._title_sets: Memo[dict[int, str]] = Memo(db, ("topics_topics",), max_entries=8)
        self._topics: RowMemo[int, Topic | None] = RowMemo(db, {"topics_topics": "id", "topics_votes": "topic_id"})

    async def create(
        self,
        tx: Tx,
        title: str,
        description: str,
        proposer: str,
        source_event_id: str | None = None,
        *,
        open_limit: int | None = None,
    ) -> Topic | None:
        """The new topic; None (nothing written) when the proposer has `open_limit` open topics already:
        the insert checks the limit itself, one statement instead of two per proposal."""
        values = (title, description, proposer, source_event_id)
        if open_limit is None:
            topic_id = await tx.execute(
                "INSERT INTO topics_topics (title, description, proposer, source_event_id) VALUES (?, ?, ?, ?)",
                values,
            )
        else:
            topic_id = await tx.execute(
                "INSERT INTO topics_topics (title, description, proposer, source_event_id) SELECT ?, ?, ?, ? "
                f"WHERE (SELECT count(*) FROM topics_topics WHERE proposer = ? AND state IN {_OPEN}) < ?",
                (*values, proposer, open_limit),
            )
            if not topic_id:
                return None
        return Topic(topic_id, title, description, proposer, "proposed", None, votes=0)

    async def by_source(self, tx: Tx, event_id: str) -> Topic | None:
        """The topic proposed by this message, if any."""
        row = await tx.fetchone(f"{_SELECT} WHERE t.source_event_id = ?", (event_id,))
        return _topic(row) if row else None

    async def erase_words(self, tx: Tx, topic_id: int) -> None:
        """The proposal's message was redacted: its title and description go; an open topic is withdrawn."""
        await tx.execute(
            f"UPDATE topics_topics SET title = '', description = '', source_event_id = NULL, "
            f"state = CASE WHEN state IN {_OPEN} THEN 'withdrawn' ELSE state END WHERE id = ?",
            (topic_id,),
        )

    async def get(self, tx: Tx, topic_id: int) -> Topic | None:
        async def read() -> Topic | None:
            row = await tx.fetchone(f"{_SELECT} WHERE t.id = ?", (topic_id,))
            return _topic(row) if row else None

        return await self._topics.get(topic_id, read)

    async def many(self, tx: Tx, topic_ids: Iterable[int]) -> dict[int, Topic]:
        async def read(missing: list[int]) -> dict[int, Topic | None]:
            found: dict[int, Topic | None] = {}
            for chunk, marks in in_chunks(missing):
                for row in await tx.fetchall(f"{_SELECT} WHERE t.id IN ({marks})", chunk):
                    found[row["id"]] = _topic(row)
            return found

        return {i: t for i, t in (await self._topics.many(topic_ids, read)).items() if t is not None}

    async def titles(self, tx: Tx, topic_ids: Iterable[int]) -> dict[int, str]:
        """Just the titles (no vote counts): what a grid of thousands of topics shows."""
        wanted = tuple(topic_ids)

        async def read(missing: list[int]) -> dict[int, str]:
            # The topics kept whole (read by a vote, a join, a `!who`) hold their titles already; None
            # kept: no such topic.
            kept = self._topics.kept(missing)
            found = {topic_id: topic.title for topic_id, topic in kept.items() if topic is not None}
            unread = [topic_id for topic_id in missing if topic_id not in kept] if kept else missing
            if not unread:
                return found
            lowest, highest = min(unread), max(unread)
            if len(unread) >= _DENSE_READ and highest - lowest < 2 * len(unread):
                # Most topics of a range (a whole agenda): one range scan of the table reads them in
                # order, cheaper than thousands of lookups by id; at most as many again are left over.
                asked = set(unread)
                rows = await tx.fetchtuples(
                    "SELECT id, title FROM topics_topics WHERE id BETWEEN ? AND ?", (lowest, highest)
                )
                found.update((topic_id, title) for topic_id, title in rows if topic_id in asked)
                return found
            for chunk, marks in in_chunks(unread):
                found.update(await tx.fetchtuples(f"SELECT id, title FROM topics_topics WHERE id IN ({marks})", chunk))
            return found

        async def each() -> dict[int, str]:
            return await self._titles.many(wanted, read)

        return dict(await self._title_sets.get(wanted, each))  # a copy: the kept one is shared

    async def listing(self, tx: Tx, *, include_closed: bool) -> list[Topic]:
        """Most votes first, then oldest first."""
        where = "" if include_closed else f" WHERE t.state IN {_OPEN}"
        rows = await tx.fetchall(f"{_SELECT}{where} ORDER BY votes DESC, t.id")
        return [_topic(r) for r in rows]

    async def set_state(self, tx: Tx, topic_id: int, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown topic state {state!r}")
        await tx.execute("UPDATE topics_topics SET state = ? WHERE id = ?", (state, topic_id))

    async def retitle(self, tx: Tx, topic_id: int, title: str) -> None:
        await tx.execute("UPDATE topics_topics SET title = ? WHERE id = ?", (title, topic_id))

    async def merge(self, tx: Tx, source: int, target: int) -> None:
        """Votes move to the target (someone who voted for both keeps one vote); the source points there."""
        await tx.execute(
            "INSERT OR IGNORE INTO topics_votes (topic_id, voter, reaction_event_id) "
            "SELECT ?, voter, reaction_event_id FROM topics_votes WHERE topic_id = ?",
            (target, source),
        )
        await tx.execute("DELETE FROM topics_votes WHERE topic_id = ?", (source,))
        await tx.execute(
            "UPDATE topics_topics SET state = 'merged', merged_into = ? WHERE id = ?",
            (target, source),
        )

    # --- votes ---

    async def has_vote(self, tx: Tx, topic_id: int, voter: str) -> bool:
        row = await tx.fetchone(
            "SELECT 1 FROM topics_votes WHERE topic_id = ? AND voter = ?", (topic_id, voter)
        )
        return row is not None

    async def add_vote(
        self, tx: Tx, topic: Topic, voter: str, reaction_event_id: str | None = None
    ) -> bool:
        """True when this is a new vote; a reaction on an existing vote is remembered so its removal unvotes.
        `topic` as read in this transaction and not changed since: the kept topic then counts the new
        vote without being read again (a vote is the most frequent write, and the topic is read next)."""
        if await tx.execute(
            "INSERT OR IGNORE INTO topics_votes (topic_id, voter, reaction_event_id) VALUES (?, ?, ?)",
            (topic.id, voter, reaction_event_id),
        ):
            self._topics.put(topic.id, topic.with_votes(topic.votes + 1))
            return True
        if reaction_event_id is not None:
            await tx.execute(
                "UPDATE topics_votes SET reaction_event_id = ? WHERE topic_id = ? AND voter = ?",
                (reaction_event_id, topic.id, voter),
            )
            self._topics.put(topic.id, topic)  # the same votes: only which reaction cast one changed
        return False

    async def remove_vote(self, tx: Tx, topic: Topic, voter: str) -> bool:
        """`topic` as for `add_vote`."""
        if await self._delete_vote(tx, topic.id, voter):
            self._topics.put(topic.id, topic.with_votes(topic.votes - 1))
            return True
        return False

    async def _delete_vote(self, tx: Tx, topic_id: int, voter: str) -> bool:
        removed = await tx.execute(
            "DELETE FROM topics_votes WHERE topic_id = ? AND voter = ?", (topic_id, voter)
        )
        return bool(removed)

    async def remove_vote_by_reaction(self, tx: Tx, reaction_event_id: str) -> int | None:
        """Undo the vote a (now redacted) reaction cast; returns its topic id, or None if it cast none."""
        row = await tx.fetchone(
            "SELECT topic_id, voter FROM topics_votes WHERE reaction_event_id = ?",
            (reaction_event_id,),
        )
        if row is None:
            return None
        await self._delete_vote(tx, row["topic_id"], row["voter"])
        return row["topic_id"]

    async def votes_held(self, tx: Tx, voter: str) -> list[Topic]:
        """The open topics this person votes for (what dot voting counts)."""
        rows = await tx.fetchall(
            f"{_SELECT} JOIN topics_votes mine ON mine.topic_id = t.id "
            f"WHERE mine.voter = ? AND t.state IN {_OPEN} ORDER BY t.id",
            (voter,),
        )
        return [_topic(r) for r in rows]

    async def votes_held_count(self, tx: Tx, voter: str) -> int:
        """How many open topics this person votes for (`votes_held` without reading them)."""
        return await tx.fetchval(
            "SELECT count(*) FROM topics_votes mine JOIN topics_topics t ON t.id = mine.topic_id "
            f"WHERE mine.voter = ? AND t.state IN {_OPEN}",
            (voter,),
            0,
        )

    # --- privacy ---

    async def forget(self, tx: Tx, user_id: str) -> None:
        """Votes stay counted under a random tombstone each; topics stay, their proposer anonymised."""
        rows = await tx.fetchall("SELECT topic_id FROM topics_votes WHERE voter = ?", (user_id,))
        for row in rows:
            await tx.execute(
                "UPDATE topics_votes SET voter = ?, reaction_event_id = NULL WHERE topic_id = ? AND voter = ?",
                (TOMBSTONE_PREFIX + secrets.token_hex(8), row["topic_id"], user_id),
            )
        await tx.execute(
            "UPDATE topics_topics SET proposer = ? WHERE proposer = ?",
            (FORMER_PARTICIPANT, user_id),
        )

    async def export(self, tx: Tx) -> list[dict[str, Any]]:
        """Topics with vote counts; voters are not exported (the count is what organizers need)."""
        return [
            {
                "id": t.id,
                "title": t.title,
                "description": t.description,
                "proposer": t.proposer or None,
                "state": t.state,
                "merged_into": t.merged_into,
                "votes": t.votes,
            }
            for t in await self.listing(tx, include_closed=True)
        ]
