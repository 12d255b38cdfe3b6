"""Per-person and per-room settings the core needs: language and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .i18n import LANGUAGES
from .storage import Tx


class Preferences:
    def __init__(self, default_language: str, default_tz: ZoneInfo) -> None:
        self.default_language = default_language
        self.default_tz = default_tz

    async def language(self, tx: Tx, user_id: str | None = None, room_id: str | None = None) -> str:
        """Per person, else per room, else the config default."""
        if user_id:
            lang = await tx.fetchval("SELECT lang FROM core_user_settings WHERE user_id = ?", (user_id,))
            if lang:
                return lang
        if room_id:
            lang = await tx.fetchval("SELECT lang FROM core_room_settings WHERE room_id = ?", (room_id,))
            if lang:
                return lang
        return self.default_language

    async def timezone(self, tx: Tx, user_id: str | None) -> ZoneInfo:
        if user_id:
            tz = await tx.fetchval("SELECT tz FROM core_user_settings WHERE user_id = ?", (user_id,))
            if tz:
                return ZoneInfo(tz)
        return self.default_tz

    async def set_language(self, tx: Tx, user_id: str, lang: str | None) -> None:
        assert lang is None or lang in LANGUAGES
        await self._set(tx, user_id, "lang", lang)

    async def set_timezone(self, tx: Tx, user_id: str, tz: str | None) -> None:
        if tz is not None:
            ZoneInfo(tz)  # raises for a bad name; callers check first
        await self._set(tx, user_id, "tz", tz)

    async def set_room_language(self, tx: Tx, room_id: str, lang: str | None) -> None:
        await tx.execute(
            "INSERT INTO core_room_settings (room_id, lang) VALUES (?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET lang = excluded.lang",
            (room_id, lang),
        )

    async def forget(self, tx: Tx, user_id: str) -> None:
        await tx.execute("DELETE FROM core_user_settings WHERE user_id = ?", (user_id,))

    async def _set(self, tx: Tx, user_id: str, column: str, value: str | None) -> None:
        await tx.execute(
            f"INSERT INTO core_user_settings (user_id, {column}) VALUES (?, ?) "
            f"ON CONFLICT(user_id) DO UPDATE SET {column} = excluded.{column}",
            (user_id, value),
        )
