"""Read caches (bot.memo) and the change counts they key on (Database.watch / version)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.memo import Memo
from bot.storage import Database

SCHEMA = (
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE)",
    "CREATE TABLE other (x INTEGER)",
)


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "memo.db")
    await database.open()
    async with database.transaction() as tx:
        for statement in SCHEMA:
            await tx.execute(statement)
        await tx.execute("INSERT INTO parent (id, name) VALUES (1, 'a')")
        await tx.execute("INSERT INTO child (id, parent_id) VALUES (10, 1)")
    yield database
    await database.close()


class Reads:
    """A memo over the child table, counting how often it really reads."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.memo: Memo[tuple[int, ...]] = Memo(db, ["child"])
        self.queries = 0

    async def children(self) -> tuple[int, ...]:
        async with self.db.transaction() as tx:

            async def read() -> tuple[int, ...]:
                self.queries += 1
                return tuple(r["id"] for r in await tx.fetchall("SELECT id FROM child ORDER BY id"))

            return await self.memo.get("all", read)


async def test_a_kept_value_is_served_until_a_watched_table_changes(db):
    reads = Reads(db)
    await db.start_watching()
    assert await reads.children() == (10,)
    assert await reads.children() == (10,)
    assert reads.queries == 1
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO other (x) VALUES (1)")  # not watched: the value stays
    assert await reads.children() == (10,)
    assert reads.queries == 1
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO child (id, parent_id) VALUES (11, 1)")
    assert await reads.children() == (10, 11)
    async with db.transaction() as tx:
        await tx.execute("UPDATE child SET id = 12 WHERE id = 11")
    assert await reads.children() == (10, 12)
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM child WHERE id = 12")
    assert await reads.children() == (10,)
    assert reads.queries == 4


async def test_a_cascade_from_another_table_counts_as_a_change(db):
    reads = Reads(db)
    await db.start_watching()
    assert await reads.children() == (10,)
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM parent WHERE id = 1")  # no statement names the child table
    assert await reads.children() == ()


async def test_what_a_rolled_back_transaction_read_is_not_served(db):
    reads = Reads(db)
    await db.start_watching()
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO child (id, parent_id) VALUES (11, 1)")
            assert await reads.children() == (10, 11)  # the transaction's own, uncommitted row
            raise RuntimeError
    assert await reads.children() == (10,)


async def test_what_a_rolled_back_savepoint_read_is_not_served(db):
    reads = Reads(db)
    await db.start_watching()
    async with db.transaction() as tx:
        with pytest.raises(RuntimeError):
            async with tx.savepoint():
                await tx.execute("INSERT INTO child (id, parent_id) VALUES (11, 1)")
                assert await reads.children() == (10, 11)
                raise RuntimeError
        assert await reads.children() == (10,)


async def test_a_value_whose_tables_changed_while_it_was_computed_is_not_kept(db):
    memo: Memo[int] = Memo(db, ["child"])
    await db.start_watching()
    calls = 0

    async def read_and_write() -> int:
        nonlocal calls
        calls += 1
        await tx.execute("INSERT INTO child (parent_id) VALUES (1)")
        return calls

    async with db.transaction() as tx:
        assert await memo.get("k", read_and_write) == 1
        assert await memo.get("k", read_and_write) == 2


async def test_the_oldest_value_goes_when_the_memo_is_full(db):
    memo: Memo[str] = Memo(db, ["child"], max_entries=2)
    await db.start_watching()
    computed: list[str] = []

    def value(key: str):
        async def compute() -> str:
            computed.append(key)
            return key

        return compute

    for key in ("a", "b", "c", "a"):
        await memo.get(key, value(key))
    assert computed == ["a", "b", "c", "a"]  # "a" was the oldest when "c" came


async def test_tables_must_be_watched_before_versions_are_read(db):
    with pytest.raises(RuntimeError, match="not watched"):
        db.version(["child"])
    db.watch(["child"])
    with pytest.raises(RuntimeError, match="not watched"):
        db.version(["child"])  # the triggers are not in place yet
    await db.start_watching()
    before = db.version(["child"])
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO child (parent_id) VALUES (1)")
    assert db.version(["child"]) > before
    with pytest.raises(ValueError, match="not a table name"):
        db.watch(['child"; DROP TABLE parent; --'])


async def test_watching_is_refused_inside_a_transaction(db):
    db.watch(["child"])
    async with db.transaction():
        with pytest.raises(RuntimeError, match="inside a transaction"):
            await db.start_watching()


async def test_a_reopened_database_puts_its_triggers_back(db):
    reads = Reads(db)
    await db.start_watching()
    assert await reads.children() == (10,)
    await db.close()
    await db.open()
    with pytest.raises(RuntimeError, match="not watched"):
        await reads.children()
    await db.start_watching()
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM child")
    assert await reads.children() == ()


async def test_a_rollback_that_changed_no_watched_table_keeps_the_values(db):
    """A refused command rolls back; what it read was committed data, so the caches stay."""
    reads = Reads(db)
    await db.start_watching()
    assert await reads.children() == (10,)
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO other (x) VALUES (1)")  # not watched
            assert await reads.children() == (10,)
            raise RuntimeError
    async with db.transaction() as tx:
        with pytest.raises(RuntimeError):
            async with tx.savepoint():
                raise RuntimeError
    assert await reads.children() == (10,)
    assert reads.queries == 1
