"""All SQL of the notes plugin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.storage import Tx

KINDS = ("expectation", "note", "action")


@dataclass(frozen=True)
class Note:
    id: int
    session_id: int
    kind: str
    speaker: str
    author: str
    owner: str | None
    text: str
    event_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Digest:
    session_id: int
    state: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    participants: int
    proposer: str | None
    room_id: str | None
    reporter: str | None
    edited: str | None
    shown: str | None
    published: str | None
    published_notes: str | None
    draft_ref: int | None
    published_ref: int | None
    reason: str | None
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None


def ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def from_ms(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


_TIMES = ("created_at", "starts_at", "ends_at", "published_at", "closed_at")


def _row(cls: type, row: Any) -> Any:
    return cls(
        **{f.name: from_ms(row[f.name]) if f.name in _TIMES else row[f.name] for f in fields(cls)}
    )


class NoteStore:
    # --- notes ---

    async def add(
        self,
        tx: Tx,
        *,
        session_id: int,
        kind: str,
        speaker: str,
        author: str,
        owner: str | None,
        text: str,
        event_id: str | None,
        at: datetime,
        per_minute: int,
    ) -> Note | None:
        """The new note, or None (nothing written) when its author wrote `per_minute` notes in the minute
        before `at`: the insert checks the rate limit itself, one statement instead of two per note."""
        note_id = await tx.execute(
            "INSERT INTO notes_notes (session_id, kind, speaker, author, owner, text, event_id, created_at) "
            "SELECT ?, ?, ?, ?, ?, ?, ?, ? "
            "WHERE (SELECT count(*) FROM notes_notes WHERE author = ? AND created_at > ?) < ?",
            (session_id, kind, speaker, author, owner, text, event_id, ms(at),
             author, ms(at - timedelta(minutes=1)), per_minute),
        )
        if not note_id:
            return None
        return Note(note_id, session_id, kind, speaker, author, owner, text, event_id, at)

    async def notes(self, tx: Tx, session_id: int) -> list[Note]:
        rows = await tx.fetchall(
            "SELECT * FROM notes_notes WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [_row(Note, r) for r in rows]

    async def by_event(self, tx: Tx, event_id: str) -> Note | None:
        row = await tx.fetchone("SELECT * FROM notes_notes WHERE event_id = ?", (event_id,))
        return _row(Note, row) if row else None

    async def update_text(
        self, tx: Tx, note_id: int, speaker: str, owner: str | None, text: str
    ) -> None:
        await tx.execute(
            "UPDATE notes_notes SET speaker = ?, owner = ?, text = ? WHERE id = ?",
            (speaker, owner, text, note_id),
        )

    async def add_names(self, tx: Tx, note_id: int, names: list[tuple[str, str]]) -> None:
        """(person, name) pairs the note's text uses."""
        if not names:  # most notes name nobody: no statement at all
            return
        await tx.executemany(
            "INSERT OR IGNORE INTO notes_names (note_id, user_id, name) VALUES (?, ?, ?)",
            [(note_id, user_id, name) for user_id, name in names],
        )

    async def take_names(self, tx: Tx, note_id: int) -> list[tuple[str, str]]:
        """The note's (person, name) pairs, removed (its text is changing)."""
        rows = await tx.fetchall(
            "SELECT user_id, name FROM notes_names WHERE note_id = ?", (note_id,)
        )
        await tx.execute("DELETE FROM notes_names WHERE note_id = ?", (note_id,))
        return [(r["user_id"], r["name"]) for r in rows]

    async def names_written(self, tx: Tx, session_id: int) -> dict[str, list[str]]:
        """Person → the names the session's notes use for them (some may be names they dropped since)."""
        rows = await tx.fetchall(
            "SELECT DISTINCT n.user_id, n.name FROM notes_names n "
            "JOIN notes_notes o ON o.id = n.note_id WHERE o.session_id = ?",
            (session_id,),
        )
        names: dict[str, list[str]] = {}
        for r in rows:
            names.setdefault(r["user_id"], []).append(r["name"])
        return names

    async def delete(self, tx: Tx, note_id: int) -> None:
        await tx.execute("DELETE FROM notes_notes WHERE id = ?", (note_id,))

    async def names_of(self, tx: Tx, user_id: str) -> list[str]:
        """Every name any note's text used for the person (before they are forgotten)."""
        rows = await tx.fetchall(
            "SELECT DISTINCT name FROM notes_names WHERE user_id = ? ORDER BY name", (user_id,)
        )
        return [r["name"] for r in rows]

    async def notes_by(self, tx: Tx, user_id: str) -> list[Note]:
        """The notes the person spoke or typed (those `forget` erases)."""
        rows = await tx.fetchall(
            "SELECT * FROM notes_notes WHERE speaker = ? OR author = ? ORDER BY id",
            (user_id, user_id),
        )
        return [_row(Note, r) for r in rows]

    async def rewrite_texts(self, tx: Tx, rewrite: Callable[[str], str]) -> set[int]:
        """Every note's text through `rewrite`; the sessions whose notes changed are returned."""
        changed: set[int] = set()
        for r in await tx.fetchall("SELECT id, session_id, text FROM notes_notes"):
            text = rewrite(r["text"])
            if text != r["text"]:
                await tx.execute("UPDATE notes_notes SET text = ? WHERE id = ?", (text, r["id"]))
                changed.add(r["session_id"])
        return changed

    async def forget(self, tx: Tx, user_id: str) -> list[int]:
        """Erase the person's notes; sessions whose notes changed are returned (to recompute drafts)."""
        rows = await tx.fetchall(
            "SELECT DISTINCT session_id FROM notes_notes WHERE speaker = ? OR author = ? OR owner = ?",
            (user_id, user_id, user_id),
        )
        await tx.execute(
            "DELETE FROM notes_notes WHERE speaker = ? OR author = ?", (user_id, user_id)
        )
        await tx.execute("UPDATE notes_notes SET owner = NULL WHERE owner = ?", (user_id,))
        await tx.execute("DELETE FROM notes_names WHERE user_id = ?", (user_id,))
        await tx.execute("UPDATE notes_digests SET reporter = NULL WHERE reporter = ?", (user_id,))
        await tx.execute("UPDATE notes_digests SET proposer = NULL WHERE proposer = ?", (user_id,))
        await tx.execute("DELETE FROM notes_approvals WHERE moderator = ?", (user_id,))
        return [r["session_id"] for r in rows]

    async def purge_closed(self, tx: Tx, cutoff: datetime) -> int:
        """Raw notes of sessions whose digest was published or rejected before `cutoff` (a published
        digest stays)."""
        return await tx.execute(
            "DELETE FROM notes_notes WHERE session_id IN "
            "(SELECT session_id FROM notes_digests WHERE closed_at < ?)",
            (ms(cutoff),),
        )

    async def all_notes(self, tx: Tx) -> list[dict[str, Any]]:
        rows = await tx.fetchall("SELECT * FROM notes_notes ORDER BY session_id, id")
        return [dict(r, created_at=from_ms(r["created_at"]).isoformat()) for r in rows]  # type: ignore[union-attr]

    # --- digests ---

    async def create_digest(
        self,
        tx: Tx,
        *,
        session_id: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        location: str,
        participants: int,
        proposer: str | None,
        room_id: str | None,
        reporter: str | None,
        at: datetime,
    ) -> bool:
        """False when the session already has its digest (exactly once)."""
        return bool(
            await tx.execute(
                "INSERT OR IGNORE INTO notes_digests (session_id, state, title, starts_at, ends_at, location, "
                "participants, proposer, room_id, reporter, created_at) "
                "VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    title,
                    ms(starts_at),
                    ms(ends_at),
                    location,
                    participants,
                    proposer,
                    room_id,
                    reporter,
                    ms(at),
                ),
            )
        )

    async def digest(self, tx: Tx, session_id: int) -> Digest | None:
        row = await tx.fetchone("SELECT * FROM notes_digests WHERE session_id = ?", (session_id,))
        return _row(Digest, row) if row else None

    async def digest_state(self, tx: Tx, session_id: int) -> str | None:
        """The state of the session's digest ('draft', 'published', 'rejected'); None before it ends."""
        return await tx.fetchval(
            "SELECT state FROM notes_digests WHERE session_id = ?", (session_id,)
        )

    async def digests(
        self, tx: Tx, states: tuple[str, ...] = ("draft", "published", "rejected")
    ) -> list[Digest]:
        marks = ",".join("?" * len(states))
        rows = await tx.fetchall(
            f"SELECT * FROM notes_digests WHERE state IN ({marks}) ORDER BY session_id", states
        )
        return [_row(Digest, r) for r in rows]

    async def update_digest(self, tx: Tx, session_id: int, **values: Any) -> None:
        allowed = {
            "state",
            "reporter",
            "edited",
            "shown",
            "published",
            "published_notes",
            "draft_ref",
            "published_ref",
            "reason",
            "published_at",
            "closed_at",
        }
        if not set(values) <= allowed:  # column names from this fixed set only (not an assert: -O drops those)
            raise ValueError(f"unknown digest columns {sorted(set(values) - allowed)}")
        values = {k: ms(v) if isinstance(v, datetime) else v for k, v in values.items()}
        sets = ", ".join(f"{k} = ?" for k in values)
        await tx.execute(
            f"UPDATE notes_digests SET {sets} WHERE session_id = ?", (*values.values(), session_id)
        )

    async def approve(
        self, tx: Tx, session_id: int, moderator: str, reaction_event_id: str | None = None
    ) -> int:
        """Record one moderator's approval; returns how many distinct moderators approved."""
        await tx.execute(
            "INSERT OR IGNORE INTO notes_approvals (session_id, moderator, reaction_event_id) "
            "VALUES (?, ?, ?)",
            (session_id, moderator, reaction_event_id),
        )
        return await self.approvals(tx, session_id)

    async def approvals(self, tx: Tx, session_id: int) -> int:
        return await tx.fetchval(
            "SELECT count(*) FROM notes_approvals WHERE session_id = ?", (session_id,), 0
        )

    async def withdraw_approval(self, tx: Tx, reaction_event_id: str) -> int | None:
        """Take back the approval given with this reaction (only while the digest is a draft)."""
        session_id = await tx.fetchval(
            "SELECT a.session_id FROM notes_approvals a JOIN notes_digests d USING (session_id) "
            "WHERE a.reaction_event_id = ? AND d.state = 'draft'",
            (reaction_event_id,),
        )
        if session_id is not None:
            await tx.execute(
                "DELETE FROM notes_approvals WHERE reaction_event_id = ?", (reaction_event_id,)
            )
        return session_id

    async def clear_approvals(self, tx: Tx, session_id: int) -> None:
        await tx.execute("DELETE FROM notes_approvals WHERE session_id = ?", (session_id,))
