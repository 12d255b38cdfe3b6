"""Sessions over a real Synapse: no overbooking under concurrent joins, waitlist promotion, room invites."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

PLUGINS = ["topics", "agenda", "sessions"]


async def setup_event(
    new_user, start_flipchart, bot_account, *, people: int, sessions: dict | None = None
):
    """An organizer, a lobby with `people` participants and the bot; returns (org, lobby, users, bot)."""
    org = await new_user("org")
    lobby = await org.create_room("Lobby", invite=[bot_account.user_id])
    users = await asyncio.gather(*(new_user(f"p{i}") for i in range(people)))
    for user in users:
        await org.client.room_invite(lobby, user.user_id)
    await asyncio.gather(*(user.join(lobby) for user in users))
    extra = {"plugins": {"enabled": PLUGINS}, "sessions": {"default_cap": 8, **(sessions or {})}}
    bot = await start_flipchart(
        account=bot_account, rooms={"lobby": lobby}, organizers=[org.user_id], extra=extra
    )
    return org, lobby, list(users), bot


async def schedule(
    org, lobby, title: str, *, starts: datetime, minutes: int = 60, location: str = "Hall"
) -> int:
    """Propose, add a slot and a place, schedule: the organizer's path through the real commands."""
    reply = await org.ask(lobby, f"!propose {title}")
    topic_id = int(re.search(r"#(\d+)", reply["body"]).group(1))
    # A slot ends on the day it starts: near midnight (UTC, as these tests run) it is cut short.
    ends = min(starts + timedelta(minutes=minutes), starts.replace(hour=23, minute=59))
    await org.ask(lobby, f"!slot add {starts:%Y-%m-%d} {starts:%H:%M}-{ends:%H:%M}")
    await org.ask(lobby, f"!location add {location}")
    slots = await org.ask(lobby, "!slots")
    code = re.findall(r"\b(S\d+)\b", slots["body"])[-1]
    reply = await org.ask(lobby, f"!schedule {topic_id} {code} {location}")
    assert f"#{topic_id}" in reply["body"], reply["body"]
    return topic_id


def tomorrow() -> datetime:
    return (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )


async def test_nine_concurrent_joins_for_eight_seats_then_a_leave_seats_the_ninth(
    new_user, start_flipchart, bot_account
):
    org, lobby, users, _ = await setup_event(
        new_user, start_flipchart, bot_account, people=9, sessions={"notify_promotion": "lobby"}
    )
    sid = await schedule(org, lobby, "Concurrency", starts=tomorrow())
    replies = await asyncio.gather(*(user.ask(lobby, f"!join {sid}") for user in users))
    seated = [u for u, r in zip(users, replies, strict=True) if "You have a seat" in r["body"]]
    waiting = [u for u, r in zip(users, replies, strict=True) if "waitlist" in r["body"]]
    assert len(seated) == 8 and len(waiting) == 1, [r["body"] for r in replies]
    who = (await org.ask(lobby, f"!who {sid}"))["body"]
    assert "8/8" in who and waiting[0].user_id in who.split("Waitlist", 1)[1]

    mark = waiting[0].mark()
    assert "You left" in (await seated[0].ask(lobby, f"!leave {sid}"))["body"]
    _, told = await waiting[0].wait_for(
        lambda r, e: (
            r == lobby
            and waiting[0].user_id in e["content"].get("m.mentions", {}).get("user_ids", [])
        ),
        since=mark,
    )
    assert "freed up" in told["content"]["body"]
    who = (await org.ask(lobby, f"!who {sid}"))["body"]
    assert "8/8" in who and "Waitlist" not in who
    assert waiting[0].user_id in who and seated[0].user_id not in who


async def test_a_seated_person_is_invited_to_the_session_room(
    new_user, start_flipchart, bot_account
):
    org, lobby, (alice, bob), _ = await setup_event(
        new_user, start_flipchart, bot_account, people=2
    )
    sid = await schedule(org, lobby, "Room invites", starts=tomorrow())
    await alice.ask(lobby, f"!join {sid}")
    room = await alice.wait_invite(exclude=(lobby,))
    await alice.accept_invite(room)
    name = await alice.client.room_get_state_event(room, "m.room.name")
    assert name.content["name"] == f"#{sid} Room invites"
    topic = await alice.client.room_get_state_event(room, "m.room.topic")
    assert (
        f"{tomorrow():%Y-%m-%d} 10:00–11:00" in topic.content["topic"]
        and "Hall" in topic.content["topic"]
    )
    join_rules = await alice.client.room_get_state_event(room, "m.room.join_rules")
    assert join_rules.content["join_rule"] == "invite"
    parents = await alice.client.room_get_state(room)
    assert any(e["type"] == "m.space.parent" for e in parents.events)
    # Someone who joins later is invited too.
    await bob.ask(lobby, f"!join {sid}")
    assert await bob.wait_invite(exclude=(lobby,)) == room
    # The event's space (made by the bot, organizers invited) holds the lobby and the session room,
    # and anyone in the lobby may join it.
    space = await org.wait_invite()
    await org.accept_invite(space)
    create = await org.client.room_get_state_event(space, "m.room.create")
    assert create.content.get("type") == "m.space"
    state = await org.client.room_get_state(space)
    assert {lobby, room} <= {e["state_key"] for e in state.events if e["type"] == "m.space.child"}
    await alice.join(space)


async def test_the_waitlist_keeps_its_order_and_each_promotion_is_told_directly(
    new_user, start_flipchart, bot_account
):
    org, lobby, (a, b, c), bot = await setup_event(new_user, start_flipchart, bot_account, people=3)
    sid = await schedule(org, lobby, "Order", starts=tomorrow())
    await org.ask(lobby, f"!cap {sid} 1")
    assert "You have a seat" in (await a.ask(lobby, f"!join {sid}"))["body"]
    assert "number 1" in (await b.ask(lobby, f"!join {sid}"))["body"]
    assert "number 2" in (await c.ask(lobby, f"!join {sid}"))["body"]
    session_room = await a.wait_invite(exclude=(lobby,))
    await a.ask(lobby, f"!leave {sid}")

    # b is invited to the session room, and to a direct chat where the bot tells them (maybe encrypted).
    invited = {await b.wait_invite(exclude=(lobby,))}
    invited.add(await b.wait_invite(exclude=(lobby, *invited)))
    assert session_room in invited
    (direct,) = invited - {session_room}
    await b.accept_invite(direct)
    await b.wait_for(
        lambda r, e: (
            r == direct
            and e.get("sender") == bot.user_id
            and e["type"] in ("m.room.message", "m.room.encrypted")
        )
    )
    who = (await org.ask(lobby, f"!who {sid}"))["body"]
    assert b.user_id in who.split("Waitlist")[0] and c.user_id in who.split("Waitlist")[1]
    assert c.invites == [lobby], "c, still waiting, is invited nowhere"
