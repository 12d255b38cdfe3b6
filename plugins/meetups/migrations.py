"""Schema of the meetups plugin: the sheets; who signed up lives in the core's roster ("meetup:<id>")."""

from __future__ import annotations

from bot.storage import Migrations

migrations = Migrations("meetups")

migrations.step(
    1,
    """
    CREATE TABLE meetups_meetups (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        creator TEXT,               -- NULL once the creator asked to be forgotten
        room_id TEXT NOT NULL,      -- where it was opened: the reminder goes there
        starts_at INTEGER,          -- unix seconds, NULL when no time was given
        cap INTEGER,                -- NULL: no limit
        created_at INTEGER NOT NULL,
        cancelled_at INTEGER,
        reminded_at INTEGER         -- set in the same transaction as the reminder: exactly once
    );
    CREATE INDEX meetups_meetups_creator ON meetups_meetups (creator);
    CREATE INDEX meetups_meetups_due ON meetups_meetups (reminded_at, starts_at);
    """,
)
