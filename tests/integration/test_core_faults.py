"""Faults: the homeserver goes away and comes back; the homeserver rate-limits the bot; the disk refuses
writes; the logs stay clean."""

from __future__ import annotations

import asyncio
import re
import resource
import sqlite3

import pytest

from bot.testing.matrix import TestUser, replies_to
from bot.testing.process import BotProcess
from bot.testing.synapse import Synapse

CORE_ONLY = {"plugins": {"enabled": ["core"]}}


@pytest.fixture
def own_synapse(tmp_path):
    """A private homeserver for tests that stop it or tighten its limits."""
    servers: list[Synapse] = []

    def make(**kw) -> Synapse:
        server = Synapse(tmp_path / f"synapse-{len(servers)}", **kw)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


async def _setup(server: Synapse, tmp_path, extra=None):
    org_acct, bot_acct = server.register("org"), server.register("flipchart")
    org = TestUser(server.url, org_acct)
    await org.start()
    room = await org.create_room("Lobby", invite=[bot_acct.user_id])
    bot = BotProcess(tmp_path / "bot", server.url, bot_acct,
                     {"rooms": {"lobby": room}, "roles": {"organizers": [org_acct.user_id]}, **CORE_ONLY, **(extra or {})})
    await bot.start()
    return org, room, bot


def _bot_replies(org: TestUser, bot: BotProcess) -> list[str | None]:
    return [replies_to(e) for _, e in org.events if e.get("sender") == bot.user_id and e.get("type") == "m.room.message"]


async def _all_answered_once(org: TestUser, bot: BotProcess, sent: list[str], timeout: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline and not set(sent) <= set(_bot_replies(org, bot)):
        await asyncio.sleep(0.2)
    await asyncio.sleep(2)  # a quiet period in which a duplicate would show
    targets = _bot_replies(org, bot)
    assert set(sent) <= set(targets), f"unanswered: {len(set(sent) - set(targets))}"
    assert all(targets.count(s) == 1 for s in sent), "a command was answered twice"


async def test_homeserver_outage_is_waited_out_with_backoff_and_nothing_is_lost(own_synapse, tmp_path):
    server = own_synapse()
    org, room, bot = await _setup(server, tmp_path)
    sent = [await org.send(room, "!ping") for _ in range(5)]
    await asyncio.to_thread(server.stop)
    await asyncio.sleep(20)
    assert bot.running, "the bot crashed while the homeserver was away"
    await asyncio.to_thread(server.start)
    # The client also reconnects; commands sent right after the outage.
    for _ in range(100):
        try:
            sent.append(await org.send(room, "!ping"))
            break
        except Exception:
            await asyncio.sleep(0.2)
    sent += [await org.send(room, "!ping") for _ in range(4)]
    await _all_answered_once(org, bot, sent)
    failures = len(re.findall(r"sync failed|backing off|unreachable", bot.log_text()))
    # Backoff, not a busy loop: 20 s away is a handful of attempts, not thousands.
    assert 1 <= failures <= 40, failures
    await org.close()
    await bot.stop()


async def test_a_database_that_refuses_writes_is_waited_out_and_nothing_is_lost(synapse, tmp_path):
    """A full disk, as the bot sees it: no file of its own may grow (RLIMIT_FSIZE, set on the running
    process). It neither exits nor answers; once it may write again, every command is answered once."""
    org, room, bot = await _setup(synapse, tmp_path)
    sent = [await org.send(room, "!ping")]
    await _all_answered_once(org, bot, sent)
    pid = bot.proc.pid
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, hard))  # the soft limit: it can be lifted again
    try:
        during = [await org.send(room, "!ping") for _ in range(4)]
        await asyncio.sleep(8)
        assert bot.running, "the bot exited when its database refused writes"
        assert not set(during) & set(_bot_replies(org, bot)), "answered without writing: the fault never bit"
    finally:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (hard, hard))
    sent += during + [await org.send(room, "!ping") for _ in range(2)]
    await _all_answered_once(org, bot, sent, timeout=90)
    # Its log could not grow either; once it can, it says what happened.
    recovered = re.search(r"the database works again after (\d+) failed attempts", bot.log_text())
    assert recovered and int(recovered.group(1)) >= 1
    await bot.stop()
    with sqlite3.connect(bot.data_dir / "flipchart.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    await org.close()


async def test_rate_limited_bot_honours_retry_after_and_keeps_its_order(own_synapse, tmp_path):
    server = own_synapse(rc_message={"per_second": 2, "burst_count": 3})
    org, room, bot = await _setup(server, tmp_path)
    sent = []
    for _ in range(8):
        sent.append(await org.send(room, "!help ping"))
    await _all_answered_once(org, bot, sent, timeout=90)
    order = [t for t in _bot_replies(org, bot) if t in sent]
    assert order == sent, "replies came out of order"
    await org.close()
    await bot.stop()


async def test_logs_hold_no_secrets_and_no_message_text(own_synapse, tmp_path):
    server = own_synapse()
    org, room, bot = await _setup(server, tmp_path)
    await org.ask(room, "!ping with-a-secret-word-xyzzy")
    await org.ask(room, "!nosuchcommand plugh-42")
    await bot.stop()
    log = bot.log_text()
    session = (bot.data_dir / "session.json").read_text()
    token = re.search(r'"access_token": "([^"]+)"', session).group(1)
    assert bot.account.password not in log
    assert token not in log
    assert "xyzzy" not in log and "plugh" not in log
    await org.close()
