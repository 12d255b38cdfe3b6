"""One place per slot after organizer actions: a session moved into a slot, or merged into a session of it."""

from __future__ import annotations

from datetime import timedelta

from test_sessions_seating import fill

from bot.testing.harness import LOBBY, ORGANIZER


async def places(event, user: str) -> dict[int, str]:
    """Topic id → 'seated' | 'waiting' for every session place the person holds."""
    roster = event.h.bot.core.roster
    found = {}
    async with event.h.bot.db.transaction() as tx:
        for name in await roster.rosters_of(tx, user, "session:"):
            place = await roster.place(tx, name, user)
            found[int(name.split(":")[1])] = place.state
    return found


async def two_slots(event) -> tuple[str, str]:
    """The morning slot (where the sessions start) and an afternoon slot to move them into."""
    morning = await event.slot(event.start + timedelta(hours=1))
    afternoon = await event.slot(event.start.replace(hour=14))
    return morning, afternoon


async def move(event, topic_id: int, slot: str, cap: int | None = None) -> None:
    """The organizer moves a session into a free place (of that cap) of another slot."""
    await event.location(f"Spare{topic_id}", cap)
    reply = await event.h.reply_text(ORGANIZER, f"!schedule {topic_id} {slot} Spare{topic_id}")
    assert f"#{topic_id}" in reply and "moved" in reply, reply


async def test_moving_a_session_into_a_slot_keeps_the_seat_already_there_and_frees_the_moved_one(
    event,
):
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved", cap=1)
    staying = await event.session("Staying", starts=event.start.replace(hour=14))
    await fill(event, moved, ["@both:test", "@next:test"])
    await fill(event, staying, ["@both:test"])
    await move(event, moved, afternoon, cap=1)
    assert await places(event, "@both:test") == {staying: "seated"}
    info = await event.info(moved)
    assert info.participants == ("@next:test",) and info.waitlist == ()
    told = "\n".join(event.direct("@both:test"))
    assert f"#{moved} Moved" in told and f"#{staying} Staying" in told
    assert f"you keep your seat in #{staying}" in told and f"your seat in #{moved}" in told
    assert any("a seat freed up and it is yours" in b for b in event.direct("@next:test"))


async def test_a_seat_in_the_moved_session_beats_a_waitlist_place_in_the_slot(event):
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved")
    full = await event.session("Full", cap=1, starts=event.start.replace(hour=14))
    await fill(event, full, ["@a:test", "@both:test", "@behind:test"])
    await fill(event, moved, ["@both:test"])
    await move(event, moved, afternoon)
    assert await places(event, "@both:test") == {moved: "seated"}
    assert (await event.info(full)).waitlist == ("@behind:test",)
    told = "\n".join(event.direct("@both:test"))
    assert f"you keep your seat in #{moved}" in told
    assert f"your waitlist place in #{full}" in told


async def test_waiting_in_both_keeps_the_waitlist_place_already_in_the_slot(event):
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved", cap=1)
    full = await event.session("Full", cap=1, starts=event.start.replace(hour=14))
    await fill(event, moved, ["@m:test", "@both:test"])
    await fill(event, full, ["@f:test", "@both:test"])
    await move(event, moved, afternoon, cap=1)
    assert await places(event, "@both:test") == {full: "waiting"}
    assert (await event.info(moved)).waitlist == ()


async def test_a_freed_seat_goes_to_the_next_person_who_has_no_other_place_in_the_slot(event):
    """The first person waiting in the moved session has a seat elsewhere in the slot: they keep that
    one, and the seat moves on down the waitlist."""
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved", cap=1)
    staying = await event.session("Staying", starts=event.start.replace(hour=14))
    await fill(event, moved, ["@both:test", "@also:test", "@free:test"])
    await fill(event, staying, ["@both:test", "@also:test"])
    await move(event, moved, afternoon, cap=1)
    info = await event.info(moved)
    assert info.participants == ("@free:test",) and info.waitlist == ()
    assert await places(event, "@also:test") == {staying: "seated"}
    assert not any("freed up" in b for b in event.direct("@also:test")), (
        "no promotion is announced for a seat the person does not keep"
    )
    assert any("a seat freed up and it is yours" in b for b in event.direct("@free:test"))


async def test_rescheduling_an_unscheduled_session_into_a_slot_applies_the_rule(event):
    """While unscheduled, a session keeps its sign-ups and they may join another session of the slot."""
    sid = await event.session("Paused")
    await fill(event, sid, ["@both:test"])
    await event.h.say(ORGANIZER, f"!unschedule {sid}")
    other = await event.session("Meanwhile")
    await fill(event, other, ["@both:test"])
    await event.h.say(ORGANIZER, f"!schedule {sid} S1 Room{sid}")
    assert await places(event, "@both:test") == {other: "seated"}


async def test_merging_into_a_session_of_another_slot_keeps_the_seat_already_there(event):
    source = await event.session("Source", starts=event.start.replace(hour=14))
    target = await event.session("Target")
    elsewhere = await event.session("Elsewhere")
    await fill(event, source, ["@both:test", "@only:test"])
    await fill(event, elsewhere, ["@both:test"])
    await event.h.say(ORGANIZER, f"!merge {source} {target}")
    assert await places(event, "@both:test") == {elsewhere: "seated"}
    assert (await event.info(target)).participants == ("@only:test",)
    told = "\n".join(event.direct("@both:test"))
    assert f"#{source} Source was merged into #{target} Target" in told
    assert f"you keep your seat in #{elsewhere}" in told
    assert not any("freed up" in b for b in event.direct("@both:test"))


async def test_merging_gives_a_seat_over_a_waitlist_place_in_the_slot(event):
    source = await event.session("Source", starts=event.start.replace(hour=14))
    target = await event.session("Target")
    full = await event.session("Full", cap=1)
    await fill(event, source, ["@both:test"])
    await fill(event, full, ["@f:test", "@both:test"])
    await event.h.say(ORGANIZER, f"!merge {source} {target}")
    assert await places(event, "@both:test") == {target: "seated"}
    assert (await event.info(full)).waitlist == ()


async def test_the_clash_is_told_in_the_persons_language(event):
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved")
    staying = await event.session("Staying", starts=event.start.replace(hour=14))
    await fill(event, moved, ["@both:test"])
    await fill(event, staying, ["@both:test"])
    async with event.h.bot.db.transaction() as tx:
        await event.h.bot.core.preferences.set_language(tx, "@both:test", "zh-TW")
    await move(event, moved, afternoon)
    told = "\n".join(event.direct("@both:test"))
    assert f"#{staying}" in told and "座位" in told and "同一時段" in told


async def test_the_clash_can_be_told_in_the_lobby_with_a_mention(new_event):
    event = await new_event(notify_promotion="lobby")
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved")
    staying = await event.session("Staying", starts=event.start.replace(hour=14))
    await fill(event, moved, ["@both:test"])
    await fill(event, staying, ["@both:test"])
    await event.location(f"Spare{moved}")
    sent = await event.h.say(ORGANIZER, f"!schedule {moved} {afternoon} Spare{moved}")
    notices = [s for s in sent if s.room_id == LOBBY and f"#{staying}" in s.content["body"]]
    assert len(notices) == 1
    assert notices[0].content["m.mentions"] == {"user_ids": ["@both:test"]}
    assert event.direct("@both:test") == []


async def test_the_organizer_hears_how_many_people_lost_a_second_place_and_nobody_else_does(event):
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved", cap=1)
    staying = await event.session("Staying", starts=event.start.replace(hour=14))
    await fill(event, moved, ["@both:test", "@next:test"])
    await fill(event, staying, ["@both:test"])
    await event.location(f"Spare{moved}", 1)
    sent = await event.h.say(ORGANIZER, f"!schedule {moved} {afternoon} Spare{moved}", event_id="$move")
    to_organizer = [
        s.content["body"] for s in sent if s.content.get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == "$move"
    ]
    assert len(to_organizer) == 2 and "moved" in to_organizer[0], to_organizer
    aside = to_organizer[1]
    assert f"1 person now held places in two sessions of {afternoon}" in aside
    assert f"!who {moved} shows who" in aside and "both" not in aside  # how many, not who
    assert not any("two sessions of" in b for b in event.direct("@both:test"))


async def test_an_action_without_a_clash_adds_nothing_to_the_organizers_reply(event):
    _, afternoon = await two_slots(event)
    moved = await event.session("Moved", cap=1)
    await fill(event, moved, ["@only:test"])
    await event.location(f"Spare{moved}", 1)
    reply = await event.h.reply_text(ORGANIZER, f"!schedule {moved} {afternoon} Spare{moved}")
    assert "moved" in reply and "two sessions of" not in reply
