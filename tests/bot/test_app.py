"""The sync batch pipeline: one event that cannot be handled does not stop the others."""

from __future__ import annotations

import logging

from nio import SyncResponse

import bot.app as app_module
from bot.testing.harness import LOBBY, Harness


def _sync(*bodies: str) -> SyncResponse:
    events = [
        {"type": "m.room.message", "event_id": f"$e{i}", "sender": "@alice:test", "origin_server_ts": 1000 + i,
         "content": {"msgtype": "m.text", "body": body}}
        for i, body in enumerate(bodies)
    ]
    return SyncResponse.from_dict({
        "next_batch": "s2",
        "rooms": {"join": {LOBBY: {"timeline": {"events": events, "limited": False}, "state": {"events": []}}}},
    })


async def test_an_event_that_breaks_the_pipeline_is_skipped_and_the_batch_goes_on(monkeypatch, caplog):
    h = await Harness.create(plugins={})
    h.bot._known_rooms.add(LOBBY)  # a room the bot already follows: its new events all count
    normalise = app_module.normalise

    def breaks_on_the_first(room_id, event):
        if event.event_id == "$e0":
            raise ValueError("an event nobody foresaw")
        return normalise(room_id, event)

    monkeypatch.setattr(app_module, "normalise", breaks_on_the_first)
    with caplog.at_level(logging.ERROR):
        await h.bot.handle_sync(_sync("!ping", "!ping"), first_ever=False)
    await h.bot.outbox.drain()
    assert h.transport.bodies(LOBBY) == ["pong"]  # the second command was answered
    assert "event $e0 in" in caplog.text and "skipped" in caplog.text
    await h.close()


async def test_a_database_failure_is_not_skipped_the_batch_is_handled_again(monkeypatch):
    import sqlite3

    h = await Harness.create(plugins={})
    h.bot._known_rooms.add(LOBBY)

    def disk_full(room_id, event):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(app_module, "normalise", disk_full)
    try:
        await h.bot.handle_sync(_sync("!ping"), first_ever=False)
    except sqlite3.OperationalError:
        pass
    else:
        raise AssertionError("a database failure must stop the batch (its token is then not saved)")
    finally:
        await h.close()
