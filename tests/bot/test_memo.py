"""Read caches (bot.memo) and the change counts they key on (Database.watch / version)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.memo import Memo, RowMemo
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


KINDS = {
    "whole tables": lambda db, **kw: Memo(db, ["child"], **kw),
    "per key": lambda db, **kw: RowMemo(db, {"child": "parent_id"}, **kw),
}


@pytest.mark.parametrize("kind", KINDS)
async def test_a_value_whose_rows_changed_while_it_was_computed_is_not_kept(db, kind):
    memo = KINDS[kind](db)
    await db.start_watching()
    calls = 0

    async def read_and_write() -> int:
        nonlocal calls
        calls += 1
        await tx.execute("INSERT INTO child (parent_id) VALUES (1)")  # a row of key 1
        return calls

    async with db.transaction() as tx:
        assert await memo.get(1, read_and_write) == 1
        assert await memo.get(1, read_and_write) == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_the_oldest_value_goes_when_the_memo_is_full(db, kind):
    memo = KINDS[kind](db, max_entries=2)
    await db.start_watching()
    computed: list[int] = []

    def value(key: int):
        async def compute() -> int:
            computed.append(key)
            return key

        return compute

    for key in (1, 2, 3, 1):
        await memo.get(key, value(key))
    assert computed == [1, 2, 3, 1]  # 1 was the oldest when 3 came


async def test_many_keeps_the_newest_values_when_more_come_than_it_holds(db):
    memo: RowMemo[int, int] = RowMemo(db, {"child": "parent_id"}, max_entries=3)
    await db.start_watching()
    reads: list[list[int]] = []

    async def compute(missing: list[int]) -> dict[int, int]:
        reads.append(sorted(missing))
        return {key: key * 10 for key in missing}

    assert await memo.many([1, 2], compute) == {1: 10, 2: 20}
    assert await memo.many([3, 4, 5, 1], compute) == {1: 10, 3: 30, 4: 40, 5: 50}
    # 1 and 2 were kept first: both went when three newer came at once (1 was served, not kept again).
    assert await memo.many([1, 3, 4, 5], compute) == {1: 10, 3: 30, 4: 40, 5: 50}
    assert reads == [[1, 2], [3, 4, 5], [1]]


async def test_kept_gives_the_current_values_only_and_computes_none(db):
    memo: RowMemo[int, str] = RowMemo(db, {"child": "parent_id"})
    await db.start_watching()
    assert memo.kept([1, 2]) == {}  # nothing kept yet

    async def compute(missing: list[int]) -> dict[int, str]:
        return {key: f"value {key}" for key in missing}

    await memo.many([1, 2], compute)
    assert memo.kept([1, 2, 3]) == {1: "value 1", 2: "value 2"}  # 3 was never kept
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO child (parent_id) VALUES (1)")  # a row of key 1: its value is stale
    assert memo.kept([1, 2, 3]) == {2: "value 2"}


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


# --- values kept per key (RowMemo, Database.watch_rows / row_versions) ---


class ChildrenOf:
    """A RowMemo of each parent's children (child rows keyed by parent_id), counting what it reads."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.memo: RowMemo[int, tuple[int, ...]] = RowMemo(db, {"child": "parent_id"})
        self.read: list[list[int]] = []  # the keys each computation was asked for

    async def of(self, *parents: int) -> dict[int, tuple[int, ...]]:
        async with self.db.transaction() as tx:

            async def compute(missing: list[int]) -> dict[int, tuple[int, ...]]:
                self.read.append(sorted(missing))
                found: dict[int, list[int]] = {p: [] for p in missing}
                marks = ",".join("?" * len(missing))
                for r in await tx.fetchall(
                    f"SELECT id, parent_id FROM child WHERE parent_id IN ({marks}) ORDER BY id", missing
                ):
                    found[r["parent_id"]].append(r["id"])
                return {p: tuple(ids) for p, ids in found.items()}

            return await self.memo.many(parents, compute)


@pytest.fixture
async def two_parents(db) -> Database:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO parent (id, name) VALUES (2, 'b')")
        await tx.execute("INSERT INTO child (id, parent_id) VALUES (20, 2)")
    return db


@pytest.fixture
async def children(two_parents) -> ChildrenOf:
    """Both parents' children, read once while watched."""
    children = ChildrenOf(two_parents)
    await two_parents.start_watching()
    assert await children.of(1, 2) == {1: (10,), 2: (20,)}
    return children


async def test_a_change_to_one_keys_rows_keeps_the_other_keys_values(children):
    db = children.db
    assert await children.of(1, 2) == {1: (10,), 2: (20,)}
    assert children.read == [[1, 2]]
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO child (id, parent_id) VALUES (21, 2)")
    assert await children.of(1, 2) == {1: (10,), 2: (20, 21)}
    assert children.read == [[1, 2], [2]]  # only the changed key is read again
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM child WHERE id = 10")
    assert await children.of(1) == {1: ()}
    assert children.read[-1] == [1]


async def test_a_row_moved_to_another_key_changes_both_keys(children):
    db = children.db
    async with db.transaction() as tx:
        await tx.execute("UPDATE child SET parent_id = 2 WHERE id = 10")
    assert await children.of(1, 2) == {1: (), 2: (10, 20)}
    assert children.read[-1] == [1, 2]


async def test_a_cascade_and_a_replaced_row_count_for_their_keys(children):
    db = children.db
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM parent WHERE id = 1")  # its children go by the foreign key
    assert await children.of(1, 2) == {1: (), 2: (20,)}
    assert children.read[-1] == [1]
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO parent (id, name) VALUES (3, 'c')")
        # The row of key 2 is deleted by the conflict, not by a statement on key 2.
        await tx.execute("INSERT OR REPLACE INTO child (id, parent_id) VALUES (20, 3)")
    assert await children.of(2, 3) == {2: (), 3: (20,)}


async def test_what_a_rollback_undid_is_not_served_per_key(two_parents):
    db = two_parents
    children = ChildrenOf(db)
    await db.start_watching()
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO child (id, parent_id) VALUES (11, 1)")
            assert await children.of(1) == {1: (10, 11)}  # the transaction's own, uncommitted row
            raise RuntimeError
    assert await children.of(1) == {1: (10,)}
    async with db.transaction() as tx:
        with pytest.raises(RuntimeError):
            async with tx.savepoint():
                await tx.execute("INSERT INTO child (id, parent_id) VALUES (12, 1)")
                assert await children.of(1) == {1: (10, 12)}
                raise RuntimeError
    assert await children.of(1) == {1: (10,)}


async def test_rows_are_watched_by_one_column_before_watching_starts(db):
    with pytest.raises(RuntimeError, match="not watched"):
        db.row_versions(["child"], [1])[0]
    db.watch_rows("child", "parent_id")
    with pytest.raises(ValueError, match="watched by parent_id, not id"):
        db.watch_rows("child", "id")
    with pytest.raises(ValueError, match="not a column name"):
        db.watch_rows("other", 'x"; DROP TABLE parent; --')
    db.watch(["other"])
    await db.start_watching()
    with pytest.raises(RuntimeError, match="before start_watching"):
        db.watch_rows("other", "x")
    before = db.row_versions(["child"], [1])[0]
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO child (parent_id) VALUES (1)")
    assert db.row_versions(["child"], [1])[0] > before


async def test_a_reopened_database_forgets_what_was_kept_per_key(two_parents):
    db = two_parents
    children = ChildrenOf(db)
    await db.start_watching()
    assert await children.of(1) == {1: (10,)}
    await db.close()
    await db.open()
    await db.start_watching()
    assert await children.of(1) == {1: (10,)}
    assert children.read == [[1], [1]]  # what changed while nothing watched cannot be known


async def test_a_value_put_after_a_write_is_served_until_the_rows_change_again(children):
    db = children.db
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO child (id, parent_id) VALUES (11, 1)")
        children.memo.put(1, (10, 11))  # what the writer knows the rows hold now
    assert await children.of(1) == {1: (10, 11)}
    assert children.read == [[1, 2]]  # served as put: not read again
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM child WHERE id = 11")
    assert await children.of(1) == {1: (10,)}
    assert children.read[-1] == [1]


async def test_a_value_put_in_a_rolled_back_transaction_is_not_served(children):
    db = children.db
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO child (id, parent_id) VALUES (11, 1)")
            children.memo.put(1, (10, 11))
            raise RuntimeError
    assert await children.of(1) == {1: (10,)}
    assert children.read[-1] == [1]
