"""Helpers for the topics plugin: a Harness with topics alone, and small helpers."""

from __future__ import annotations

from bot.testing.harness import Harness, make_config
from plugins.topics import Topics


async def topics_harness(data_dir: object = ":memory:", **topics: object) -> Harness:
    return await Harness.create(make_config(data_dir, topics=topics), plugins={"topics": Topics})


async def propose(h: Harness, who: str, text: str) -> str:
    """Propose and return the announcement's event id."""
    sent = await h.say(who, text)
    assert len(sent) == 1, [s.content.get("body") for s in sent]
    return sent[0].event_id


async def votes_of(h: Harness, topic_id: int) -> int:
    async with h.bot.db.transaction() as tx:
        topic = await h.bot.core.plugins["topics"].require(tx, topic_id)
    return topic.votes
