"""The kept topics (TopicStore's RowMemo): a vote keeps the counted topic without reading it again, and
what is kept always equals what the database holds."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from topics_support import propose, votes_of

from bot.testing.harness import ORGANIZER, Harness
from plugins.topics.store import Topic

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"


async def counted(h: Harness, topic_id: int) -> int:
    """The vote count as the database holds it (no cache)."""
    rows = await h.bot.db.read("SELECT count(*) AS n FROM topics_votes WHERE topic_id = ?", (topic_id,))
    return rows[0]["n"]


async def topic_reads(h: Harness, sender: str, body: str) -> int:
    """How many times the command reads a topic's row."""
    statements: list[str] = []
    h.bot.db.trace(statements.append)
    try:
        await h.say(sender, body)
    finally:
        h.bot.db.trace(None)
    return sum("FROM topics_topics t WHERE t.id" in s for s in statements)


async def test_a_vote_keeps_the_topic_with_its_new_count(h):
    await h.say(ALICE, "!propose Maps")
    assert await votes_of(h, 1) == 0  # kept
    await h.say(BOB, "!vote 1")
    assert await topic_reads(h, CAROL, "!vote 1") == 0  # kept by Bob's vote: Carol's reads nothing
    assert await votes_of(h, 1) == await counted(h, 1) == 2
    await h.say(BOB, "!vote 1")  # already counted: nothing changes
    assert await votes_of(h, 1) == await counted(h, 1) == 2
    await h.say(BOB, "!unvote 1")
    assert await topic_reads(h, CAROL, "!unvote 1") == 0
    assert await votes_of(h, 1) == await counted(h, 1) == 0


async def test_reactions_and_their_redaction_keep_the_count_right(h):
    announcement = await propose(h, ALICE, "!propose Maps")
    await h.say(BOB, "!vote 1")
    reaction_id, _ = await h.react(BOB, announcement, "👍")  # the same vote, now also by reaction
    assert await votes_of(h, 1) == await counted(h, 1) == 1
    other_id, _ = await h.react(CAROL, announcement, "👍")
    assert await votes_of(h, 1) == await counted(h, 1) == 2
    await h.redact(BOB, reaction_id)
    await h.redact(CAROL, other_id)
    assert await votes_of(h, 1) == await counted(h, 1) == 0


async def test_a_rolled_back_vote_is_not_counted(h):
    await h.say(ALICE, "!propose Maps")
    topics = h.bot.core.plugins["topics"]
    with pytest.raises(RuntimeError):
        async with h.bot.db.transaction() as tx:
            topic = await topics.require(tx, 1)
            assert await topics.store.add_vote(tx, topic, BOB)
            assert (await topics.require(tx, 1)).votes == 1  # kept inside the transaction
            raise RuntimeError("rolled back")
    assert await votes_of(h, 1) == await counted(h, 1) == 0


async def test_merge_withdraw_and_forget_keep_the_counts_right(h):
    await h.say(ALICE, "!propose Maps")
    await h.say(ALICE, "!propose Trains")
    for voter in (BOB, CAROL):
        await h.say(voter, "!vote 1 2")
    await h.say(ALICE, "!vote 1")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, "people.forget", user_id=BOB)
    assert [await votes_of(h, i) for i in (1, 2)] == [await counted(h, i) for i in (1, 2)] == [3, 2]
    # Alice's vote moves, Carol voted for both; Bob's forgotten votes are two strangers now.
    await h.say(ORGANIZER, "!merge 1 2")
    assert [await votes_of(h, i) for i in (1, 2)] == [await counted(h, i) for i in (1, 2)] == [0, 4]
    await h.say(CAROL, "!unvote 2")
    await h.say(ALICE, "!withdraw 2")
    assert await votes_of(h, 2) == await counted(h, 2) == 3


def test_with_votes_changes_the_votes_alone() -> None:
    topic = Topic(7, "Transit", "Open data", "@mei:test", "merged", 3, votes=4)
    assert topic.with_votes(5) == replace(topic, votes=5)
    assert [f.name for f in fields(Topic)][-1] == "votes"  # with_votes passes the fields in this order


async def titles_of(h: Harness, topic_ids: list[int]) -> dict[int, str]:
    async with h.bot.db.transaction() as tx:
        return await h.bot.core.plugins["topics"].titles(tx, topic_ids)


async def test_kept_titles_follow_the_ids_asked_a_retitle_and_a_rollback(h):
    await h.say(ALICE, "!propose Maps")
    await h.say(ALICE, "!propose Trains")
    assert await titles_of(h, [1, 2]) == {1: "Maps", 2: "Trains"}
    assert await titles_of(h, [2]) == {2: "Trains"}  # other ids, another answer
    (await titles_of(h, [1, 2]))[1] = "changed by a caller"  # a copy: the kept answer stays
    assert await titles_of(h, [1, 2]) == {1: "Maps", 2: "Trains"}
    await h.say(ALICE, "!retitle 2 Buses")
    assert await titles_of(h, [1, 2]) == {1: "Maps", 2: "Buses"}
    topics = h.bot.core.plugins["topics"]
    with pytest.raises(RuntimeError):
        async with h.bot.db.transaction() as tx:
            await topics.store.retitle(tx, 1, "Nobody")
            assert (await topics.titles(tx, [1, 2]))[1] == "Nobody"
            raise RuntimeError("rolled back")
    assert await titles_of(h, [1, 2]) == {1: "Maps", 2: "Buses"}


async def test_many_titles_of_a_dense_range_are_those_asked_only(h):
    """From 256 ids spread over less than twice as many, the titles are read as one range: the other
    topics of the range must not come back, nor ids without a topic."""
    async with h.bot.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO topics_topics (id, title, proposer) VALUES (?, ?, ?)",
            [(i, f"Topic {i}", ALICE) for i in range(1, 701) if i != 350],
        )
    dense = [i for i in range(1, 701) if i % 3]  # 467 of 700, 350 among them (no such topic)
    assert await titles_of(h, dense) == {i: f"Topic {i}" for i in dense if i != 350}
    sparse = list(range(1, 701, 2)) + [10_000]  # spread too far for one range: read by id
    assert await titles_of(h, sparse) == {i: f"Topic {i}" for i in sparse if i <= 700}
    few = [2, 3, 4]
    assert await titles_of(h, few) == {2: "Topic 2", 3: "Topic 3", 4: "Topic 4"}


async def test_the_titles_of_topics_kept_whole_are_not_read_again(h):
    for title in ("Maps", "Trains", "Buses"):
        await h.say(ALICE, f"!propose {title}")
    topics = h.bot.core.plugins["topics"]
    await h.say(ALICE, "!retitle 1 Old maps")  # the topics kept before are stale now
    async with h.bot.db.transaction() as tx:
        assert (await topics.get(tx, 1)).title == "Old maps"  # kept whole, as a vote or a join keeps it
        await topics.get(tx, 2)
    statements: list[str] = []
    h.bot.db.trace(statements.append)
    try:
        titles = await titles_of(h, [1, 2, 3])
    finally:
        h.bot.db.trace(None)
    assert titles == {1: "Old maps", 2: "Trains", 3: "Buses"}
    assert [s for s in statements if "topics_topics" in s] == ["SELECT id, title FROM topics_topics WHERE id IN (3)"]
