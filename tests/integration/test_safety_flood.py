"""Abuse resistance over a real Synapse: one person's flood is throttled (one polite notice, then silence)
while the bot keeps answering everybody else promptly."""

from __future__ import annotations

import asyncio
import time

from bot.testing.matrix import replies_to

FLOOD = 60
BUDGET = 20  # [bot] rate_limit_commands (the default)


async def test_a_flood_is_throttled_without_the_bot_falling_behind_for_others(
    new_user, start_flipchart, bot_account
):
    org = await new_user("org")
    flooder = await new_user("flooder")
    bob = await new_user("bob")
    lobby = await org.create_room(
        "Lobby", invite=[bot_account.user_id, flooder.user_id, bob.user_id]
    )
    await flooder.join(lobby)
    await bob.join(lobby)
    bot = await start_flipchart(
        account=bot_account,
        rooms={"lobby": lobby},
        organizers=[org.user_id],
        extra={"bot": {"rate_limit_commands": BUDGET, "rate_limit_seconds": 60}},
    )

    async def burst(count: int) -> list[str]:
        return list(await asyncio.gather(*(flooder.send(lobby, "!ping") for _ in range(count))))

    mark = flooder.mark()
    flood_ids = await burst(FLOOD // 2)
    # Bob asks while the second half of the flood is arriving.
    started = time.monotonic()
    second_half = asyncio.create_task(burst(FLOOD - FLOOD // 2))
    reply = await bob.ask(lobby, "!ping", timeout=10)
    answered_in = time.monotonic() - started
    assert reply["body"] == "pong"
    assert answered_in < 5, f"bob waited {answered_in:.1f} s during the flood"
    flood_ids += await second_half

    # Bob's next ping comes after the whole flood: once its answer is seen, every answer to the flood is.
    barrier = await bob.send(lobby, "!ping")
    await flooder.wait_for(lambda r, e: r == lobby and replies_to(e) == barrier, since=mark)
    answers = [
        e["content"]["body"]
        for r, e in flooder.events[mark:]
        if r == lobby and e.get("sender") == bot.user_id and replies_to(e) in flood_ids
    ]
    slow_down = [a for a in answers if "slow down" in a]
    assert len(slow_down) == 1
    assert answers.count("pong") == BUDGET
    assert len(answers) == BUDGET + 1
