"""The core schema's steps keep what an older database holds (bot/schema.py)."""

from __future__ import annotations

from bot.schema import core_migrations
from bot.storage import Database, Migrations


def _up_to(version: int) -> Migrations:
    older = Migrations("core")
    older.steps = {v: step for v, step in core_migrations.steps.items() if v <= version}
    return older


async def test_step_4_keeps_seen_marks_and_outbox_rows_and_its_indexes_serve_the_outbox(tmp_path):
    db = Database(tmp_path / "old.db")
    await db.open()
    await _up_to(3).apply(db)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO core_seen (event_id, seen_at) VALUES ('$old', 5)")
        await tx.execute("INSERT INTO core_outbox (kind, room_id, payload, tag) VALUES ('message', '!r', '{}', 't:1')")
        await tx.execute(
            "INSERT INTO core_outbox (kind, room_id, state, event_id) VALUES ('message', '!r', 'sent', '$e')"
        )
    assert await core_migrations.apply(db) >= 4
    assert [tuple(r) for r in await db.read("SELECT event_id, seen_at FROM core_seen")] == [("$old", 5)]
    plans = {
        "SELECT id FROM core_outbox WHERE state = 'pending' AND id > 0 ORDER BY id LIMIT 1": "core_outbox_pending",
        "SELECT tag FROM core_outbox WHERE event_id = '$e'": "core_outbox_event",
        "SELECT id FROM core_outbox WHERE tag = 't:1' ORDER BY id": "core_outbox_tag",
    }
    for query, index in plans.items():
        plan = " ".join(str(tuple(r)[-1]) for r in await db.read(f"EXPLAIN QUERY PLAN {query}"))
        assert index in plan, (query, plan)
    assert [r[0] for r in await db.read(next(iter(plans)))] == [1]
    assert [r[0] for r in await db.read("SELECT tag FROM core_outbox WHERE event_id = '$e'")] == [None]
    assert [r[0] for r in await db.read("SELECT id FROM core_outbox WHERE tag = 't:1'")] == [1]
    async with db.transaction() as tx:  # a redelivered event is still recognised
        assert await tx.execute("INSERT OR IGNORE INTO core_seen (event_id, seen_at) VALUES ('$old', 6)") == 0
    await db.close()


async def test_step_5_keeps_places_and_finds_a_persons_rosters_by_prefix_from_the_index(tmp_path):
    from bot.roster import Roster

    db = Database(tmp_path / "old.db")
    await db.open()
    await _up_to(4).apply(db)
    async with db.transaction() as tx:
        for roster in ("session:2", "session:10", "sessions:1", "session;", "meetup:1", "session"):
            await tx.execute(
                "INSERT INTO core_roster (roster, user_id, seated, seq) VALUES (?, '@a:x', 1, 1)", (roster,)
            )
        await tx.execute("INSERT INTO core_roster (roster, user_id, seated, seq) VALUES ('session:3', '@b:x', 1, 1)")
    assert await core_migrations.apply(db) >= 5
    async with db.transaction() as tx:
        roster = Roster(db)
        assert await roster.rosters_of(tx, "@a:x", "session:") == ["session:10", "session:2"]
        assert await roster.rosters_of(tx, "@a:x", "meetup:") == ["meetup:1"]
        assert await roster.rosters_of(tx, "@b:x", "meetup:") == []
    plan = " ".join(
        str(tuple(r)[-1])
        for r in await db.read(
            "EXPLAIN QUERY PLAN SELECT roster FROM core_roster WHERE user_id = ? AND roster >= ? AND roster < ? "
            "ORDER BY roster", ("@a:x", "session:", "session;"),
        )
    )
    assert "COVERING INDEX core_roster_user" in plan and "TEMP B-TREE" not in plan, plan
    await db.close()
