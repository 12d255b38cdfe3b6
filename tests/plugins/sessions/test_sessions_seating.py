"""Seats and waitlists: joining, moving within a slot, leaving with promotion, caps, merges, forgetting."""

from __future__ import annotations

import asyncio

from bot.testing.harness import LOBBY, ORGANIZER


def people(n: int, name: str = "p") -> list[str]:
    return [f"@{name}{i}:test" for i in range(n)]


async def fill(event, sid: int, users: list[str]) -> None:
    for user in users:
        await event.h.say(user, f"!join {sid}")


async def test_join_seats_until_the_cap_then_waitlists_with_position(event):
    sid = await event.session("Open data", cap=2)
    await fill(event, sid, people(2))
    reply = await event.h.reply_text("@late:test", f"!join {sid}")
    assert "full" in reply and "number 1 on its waitlist" in reply
    reply = await event.h.reply_text("@later:test", f"!join #{sid}")
    assert "number 2 on its waitlist" in reply
    info = await event.info(sid)
    assert info.participants == ("@p0:test", "@p1:test")
    assert info.waitlist == ("@late:test", "@later:test")


async def test_a_full_session_names_the_emptiest_open_sessions_of_the_same_slot(event):
    full = await event.session("Full one", cap=1)
    half = await event.session("Half empty", cap=4)
    empty = await event.session("Empty", cap=4)
    other_slot = await event.session("Later", starts=event.start.replace(hour=13))
    await fill(event, full, ["@a:test"])
    await fill(event, half, ["@b:test", "@c:test"])
    reply = await event.h.reply_text("@d:test", f"!join {full}")
    assert f"#{empty} Empty (0/4)" in reply and f"#{half} Half empty (2/4)" in reply
    assert reply.index(f"#{empty} Empty") < reply.index(f"#{half} Half empty"), "emptiest first"
    assert f"#{other_slot}" not in reply, "only sessions of the same slot"


async def test_the_suggestions_skip_a_session_without_a_title_and_name_the_next_ones(event):
    """Titles are read for the first few suggestions only: one missing (a topic without its row), the
    next sessions by emptiness are named instead, as when every title was read."""
    full = await event.session("Full one", cap=1)
    open_ones = [await event.session(f"Open {i}", cap=4) for i in range(4)]
    for n, sid in enumerate(open_ones):
        await fill(event, sid, people(n, f"o{n}-"))  # Open 0 the emptiest
    await fill(event, full, ["@a:test"])
    topics = event.h.bot.core.plugins["topics"]
    titles = topics.titles

    async def without_the_emptiest(tx, topic_ids):
        return {t: title for t, title in (await titles(tx, topic_ids)).items() if t != open_ones[0]}

    topics.titles = without_the_emptiest
    reply = await event.h.reply_text("@d:test", f"!join {full}")
    assert f"#{open_ones[0]}" not in reply
    assert all(f"#{sid} Open {n} ({n}/4)" in reply for n, sid in enumerate(open_ones) if n), reply


async def test_when_every_session_of_the_slot_is_full_the_reply_says_so(event):
    sid = await event.session("Only one", cap=1)
    await fill(event, sid, ["@a:test"])
    reply = await event.h.reply_text("@b:test", f"!join {sid}")
    assert "Every other session of this slot is full" in reply


async def test_joining_another_session_of_the_slot_moves_the_seat_and_promotes_there(event):
    first = await event.session("First", cap=1)
    second = await event.session("Second")
    await fill(event, first, ["@mover:test", "@waiting:test"])
    reply = await event.h.reply_text("@mover:test", f"!join {second}")
    assert f"You have a seat in #{second} Second (1/8)" in reply
    assert f"Your seat in #{first} First (same slot) is given up" in reply
    assert (await event.info(first)).participants == ("@waiting:test",)
    assert (await event.info(second)).participants == ("@mover:test",)
    assert any(f"#{first} First" in body for body in event.direct("@waiting:test")), (
        "the promoted person is told"
    )


async def test_joining_from_a_waitlist_place_says_so(event):
    first = await event.session("First", cap=1)
    second = await event.session("Second")
    await fill(event, first, ["@a:test", "@mover:test"])
    reply = await event.h.reply_text("@mover:test", f"!join {second}")
    assert f"Your waitlist place in #{first} First (same slot) is given up" in reply
    assert (await event.info(first)).waitlist == ()


async def test_sessions_in_other_slots_are_kept(event):
    morning = await event.session("Morning")
    later = await event.session("Afternoon", starts=event.start.replace(hour=14))
    await fill(event, morning, ["@a:test"])
    reply = await event.h.reply_text("@a:test", f"!join {later}")
    assert "given up" not in reply
    assert (await event.info(morning)).participants == ("@a:test",)


async def test_joining_twice_says_where_you_stand(event):
    sid = await event.session("Twice", cap=1)
    await fill(event, sid, ["@a:test", "@b:test"])
    assert "already have a seat" in await event.h.reply_text("@a:test", f"!join {sid}")
    assert "already number 1 on the waitlist" in await event.h.reply_text("@b:test", f"!join {sid}")


async def test_leave_promotes_the_first_waiting_and_tells_them_directly(event):
    sid = await event.session("Popular", cap=1)
    await fill(event, sid, ["@a:test", "@b:test", "@c:test"])
    reply = await event.h.reply_text("@a:test", f"!leave {sid}")
    assert f"You left #{sid}" in reply
    info = await event.info(sid)
    assert info.participants == ("@b:test",) and info.waitlist == ("@c:test",)
    assert any("a seat freed up and it is yours" in body for body in event.direct("@b:test"))
    assert event.direct("@c:test") == []


async def test_after_the_end_nobody_is_promoted_into_the_session_or_told_a_seat_is_theirs(event):
    sid = await event.session("Over", cap=1)
    await fill(event, sid, ["@a:test", "@b:test", "@c:test"])
    await event.h.say(ORGANIZER, f"!start {sid}")
    await event.h.say(ORGANIZER, f"!end {sid}")
    assert f"You left #{sid}" in await event.h.reply_text("@a:test", f"!leave {sid}")
    assert "has ended" in await event.h.reply_text(ORGANIZER, f"!cap {sid} 5")
    info = await event.info(sid)
    assert info.participants == () and info.waitlist == ("@b:test", "@c:test")
    assert event.direct("@b:test") == [] and event.direct("@c:test") == []


async def test_promotion_can_be_announced_in_the_lobby_with_a_mention(new_event):
    event = await new_event(notify_promotion="lobby")
    sid = await event.session("Popular", cap=1)
    await fill(event, sid, ["@a:test", "@b:test"])
    sent = await event.h.say("@a:test", f"!leave {sid}")
    notices = [s for s in sent if s.room_id == LOBBY and "freed up" in s.content["body"]]
    assert len(notices) == 1
    assert notices[0].content["m.mentions"] == {"user_ids": ["@b:test"]}
    assert "matrix.to/#/@b:test" in notices[0].content["formatted_body"]
    assert event.direct("@b:test") == []


async def test_leaving_a_session_you_are_not_in_says_how_to_join(event):
    sid = await event.session("Empty")
    reply = await event.h.reply_text("@a:test", f"!leave {sid}")
    assert f"not signed up for #{sid}" in reply and f"!join {sid}" in reply


async def test_leaving_a_merged_or_withdrawn_topic_does_not_say_to_join_it(event):
    source = await event.session("Source")
    target = await event.session("Target")
    gone = await event.session("Gone")
    await event.h.say("@a:test", f"!join {source}")
    await event.h.say(ORGANIZER, f"!merge {source} {target}")
    await event.h.say(ORGANIZER, f"!withdraw {gone}")
    reply = await event.h.reply_text("@a:test", f"!leave {source}")
    assert f"merged into #{target}" in reply and f"!leave {target}" in reply and "!join" not in reply
    reply = await event.h.reply_text("@a:test", f"!leave {gone}")
    assert "withdrawn" in reply and "!join" not in reply


async def test_unknown_and_unscheduled_topics_get_a_clear_answer(event):
    assert "#99" in await event.h.reply_text("@a:test", "!join 99")
    topic = await event.topic("Not on the agenda")
    reply = await event.h.reply_text("@a:test", f"!join {topic}")
    assert f"#{topic} is not on the agenda" in reply
    assert "Usage: !join <session>" in await event.h.reply_text("@a:test", "!join abc")


async def test_a_withdrawn_session_says_it_was_withdrawn_not_that_it_is_not_scheduled_yet(event):
    sid = await event.session("Going away")
    await event.h.say("@a:test", f"!join {sid}")
    await event.h.say(ORGANIZER, f"!withdraw {sid}")
    for line in (f"!join {sid}", f"!who {sid}"):
        reply = await event.h.reply_text("@a:test", line)
        assert f"#{sid} was withdrawn" in reply and "not on the agenda yet" not in reply, reply
    assert "withdrawn" in await event.h.reply_text(ORGANIZER, f"!cap {sid} 5")
    await event.h.say(ORGANIZER, "!roomlang zh-TW")
    assert f"#{sid} 已撤回" in await event.h.reply_text("@a:test", f"!join {sid}")


async def test_the_location_cap_applies_when_no_cap_was_set(event):
    sid = await event.session("Small room", location="Closet", cap=3)
    assert (await event.info(sid)).cap == 3
    await fill(event, sid, people(4))
    assert len((await event.info(sid)).participants) == 3


async def test_raising_the_cap_promotes_in_waitlist_order(event):
    sid = await event.session("Growing", cap=1)
    await fill(event, sid, people(4))
    reply = await event.h.reply_text(ORGANIZER, f"!cap {sid} 3")
    assert "3 seats" in reply and "2 people from the waitlist" in reply
    info = await event.info(sid)
    assert info.participants == ("@p0:test", "@p1:test", "@p2:test") and info.waitlist == (
        "@p3:test",
    )
    assert event.direct("@p1:test") and event.direct("@p2:test") and not event.direct("@p3:test")


async def test_lowering_the_cap_evicts_nobody_and_new_joins_wait(event):
    sid = await event.session("Shrinking", cap=4)
    await fill(event, sid, people(4))
    reply = await event.h.reply_text(ORGANIZER, f"!cap {sid} 2")
    assert "nobody loses a seat" in reply
    assert len((await event.info(sid)).participants) == 4
    await event.h.say("@p0:test", f"!leave {sid}")
    await fill(event, sid, ["@new:test"])
    info = await event.info(sid)
    assert len(info.participants) == 3 and info.waitlist == ("@new:test",)


async def test_only_organizers_set_caps(event):
    sid = await event.session("Mine")
    reply = await event.h.reply_text("@alice:test", f"!cap {sid} 20")
    assert "organizers" in reply
    assert (await event.info(sid)).cap == 8


async def test_many_concurrent_joins_never_overbook(event):
    sessions = [await event.session(f"S{i}", cap=8) for i in range(3)]
    crowd = people(60, "crowd")
    await asyncio.gather(
        *(event.h.say(user, f"!join {sessions[i % 3]}") for i, user in enumerate(crowd))
    )
    for sid in sessions:
        info = await event.info(sid)
        assert len(info.participants) == 8
        assert len(info.participants) + len(info.waitlist) == 20
        assert not set(info.participants) & set(info.waitlist)


async def test_concurrent_leaves_promote_each_waiting_person_once(event):
    sid = await event.session("Churn", cap=8)
    crowd = people(16, "c")
    await fill(event, sid, crowd)
    await asyncio.gather(*(event.h.say(user, f"!leave {sid}") for user in crowd[:8]))
    info = await event.info(sid)
    assert info.participants == tuple(crowd[8:]) and info.waitlist == ()


async def test_forgetting_a_person_frees_their_seat_for_the_waitlist(event):
    sid = await event.session("Private", cap=1)
    await fill(event, sid, ["@gone:test", "@next:test"])
    async with event.h.bot.db.transaction() as tx:
        await event.h.bot.core.bus.emit(tx, "people.forget", user_id="@gone:test")
    await event.h.drain()
    info = await event.info(sid)
    assert info.participants == ("@next:test",) and "@gone:test" not in info.waitlist
    assert event.direct("@next:test")


async def test_merging_topics_moves_sign_ups_to_the_target(event):
    source = await event.session("Source", cap=8)
    target = await event.session("Target", cap=2)
    await fill(event, target, ["@t:test"])
    await fill(event, source, ["@s1:test", "@s2:test"])
    await event.h.say(ORGANIZER, f"!merge {source} {target}")
    info = await event.info(target)
    assert info.participants == ("@t:test", "@s1:test") and info.waitlist == ("@s2:test",)
    reply = await event.h.reply_text("@s3:test", f"!join {source}")
    assert f"#{source} was merged into #{target}" in reply


async def test_counts_of_one_read_in_the_singular(event):
    sid = await event.session("Tiny", cap=1)
    await fill(event, sid, ["@a:test"])
    assert "is full (1 seat)." in await event.h.reply_text("@late:test", f"!join {sid}")
    reply = await event.h.reply_text(ORGANIZER, f"!cap {sid} 2")
    assert "now has 2 seats (2 taken)" in reply and "1 person from the waitlist got a seat and was told" in reply
    reply = await event.h.reply_text(ORGANIZER, f"!cap {sid} 1")
    assert "now has 1 seat (2 taken)" in reply and "1 more person is seated than the new cap" in reply
