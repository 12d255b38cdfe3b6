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
