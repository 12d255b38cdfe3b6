"""Schema of the sessions plugin (version N = step N)."""

from __future__ import annotations

from bot.storage import Migrations

migrations = Migrations("sessions")

migrations.step(
    1,
    """
    -- One row per topic that was ever scheduled: its own cap (from !cap) and its room.
    CREATE TABLE sessions_session (
        topic_id INTEGER PRIMARY KEY,
        cap INTEGER,
        room_id TEXT UNIQUE
    );
    -- The clock's steps already taken (outcome 'done' or 'skipped'): each runs at most once.
    CREATE TABLE sessions_step (
        topic_id INTEGER NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (topic_id, step)
    );
    -- Rooms to create, written in the scheduling transaction, drained by the room worker.
    CREATE TABLE sessions_room_queue (
        id INTEGER PRIMARY KEY,
        topic_id INTEGER NOT NULL UNIQUE
    );
    -- The event's space and whether the configured rooms were linked into it.
    CREATE TABLE sessions_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
)
