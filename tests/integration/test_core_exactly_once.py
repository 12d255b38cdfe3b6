"""Kill the bot mid-stream and restart it: every command is answered once and only once."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3

from bot.testing.matrix import replies_to

# The core alone: these tests are about delivery, not features.
CORE_ONLY = {"plugins": {"enabled": ["core"]}}


async def test_every_command_answered_exactly_once_across_sigkills(new_user, start_flipchart, bot_account):
    """200 commands from 20 people while the bot is SIGKILLed three times at random moments and restarted."""
    org = await new_user("org")
    room = await org.create_room("Lobby", invite=[bot_account.user_id])
    people = [org] + list(await asyncio.gather(*(new_user(f"p{i}") for i in range(19))))
    for p in people[1:]:
        await org.client.room_invite(room, p.user_id)
    await asyncio.gather(*(p.join(room) for p in people[1:]))
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id],
                                extra={"bot": {"rate_limit_commands": 1000}})

    sent: list[str] = []
    proposals: list[str] = []
    rng = random.Random(7)

    async def talk(index, person):
        for i in range(10):
            if i % 2:
                title = f"Topic {index}-{i}"
                proposals.append(title)
                sent.append(await person.send(room, f"!propose {title}"))
            else:
                sent.append(await person.send(room, "!ping"))
            await asyncio.sleep(rng.uniform(0.05, 0.3))

    async def chaos():
        for _ in range(3):
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            await bot.kill()
            await asyncio.sleep(rng.uniform(0.1, 0.5))
            await bot.start()

    await asyncio.gather(*(talk(i, p) for i, p in enumerate(people)), chaos())
    assert bot.starts == 4 and len(sent) == 200

    def answered(_r, e):
        return e.get("sender") == bot.user_id and e.get("type") == "m.room.message" and replies_to(e)

    # Wait until every command has a reply, then a quiet period to catch duplicates.
    deadline = asyncio.get_running_loop().time() + 90
    while asyncio.get_running_loop().time() < deadline:
        if set(sent) <= {replies_to(e) for _, e in org.events if answered(_, e)}:
            break
        await asyncio.sleep(0.2)
    replies = await org.collect(answered, quiet=2.0)
    targets = [replies_to(e) for _, e in replies]
    missing = set(sent) - set(targets)
    duplicates = {t for t in targets if targets.count(t) > 1}
    assert not org.gaps, "the observer's sync skipped events: it cannot tell what the bot answered"
    assert not missing, f"{len(missing)} commands never answered"
    assert not duplicates, f"{len(duplicates)} commands answered twice"
    await bot.stop()
    with sqlite3.connect(bot.data_dir / "flipchart.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM core_outbox WHERE state = 'pending'").fetchone()[0] == 0
        titles = [r[0] for r in db.execute("SELECT title FROM topics_topics")]
    assert sorted(titles) == sorted(proposals), "a proposal was lost or stored twice"


async def test_restart_keeps_the_device_and_the_encrypted_room_keeps_working(new_user, start_flipchart, bot_account):
    org = await new_user("org", encrypted=True)
    room = await org.create_room("Secret lobby", invite=[bot_account.user_id], encrypted=True)
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id], extra=CORE_ONLY)
    assert (await org.ask(room, "!ping", timeout=30))["body"] == "pong"
    session = json.loads((bot.data_dir / "session.json").read_text())
    assert (bot.data_dir / "session.json").stat().st_mode & 0o077 == 0
    await bot.stop()
    await bot.start()
    assert json.loads((bot.data_dir / "session.json").read_text())["device_id"] == session["device_id"]
    devices = await org.client.devices()  # org's own; check the bot's through a key query instead
    assert devices is not None
    reply = await org.ask(room, "!ping", timeout=30)
    assert reply["body"] == "pong"
    assert bot.log_text().count("logged in with new device") == 1
    assert "restored session" in bot.log_text()


async def test_more_commands_than_one_sync_carries_while_the_bot_was_down(new_user, start_flipchart, bot_account):
    org = await new_user("org")
    room = await org.create_room("Lobby", invite=[bot_account.user_id])
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id],
                                extra={**CORE_ONLY, "bot": {"rate_limit_commands": 1000}})
    assert (await org.ask(room, "!ping"))["body"] == "pong"
    await bot.stop()
    sent = [await org.send(room, "!ping") for _ in range(130)]  # the timeline of one sync holds 100
    await bot.start()

    def answered(_r, e):
        return e.get("sender") == bot.user_id and replies_to(e) in sent

    deadline = asyncio.get_running_loop().time() + 60
    while asyncio.get_running_loop().time() < deadline:
        if {replies_to(e) for _, e in org.events if answered(_, e)} >= set(sent):
            break
        await asyncio.sleep(0.2)
    targets = [replies_to(e) for _, e in await org.collect(answered, quiet=2.0)]
    assert set(targets) == set(sent), f"{len(set(sent) - set(targets))} commands lost"
    assert len(targets) == len(sent), "a command was answered twice"


async def test_a_reply_queued_before_a_restart_is_sent_when_nothing_happened_since(new_user, start_flipchart, bot_account):
    """Killed between committing a reply and sending it, restarted into a quiet room: the reply still goes out.

    nio skips a sync response whose token equals the one it was given; a quiet restart gets exactly that,
    and nio then never learned the rooms, so every send failed with "No such room" (the rare SIGKILL flake)."""
    org = await new_user("org")
    room = await org.create_room("Lobby", invite=[bot_account.user_id])
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id], extra=CORE_ONLY)
    assert (await org.ask(room, "!ping"))["body"] == "pong"
    await asyncio.sleep(1)  # the bot's sync sees its own pong and saves that token
    await bot.stop()
    content = {"msgtype": "m.notice", "body": "queued before the crash", "m.mentions": {}}
    with sqlite3.connect(bot.data_dir / "flipchart.db") as db:
        db.execute("INSERT INTO core_outbox (kind, room_id, payload) VALUES ('message', ?, ?)",
                   (room, json.dumps({"content": content})))
    await bot.start()
    _, event = await org.wait_for(lambda r, e: r == room and e.get("content", {}).get("body") == content["body"], 10)
    assert event["sender"] == bot.user_id
    assert "gave up" not in bot.log_text()
