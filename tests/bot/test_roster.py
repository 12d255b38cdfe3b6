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


async def stored(db: Database, roster: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(seated, waiting) as the table holds them, each by arrival: what the roster must give."""
    rows = await db.read("SELECT user_id, seated FROM core_roster WHERE roster = ? ORDER BY seq", (roster,))
    return tuple(r["user_id"] for r in rows if r["seated"]), tuple(r["user_id"] for r in rows if not r["seated"])


async def joined(db: Database, *joins: tuple[str, str, int]) -> Roster:
    """A roster over the watched table after these joins (roster, person, cap), in order, in one transaction."""
    roster = Roster(db)
    await db.start_watching()
    async with db.transaction() as tx:
        for name, user, cap in joins:
            await roster.join(tx, name, user, cap)
    return roster


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
        assert await roster.leave(tx, "r", "@z:x", 1) == (False, [])


async def test_the_people_kept_after_each_kind_of_change_are_the_stored_ones(db):
    """Joins, leaves and promotions keep the people they leave behind (not read again), a promotion only
    when the queue arrived after the seated: else the table orders the seated, and they are read."""
    roster = Roster(db)
    await db.start_watching()
    steps = [
        lambda tx: roster.join(tx, "r", "@a:x", 1),
        lambda tx: roster.join(tx, "r", "@b:x", 1),
        lambda tx: roster.join(tx, "r", "@c:x", 1),
        lambda tx: roster.join(tx, "r", "@b:x", 1),  # already there
        lambda tx: roster.leave(tx, "r", "@c:x", 1),  # from the queue: nobody promoted
        lambda tx: roster.join(tx, "r", "@d:x", 1),
        lambda tx: roster.leave(tx, "r", "@a:x", 1),  # a seat: @b promoted
        # A raised cap seats a newcomer while @d still waits: @d, promoted next, arrived before @e.
        lambda tx: roster.join(tx, "r", "@e:x", 2),
        lambda tx: roster.promote(tx, "r", 3),
        lambda tx: roster.leave(tx, "r", "@d:x", 3),
    ]
    for step in steps:
        async with db.transaction() as tx:
            await step(tx)
            kept = await roster.people(tx, "r")
        assert kept == await stored(db, "r")
    assert await stored(db, "r") == (("@b:x", "@e:x"), ())


async def test_a_rolled_back_join_or_leave_is_not_kept(db):
    roster = Roster(db)
    await db.start_watching()
    async with db.transaction() as tx:
        await roster.join(tx, "r", "@a:x", 1)
    for step in (lambda tx: roster.join(tx, "r", "@b:x", 1), lambda tx: roster.leave(tx, "r", "@a:x", 1)):
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await step(tx)
                raise RuntimeError("the command failed")
        async with db.transaction() as tx:
            assert await roster.people(tx, "r") == (("@a:x",), ())


async def test_a_join_into_kept_people_and_a_leave_from_the_queue_run_one_statement_each(db):
    roster = Roster(db)
    await db.start_watching()
    async with db.transaction() as tx:
        await roster.join(tx, "r", "@a:x", 1)
        await roster.join(tx, "r", "@b:x", 1)
        seen: list[str] = []
        db.trace(seen.append)
        await roster.join(tx, "r", "@c:x", 1)
        await roster.leave(tx, "r", "@b:x", 1)
        db.trace(None)
    # (The trace repeats a statement for each trigger it fires.)
    assert [s.split()[0] for s in dict.fromkeys(seen)] == ["INSERT", "DELETE"]


async def test_a_promotion_from_a_queue_behind_the_seats_is_kept_and_one_from_another_is_read(db):
    roster = await joined(
        db,
        *[("r", user, 1) for user in ("@a:x", "@b:x", "@c:x")],
        # A raised cap seats @c while @b waits.
        *[(name, user, cap) for name in ("s", "t") for user, cap in (("@a:x", 1), ("@b:x", 1), ("@c:x", 2))],
    )
    async with db.transaction() as tx:
        seen: list[str] = []
        db.trace(seen.append)
        await roster.leave(tx, "r", "@a:x", 1)
        kept = await roster.people(tx, "r")
        db.trace(None)
    assert kept == await stored(db, "r") == (("@b:x",), ("@c:x",))
    assert [s.split()[0] for s in dict.fromkeys(seen)] == ["DELETE", "UPDATE"], "kept, not read again"
    # @b, promoted, arrived before @c: whether the people were kept (by this roster, after its join) or
    # read from the table (by a new one), the promotion has them read again.
    for name, reader in (("s", roster), ("t", Roster(db))):
        async with db.transaction() as tx:
            await reader.leave(tx, name, "@a:x", 3)
            kept = await reader.people(tx, name)
        assert kept == await stored(db, name) == (("@b:x", "@c:x"), ()), name


async def test_counts_come_from_the_people_kept_else_are_counted_by_the_table_and_kept(db):
    roster = await joined(db, *[("r", user, 2) for user in ("@a:x", "@b:x", "@c:x")], ("s", "@a:x", 1))
    restarted = Roster(db)  # nothing kept, as after a restart
    async with db.transaction() as tx:
        seen: list[str] = []
        db.trace(seen.append)
        counted = await restarted.counts(tx, ["r", "s", "empty"])
        again = await restarted.counts(tx, ["r", "s", "empty"])
        db.trace(None)
    assert counted == again == {"r": (2, 1), "s": (1, 0), "empty": (0, 0)}
    # Counted once, in one query, without reading anyone's row; then kept.
    assert len(seen) == 1 and "GROUP BY" in seen[0] and "user_id" not in seen[0]
    async with db.transaction() as tx:
        await restarted.join(tx, "s", "@b:x", 1)  # its people are kept now, and they are current
        assert await restarted.counts(tx, ["s"]) == {"s": (1, 1)}
        await roster.leave(tx, "r", "@a:x", 2)  # by another Roster: the count kept for r is stale
        assert await restarted.counts(tx, ["r", "s"]) == {"r": (2, 0), "s": (1, 1)}


async def test_counts_of_hundreds_of_rosters_at_once_are_of_those_asked_only(db):
    await joined(db, ("r7", "@a:x", 1), ("r7", "@b:x", 1), ("other", "@a:x", 1))
    asked = [f"r{i}" for i in range(300)]  # counted in one scan of them all
    async with db.transaction() as tx:
        counted = await Roster(db).counts(tx, asked)
    assert counted == {**{r: (0, 0) for r in asked}, "r7": (1, 1)}
