"""Read caches keyed on the database's change counts: read-mostly data read by many commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Generic, TypeVar

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
            if len(self._values) >= self._max_entries:
                del self._values[next(iter(self._values))]  # the oldest
            self._values[key] = value
        return value
