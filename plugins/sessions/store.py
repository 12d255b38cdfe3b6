"""All SQL of the sessions plugin: per-session settings, clock steps, the room queue, the space."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.memo import Memo
from bot.storage import Database, Tx, in_chunks


@dataclass(frozen=True)
class SessionRow:
    topic_id: int
    cap: int | None  # set by `!cap`; None: the location's cap or the default
    room_id: str | None


@dataclass(frozen=True)
class SessionState:
    """All this plugin keeps of one session: its own cap, its room, and the clock's steps taken."""

    topic_id: int
    cap: int | None = None
    room_id: str | None = None
    steps: dict[str, str] = field(default_factory=dict)  # step name → 'done' | 'skipped'


@dataclass(frozen=True)
class SeatTerms:
    """The sessions whose seats differ from the usual: those with their own cap (`!cap`), and those that
    ended. Any other session takes its location's cap (or the default) and is open."""

    caps: dict[int, int]  # topic id → the cap set with `!cap`
    ended: frozenset[int]


@dataclass(frozen=True)
class RoomJob:
    id: int
    topic_id: int


class SessionStore:
    def __init__(self, db: Database) -> None:
        # Read by every `!join`, `!who` and agenda; changed when a session starts, ends or gets a room.
        self._sessions: Memo[Any] = Memo(db, ("sessions_session", "sessions_step"))

    async def ensure(self, tx: Tx, topic_id: int) -> None:
        await self.ensure_many(tx, [topic_id])

    async def ensure_many(self, tx: Tx, topic_ids: Sequence[int]) -> None:
        await tx.executemany(
            "INSERT OR IGNORE INTO sessions_session (topic_id) VALUES (?)",
            [(t,) for t in topic_ids],
        )

    async def states(self, tx: Tx, topic_ids: Sequence[int]) -> dict[int, SessionState]:
        """Row and steps of each session, in one query however many sessions (per chunk of ids)."""
        wanted = tuple(topic_ids)

        async def read() -> dict[int, SessionState]:
            return await self._read_states(tx, wanted)

        return dict(await self._sessions.get(("states", wanted), read))

    async def seat_terms(self, tx: Tx) -> SeatTerms:
        """What every session's seats depend on besides its location (see `SeatTerms`): two reads of the
        few rows that differ from the usual, not one row per session (an agenda of 2,000 asks for all)."""

        async def read() -> SeatTerms:
            caps = dict(await tx.fetchtuples("SELECT topic_id, cap FROM sessions_session WHERE cap IS NOT NULL"))
            # Ended: the 'end' step was taken (done or skipped), as timeline.state_of has it.
            ended = await tx.fetchtuples("SELECT topic_id FROM sessions_step WHERE step = 'end'")
            return SeatTerms(caps, frozenset(topic_id for (topic_id,) in ended))

        return await self._sessions.get("seat_terms", read)  # a value: shared, not to be changed

    async def _read_states(self, tx: Tx, topic_ids: Sequence[int]) -> dict[int, SessionState]:
        caps: dict[int, tuple[int | None, str | None]] = {}
        steps: dict[int, dict[str, str]] = {t: {} for t in topic_ids}
        for chunk, marks in in_chunks(topic_ids):
            # One statement, two tables: rows of sessions_step are the ones with a step.
            rows = await tx.fetchall(
                f"SELECT topic_id, cap, room_id, NULL AS step, NULL AS outcome FROM sessions_session "
                f"WHERE topic_id IN ({marks}) UNION ALL "
                f"SELECT topic_id, NULL, NULL, step, outcome FROM sessions_step WHERE topic_id IN ({marks})",
                [*chunk, *chunk],
            )
            for r in rows:
                if r["step"] is None:
                    caps[r["topic_id"]] = (r["cap"], r["room_id"])
                else:
                    steps[r["topic_id"]][r["step"]] = r["outcome"]
        return {t: SessionState(t, *caps.get(t, (None, None)), steps=steps[t]) for t in topic_ids}

    async def state(self, tx: Tx, topic_id: int) -> SessionState:
        async def read() -> SessionState:
            return (await self._read_states(tx, [topic_id]))[topic_id]

        return await self._sessions.get(("state", topic_id), read)  # a value: no dict to copy

    async def all(self, tx: Tx) -> list[SessionRow]:
        rows = await tx.fetchall("SELECT * FROM sessions_session ORDER BY topic_id")
        return [SessionRow(r["topic_id"], r["cap"], r["room_id"]) for r in rows]

    async def set_cap(self, tx: Tx, topic_id: int, cap: int) -> None:
        await tx.execute(
            "INSERT INTO sessions_session (topic_id, cap) VALUES (?, ?) "
            "ON CONFLICT(topic_id) DO UPDATE SET cap = excluded.cap",
            (topic_id, cap),
        )

    async def set_room(self, tx: Tx, topic_id: int, room_id: str) -> None:
        await tx.execute(
            "INSERT INTO sessions_session (topic_id, room_id) VALUES (?, ?) "
            "ON CONFLICT(topic_id) DO UPDATE SET room_id = excluded.room_id",
            (topic_id, room_id),
        )

    async def topic_of_room(self, tx: Tx, room_id: str) -> int | None:
        """Asked at every `!note` (which session's room is this?): kept like the sessions' states."""

        async def read() -> int | None:
            return await tx.fetchval(
                "SELECT topic_id FROM sessions_session WHERE room_id = ?", (room_id,)
            )

        return await self._sessions.get(("room", room_id), read)

    # --- the clock ---

    async def steps(self, tx: Tx, topic_id: int) -> dict[str, str]:
        """Steps taken so far: step name → 'done' | 'skipped'."""
        rows = await tx.fetchall(
            "SELECT step, outcome FROM sessions_step WHERE topic_id = ?", (topic_id,)
        )
        return {r["step"]: r["outcome"] for r in rows}

    async def record_step(
        self, tx: Tx, topic_id: int, step: str, outcome: str, at: datetime
    ) -> bool:
        """Mark a step taken; False when it already was (so it never runs twice)."""
        return bool(
            await tx.execute(
                "INSERT OR IGNORE INTO sessions_step (topic_id, step, outcome, at) VALUES (?, ?, ?, ?)",
                (topic_id, step, outcome, at.isoformat()),
            )
        )

    # --- the room queue ---

    async def queue_room(self, tx: Tx, topic_id: int) -> None:
        await self.queue_rooms(tx, [topic_id])

    async def queue_rooms(self, tx: Tx, topic_ids: Sequence[int]) -> None:
        await tx.executemany(
            "INSERT OR IGNORE INTO sessions_room_queue (topic_id) VALUES (?)",
            [(t,) for t in topic_ids],
        )

    async def next_room_job(self, tx: Tx) -> RoomJob | None:
        row = await tx.fetchone("SELECT * FROM sessions_room_queue ORDER BY id LIMIT 1")
        return RoomJob(row["id"], row["topic_id"]) if row else None

    async def room_job_count(self, tx: Tx) -> int:
        return await tx.fetchval("SELECT count(*) FROM sessions_room_queue", (), 0)

    async def unqueue_room(self, tx: Tx, topic_id: int) -> None:
        await tx.execute("DELETE FROM sessions_room_queue WHERE topic_id = ?", (topic_id,))

    # --- the event's space ---

    async def meta(self, tx: Tx, key: str) -> str | None:
        return await tx.fetchval("SELECT value FROM sessions_meta WHERE key = ?", (key,))

    async def set_meta(self, tx: Tx, key: str, value: str) -> None:
        await tx.execute(
            "INSERT INTO sessions_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
