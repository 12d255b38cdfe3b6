"""All SQL of the badges plugin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.storage import Tx, in_chunks

FIELDS = ("name", "pronouns", "photo", "approach")


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str | None = None
    pronouns: str | None = None
    photo: bool | None = None
    approach: str | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f) is None for f in FIELDS)


@dataclass(frozen=True)
class ConsentChange:
    user_id: str
    session_id: int | None  # None: the default
    choice: str | None  # None: a per-session answer removed
    changed_at: datetime


def ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def _profile(row: Any) -> Profile:
    photo = None if row["photo"] is None else bool(row["photo"])
    return Profile(row["user_id"], row["name"], row["pronouns"], photo, row["approach"])


PROFILES_CHANGED = "badges.profiles_changed"  # a Tx mark: a profile write is not committed yet
CACHED_PROFILES = 50_000  # more people than that: start over rather than grow without bound


class BadgeStore:
    def __init__(self) -> None:
        # Every listing of people reads their profiles (core.people), so they are kept in memory. Only
        # this store writes them: a write drops the person's entry, again once committed, and nothing
        # is cached by a transaction holding an uncommitted write (a rollback leaves nothing wrong).
        self._profiles: dict[str, Profile] = {}

    # --- profiles ---

    async def profile(self, tx: Tx, user_id: str) -> Profile:
        cached = self._profiles.get(user_id)
        if cached is not None:
            return cached
        row = await tx.fetchone("SELECT * FROM badges_profiles WHERE user_id = ?", (user_id,))
        profile = _profile(row) if row is not None else Profile(user_id)
        self._keep(tx, profile)
        return profile

    async def profiles_of(self, tx: Tx, user_ids: Iterable[str]) -> dict[str, Profile]:
        """`profile` of each of these people; those not kept are read in one query."""
        found: dict[str, Profile] = {}
        missing: list[str] = []
        for user_id in user_ids:
            cached = self._profiles.get(user_id)
            if cached is not None:
                found[user_id] = cached
            else:
                missing.append(user_id)
        if missing:
            read = {user_id: Profile(user_id) for user_id in missing}
            for chunk, marks in in_chunks(missing):
                rows = await tx.fetchall(
                    f"SELECT * FROM badges_profiles WHERE user_id IN ({marks})", chunk
                )
                read.update((row["user_id"], _profile(row)) for row in rows)
            for profile in read.values():
                self._keep(tx, profile)
            found.update(read)
        return found

    def _keep(self, tx: Tx, profile: Profile) -> None:
        """Keep a profile just read, unless this transaction changed a profile (it may roll back)."""
        if PROFILES_CHANGED not in tx.marks:
            if len(self._profiles) >= CACHED_PROFILES:
                self._profiles.clear()
            self._profiles[profile.user_id] = profile

    def _profile_changed(self, tx: Tx, user_id: str) -> None:
        self._profiles.pop(user_id, None)
        tx.marks.add(PROFILES_CHANGED)
        tx.after_commit(lambda: self._profiles.pop(user_id, None))

    async def set_field(self, tx: Tx, user_id: str, field: str, value: Any) -> None:
        if field not in FIELDS:  # the column name comes from this fixed list, never from user text (not
            raise ValueError(f"unknown badge field {field!r}")  # an assert: it must hold under -O too)
        self._profile_changed(tx, user_id)
        await tx.execute(
            f"INSERT INTO badges_profiles (user_id, {field}) VALUES (?, ?) "
            f"ON CONFLICT(user_id) DO UPDATE SET {field} = excluded.{field}",
            (user_id, value),
        )

    async def profiles(self, tx: Tx) -> list[Profile]:
        rows = await tx.fetchall("SELECT * FROM badges_profiles ORDER BY user_id")
        return [_profile(r) for r in rows]

    # --- consent ---

    async def default_choice(self, tx: Tx, user_id: str) -> str | None:
        return await tx.fetchval(
            "SELECT choice FROM badges_default_consents WHERE user_id = ?", (user_id,)
        )

    async def choices(self, tx: Tx, user_id: str, session_id: int) -> tuple[str | None, str | None]:
        """(default, this session's answer) in one query."""
        row = await tx.fetchone(
            "SELECT (SELECT choice FROM badges_default_consents WHERE user_id = ?) AS default_choice, "
            "(SELECT choice FROM badges_session_consents WHERE user_id = ? AND session_id = ?) AS session_choice",
            (user_id, user_id, session_id),
        )
        assert row is not None  # a SELECT without FROM always has its one row
        return row["default_choice"], row["session_choice"]

    async def session_choice(self, tx: Tx, user_id: str, session_id: int) -> str | None:
        return await tx.fetchval(
            "SELECT choice FROM badges_session_consents WHERE user_id = ? AND session_id = ?",
            (user_id, session_id),
        )

    async def set_default(self, tx: Tx, user_id: str, choice: str, at: datetime) -> None:
        await tx.execute(
            "INSERT INTO badges_default_consents (user_id, choice, changed_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET choice = excluded.choice, changed_at = excluded.changed_at",
            (user_id, choice, ms(at)),
        )
        await self._history(tx, user_id, None, choice, at)

    async def set_session(
        self,
        tx: Tx,
        user_id: str,
        session_id: int,
        choice: str,
        at: datetime,
        reaction_event_id: str | None,
    ) -> None:
        await tx.execute(
            "INSERT INTO badges_session_consents (user_id, session_id, choice, reaction_event_id, changed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id, session_id) DO UPDATE SET choice = excluded.choice, "
            "reaction_event_id = excluded.reaction_event_id, changed_at = excluded.changed_at",
            (user_id, session_id, choice, reaction_event_id, ms(at)),
        )
        await self._history(tx, user_id, session_id, choice, at)

    async def remove_default(self, tx: Tx, user_id: str, at: datetime) -> None:
        """Back to no default at all (nobody is quoted who has not answered)."""
        await tx.execute("DELETE FROM badges_default_consents WHERE user_id = ?", (user_id,))
        await self._history(tx, user_id, None, None, at)

    async def remove_by_reaction(
        self, tx: Tx, reaction_event_id: str, at: datetime
    ) -> tuple[str, int] | None:
        """Undo the per-session answer this reaction set (if it still is the current one)."""
        row = await tx.fetchone(
            "SELECT user_id, session_id FROM badges_session_consents WHERE reaction_event_id = ?",
            (reaction_event_id,),
        )
        if row is None:
            return None
        await tx.execute(
            "DELETE FROM badges_session_consents WHERE user_id = ? AND session_id = ?",
            (row["user_id"], row["session_id"]),
        )
        await self._history(tx, row["user_id"], row["session_id"], None, at)
        return row["user_id"], row["session_id"]

    async def _history(
        self, tx: Tx, user_id: str, session_id: int | None, choice: str | None, at: datetime
    ) -> None:
        await tx.execute(
            "INSERT INTO badges_consent_history (user_id, session_id, choice, changed_at) VALUES (?, ?, ?, ?)",
            (user_id, session_id, choice, ms(at)),
        )

    async def choice_at(
        self, tx: Tx, user_id: str, session_id: int | None, at: datetime
    ) -> str | None:
        """What the person had answered at `at`: the session's answer, else the default (from history)."""
        if session_id is not None:
            row = await tx.fetchone(
                "SELECT choice FROM badges_consent_history WHERE user_id = ? AND session_id = ? "
                "AND changed_at <= ? ORDER BY changed_at DESC, id DESC LIMIT 1",
                (user_id, session_id, ms(at)),
            )
            if row is not None and row["choice"] is not None:
                return row["choice"]
        return await tx.fetchval(
            "SELECT choice FROM badges_consent_history WHERE user_id = ? AND session_id IS NULL "
            "AND changed_at <= ? ORDER BY changed_at DESC, id DESC LIMIT 1",
            (user_id, ms(at)),
        )

    async def history(self, tx: Tx, user_id: str | None = None) -> list[ConsentChange]:
        where, params = ("WHERE user_id = ?", (user_id,)) if user_id else ("", ())
        rows = await tx.fetchall(
            f"SELECT * FROM badges_consent_history {where} ORDER BY changed_at, id", params
        )
        return [
            ConsentChange(r["user_id"], r["session_id"], r["choice"], from_ms(r["changed_at"]))
            for r in rows
        ]

    async def session_answers(self, tx: Tx) -> list[dict[str, Any]]:
        rows = await tx.fetchall(
            "SELECT user_id, session_id, choice, changed_at FROM badges_session_consents ORDER BY session_id, user_id"
        )
        return [dict(r, changed_at=from_ms(r["changed_at"]).isoformat()) for r in rows]

    async def defaults(self, tx: Tx) -> list[dict[str, Any]]:
        rows = await tx.fetchall(
            "SELECT user_id, choice, changed_at FROM badges_default_consents ORDER BY user_id"
        )
        return [dict(r, changed_at=from_ms(r["changed_at"]).isoformat()) for r in rows]

    # --- the command message behind each value ---

    async def set_source(self, tx: Tx, user_id: str, field: str, event_id: str | None) -> None:
        """Remember the message that set this value (None: no message holds it any more)."""
        if event_id is None:
            await tx.execute(
                "DELETE FROM badges_sources WHERE user_id = ? AND field = ?", (user_id, field)
            )
            return
        await tx.execute(
            "INSERT INTO badges_sources (user_id, field, event_id) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id, field) DO UPDATE SET event_id = excluded.event_id",
            (user_id, field, event_id),
        )

    async def set_by(self, tx: Tx, event_id: str) -> list[tuple[str, str]]:
        """(user, field) of the values this message set and no later command replaced."""
        rows = await tx.fetchall(
            "SELECT user_id, field FROM badges_sources WHERE event_id = ? ORDER BY field",
            (event_id,),
        )
        return [(r["user_id"], r["field"]) for r in rows]

    # --- retention and erasure ---

    async def mark_closed(self, tx: Tx, session_id: int, at: datetime) -> None:
        await tx.execute(
            "INSERT OR IGNORE INTO badges_closed_sessions (session_id, closed_at) VALUES (?, ?)",
            (session_id, ms(at)),
        )

    async def purge(self, tx: Tx, cutoff: datetime) -> int:
        """Consent records of sessions closed (digest published or rejected) before `cutoff`, and default history older than it
        (the newest default change of each person stays: it dates the answer in force)."""
        done = "(SELECT session_id FROM badges_closed_sessions WHERE closed_at < ?)"
        removed = await tx.execute(
            f"DELETE FROM badges_consent_history WHERE session_id IN {done}", (ms(cutoff),)
        )
        removed += await tx.execute(
            f"DELETE FROM badges_session_consents WHERE session_id IN {done}", (ms(cutoff),)
        )
        removed += await tx.execute(
            "DELETE FROM badges_consent_history WHERE session_id IS NULL AND changed_at < ? AND id NOT IN "
            "(SELECT max(id) FROM badges_consent_history WHERE session_id IS NULL GROUP BY user_id)",
            (ms(cutoff),),
        )
        return removed

    async def forget(self, tx: Tx, user_id: str) -> None:
        self._profile_changed(tx, user_id)
        for table in (
            "badges_profiles",
            "badges_default_consents",
            "badges_session_consents",
            "badges_consent_history",
            "badges_sources",
        ):
            await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
