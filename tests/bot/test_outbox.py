"""The transactional outbox: order, tx ids, retries after 429 and outages, nothing lost."""

from __future__ import annotations

import asyncio
import json

from bot.i18n import Raw
from bot.outbox import MARK_BATCH, Ref, encode_json
from bot.testing.harness import LOBBY, Harness
from bot.transport import RateLimited, Refused, Unreachable


async def _queue(h, *texts):
    async with h.bot.db.transaction() as tx:
        return [await h.bot.core.notices.send(tx, LOBBY, Raw(t)) for t in texts]


async def test_rate_limited_send_waits_retry_after_and_keeps_order():
    h = await Harness.create(plugins={})
    await _queue(h, "one", "two", "three")
    h.transport.failures = [RateLimited(120), RateLimited(80)]
    loop = asyncio.get_running_loop()
    started = loop.time()
    await h.bot.outbox.drain()
    elapsed = loop.time() - started
    assert h.transport.bodies(LOBBY) == ["one", "two", "three"]
    assert elapsed >= 0.19  # waited 120 + 80 ms as told
    await h.close()


async def test_unreachable_homeserver_is_retried_until_it_answers():
    h = await Harness.create(plugins={})
    await _queue(h, "hello")
    h.transport.failures = [Unreachable("down"), Unreachable("down")]
    await asyncio.wait_for(h.bot.outbox.drain(), 10)
    assert h.transport.bodies(LOBBY) == ["hello"]
    await h.close()


async def test_refused_row_is_marked_failed_and_does_not_block_the_rest():
    h = await Harness.create(plugins={})
    await _queue(h, "doomed", "fine")
    h.transport.failures = [Refused("forbidden", "M_FORBIDDEN")]
    await h.bot.outbox.drain()
    assert h.transport.bodies(LOBBY) == ["fine"]
    rows = await h.bot.db.read("SELECT state FROM core_outbox ORDER BY id")
    assert [r["state"] for r in rows] == ["failed", "sent"]
    await h.close()


async def test_tx_id_is_stable_per_row_so_a_resend_is_deduplicated():
    h = await Harness.create(plugins={})
    (ref,) = await _queue(h, "once")
    row = (await h.bot.db.read("SELECT * FROM core_outbox WHERE id = ?", (ref.row_id,)))[0]
    first = await h.bot.outbox._deliver(row)
    again = await h.bot.outbox._deliver(row)  # as after a crash before the row was marked sent
    assert first == again
    assert h.transport.bodies(LOBBY) == ["once"]
    await h.close()


async def test_sent_rows_keep_no_content():
    h = await Harness.create(plugins={})
    await _queue(h, "private words")
    await h.bot.outbox.drain()
    rows = await h.bot.db.read("SELECT payload, blob, event_id FROM core_outbox")
    assert rows[0]["payload"] is None and rows[0]["blob"] is None and rows[0]["event_id"]
    await h.close()


async def test_reaction_and_edit_target_a_queued_message_by_reference():
    h = await Harness.create(plugins={})
    async with h.bot.db.transaction() as tx:
        ref = await h.bot.core.notices.send(tx, LOBBY, Raw("draft"))
        await h.bot.core.notices.react(tx, LOBBY, ref, "✅")
        await h.bot.core.notices.edit(tx, LOBBY, ref, Raw("final"))
    await h.bot.outbox.drain()
    msg, reaction, edit = h.transport.sent
    assert reaction.content["m.relates_to"] == {"rel_type": "m.annotation", "event_id": msg.event_id, "key": "✅"}
    assert reaction.content["m.mentions"] == {} and edit.content["m.mentions"] == {}
    assert edit.content["m.relates_to"] == {"rel_type": "m.replace", "event_id": msg.event_id}
    assert edit.content["m.new_content"]["body"] == "final" and edit.content["body"] == "* final"
    await h.close()


async def test_long_text_is_split_into_messages_that_fit():
    h = await Harness.create(plugins={})
    paragraphs = [f"paragraph {i} " + "word " * 400 for i in range(40)]
    await _queue(h, "\n\n".join(paragraphs))
    await h.bot.outbox.drain()
    bodies = h.transport.bodies(LOBBY)
    assert len(bodies) > 1
    assert all(len(m.content["formatted_body"].encode()) < 60_000 for m in h.transport.messages())
    assert "paragraph 39" in bodies[-1]
    await h.close()


async def test_a_reply_queued_by_a_handler_that_then_fails_is_never_sent():
    h = await Harness.create(plugins={})
    async with h.bot.db.transaction() as tx:
        try:
            async with tx.savepoint():
                await h.bot.core.notices.send(tx, LOBBY, Raw("rolled back"))
                raise ValueError
        except ValueError:
            pass
        await h.bot.core.notices.send(tx, LOBBY, Raw("kept"))
    await h.bot.outbox.drain()
    assert h.transport.bodies(LOBBY) == ["kept"]
    await h.close()


async def test_rows_left_from_before_a_restart_go_out_first_and_in_order():
    h = await Harness.create(plugins={})
    await _queue(h, "old one", "old two")
    h.bot.outbox._fresh.clear()  # as after a restart: only the database knows them
    await _queue(h, "new")
    await h.bot.outbox.drain()
    assert h.transport.bodies(LOBBY) == ["old one", "old two", "new"]
    await h.close()


async def test_delivered_rows_are_marked_in_batches_but_known_at_once():
    h = await Harness.create(plugins={})
    async with h.bot.db.transaction() as tx:
        ref = await h.bot.core.notices.send(tx, LOBBY, Raw("announce"), tag="x.announce:1")
    row = (await h.bot.db.read("SELECT * FROM core_outbox WHERE id = ?", (ref.row_id,)))[0]
    await h.bot.outbox._deliver_with_retries(dict(row))  # delivered, not yet marked in the database
    event_id = h.transport.sent[-1].event_id
    async with h.bot.db.transaction() as tx:
        assert await h.bot.outbox.event_id_of(tx, ref) == event_id
        assert await h.bot.outbox.tag_of_event(tx, event_id) == "x.announce:1"
    assert (await h.bot.db.read("SELECT state FROM core_outbox"))[0]["state"] == "pending"
    await h.bot.outbox.flush()
    assert (await h.bot.db.read("SELECT state, event_id FROM core_outbox"))[0]["event_id"] == event_id
    await h.close()


async def test_delivered_rows_are_marked_in_batches_by_the_events_transactions():
    h = await Harness.create()
    try:
        await h.say("@alice:test", "!ping")
        assert (await h.bot.db.read("SELECT state FROM core_outbox"))[-1]["state"] == "pending"  # delivered, unmarked
        for _ in range(MARK_BATCH - 1):
            await h.say("@alice:test", "!ping")
        assert {r["state"] for r in await h.bot.db.read("SELECT state FROM core_outbox")} == {"pending"}
        statements: list[str] = []
        h.bot.db.trace(statements.append)
        await h.say("@alice:test", "!ping")  # MARK_BATCH replies were delivered before this event: marked now
        h.bot.db.trace(None)
        states = [r["state"] for r in await h.bot.db.read("SELECT state FROM core_outbox ORDER BY id")]
        assert states == ["sent"] * MARK_BATCH + ["pending"]
        # One transaction for the event, its reply and the earlier replies' marks; none to look for a backlog.
        assert statements.count("BEGIN IMMEDIATE") == 1
        assert any(s.startswith("UPDATE core_outbox") for s in statements)
        # The reply still unmarked is known at once.
        last = h.transport.sent[-1]
        async with h.bot.db.transaction() as tx:
            assert await h.bot.outbox.event_id_of(tx, Ref(len(states))) == last.event_id
    finally:
        await h.close()


async def test_the_running_outbox_marks_what_it_delivered_after_a_quiet_second():
    h = await Harness.create(plugins={})
    h.bot.outbox.ready.set()
    runner = asyncio.create_task(h.bot.outbox.run())
    try:
        await _queue(h, "hello")
        for _ in range(100):
            await asyncio.sleep(0.05)
            rows = await h.bot.db.read("SELECT state FROM core_outbox")
            if rows[0]["state"] == "sent":
                break
        assert h.transport.bodies(LOBBY) == ["hello"]
        assert rows[0]["state"] == "sent"
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await h.close()


async def test_rows_left_from_before_a_restart_are_sent_before_new_ones(tmp_path):
    from bot.testing.harness import make_config

    h = await Harness.create(make_config(tmp_path), plugins={})
    await _queue(h, "left over")
    await h.close()
    h = await Harness.create(make_config(tmp_path), plugins={})
    await _queue(h, "new")
    await h.bot.outbox.drain()
    assert h.transport.bodies(LOBBY) == ["left over", "new"]
    await h.close()


async def test_the_outbox_is_idle_only_once_what_was_queued_has_left():
    """The sync loop waits on `idle` before its next long poll (so the homeserver is not handling our poll
    while it stores the reply someone waits for)."""
    h = await Harness.create(plugins={})
    outbox = h.bot.outbox
    assert outbox.idle.is_set()
    await _queue(h, "one", "two")
    assert not outbox.idle.is_set()
    outbox.ready.set()
    runner = asyncio.create_task(outbox.run())
    try:
        await asyncio.wait_for(outbox.idle.wait(), 5)
        assert h.transport.bodies(LOBBY) == ["one", "two"]
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await h.close()


async def test_the_next_sync_waits_for_replies_no_longer_than_its_bound(monkeypatch):
    import bot.app

    monkeypatch.setattr(bot.app, "REPLIES_BEFORE_SYNC_SECONDS", 0.2)
    h = await Harness.create(plugins={})
    await _queue(h, "stuck")  # nothing runs the outbox: it never becomes idle
    loop = asyncio.get_running_loop()
    started = loop.time()
    await h.bot._let_replies_leave()
    assert 0.15 <= loop.time() - started < 2
    await h.close()


async def test_an_unforeseen_error_is_retried_then_given_up_and_the_outbox_goes_on(caplog):
    h = await Harness.create(plugins={})
    await _queue(h, "cursed", "next")
    h.transport.failures = [RuntimeError("a library bug")] * 3
    await asyncio.wait_for(h.bot.outbox.drain(), 10)
    assert h.transport.bodies(LOBBY) == ["next"]
    rows = await h.bot.db.read("SELECT state FROM core_outbox ORDER BY id")
    assert [r["state"] for r in rows] == ["failed", "sent"]
    assert "failed unexpectedly" in caplog.text
    await h.close()


async def test_an_unforeseen_error_once_does_not_lose_the_message():
    h = await Harness.create(plugins={})
    await _queue(h, "hello")
    h.transport.failures = [RuntimeError("a hiccup")]
    await asyncio.wait_for(h.bot.outbox.drain(), 10)
    assert h.transport.bodies(LOBBY) == ["hello"]
    await h.close()


def test_encode_json_writes_what_the_json_module_writes():
    """encode_json keeps its C encoder from one payload to the next: the same text as a JSONEncoder's."""
    reference = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))
    values = [
        {"content": {"body": 'q " b \\ nl \n tab \t bell \x07 臺灣 👩\u200d💻', "m.mentions": {}}, "n": [1, 2.5, -0.0]},
        {"a": None, "b": True, "c": False, "d": [], "e": {}, "f": float("nan"), "g": 10**30},
        "just a string",
        [{"x": [{"y": "z"}]}],
    ]
    for value in values:
        assert encode_json(value) == reference.encode(value)
