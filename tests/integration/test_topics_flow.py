"""Topics and the agenda over a real Synapse: propose, vote with 👍, order, grid, schedule, agenda twins."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

from bot.testing.matrix import replies_to

PLUGINS = ["topics", "agenda"]


async def setup_event(new_user, start_flipchart, bot_account):
    """An organizer, two participants in a lobby, and the bot with topics and agenda."""
    org, alice, bob = await asyncio.gather(new_user("org"), new_user("alice"), new_user("bob"))
    lobby = await org.create_room("Lobby", invite=[bot_account.user_id, alice.user_id, bob.user_id])
    await asyncio.gather(alice.join(lobby), bob.join(lobby))
    bot = await start_flipchart(
        account=bot_account,
        rooms={"lobby": lobby},
        organizers=[org.user_id],
        extra={"plugins": {"enabled": PLUGINS}},
    )
    return org, alice, bob, lobby, bot


async def propose(user, room: str, title: str) -> tuple[int, str]:
    """Propose; returns the topic id and the announcement's event id (to react on)."""
    sent = await user.send(room, f"!propose {title}")
    _, ev = await user.wait_for(lambda r, e: r == room and replies_to(e) == sent)
    topic_id = int(re.search(r"#(\d+)", ev["content"]["body"]).group(1))
    return topic_id, ev["event_id"]


def listed_ids(body: str) -> list[tuple[int, int]]:
    """(topic id, votes) of each line of a `!topics` reply, in order."""
    return [(int(m.group(1)), int(m.group(2))) for m in re.finditer(r"#(\d+) .*?👍 (\d+)", body)]


async def test_propose_react_order_schedule_and_agenda(new_user, start_flipchart, bot_account):
    org, alice, bob, lobby, _ = await setup_event(new_user, start_flipchart, bot_account)
    open_data, open_data_ann = await propose(alice, lobby, "Open data for transit")
    mesh, mesh_ann = await propose(bob, lobby, "Community mesh networks")
    civic, _ = await propose(org, lobby, "Civic tech funding")
    assert (open_data, mesh, civic) == (1, 2, 3)

    await bob.react(lobby, open_data_ann, "👍")
    await org.react(lobby, open_data_ann, "👍")
    await alice.react(lobby, mesh_ann, "👍")
    topics = (await alice.ask(lobby, "!topics"))["body"]
    assert listed_ids(topics) == [(1, 2), (2, 1), (3, 0)], topics

    day = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert "S1" in (await org.ask(lobby, f"!slot add {day} 10:00-10:45 Morning"))["body"]
    await org.ask(lobby, "!location add Hall cap 20")
    await org.ask(lobby, "!location add Garden")
    assert "Only organizers" in (await bob.ask(lobby, "!location add Bob's room"))["body"]

    assert (
        "on the agenda" in (await alice.ask(lobby, f"!schedule {open_data} Morning Hall"))["body"]
    )
    taken = (await bob.ask(lobby, f"!schedule {mesh} S1 Hall"))["body"]
    assert "taken by #1" in taken and "Garden" in taken
    assert "on the agenda" in (await bob.ask(lobby, f"!schedule {mesh} S1 Garden"))["body"]

    agenda = await bob.ask(lobby, f"!agenda {day}")
    assert agenda["msgtype"] == "m.notice"
    assert "<table>" in agenda["formatted_body"] and "<th>Hall</th>" in agenda["formatted_body"]
    lines = agenda["body"].splitlines()
    assert f"Agenda {day} — times in UTC" == lines[0]
    assert "S1 10:00–10:45 Morning · Hall · #1 Open data for transit (0/20)" in lines
    assert "S1 10:00–10:45 Morning · Garden · #2 Community mesh networks (0/8)" in lines


async def test_reaction_votes_survive_a_restart_and_redacting_unvotes(
    new_user, start_flipchart, bot_account
):
    org, alice, bob, lobby, bot = await setup_event(new_user, start_flipchart, bot_account)
    _, announcement = await propose(alice, lobby, "Durable votes")
    reaction = await bob.react(lobby, announcement, "👍")
    assert listed_ids((await org.ask(lobby, "!topics"))["body"]) == [(1, 1)]
    await bot.kill()
    await bot.start()
    assert listed_ids((await org.ask(lobby, "!topics"))["body"]) == [(1, 1)]
    await bob.redact(lobby, reaction)
    assert listed_ids((await org.ask(lobby, "!topics"))["body"]) == [(1, 0)]
