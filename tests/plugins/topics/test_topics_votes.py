"""Proposing, listing and voting (commands and 👍 reactions), dot voting and abuse limits."""

from __future__ import annotations

import itertools

from topics_support import propose, topics_harness, votes_of

from bot.testing.harness import LOBBY, ORGANIZER, Harness

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"


async def make(**topics: object) -> Harness:
    return await topics_harness(**topics)


async def test_propose_announces_id_title_proposer_and_invites_thumbs_up(h):
    h.transport.display_names[ALICE] = "Alice"
    sent = await h.say(ALICE, "!propose Open data for transit\nBuses, trains and *ferries*.")
    body = sent[0].content["body"]
    assert "#1 Open data for transit" in body
    assert "Alice" in body
    assert "👍" in body
    assert "Buses, trains and *ferries*." in body
    assert (
        "<em>" not in sent[0].content["formatted_body"]
    )  # the description is user text, never Markdown
    async with h.bot.db.transaction() as tx:
        tag = await h.bot.core.outbox.tag_of_event(tx, sent[0].event_id)
    assert tag == "topics.announce:1"


async def test_ids_count_up_from_one(h):
    await h.say(ALICE, "!propose First")
    assert "#2 Second" in await h.reply_text(BOB, "!propose Second")


async def test_thumbs_up_reaction_votes_and_redaction_unvotes(h):
    announcement = await propose(h, ALICE, "!propose Maps")
    reaction_id, replies = await h.react(BOB, announcement, "👍")
    assert replies == []  # silent, like the reaction itself
    assert await votes_of(h, 1) == 1
    await h.redact(BOB, reaction_id)
    assert await votes_of(h, 1) == 0


async def test_other_reactions_and_reactions_on_other_messages_do_not_vote(h):
    announcement = await propose(h, ALICE, "!propose Maps")
    await h.react(BOB, announcement, "🎉")
    plain = await h.say(BOB, "!topics")
    await h.react(CAROL, plain[0].event_id, "👍")
    assert await votes_of(h, 1) == 0


async def test_a_vote_counts_once_however_cast(h):
    announcement = await propose(h, ALICE, "!propose Maps")
    await h.say(BOB, "!vote 1")
    await h.react(BOB, announcement, "👍🏽")
    assert "already vote" in await h.reply_text(BOB, "!vote #1")
    assert await votes_of(h, 1) == 1


async def test_topics_lists_most_votes_first_with_proposer_votes_and_state(h):
    h.transport.display_names[BOB] = "Bob"
    await h.say(ALICE, "!propose Few votes")
    await h.say(BOB, "!propose Many votes")
    await h.say(ALICE, "!vote 2")
    await h.say(CAROL, "!vote 2")
    await h.say(CAROL, "!vote 1")
    await h.say(BOB, "!propose No votes")
    lines = (await h.reply_text(CAROL, "!topics")).splitlines()
    listed = [line for line in lines if line.startswith("•")]
    assert [line.split()[1] for line in listed] == ["#2", "#1", "#3"]
    assert "Bob" in listed[0] and "👍 2" in listed[0] and "proposed" in listed[0]


async def test_topics_hides_withdrawn_unless_all(h):
    await h.say(ALICE, "!propose Gone")
    await h.say(ALICE, "!propose Stays")
    await h.say(ALICE, "!withdraw 1")
    assert "#1" not in await h.reply_text(BOB, "!topics")
    assert "withdrawn" in await h.reply_text(BOB, "!topics all")


async def test_unvote_takes_back_and_refuses_when_there_was_no_vote(h):
    await h.say(ALICE, "!propose Maps")
    await h.say(BOB, "!vote 1")
    assert "taken back" in await h.reply_text(BOB, "!unvote 1")
    assert await votes_of(h, 1) == 0
    assert "do not vote" in await h.reply_text(BOB, "!unvote 1")


async def test_unknown_topic_is_a_clear_refusal(h):
    assert "There is no topic #9" in await h.reply_text(BOB, "!vote 9")


async def test_dot_voting_refuses_over_the_limit_and_lists_the_votes_held():
    h = await make(votes_per_person=2)
    try:
        for title in ("One", "Two", "Three"):
            await h.say(ALICE, f"!propose {title}")
        assert "2 of your 2 votes" in await h.reply_text(BOB, "!vote 1 2")
        refusal = await h.reply_text(BOB, "!vote 3")
        assert "used all your 2 votes" in refusal
        assert "#1 One" in refusal and "#2 Two" in refusal
        assert await votes_of(h, 3) == 0
        await h.say(BOB, "!unvote 1")
        assert "Voted for #3" in await h.reply_text(BOB, "!vote 3")
    finally:
        await h.close()


async def test_dot_voting_by_reaction_out_of_dots_tells_the_person_in_the_room():
    h = await make(votes_per_person=1)
    try:
        await h.say(ALICE, "!propose One")
        second = await propose(h, ALICE, "!propose Two")
        await h.say(BOB, "!vote 1")
        _, replies = await h.react(BOB, second, "👍")
        assert len(replies) == 1 and replies[0].room_id == LOBBY
        assert "#1 One" in replies[0].content["body"]
        assert replies[0].content["m.mentions"] == {"user_ids": [BOB]}
        assert await votes_of(h, 2) == 0
    finally:
        await h.close()


async def test_a_refused_thumbs_up_on_an_announcement_in_a_thread_is_answered_in_that_thread():
    h = await make(votes_per_person=1)
    try:
        await h.say(ALICE, "!propose One", thread_root="$thread")
        sent = await h.say(ALICE, "!propose Two", thread_root="$thread")
        await h.say(BOB, "!vote 1")
        _, replies = await h.react(BOB, sent[0].event_id, "👍")
        (refusal,) = replies
        assert refusal.content["m.relates_to"]["rel_type"] == "m.thread"
        assert refusal.content["m.relates_to"]["event_id"] == "$thread"
    finally:
        await h.close()


async def test_votes_on_withdrawn_topics_free_the_dots():
    h = await make(votes_per_person=1)
    try:
        await h.say(ALICE, "!propose One")
        await h.say(ALICE, "!propose Two")
        await h.say(BOB, "!vote 1")
        await h.say(ALICE, "!withdraw 1")
        assert "Voted for #2" in await h.reply_text(BOB, "!vote 2")
    finally:
        await h.close()


async def test_max_open_per_person_refuses_the_next_proposal():
    h = await make(max_open_per_person=2)
    try:
        await h.say(ALICE, "!propose One")
        await h.say(ALICE, "!propose Two")
        assert "already have 2 open topics" in await h.reply_text(ALICE, "!propose Three")
        assert "#3 Mine" in await h.reply_text(BOB, "!propose Mine")  # the limit is per proposer
        await h.say(ALICE, "!withdraw 1")
        assert "#4 Three" in await h.reply_text(ALICE, "!propose Three")
        assert "#5" in await h.reply_text(ORGANIZER, "!propose Organizers are not limited")
    finally:
        await h.close()


async def test_title_too_long_is_refused_clearly():
    h = await make(title_max_length=20)
    try:
        reply = await h.reply_text(ALICE, "!propose " + "x" * 21)
        assert "too long (21 characters; at most 20)" in reply
        assert "There is no topic #1" in await h.reply_text(ALICE, "!vote 1")
    finally:
        await h.close()


async def test_editing_the_command_does_not_create_a_second_topic(h):
    await h.say(ALICE, "!propose Typo", event_id="$cmd")
    sent = await h.edit(ALICE, "$cmd", "!propose Fixed")  # only the hint to use !retitle
    assert ["!retitle 1" in s.content["body"] for s in sent] == [True]
    assert "There is no topic #2" in await h.reply_text(BOB, "!vote 2")


async def test_title_is_user_text_never_markup(h):
    sent = await h.say(ALICE, "!propose <b>bold</b> [x](https://evil) @room")
    html = sent[0].content["formatted_body"]
    assert "<b>" not in html and "href" not in html
    assert "@room" not in sent[0].content["body"]  # neutralised so it pings nobody


async def test_votes_survive_a_restart(tmp_path):
    h = await topics_harness(tmp_path)
    announcement = await propose(h, ALICE, "!propose Durable")
    reaction_id, _ = await h.react(BOB, announcement, "👍")
    await h.close()
    h = await topics_harness(tmp_path)
    h._ids = itertools.count(
        100
    )  # a new Harness numbers events from 1 again; those are already seen
    try:
        assert await votes_of(h, 1) == 1
        await h.redact(BOB, reaction_id)  # the reaction is still known after the restart
        assert await votes_of(h, 1) == 0
    finally:
        await h.close()


async def test_a_proposal_in_a_direct_chat_is_announced_in_the_lobby_too(h):
    h.transport.room("!dm:test", ALICE)  # just Alice and the bot: a direct chat
    sent = await h.say(ALICE, "!propose Quiet idea", room="!dm:test")
    assert [s.room_id for s in sent] == ["!dm:test", LOBBY]
    await h.react(BOB, sent[1].event_id, "👍")
    assert await votes_of(h, 1) == 1


async def test_topics_says_when_only_closed_topics_exist(h):
    await h.say(ALICE, "!propose Gone")
    await h.say(ALICE, "!withdraw 1")
    assert "No open topics right now" in await h.reply_text(BOB, "!topics")
    assert "#1 Gone" in await h.reply_text(BOB, "!topics all")
