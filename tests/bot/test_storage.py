"""Storage: transactions, savepoints and per-owner migrations that refuse a newer schema."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest

from bot.storage import Database, Migrations, SchemaTooNew


async def test_migrations_upgrade_step_by_step_and_refuse_a_newer_database(tmp_path):
    db = Database(tmp_path / "x.db")
    await db.open()
    v1 = Migrations("demo")
    v1.step(1, "CREATE TABLE demo_a (x INTEGER);")
    assert await v1.apply(db) == 1
    v2 = Migrations("demo")
    v2.step(1, "CREATE TABLE demo_a (x INTEGER);")
    v2.step(2, "ALTER TABLE demo_a ADD COLUMN y TEXT;")
    assert await v2.apply(db) == 2
    rows = await db.read("SELECT version FROM core_schema WHERE owner = 'demo'")
    assert rows[0]["version"] == 2
    with pytest.raises(SchemaTooNew, match="schema version 2 of 'demo'"):
        await v1.apply(db)
    await db.close()
    assert (tmp_path / "x.db").stat().st_mode & 0o077 == 0


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    db = Database(tmp_path / "x.db")
    await db.open()
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError
    assert await db.read("SELECT * FROM t") == []
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES (2)")
        with pytest.raises(ValueError):
            async with tx.savepoint():
                await tx.execute("INSERT INTO t VALUES (3)")
                raise ValueError
        async with db.transaction() as inner:  # nested: joins the outer one
            assert inner is tx
    assert [r["x"] for r in await db.read("SELECT x FROM t")] == [2]
    await db.close()


async def test_ignored_insert_reports_zero(tmp_path):
    db = Database(tmp_path / "x.db")
    await db.open()
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        assert await tx.execute("INSERT OR IGNORE INTO t VALUES ('a')") == 1
        assert await tx.execute("INSERT OR IGNORE INTO t VALUES ('a')") == 0
    await db.close()


@pytest.fixture
async def opened(tmp_path) -> AsyncIterator[Database]:
    db = Database(tmp_path / "x.db")
    await db.open()
    try:
        yield db
    finally:
        await db.close()  # else aiosqlite's thread keeps a failed run from ending


async def test_a_checkpoint_neither_waits_for_a_transaction_nor_holds_one_up(opened, tmp_path):
    """Checkpoints have a connection of their own: a command in progress goes on while one fsyncs, and
    what it copied is in the database file itself (readable without the -wal file)."""
    import asyncio
    import shutil

    db = opened
    db.CHECKPOINT_EVERY = 2
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE t (x INTEGER)")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES (1)")
    checkpoint = db._checkpointing  # the second commit began one
    assert checkpoint is not None
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES (2)")
        await asyncio.wait_for(asyncio.shield(checkpoint), 10)  # on the commands' lock it would never end
    shutil.copy(tmp_path / "x.db", tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("SELECT x FROM t").fetchall() == [(1,)]  # the open transaction's row is not
    finally:
        copy.close()
    assert [r["x"] for r in await db.read("SELECT x FROM t ORDER BY x")] == [1, 2]


async def test_closing_ends_the_connections_thread_even_when_the_last_checkpoint_fails(tmp_path):
    import threading

    db = Database(tmp_path / "x.db")
    before = set(threading.enumerate())
    await db.open()
    assert db._conn is not None
    refusing = db._conn

    async def full_disk(sql, *args):
        raise sqlite3.OperationalError("database or disk is full")

    refusing.execute_fetchall = full_disk  # the final checkpoint, as on a full disk
    with pytest.raises(sqlite3.OperationalError):
        await db.close()
    for thread in set(threading.enumerate()) - before:
        thread.join(5)  # a thread left running would keep the process from ever exiting
        assert not thread.is_alive(), thread.name
    assert not db.is_open


async def test_changed_counts_rows_written_in_a_table_without_rowid(opened):
    async with opened.transaction() as tx:
        await tx.execute("CREATE TABLE t (k TEXT PRIMARY KEY) WITHOUT ROWID")
        assert await tx.changed("INSERT OR IGNORE INTO t VALUES ('a')") == 1
        assert await tx.changed("INSERT OR IGNORE INTO t VALUES ('a')") == 0
        assert await tx.changed("DELETE FROM t") == 1


async def test_none_binds_null_through_the_registered_adapter(opened):
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters  # the cheap path is in place
    async with opened.transaction() as tx:
        await tx.execute("CREATE TABLE t (a, b)")
        await tx.execute("INSERT INTO t (a, b) VALUES (?, ?)", (None, "x"))
        await tx.executemany("INSERT INTO t (a, b) VALUES (?, ?)", [(None, "y")])
        rows = await tx.fetchall("SELECT a IS NULL, typeof(a), b FROM t ORDER BY b")
    assert [tuple(r) for r in rows] == [(1, "null", "x"), (1, "null", "y")]


async def test_a_failed_commit_rolls_back_runs_no_callback_and_frees_the_database(opened):
    import sqlite3

    db = opened
    called = []
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)")
        await tx.execute("CREATE TABLE c (p INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError):  # the deferred key is checked at COMMIT
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO c VALUES (7)")
            tx.after_commit(lambda: called.append("failed one"))
    assert called == []
    async with db.transaction() as tx:  # not left locked nor inside the failed transaction
        await tx.execute("INSERT INTO p VALUES (1)")
        tx.after_commit(lambda: called.append("committed"))
    assert called == ["committed"]
    assert await db.read("SELECT * FROM c") == []
    assert [r["id"] for r in await db.read("SELECT id FROM p")] == [1]


async def test_an_after_commit_callback_may_begin_its_own_transaction(opened):
    import asyncio

    db = opened
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE t (x INTEGER)")
    follow_ups = []

    async def follow_up():
        async with db.transaction() as tx:  # after the first one ended: waits for nothing, joins nothing
            await tx.execute("INSERT INTO t VALUES (2)")

    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES (1)")
        tx.after_commit(lambda: follow_ups.append(asyncio.create_task(follow_up())))
    await asyncio.gather(*follow_ups)
    assert [r["x"] for r in await db.read("SELECT x FROM t ORDER BY x")] == [1, 2]


async def test_a_task_spawned_inside_a_transaction_gets_its_own(tmp_path):
    import asyncio

    db = Database(tmp_path / "x.db")
    await db.open()
    order = []

    async def job():
        async with db.transaction() as tx:
            order.append(("job", tx))

    async with db.transaction() as outer:
        task = asyncio.create_task(job())  # inherits the context variable, as a scheduler job would
        await asyncio.sleep(0.05)
        order.append(("outer", outer))
    await task
    assert [name for name, _ in order] == ["outer", "job"]
    assert order[0][1] is not order[1][1]
    await db.close()


async def test_asides_rolled_back_by_a_savepoint_are_not_told(tmp_path):
    db = Database(tmp_path / "x.db")
    await db.open()
    try:
        async with db.transaction() as tx:
            tx.aside("kept")
            with pytest.raises(ValueError):
                async with tx.savepoint():
                    tx.aside("rolled back")
                    raise ValueError
            assert tx.asides == ["kept"]
    finally:
        await db.close()  # else aiosqlite's thread keeps a failed run from ending


async def test_an_sqlite_without_unixepoch_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    import sqlite3

    from bot.storage import SQLiteTooOld

    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 37, 2))
    with pytest.raises(SQLiteTooOld, match="needs SQLite 3.38 or newer"):
        await Database(tmp_path / "x.db").open()
