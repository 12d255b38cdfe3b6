"""Meetups over a real Synapse: the cap holds under concurrent sign-ups, the rest wait in order, a leave
promotes the first person waiting."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta


async def test_concurrent_sign_ups_respect_the_cap_and_a_leave_promotes(
    new_user, start_flipchart, bot_account
):
    org = await new_user("org")
    people = await asyncio.gather(*(new_user(f"p{i}") for i in range(4)))
    lobby = await org.create_room(
        "Lobby", invite=[bot_account.user_id, *(p.user_id for p in people)]
    )
    await asyncio.gather(*(p.join(lobby) for p in people))
    await start_flipchart(
        account=bot_account,
        rooms={"lobby": lobby},
        organizers=[org.user_id],
        extra={"plugins": {"enabled": ["meetups"]}},
    )

    opened = await org.ask(lobby, "!meetup Dinner at the night market cap 3")
    meetup_id = int(re.search(r"#(\d+)", opened["body"]).group(1))
    assert "up to 3 people" in opened["body"]

    replies = await asyncio.gather(*(p.ask(lobby, f"!meetup join {meetup_id}") for p in people))
    seated = [p for p, r in zip(people, replies, strict=True) if "You are signed up" in r["body"]]
    waiting = [p for p, r in zip(people, replies, strict=True) if "waitlist" in r["body"]]
    assert len(seated) == 2 and len(waiting) == 2  # the organizer holds the third place
    position = {
        p.user_id: int(re.search(r"number (\d)", r["body"]).group(1))
        for p, r in zip(people, replies, strict=True)
        if p in waiting
    }
    assert sorted(position.values()) == [1, 2]
    first, second = sorted(waiting, key=lambda p: position[p.user_id])

    listing = await org.ask(lobby, "!meetups")
    assert "3/3, full, 2 waiting" in listing["body"]

    left = await seated[0].ask(lobby, f"!meetup leave {meetup_id}")
    assert "You left" in left["body"]
    listing = await org.ask(lobby, "!meetups")
    assert "3/3, full, 1 waiting" in listing["body"]
    assert "already signed up" in (await first.ask(lobby, f"!meetup join {meetup_id}"))["body"]
    assert "number 1" in (await second.ask(lobby, f"!meetup join {meetup_id}"))["body"]


async def test_reminder_mentions_those_signed_up_once_even_across_a_restart(
    new_user, start_flipchart, bot_account
):
    org = await new_user("org")
    alice = await new_user("alice")
    lobby = await org.create_room("Lobby", invite=[bot_account.user_id, alice.user_id])
    await alice.join(lobby)
    # Reminders 3 minutes ahead: a sheet 1-2 minutes from now is due at once (no waiting in the test).
    bot = await start_flipchart(
        account=bot_account,
        rooms={"lobby": lobby},
        organizers=[org.user_id],
        extra={"plugins": {"enabled": ["meetups"]}, "meetups": {"remind_minutes_before": 3}},
    )
    at = (datetime.now(UTC) + timedelta(minutes=2)).strftime("%H:%M")
    mark = alice.mark()
    opened = await org.ask(lobby, f"!meetup Coffee at {at}")
    meetup_id = int(re.search(r"#(\d+)", opened["body"]).group(1))

    def reminder(r, e):
        return (
            r == lobby
            and e.get("sender") == bot.user_id
            and "⏰" in e.get("content", {}).get("body", "")
        )

    _, event = await alice.wait_for(reminder, since=mark)
    assert event["content"]["m.mentions"] == {"user_ids": [org.user_id]}
    assert f"#{meetup_id}" in event["content"]["body"] and "Coffee" in event["content"]["body"]

    await bot.kill()
    await bot.start()
    # Alice's own question is a barrier: a second reminder would be queued (and seen) before its answer.
    await alice.ask(lobby, "!meetups")
    assert len([e for r, e in alice.events[mark:] if reminder(r, e)]) == 1
