"""Withdrawing, retitling, merging (with their bus events), permissions, forgetting and export."""

from __future__ import annotations

from topics_support import propose, votes_of

from bot.testing.harness import ORGANIZER, Harness

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"


def record(h: Harness, name: str) -> list[dict]:
    seen: list[dict] = []

    async def listener(tx, **payload):
        seen.append(payload)

    h.bot.core.bus.subscribe(name, listener)
    return seen


async def topic(h: Harness, topic_id: int):
    async with h.bot.db.transaction() as tx:
        return await h.bot.core.plugins["topics"].require(tx, topic_id)


async def test_proposer_withdraws_and_the_bus_hears_it(h):
    withdrawn = record(h, "topics.withdrawn")
    await h.say(ALICE, "!propose Maps")
    assert "withdrawn" in await h.reply_text(ALICE, "!withdraw 1")
    assert (await topic(h, 1)).state == "withdrawn"
    assert withdrawn == [{"topic_id": 1}]


async def test_others_may_not_withdraw_or_retitle_but_organizers_may(h):
    await h.say(ALICE, "!propose Maps")
    assert "Only the proposer of #1 or an organizer" in await h.reply_text(BOB, "!withdraw 1")
    assert "Only the proposer of #1 or an organizer" in await h.reply_text(BOB, "!retitle 1 Mine")
    assert (await topic(h, 1)).title == "Maps"
    assert "Better maps" in await h.reply_text(ORGANIZER, "!retitle 1 Better maps")
    assert "withdrawn" in await h.reply_text(ORGANIZER, "!withdraw 1")


async def test_retitle_changes_the_title_and_emits(h):
    retitled = record(h, "topics.retitled")
    await h.say(ALICE, "!propose Mpas")
    reply = await h.reply_text(ALICE, "!retitle #1 Maps   for  everyone")
    assert "Maps for everyone" in reply and "Mpas" in reply
    assert (await topic(h, 1)).title == "Maps for everyone"
    assert retitled == [{"topic_id": 1, "title": "Maps for everyone"}]


async def test_retitling_to_the_same_title_says_it_already_is_and_emits_nothing(h):
    retitled = record(h, "topics.retitled")
    await h.say(ALICE, "!propose Maps for everyone")
    reply = await h.reply_text(ALICE, "!retitle 1 Maps  for everyone")
    assert reply == "#1 is already titled Maps for everyone; nothing changed."
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    assert await h.reply_text(ALICE, "!retitle 1 Maps for everyone") == "#1 的標題已經是 Maps for everyone，沒有變更。"
    assert retitled == []
    assert "now titled" in await h.reply_text(ORGANIZER, "!retitle 1 Maps for Everyone")


async def test_withdrawn_topics_take_no_votes_changes_or_reactions(h):
    announcement = await propose(h, ALICE, "!propose Maps")
    await h.say(ALICE, "!withdraw 1")
    assert "withdrawn" in await h.reply_text(BOB, "!vote 1")
    assert "withdrawn" in await h.reply_text(ALICE, "!retitle 1 Again")
    _, replies = await h.react(BOB, announcement, "👍")
    assert replies == []
    assert await votes_of(h, 1) == 0


async def test_editing_the_proposal_says_it_changes_nothing_and_how_to_retitle(h):
    await h.say(ALICE, "!propose Mpas", event_id="$proposal")
    sent = await h.edit(ALICE, "$proposal", "!propose Maps")
    (hint,) = [s.content["body"] for s in sent if s.type == "m.room.message"]
    assert "does not change topic #1" in hint and "!retitle 1 <title>" in hint
    assert (await topic(h, 1)).title == "Mpas"
    assert await h.edit(BOB, "$proposal", "!propose Hijack") == []  # not theirs: nothing to say


async def test_editing_a_proposal_made_in_a_thread_answers_in_that_thread(h):
    await h.say(ALICE, "!propose Mpas", event_id="$proposal", thread_root="$thread")
    sent = await h.edit(ALICE, "$proposal", "!propose Maps")
    (hint,) = [s for s in sent if s.type == "m.room.message"]
    assert hint.content["m.relates_to"]["rel_type"] == "m.thread"
    assert hint.content["m.relates_to"]["event_id"] == "$thread"


async def test_merge_moves_votes_counting_each_person_once_and_points_to_the_target(h):
    merged = record(h, "topics.merged")
    source_announcement = await propose(h, ALICE, "!propose Bikes")
    await h.say(BOB, "!propose Cycling")
    await h.say(BOB, "!vote 1 2")
    await h.say(CAROL, "!vote 1")
    reply = await h.reply_text(ORGANIZER, "!merge 1 2")
    assert "#1 Bikes" in reply and "#2 Cycling" in reply and "2 votes" in reply
    assert await votes_of(h, 2) == 2  # Bob once, Carol moved
    assert await votes_of(h, 1) == 0
    source = await topic(h, 1)
    assert (source.state, source.merged_into) == ("merged", 2)
    assert merged == [{"source": 1, "target": 2}]
    assert "merged into #2" in await h.reply_text(CAROL, "!topics all")
    await h.react(ALICE, source_announcement, "👍")  # a reaction on the merged topic is ignored
    assert await votes_of(h, 1) == 0 and await votes_of(h, 2) == 2


async def test_merge_is_for_organizers_and_refuses_nonsense(h):
    await h.say(ALICE, "!propose Bikes")
    await h.say(ALICE, "!propose Cycling")
    assert "Only organizers may use" in await h.reply_text(ALICE, "!merge 1 2")
    assert "cannot be merged into itself" in await h.reply_text(ORGANIZER, "!merge 1 1")
    assert "There is no topic #7" in await h.reply_text(ORGANIZER, "!merge 1 7")
    await h.say(ALICE, "!withdraw 2")
    assert "withdrawn" in await h.reply_text(ORGANIZER, "!merge 1 2")
    assert (await topic(h, 1)).state == "proposed"


async def test_set_state_is_what_agenda_uses(h):
    await h.say(ALICE, "!propose Maps")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.plugins["topics"].set_state(tx, 1, "scheduled")
    assert "scheduled" in await h.reply_text(BOB, "!topics")


async def test_forget_keeps_vote_counts_and_topics_but_names_nobody(h):
    h.transport.display_names[ALICE] = "Alice"
    announcement = await propose(h, ALICE, "!propose Maps")
    reaction_id, _ = await h.react(ALICE, announcement, "👍")
    await h.say(BOB, "!vote 1")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, "people.forget", user_id=ALICE)
    assert await votes_of(h, 1) == 2
    listing = await h.reply_text(BOB, "!topics")
    assert "a former participant" in listing and "Alice" not in listing
    rows = await h.bot.db.read("SELECT voter, reaction_event_id FROM topics_votes")
    assert ALICE not in {r["voter"] for r in rows}
    assert all(r["reaction_event_id"] is None for r in rows if r["voter"] != BOB)
    proposers = await h.bot.db.read("SELECT proposer FROM topics_topics")
    assert [r["proposer"] for r in proposers] == [""]
    await h.redact(ALICE, reaction_id)  # the forgotten reaction no longer maps to anyone
    assert await votes_of(h, 1) == 2


async def test_export_lists_topics_with_counts_but_not_voters(h):
    await h.say(ALICE, "!propose Maps\nAll of them")
    await h.say(BOB, "!vote 1")
    async with h.bot.db.transaction() as tx:
        data = await h.bot.core.plugins["topics"].export(tx)
    assert data == {
        "topics": [
            {
                "id": 1,
                "title": "Maps",
                "description": "All of them",
                "proposer": ALICE,
                "state": "proposed",
                "merged_into": None,
                "votes": 1,
            }
        ]
    }
    assert BOB not in str(data)


async def test_zh_tw_catalogue_is_complete_and_used(h):
    catalogue = h.bot.catalogue
    assert not [k for k, lang in catalogue.missing() if k.startswith("topics.")]
    assert not [k for k in catalogue.placeholders_mismatch() if k.startswith("topics.")]
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    assert "由" in await h.reply_text(ALICE, "!propose 地圖")


async def test_redacting_the_proposal_removes_its_words_and_the_announcement() -> None:
    from bot.testing.harness import LOBBY, Harness

    h = await Harness.create()
    try:
        sent = await h.say("@alice:test", "!propose Secret plan\nwith private details", event_id="$proposal")
        announcement = next(s for s in sent if "Secret plan" in s.content["body"])
        await h.redact("@alice:test", "$proposal")
        assert (LOBBY, announcement.event_id, None) in h.transport.redactions
        listing = await h.reply_text("@bob:test", "!topics all")
        assert "#1" in listing and "(proposal removed)" in listing and "withdrawn" in listing
        assert "Secret plan" not in listing
        rows = await h.bot.db.read("SELECT title, description, state FROM topics_topics")
        assert [tuple(r) for r in rows] == [("", "", "withdrawn")]
        assert "cannot take votes" in await h.reply_text("@bob:test", "!vote 1")
    finally:
        await h.close()
