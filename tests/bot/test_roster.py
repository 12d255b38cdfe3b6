"""Seats and waitlists (bot/roster.py): one implementation for sessions and meetups."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.roster import Place, Roster
from bot.schema import core_migrations
from bot.storage import Database


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    db = Database(tmp_path / "roster.db")
    await db.open()
    await core_migrations.apply(db)
    yield db
    await db.close()


async def test_join_seats_while_there_are_seats_then_queues_and_a_second_join_changes_nothing(db):
    roster = Roster(db)
    await db.start_watching()
    async with db.transaction() as tx:
        assert await roster.join(tx, "r", "@a:x", 1) == Place("seated", 0, 1, changed=True)
        assert await roster.join(tx, "r", "@b:x", 1) == Place("waiting", 1, 1, changed=True)
        assert await roster.join(tx, "r", "@c:x", 1) == Place("waiting", 2, 1, changed=True)
        # Already there: where they stand, not a second row.
        assert await roster.join(tx, "r", "@b:x", 1) == Place("waiting", 1, 1, changed=False)
        assert await roster.join(tx, "r", "@a:x", 5) == Place("seated", 0, 1, changed=False)
        assert await roster.people(tx, "r") == (("@a:x",), ("@b:x", "@c:x"))
        assert await roster.counts(tx, ["r"]) == {"r": (1, 2)}


async def test_people_are_read_again_after_each_kind_of_change(db):
    roster = Roster(db)
    await db.start_watching()
    async with db.transaction() as tx:
        await roster.join(tx, "r", "@a:x", 1)
        await roster.join(tx, "r", "@b:x", 1)
        assert await roster.people(tx, "r") == (("@a:x",), ("@b:x",))
        assert await roster.join(tx, "r", "@b:x", 1) == Place("waiting", 1, 1, changed=False)
        assert await roster.people(tx, "r") == (("@a:x",), ("@b:x",))  # an ignored join changed nothing
        assert await roster.leave(tx, "r", "@a:x", 1) == (True, ["@b:x"])
        assert await roster.people(tx, "r") == (("@b:x",), ())
        await roster.join(tx, "r", "@c:x", 1)
        assert await roster.seated(tx, "r") == ["@b:x"] and await roster.waiting(tx, "r") == ["@c:x"]
        assert await roster.promote(tx, "r", 2) == ["@c:x"]
        assert await roster.people(tx, "r") == (("@b:x", "@c:x"), ())
