"""The whole flow with the Harness: propose → vote → order → grid → schedule → agenda twins → iCalendar."""

from __future__ import annotations

import re

from agenda_support import agenda_of, ics_file, organize, uids

from bot.testing.harness import ORGANIZER

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"


async def test_propose_vote_schedule_and_show_the_agenda(h):
    h.transport.display_names.update({ALICE: "Alice", BOB: "Bob"})
    first = await h.say(ALICE, "!propose Open data for transit")
    await h.say(BOB, "!propose Community mesh networks")
    await h.react(BOB, first[0].event_id, "👍")
    await h.react(CAROL, first[0].event_id, "👍")
    await h.say(ALICE, "!vote 2")
    listing = [
        line for line in (await h.reply_text(CAROL, "!topics")).splitlines() if line.startswith("•")
    ]
    assert [line.split()[1] for line in listing] == ["#1", "#2"]
    assert "👍 2" in listing[0] and "👍 1" in listing[1]

    added = await organize(
        h,
        "!slot add 2026-11-28 10:00-10:45 Morning",
        "!slot add 2026-11-28 11:00-11:45",
        "!location add Room A cap 20",
        "!location add Garden",
    )
    assert "S1" in added[0] and "Morning" in added[0] and "S2" in added[1]
    assert "Room A" in added[2] and "20" in added[2]

    assert "on the agenda" in await h.reply_text(ORGANIZER, "!schedule 1 S1 Room A")
    conflict = await h.reply_text(BOB, "!schedule 2 Morning Room A")
    assert "taken by #1" in conflict and "Free in S1: Garden" in conflict
    assert "on the agenda" in await h.reply_text(BOB, "!schedule 2 morning garden")
    assert "scheduled" in await h.reply_text(CAROL, "!topics")

    sent = await h.say(CAROL, "!agenda")
    assert len(sent) == 1
    content = sent[0].content
    html = content["formatted_body"]
    assert "<table>" in html and "<th>Garden</th><th>Room A</th>" in html
    assert "<td>#1 Open data for transit (0/20)</td>" in html
    assert "<td>#2 Community mesh networks (0/8)</td>" in html
    body = content["body"].splitlines()
    assert body[0] == "Agenda 2026-11-28 — times in UTC"
    assert "S1 10:00–10:45 Morning · Garden · #2 Community mesh networks (0/8)" in body
    assert "S1 10:00–10:45 Morning · Room A · #1 Open data for transit (0/20)" in body
    assert any(line.startswith("S2 11:00–11:45 · ") for line in body)
    assert "<" not in content["body"]  # the plain twin has no markup

    events = uids(await ics_file(h, CAROL))
    assert set(events) == {"topic-1@open-space", "topic-2@open-space"}
    first_event = events["topic-1@open-space"]
    assert first_event["summary"] == "#1 Open data for transit"
    assert first_event["location"] == "Room A"
    assert first_event["start"].isoformat() == "2026-11-28T10:00:00+00:00"
    assert first_event["end"].isoformat() == "2026-11-28T10:45:00+00:00"


async def test_ics_uids_are_stable_and_the_sequence_grows_when_a_session_moves(h):
    await h.say(ALICE, "!propose Maps")
    await organize(
        h,
        "!slot add 2026-11-28 10:00-10:45",
        "!slot add 2026-11-28 11:00-11:45",
        "!location add Hall",
        "!schedule 1 S1 Hall",
    )
    before = uids(await ics_file(h, ALICE))
    await organize(h, "!schedule 1 S2 Hall")
    after = uids(await ics_file(h, ALICE))
    assert list(before) == list(after) == ["topic-1@open-space"]
    assert after["topic-1@open-space"]["sequence"] > before["topic-1@open-space"]["sequence"]
    assert after["topic-1@open-space"]["start"].hour == 11


async def test_ics_mine_has_my_topics_and_what_the_sessions_provider_says(h):
    await h.say(ALICE, "!propose Mine")
    await h.say(BOB, "!propose Joined")
    await h.say(BOB, "!propose Not mine")
    await organize(
        h,
        "!slot add 2026-11-28 10:00-10:45",
        "!location add A",
        "!location add B",
        "!location add C",
    )
    await organize(h, "!schedule 1 S1 A", "!schedule 2 S1 B", "!schedule 3 S1 C")

    async def seats(tx, user_id):
        return [2] if user_id == ALICE else []

    agenda_of(h).set_mine(seats)
    events = uids(await ics_file(h, ALICE, "!agenda ics mine"))
    assert set(events) == {"topic-1@open-space", "topic-2@open-space"}
    assert "no sessions" in await h.reply_text(CAROL, "!agenda ics mine")


async def test_occupancy_provider_fills_joined_over_cap(h):
    await h.say(ALICE, "!propose Full one")
    await organize(
        h, "!slot add 2026-11-28 10:00-10:45", "!location add Hall cap 30", "!schedule 1 S1 Hall"
    )

    async def occupancy(tx, topic_ids):
        return {i: (7, 12) for i in topic_ids}

    agenda_of(h).set_occupancy(occupancy)
    assert "#1 Full one (7/12)" in await h.reply_text(ALICE, "!agenda")


async def test_times_are_shown_in_the_readers_own_zone(h):
    await organize(h, "!slot add 2026-11-28 10:00-10:45 Morning")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_timezone(tx, ALICE, "Asia/Taipei")
    assert "18:00–18:45" in await h.reply_text(ALICE, "!slots")
    reply = await h.reply_text(ALICE, "!agenda")
    assert "times in Asia/Taipei" in reply and "S1 18:00–18:45" in reply
    assert "10:00–10:45" in await h.reply_text(BOB, "!slots")


async def test_slots_are_in_the_event_time_zone():
    from agenda_support import agenda_harness

    from bot.config import EventConfig

    h = await agenda_harness(core={"event": EventConfig(timezone="Asia/Taipei")})
    try:
        await organize(h, "!slot add 2026-11-28 10:00-10:45")
        async with h.bot.db.transaction() as tx:
            (slot,) = await agenda_of(h).slots(tx)
        assert slot.starts_at.isoformat() == "2026-11-28T02:00:00+00:00"
    finally:
        await h.close()


async def test_agenda_by_day_today_a_date_and_all(h):
    # The harness clock says 2026-11-28.
    await organize(
        h,
        "!slot add 2026-11-27 10:00-11:00",
        "!slot add 2026-11-28 10:00-11:00",
        "!slot add 2026-11-29 10:00-11:00",
        "!location add Hall",
    )
    def headings(sent):
        return [line for s in sent for line in s.content["body"].splitlines() if line.startswith("Agenda ")]

    # Days this small share one message (one notification), each under its own heading, in order.
    (upcoming,) = await h.say(ALICE, "!agenda")
    assert headings([upcoming]) == ["Agenda 2026-11-28 — times in UTC", "Agenda 2026-11-29 — times in UTC"]
    assert upcoming.content["formatted_body"].count("<table>") == 2
    (everything,) = await h.say(ALICE, "!agenda all")
    assert [line[7:17] for line in headings([everything])] == ["2026-11-27", "2026-11-28", "2026-11-29"]
    assert len(await h.say(ALICE, "!agenda today")) == 1
    assert "2026-11-29" in await h.reply_text(ALICE, "!agenda 2026-11-29")
    refusal = await h.reply_text(ALICE, "!agenda 2026-12-01")
    assert "no slots on 2026-12-01" in refusal and "2026-11-27" in refusal
    assert "not a date" in await h.reply_text(ALICE, "!agenda 2026-02-30")


async def test_a_long_agenda_is_split_in_messages_the_homeserver_accepts(h):
    await organize(h, *[f"!location add Room {n} cap 30" for n in range(12)])
    for hour in range(8, 20):
        for minute in (0, 20, 40):
            await organize(
                h, f"!slot add 2026-11-28 {hour:02d}:{minute:02d}-{hour:02d}:{minute + 15:02d}"
            )
    title = ("A rather long title about civic technology and open data " * 3)[:150]
    async with h.bot.db.transaction() as tx:  # 432 sessions: straight into the stores, to stay fast
        topics, agenda = h.bot.core.plugins["topics"], agenda_of(h)
        slots, locations = await agenda.slots(tx), await agenda.store.locations(tx)
        for n in range(36 * 12):
            topic = await topics.store.create(tx, f"{title} {n}", "", ORGANIZER)
            await agenda.store.book(tx, topic.id, slots[n // 12].id, locations[n % 12].id)
    sent = await h.say(ALICE, "!agenda")
    assert len(sent) > 1
    for s in sent:
        size = len(s.content["body"].encode()) + len(s.content["formatted_body"].encode())
        assert size < 25_000
        assert s.content["formatted_body"].count("<table>") == 1
    lines = [
        line for s in sent for line in s.content["body"].splitlines() if re.match(r"S\d+ ", line)
    ]
    assert len(lines) == 36 * 12  # every session once, one line each
    assert "(continued)" in sent[1].content["body"].splitlines()[0]


async def test_user_text_in_the_grid_is_escaped(h):
    await h.say(ALICE, "!propose <img src=x onerror=alert(1)> @room")
    await organize(
        h, "!slot add 2026-11-28 10:00-10:45", "!location add <b>Hall</b>", "!schedule 1 S1"
    )
    content = (await h.say(ALICE, "!agenda"))[0].content
    assert "<img" not in content["formatted_body"] and "<b>Hall" not in content["formatted_body"]
    assert "@room" not in content["body"]
