"""Per-person and per-room settings the core needs: language and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .i18n import LANGUAGES
from .storage import Tx

_DIRTY = "preferences.changed"


class Preferences:
    """Reads are cached in memory (every command needs the sender's language); writes go to the database
    and drop the cached row, again once committed."""

    def __init__(self, default_language: str, default_tz: ZoneInfo) -> None:
        self.default_language = default_language
        self.default_tz = default_tz
        self._users: dict[str, tuple[str | None, str | None]] = {}
        self._rooms: dict[str, str | None] = {}

    async def _user(self, tx: Tx, user_id: str) -> tuple[str | None, str | None]:
        if user_id in self._users:
            return self._users[user_id]
        row = await tx.fetchone("SELECT lang, tz FROM core_user_settings WHERE user_id = ?", (user_id,))
        value = (row["lang"], row["tz"]) if row else (None, None)
        if _DIRTY not in tx.marks:  # an uncommitted change must not outlive a rollback in the cache
            self._users[user_id] = value
        return value

    async def language(self, tx: Tx, user_id: str | None = None, room_id: str | None = None) -> str:
        """Per person, else per room, else the config default."""
        if user_id:
            lang, _ = await self._user(tx, user_id)
            if lang:
                return lang
        if room_id:
            if room_id in self._rooms:
                lang = self._rooms[room_id]
            else:
                lang = await tx.fetchval("SELECT lang FROM core_room_settings WHERE room_id = ?", (room_id,))
                if _DIRTY not in tx.marks:
                    self._rooms[room_id] = lang
            if lang:
                return lang
        return self.default_language

    async def timezone(self, tx: Tx, user_id: str | None) -> ZoneInfo:
        if user_id:
            _, tz = await self._user(tx, user_id)
            if tz:
                return ZoneInfo(tz)
        return self.default_tz

    def _drop(self, tx: Tx, cache: dict[str, object], key: str) -> None:
        cache.pop(key, None)
        tx.marks.add(_DIRTY)
        tx.after_commit(lambda: cache.pop(key, None))

    async def set_language(self, tx: Tx, user_id: str, lang: str | None) -> None:
        if lang is not None and lang not in LANGUAGES:  # a check, not an assert: it must hold under -O too
            raise ValueError(f"unsupported language {lang!r}")
        await self._set(tx, user_id, "lang", lang)

    async def set_timezone(self, tx: Tx, user_id: str, tz: str | None) -> None:
        if tz is not None:
            ZoneInfo(tz)  # raises for a bad name; callers check first
        await self._set(tx, user_id, "tz", tz)

    async def set_room_language(self, tx: Tx, room_id: str, lang: str | None) -> None:
        self._drop(tx, self._rooms, room_id)  # type: ignore[arg-type]
        await tx.execute(
            "INSERT INTO core_room_settings (room_id, lang) VALUES (?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET lang = excluded.lang",
            (room_id, lang),
        )

    async def forget(self, tx: Tx, user_id: str) -> None:
        self._drop(tx, self._users, user_id)  # type: ignore[arg-type]
        await tx.execute("DELETE FROM core_user_settings WHERE user_id = ?", (user_id,))

    async def _set(self, tx: Tx, user_id: str, column: str, value: str | None) -> None:
        self._drop(tx, self._users, user_id)  # type: ignore[arg-type]
        await tx.execute(
            f"INSERT INTO core_user_settings (user_id, {column}) VALUES (?, ?) "
            f"ON CONFLICT(user_id) DO UPDATE SET {column} = excluded.{column}",
            (user_id, value),
        )
