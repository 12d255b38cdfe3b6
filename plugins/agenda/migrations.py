"""Schema of the agenda plugin: the grid (slots × locations) and one booking per topic."""

from __future__ import annotations

from bot.storage import Migrations

migrations = Migrations("agenda")

migrations.step(
    1,
    """
    CREATE TABLE agenda_slots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        label TEXT,
        CHECK (ends_at > starts_at)
    );
    CREATE INDEX agenda_slots_start ON agenda_slots (starts_at);
    CREATE UNIQUE INDEX agenda_slots_label ON agenda_slots (label COLLATE NOCASE) WHERE label IS NOT NULL;
    CREATE TABLE agenda_locations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        cap INTEGER
    );
    CREATE UNIQUE INDEX agenda_locations_name ON agenda_locations (name COLLATE NOCASE);
    CREATE TABLE agenda_bookings (
        topic_id INTEGER PRIMARY KEY,
        slot_id INTEGER NOT NULL REFERENCES agenda_slots (id),
        location_id INTEGER NOT NULL REFERENCES agenda_locations (id),
        UNIQUE (slot_id, location_id)
    );
    -- Bumped on every booking change: the iCalendar SEQUENCE, so calendar apps take the newest.
    CREATE TABLE agenda_revisions (topic_id INTEGER PRIMARY KEY, revision INTEGER NOT NULL);
    """,
)
