"""Read caches keyed on the database's change counts: read-mostly data read by many commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable
from itertools import islice
from typing import Any, Generic, TypeVar

from .storage import Database

V = TypeVar("V")


class Memo(Generic[V]):
    """Values computed from some tables, kept while none of those tables changes.

    A handful of commands (the agenda, a session's details) read the same slots, rooms and bookings over
    and over while 130 people type; this turns those queries into a dict lookup. Any row change in a
    watched table — by any statement, cascades included — or the rollback of such a change forgets every
    value (see `Database.version`). The values are shared between callers: keep them immutable (tuples, frozen
    dataclasses), or hand out copies.
    """

    def __init__(self, db: Database, tables: Iterable[str], max_entries: int = 256) -> None:
        self._db = db
        self._tables = tuple(tables)
        db.watch(self._tables)
        self._max_entries = max_entries  # bounds memory: keys may be per person or per topic
        self._version = -1
        self._values: dict[Hashable, V] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[V]]) -> V:
        version = self._db.version(self._tables)
        if version != self._version:
            self._values.clear()
            self._version = version
        try:
            return self._values[key]
        except KeyError:
            pass
        value = await compute()
        if self._db.version(self._tables) == version:  # not when computing it changed the tables
            _keep_newest(self._values, key, value, self._max_entries)
        return value


def _keep_newest(values: dict[Any, Any], key: Any, value: Any, max_entries: int) -> None:
    """Keep `value` as the newest entry, the oldest going first when `max_entries` are kept."""
    values.pop(key, None)
    if len(values) >= max_entries:
        del values[next(iter(values))]
    values[key] = value


K = TypeVar("K", bound=Hashable)


class RowMemo(Generic[K, V]):
    """Values computed from the rows that share one key — a roster's places, a topic and its votes —
    each kept until one of those rows changes.

    A `Memo` forgets everything at any change of its tables, and at an event a seat is taken or a vote
    cast every few commands: the agenda's seat counts of every session were read again each time. Here
    a seat taken in one session leaves every other session's values (see `Database.row_versions`).
    `columns` names, for each table the values are read from, the column that holds the key: a value
    must depend on no other rows than those. Keys are what SQLite holds in those columns (an int for an
    INTEGER id: "12" is another key). The values are shared, like a Memo's: keep them immutable.
    """

    def __init__(self, db: Database, columns: dict[str, str], max_entries: int = 4096) -> None:
        self._db = db
        self._tables = tuple(columns)
        for table, column in columns.items():
            db.watch_rows(table, column)
        self._max_entries = max_entries  # bounds memory: one entry per key (a large event: 2,000 sessions)
        self._values: dict[K, tuple[int, V]] = {}

    async def get(self, key: K, compute: Callable[[], Awaitable[V]]) -> V:
        """`many` for one key (most callers: without its lists and dicts)."""
        keys = (key,)
        (version,) = self._db.row_versions(self._tables, keys)
        kept = self._values.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        value = await compute()
        if self._db.row_versions(self._tables, keys)[0] == version:  # not when computing changed it
            _keep_newest(self._values, key, (version, value), self._max_entries)
        return value

    def put(self, key: K, value: V) -> None:
        """Keep `value` for the key as its rows are now: for a caller that just changed them and knows
        what they hold without reading them again (it derived the value from what it read in this
        transaction and what it wrote). A rollback moves every version on, so it is never served after one."""
        (version,) = self._db.row_versions(self._tables, (key,))
        _keep_newest(self._values, key, (version, value), self._max_entries)

    def kept(self, keys: Iterable[K]) -> dict[K, V]:
        """The values kept and current for these keys; none is computed (see `many`)."""
        values = self._values
        found: dict[K, V] = {}
        if not values:  # nothing kept yet (after a restart): no versions to compute for thousands of keys
            return found
        keys = tuple(keys)
        for key, version in zip(keys, self._db.row_versions(self._tables, keys), strict=True):
            kept = values.get(key)
            if kept is not None and kept[0] == version:
                found[key] = kept[1]
        return found

    async def many(self, keys: Iterable[K], compute: Callable[[list[K]], Awaitable[dict[K, V]]]) -> dict[K, V]:
        """The values of these keys; `compute(missing)` reads those not kept, all at once. A key it
        returns no value for has none (it is left out)."""
        keys = tuple(keys)
        found: dict[K, V] = {}
        missing: dict[K, int] = {}  # key → its version before computing
        for key, version in zip(keys, self._db.row_versions(self._tables, keys), strict=True):
            kept = self._values.get(key)
            if kept is not None and kept[0] == version:
                found[key] = kept[1]
            else:
                missing[key] = version
        if missing:
            computed = await compute(list(missing))
            found.update(computed)
            now = dict(zip(missing, self._db.row_versions(self._tables, missing), strict=True))
            values = self._values
            for key, value in computed.items():
                version = missing.get(key)
                if now.get(key, -1) == version:  # not when computing changed it
                    values.pop(key, None)  # kept before at an older version: newest now
                    values[key] = (version, value)
            # The oldest go, all at once: an agenda's first read keeps thousands of keys.
            for key in list(islice(values, max(len(values) - self._max_entries, 0))):
                del values[key]
        return found
