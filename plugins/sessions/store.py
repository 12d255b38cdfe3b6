"""All SQL of the sessions plugin: per-session settings, clock steps, the room queue, the space."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage import Tx


@dataclass(frozen=True)
class SessionRow:
    topic_id: int
    cap: int | None  # set by `!cap`; None: the location's cap or the default
    room_id: str | None


@dataclass(frozen=True)
class RoomJob:
    id: int
    topic_id: int


class SessionStore:
    async def ensure(self, tx: Tx, topic_id: int) -> None:
        await tx.execute(
            "INSERT OR IGNORE INTO sessions_session (topic_id) VALUES (?)", (topic_id,)
        )

    async def get(self, tx: Tx, topic_id: int) -> SessionRow | None:
        row = await tx.fetchone("SELECT * FROM sessions_session WHERE topic_id = ?", (topic_id,))
        return SessionRow(row["topic_id"], row["cap"], row["room_id"]) if row else None

    async def many(self, tx: Tx, topic_ids: list[int]) -> dict[int, SessionRow]:
        found: dict[int, SessionRow] = {}
        for chunk in (topic_ids[i : i + 500] for i in range(0, len(topic_ids), 500)):
            marks = ",".join("?" * len(chunk))
            rows = await tx.fetchall(
                f"SELECT * FROM sessions_session WHERE topic_id IN ({marks})", chunk
            )
            found.update(
                {r["topic_id"]: SessionRow(r["topic_id"], r["cap"], r["room_id"]) for r in rows}
            )
        return found

    async def all(self, tx: Tx) -> list[SessionRow]:
        rows = await tx.fetchall("SELECT * FROM sessions_session ORDER BY topic_id")
        return [SessionRow(r["topic_id"], r["cap"], r["room_id"]) for r in rows]

    async def set_cap(self, tx: Tx, topic_id: int, cap: int) -> None:
        await self.ensure(tx, topic_id)
        await tx.execute("UPDATE sessions_session SET cap = ? WHERE topic_id = ?", (cap, topic_id))

    async def set_room(self, tx: Tx, topic_id: int, room_id: str) -> None:
        await self.ensure(tx, topic_id)
        await tx.execute(
            "UPDATE sessions_session SET room_id = ? WHERE topic_id = ?", (room_id, topic_id)
        )

    async def topic_of_room(self, tx: Tx, room_id: str) -> int | None:
        return await tx.fetchval(
            "SELECT topic_id FROM sessions_session WHERE room_id = ?", (room_id,)
        )

    # --- the clock ---

    async def steps(self, tx: Tx, topic_id: int) -> dict[str, str]:
        """Steps taken so far: step name → 'done' | 'skipped'."""
        rows = await tx.fetchall(
            "SELECT step, outcome FROM sessions_step WHERE topic_id = ?", (topic_id,)
        )
        return {r["step"]: r["outcome"] for r in rows}

    async def steps_of(self, tx: Tx, topic_ids: list[int]) -> dict[int, dict[str, str]]:
        found: dict[int, dict[str, str]] = {t: {} for t in topic_ids}
        for chunk in (topic_ids[i : i + 500] for i in range(0, len(topic_ids), 500)):
            marks = ",".join("?" * len(chunk))
            rows = await tx.fetchall(
                f"SELECT topic_id, step, outcome FROM sessions_step WHERE topic_id IN ({marks})",
                chunk,
            )
            for r in rows:
                found[r["topic_id"]][r["step"]] = r["outcome"]
        return found

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
        await tx.execute(
            "INSERT OR IGNORE INTO sessions_room_queue (topic_id) VALUES (?)", (topic_id,)
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
