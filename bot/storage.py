"""One aiosqlite connection (WAL, foreign keys, busy timeout), transactions and per-plugin migrations."""

from __future__ import annotations

import asyncio
import contextvars
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite


class SchemaTooNew(Exception):
    """The database was written by a newer Flipchart; refusing to run rather than corrupt it."""


class Tx:
    """An open transaction: the only way handlers touch the database."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._savepoints = 0
        self.closed = False
        self.task = asyncio.current_task()
        self.marks: set[str] = set()  # flags services set on the transaction (e.g. "settings changed")
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once this transaction has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    # One aiosqlite thread hop per statement: every hop is two thread switches, and a command runs a
    # dozen statements (cursors are left to the garbage collector rather than closed with a further hop).

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement; returns lastrowid for INSERT, else the number of changed rows."""
        cur = await self._conn.execute(sql, params)
        if sql.lstrip()[:6].upper() == "INSERT":
            # An ignored INSERT leaves lastrowid at the previous insert's: report 0 then.
            return (cur.lastrowid or 0) if cur.rowcount > 0 else 0
        return cur.rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        rows = await self._conn.execute_fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), default: Any = None) -> Any:
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested unit that rolls back alone on error (a failed handler keeps the 'seen' mark)."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        callbacks = len(self._after_commit)
        await self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self._conn.execute(f"ROLLBACK TO {name}")
            await self._conn.execute(f"RELEASE {name}")
            del self._after_commit[callbacks:]  # what was rolled back must not act after commit
            raise
        else:
            await self._conn.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1


_current_tx: contextvars.ContextVar[Tx | None] = contextvars.ContextVar("flipchart_tx", default=None)


class Database:
    """The bot's SQLite database; every write goes through `transaction()`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                # Create it owner-only before SQLite does, so it is never world-readable.
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            os.chmod(self.path, 0o600)
        self._conn = await aiosqlite.connect(str(self.path), isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            "PRAGMA synchronous=NORMAL",
        ):
            await self._conn.execute(pragma)

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE … COMMIT; a nested call in the same task joins the outer transaction."""
        outer = _current_tx.get()
        # Join only a transaction of this very task: a task spawned inside one (a scheduler job, say)
        # inherits the context variable but must wait for its own transaction.
        if outer is not None and not outer.closed and outer.task is asyncio.current_task():
            yield outer
            return
        assert self._conn is not None, "database not opened"
        async with self._lock:
            tx = Tx(self._conn)
            token = _current_tx.set(tx)
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")
                for callback in tx._after_commit:
                    callback()
            finally:
                tx.closed = True
                _current_tx.reset(token)

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """A read outside any handler (status pages, tests)."""
        async with self.transaction() as tx:
            return await tx.fetchall(sql, params)


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
