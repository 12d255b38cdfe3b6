"""Schema of the safety plugin: only what is needed to relay answers; never the report text."""

from __future__ import annotations

from bot.storage import Migrations

migrations = Migrations("safety")

migrations.step(
    1,
    """
    CREATE TABLE safety_reports (
        number INTEGER PRIMARY KEY,
        reporter TEXT,             -- NULL once closed or forgotten: nobody can be traced any more
        reply_room TEXT,           -- the direct chat the report came from (where answers go); NULL once closed
        named INTEGER NOT NULL,    -- 1 when the reporter chose --named
        created_at INTEGER NOT NULL,  -- unix seconds
        closed_at INTEGER
    );
    CREATE INDEX safety_reports_reporter ON safety_reports (reporter, created_at);
    """,
)

# The reporter's message: when they delete (redact) it, the copy in the safety room goes too.
migrations.step(
    2,
    """
    ALTER TABLE safety_reports ADD COLUMN source_event_id TEXT;
    CREATE INDEX safety_reports_source ON safety_reports (source_event_id) WHERE source_event_id IS NOT NULL;
    """,
)
