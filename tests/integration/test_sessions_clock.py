"""The session clock over a real Synapse: a session in a running slot is welcomed, `!start`/`!end` by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from test_sessions_seats import schedule, setup_event, tomorrow


def from_bot(bot, room):
    return lambda r, e: (
        r == room and e.get("sender") == bot.user_id and e.get("type") == "m.room.message"
    )


async def test_a_session_in_the_running_slot_welcomes_its_room_with_the_house_rules(
    new_user, start_flipchart, bot_account
):
    org, lobby, (alice,), bot = await setup_event(new_user, start_flipchart, bot_account, people=1)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    started = max(now - timedelta(minutes=1), now.replace(hour=0, minute=0))  # the same day as now
    sid = await schedule(org, lobby, "Right now", starts=started, minutes=30)
    assert "You have a seat" in (await alice.ask(lobby, f"!join {sid}"))["body"]
    room = await alice.wait_invite(exclude=(lobby,))
    await alice.accept_invite(room)
    _, welcome = await alice.wait_for(
        lambda r, e: from_bot(bot, room)(r, e) and "👋" in e["content"]["body"]
    )
    assert "!coc" in welcome["content"]["body"] and "consent" in welcome["content"]["body"]
    assert "has already started" in (await org.ask(lobby, f"!start {sid}"))["body"]


async def test_start_and_end_by_hand_post_in_the_session_room_once(
    new_user, start_flipchart, bot_account
):
    org, lobby, (alice,), bot = await setup_event(new_user, start_flipchart, bot_account, people=1)
    sid = await schedule(org, lobby, "By hand", starts=tomorrow())
    await alice.ask(lobby, f"!join {sid}")
    room = await alice.wait_invite(exclude=(lobby,))
    await alice.accept_invite(room)
    assert "has started" in (await org.ask(lobby, f"!start {sid}"))["body"]
    await alice.wait_for(lambda r, e: from_bot(bot, room)(r, e) and "👋" in e["content"]["body"])
    assert "Only organizers and the proposer" in (await alice.ask(room, "!end"))["body"]
    assert "has ended" in (await org.ask(lobby, f"!end {sid}"))["body"]
    await alice.wait_for(lambda r, e: from_bot(bot, room)(r, e) and "🏁" in e["content"]["body"])
    posted = await alice.collect(from_bot(bot, room), quiet=1.0)
    bodies = [e["content"]["body"] for _, e in posted]
    assert sum("👋" in b for b in bodies) == 1 and sum("🏁" in b for b in bodies) == 1
