"""One aiosqlite connection (WAL, foreign keys, busy timeout), transactions and per-plugin migrations."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)


class SchemaTooNew(Exception):
    """The database was written by a newer Flipchart; refusing to run rather than corrupt it."""


class SQLiteTooOld(Exception):
    """Python's sqlite3 module uses an SQLite without what the bot relies on (unixepoch(): 3.38)."""


class Tx:
    """An open transaction: the only way handlers touch the database.

    Statements run on the event loop's thread, on the connection aiosqlite opened: a bot's statements take
    microseconds on indexed tables, and the hop to aiosqlite's thread and back (two thread switches, a
    wake-up through the loop's self-pipe) cost more than the statement itself — on one core the hops were
    about half of a command's time (bench/inprocess.py: median 1.83 → 0.99 ms). What may take long
    (opening, checkpoints that fsync, closing) still runs in aiosqlite's thread; see `Database`.
    """

    def __init__(self, conn: sqlite3.Connection, db: Database) -> None:
        self._conn = conn
        self._db = db  # told of rollbacks, for its read caches (see `Database.version`)
        self._savepoints = 0
        self.closed = False
        self.task = asyncio.current_task()
        self.marks: set[str] = set()  # flags services set on the transaction (e.g. "settings changed")
        self.asides: list[Any] = []  # see `aside`
        self._after_commit: list[Callable[[], None]] = []

    def aside(self, text: Any) -> None:
        """A text (`T`) for the person whose command began this transaction, about what a bus subscriber did
        on its account (a plugin other than the command's own): the router sends them after the command's
        reply. A transaction begun otherwise (a timed job, a reaction) has nobody to tell: they are dropped."""
        self.asides.append(text)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once this transaction has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    # The methods stay coroutines: handlers must not depend on where statements run.

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement; returns lastrowid for INSERT (0 when ignored; meaningless for a table WITHOUT
        ROWID: use RETURNING there), else the number of changed rows."""
        cur = self._conn.execute(sql, params)
        cur.close()  # a statement left unfinished (a SELECT run here) would block COMMIT
        if sql.lstrip()[:6].upper() == "INSERT":
            # An ignored INSERT leaves lastrowid at the previous insert's: report 0 then.
            return (cur.lastrowid or 0) if cur.rowcount > 0 else 0
        return cur.rowcount

    async def changed(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write; the number of rows it wrote (0: an INSERT OR IGNORE that was ignored), for any
        table, WITHOUT ROWID ones too. Cheaper than `INSERT … RETURNING` for that question."""
        cur = self._conn.execute(sql, params)
        cur.close()
        return cur.rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    async def fetchtuples(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """`fetchall` as plain tuples (columns by position): for reads of thousands of rows (a grid of 2,000
        sessions), where making an sqlite3.Row of each costs a quarter of the read."""
        cur = self._conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, params).fetchall()

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        cur = self._conn.execute(sql, params)
        row = cur.fetchone()
        cur.close()  # the rows after the first would keep the statement open and block COMMIT
        return row

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), default: Any = None) -> Any:
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested unit that rolls back alone on error (a failed handler keeps the 'seen' mark)."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        callbacks, asides = len(self._after_commit), len(self.asides)
        changes = self._db.changes
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            self._db.rolled_back(since=changes)
            del self._after_commit[callbacks:]  # what was rolled back must not act after commit
            del self.asides[asides:]  # nor be told
            raise
        else:
            self._conn.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1


class _Transaction:
    """`Database.transaction()`. A class rather than @asynccontextmanager: every event enters one, and
    the generator machinery cost a few microseconds more each time."""

    __slots__ = ("_db", "_tx", "_token", "_changes", "_joined")

    def __init__(self, db: Database) -> None:
        self._db = db

    async def __aenter__(self) -> Tx:
        outer = _current_tx.get()
        # Join only a transaction of this very task: a task spawned inside one (a scheduler job, say)
        # inherits the context variable but must wait for its own transaction.
        self._joined = outer is not None and not outer.closed and outer.task is asyncio.current_task()
        if self._joined:
            return outer  # type: ignore[return-value]
        db = self._db
        assert db._raw is not None, "database not opened"
        await db._lock.acquire()
        try:
            self._tx = tx = Tx(db._raw, db)
            self._changes = db.changes
            db._raw.execute("BEGIN IMMEDIATE")
        except BaseException:
            db._lock.release()
            raise
        self._token = _current_tx.set(tx)
        return tx

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if self._joined:
            return  # the outer transaction commits or rolls back
        db, tx = self._db, self._tx
        try:
            try:
                if exc_type is not None:
                    self._roll_back()
                    return  # the exception goes on
                try:
                    tx._conn.execute("COMMIT")
                except BaseException:
                    self._roll_back()
                    raise
            finally:
                tx.closed = True
                _current_tx.reset(self._token)
            for callback in tx._after_commit:
                callback()
        finally:
            db._lock.release()
        db._committed()

    def _roll_back(self) -> None:
        raw = self._tx._conn
        if raw.in_transaction:  # also when COMMIT itself failed: never leave it open
            raw.execute("ROLLBACK")
        self._db.rolled_back(since=self._changes)


_current_tx: contextvars.ContextVar[Tx | None] = contextvars.ContextVar("flipchart_tx", default=None)


class Database:
    """The bot's SQLite database; every write goes through `transaction()`.

    aiosqlite opens and closes the connection in its own thread. The WAL checkpoints (the one step that
    waits for the disk: it fsyncs the database file) run on a second connection of their own, in a second
    aiosqlite thread: WAL lets one checkpoint and one writer run at once, so commands go on meanwhile
    instead of waiting 10–15 ms for each checkpoint's fsync (on the first connection a checkpoint held the
    lock, and every 500th command of a burst waited for it). Transactions run their
    statements inline (see `Tx`); the lock keeps them from overlapping each other and the opening/closing.
    """

    CHECKPOINT_EVERY = 500  # commits between checkpoints; the WAL stays a few megabytes

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._conn: aiosqlite.Connection | None = None
        self._checkpointer: aiosqlite.Connection | None = None  # see the class docstring
        self._raw: sqlite3.Connection | None = None
        self._lock = asyncio.Lock()
        self._commits = 0
        self._checkpointing: asyncio.Task[None] | None = None
        self._changes: dict[str, int] = {}  # watched table → rows changed so far (see `version`)
        self._watching: set[str] = set()  # the watched tables whose triggers are in place
        self._key_columns: dict[str, str] = {}  # table watched by rows → its key column (see `row_versions`)
        self._row_changes: dict[str, dict[Any, int]] = {}  # such a table → key → rows changed so far
        self._epochs: dict[str, int] = {}  # such a table → times its triggers were put in place
        self.changes = 0  # rows changed in all watched tables
        self._rollbacks = 0  # rollbacks that undid such changes

    async def open(self) -> None:
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise SQLiteTooOld(
                f"Flipchart needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer (unixepoch()); Python's "
                f"sqlite3 module here uses {sqlite3.sqlite_version}. Use a newer Python or system SQLite."
            )
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                # Create it owner-only before SQLite does, so it is never world-readable.
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            os.chmod(self.path, 0o600)
        # sqlite3 "adapts" every parameter that is not an exact int, float, str or bytearray: for None
        # (NULL, 3–4 per command, the outbox's empty columns) that is a failed registry lookup and two
        # attribute lookups, about 1 µs each. A registered adapter is one dict hit; None still binds NULL.
        sqlite3.register_adapter(type(None), _null)
        opened: list[sqlite3.Connection] = []

        def connect() -> sqlite3.Connection:
            # Opened in aiosqlite's thread, used from the loop's too (never at the same time: `_lock`).
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            opened.append(conn)
            return conn

        self._conn = await aiosqlite.Connection(connect, iter_chunk_size=64)
        self._raw = opened[0]
        self._raw.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA wal_autocheckpoint=0",  # checkpoints run off the loop: `_checkpoint`
            # A row an INSERT OR REPLACE deletes fires the delete triggers too, so the watch counts it.
            "PRAGMA recursive_triggers=ON",
        ):
            await self._conn.execute_fetchall(pragma)  # read to the end: an open statement blocks COMMIT
        if isinstance(self.path, Path):  # an in-memory database has no WAL (and no second connection)
            self._checkpointer = await aiosqlite.connect(str(self.path), isolation_level=None)
            await self._checkpointer.execute_fetchall("PRAGMA wal_autocheckpoint=0")
        self._raw.create_function("flipchart_changed", 1, self._changed)
        self._raw.create_function("flipchart_row_changed", 2, self._row_changed)
        self._watching.clear()  # TEMP triggers live as long as their connection

    async def close(self) -> None:
        if self._checkpointing is not None:
            await self._checkpointing
        # Each connection is closed whatever failed before (a full disk): aiosqlite's thread, left running,
        # would keep the process alive after its last task ended, answering nothing, never restarted.
        try:
            if self._checkpointer is not None:
                checkpointer, self._checkpointer = self._checkpointer, None
                await checkpointer.close()
        finally:
            if self._conn is not None:
                async with self._lock:
                    try:
                        await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
                    finally:
                        await self._conn.close()
                        self._conn = None
                        self._raw = None

    # --- what read caches key on ---

    def watch(self, tables: Iterable[str]) -> None:
        """Count the row changes of these tables from `start_watching` on (see `version`)."""
        for table in tables:
            if not _TABLE_NAME.fullmatch(table):
                raise ValueError(f"not a table name: {table!r}")  # it goes into a trigger's SQL
            self._changes.setdefault(table, 0)

    def watch_rows(self, table: str, column: str) -> None:
        """`watch` the table, and count its row changes by the value of `column` too (`row_versions`): a
        cache of one key's rows (a roster's people, a topic) then outlives changes to other keys' rows.
        Before `start_watching`; one key column per table."""
        if not _TABLE_NAME.fullmatch(column):
            raise ValueError(f"not a column name: {column!r}")
        if table in self._watching and table not in self._row_changes:
            raise RuntimeError(f"{table} is watched already: watch its rows before start_watching()")
        if self._key_columns.get(table, column) != column:
            raise ValueError(f"{table}'s rows are watched by {self._key_columns[table]}, not {column}")
        self.watch([table])
        self._key_columns[table] = column
        self._row_changes.setdefault(table, {})
        self._epochs.setdefault(table, 0)

    async def start_watching(self) -> None:
        """Put the watched tables' triggers in place: after the migrations (the tables must exist), and
        outside any transaction (a rolled-back transaction would take its triggers with it)."""
        if self._raw is None:
            raise RuntimeError("database not opened")
        if self._raw.in_transaction:  # checked before waiting: inside one, the lock would never come
            raise RuntimeError("start_watching() inside a transaction")
        async with self._lock:
            for table in sorted(set(self._changes) - self._watching):
                column = self._key_columns.get(table)
                for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
                    if column is None:
                        body = f"SELECT flipchart_changed('{table}');"
                    else:  # an update may move a row from one key to another: both keys change
                        body = "".join(f"SELECT flipchart_row_changed('{table}', {r}.\"{column}\");" for r in rows)
                    # TEMP: only this connection's writes exist (the bot is its database's one writer),
                    # and a trigger kept in the file would break other tools, which lack the function.
                    self._raw.execute(
                        f'CREATE TEMP TRIGGER IF NOT EXISTS "flipchart_watch_{table}_{op.lower()}" '
                        f'AFTER {op} ON main."{table}" BEGIN {body} END'
                    )
                self._changes[table] += 1  # nothing cached before the triggers is trusted
                if column is not None:
                    self._epochs[table] += 1
                self._watching.add(table)

    def version(self, tables: Iterable[str]) -> int:
        """A number that grows whenever a row of one of these tables changes — by any statement, foreign
        key cascades included — and at every rollback of such a change (what was read inside may never
        have happened): the key of a cache of data read from those tables (see `bot.memo.Memo`). They
        must be watched."""
        total = self._rollbacks
        for table in tables:
            if table not in self._watching:
                raise RuntimeError(f"{table} is not watched: call watch(), then start_watching()")
            total += self._changes[table]
        return total

    def row_versions(self, tables: Sequence[str], keys: Iterable[Any]) -> list[int]:
        """For each key, `version` of the rows of these tables whose key column (see `watch_rows`) holds
        it: it grows whenever one of them changes, and at every rollback of a watched change. Many keys
        at once: an agenda asks for every session's seats."""
        for table in tables:
            if table not in self._watching or table not in self._row_changes:
                raise RuntimeError(f"{table}'s rows are not watched: call watch_rows(), then start_watching()")
        base = len(tables) * self._rollbacks + sum(self._epochs[t] for t in tables)
        if len(tables) == 1:
            counts = self._row_changes[tables[0]]
            return [base + counts.get(key, 0) for key in keys]
        all_counts = [self._row_changes[t] for t in tables]
        return [base + sum(counts.get(key, 0) for counts in all_counts) for key in keys]

    def _changed(self, table: str) -> None:
        self._changes[table] += 1
        self.changes += 1

    def _row_changed(self, table: str, key: Any) -> None:
        self._changed(table)
        counts = self._row_changes[table]
        counts[key] = counts.get(key, 0) + 1

    def rolled_back(self, *, since: int) -> None:
        """A transaction or savepoint begun when `changes` was `since` was rolled back. If it changed
        watched tables, what was read inside may never have happened: every version moves on. If it
        did not, all it read was committed data, and the caches stay."""
        if self.changes != since:
            self._rollbacks += 1

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def trace(self, callback: Callable[[str], None] | None) -> None:
        """Call `callback` with every statement run from now on (tests count statements); None stops it."""
        assert self._raw is not None, "database not opened"
        self._raw.set_trace_callback(callback)

    def transaction(self) -> _Transaction:
        """BEGIN IMMEDIATE … COMMIT; a nested call in the same task joins the outer transaction.

        `async with db.transaction() as tx:`; the changes commit when the block ends, and roll back if it
        raises."""
        return _Transaction(self)

    def _committed(self) -> None:
        self._commits += 1
        if self._commits >= self.CHECKPOINT_EVERY and self._checkpointing is None:
            self._commits = 0
            self._checkpointing = asyncio.create_task(self._checkpoint())

    async def _checkpoint(self) -> None:
        """Copy the WAL into the database file on the checkpoint connection, while commands go on
        (PASSIVE: never waits for readers or the writer; what it leaves, the next one copies)."""
        try:
            if self._checkpointer is not None:
                await self._checkpointer.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as err:  # a full disk: the WAL keeps every commit, the next checkpoint copies it
            log.warning("checkpoint failed (%s); the next one retries", err)
        finally:
            self._checkpointing = None

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """A read outside any handler (status pages, tests)."""
        async with self.transaction() as tx:
            return await tx.fetchall(sql, params)


def _null(value: None) -> None:
    return None


MIN_SQLITE = (3, 38)  # unixepoch(), in the outbox's first migration

_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")

Step = Callable[[Tx], Awaitable[None]] | str

IN_CHUNK = 5000  # values per `IN (...)`, well under SQLite's limit of 32,766 variables


def in_chunks(values: Iterable[Any]) -> Iterator[tuple[list[Any], str]]:
    """The distinct values in chunks, each with its `?,?,…` for an `IN (...)` (one query per chunk)."""
    distinct = sorted(set(values))
    for i in range(0, len(distinct), IN_CHUNK):
        chunk = distinct[i : i + IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


@dataclass
class Migrations:
    """Numbered schema steps owned by one plugin (or the core); step N brings the schema to version N."""

    owner: str
    steps: dict[int, Step] = field(default_factory=dict)

    def step(self, version: int, sql: str | None = None) -> Any:
        """Register a step: `m.step(1, "CREATE TABLE …")` or as a decorator on `async def f(tx)`."""
        if sql is not None:
            self._add(version, sql)
            return None

        def register(fn: Callable[[Tx], Awaitable[None]]) -> Callable[[Tx], Awaitable[None]]:
            self._add(version, fn)
            return fn

        return register

    def _add(self, version: int, step: Step) -> None:
        if version in self.steps:
            raise ValueError(f"{self.owner}: migration {version} declared twice")
        self.steps[version] = step

    @property
    def latest(self) -> int:
        return max(self.steps, default=0)

    async def apply(self, db: Database) -> int:
        """Upgrade step by step, each in its own transaction with its version bump."""
        expected = list(range(1, self.latest + 1))
        if sorted(self.steps) != expected:
            raise ValueError(f"{self.owner}: migration steps must be numbered 1..N without gaps")
        async with db.transaction() as tx:
            await tx.execute(
                "CREATE TABLE IF NOT EXISTS core_schema (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            current = await tx.fetchval("SELECT version FROM core_schema WHERE owner = ?", (self.owner,), 0)
        if current > self.latest:
            raise SchemaTooNew(
                f"The database {db.path} holds schema version {current} of '{self.owner}', but this "
                f"Flipchart only knows up to {self.latest}. Run the newer Flipchart, or restore a backup."
            )
        for version in range(current + 1, self.latest + 1):
            async with db.transaction() as tx:
                step = self.steps[version]
                if isinstance(step, str):
                    for statement in _split_sql(step):
                        await tx.execute(statement)
                else:
                    await step(tx)
                await tx.execute(
                    "INSERT INTO core_schema (owner, version) VALUES (?, ?) "
                    "ON CONFLICT(owner) DO UPDATE SET version = excluded.version",
                    (self.owner, version),
                )
        return self.latest


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows about quotes)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
