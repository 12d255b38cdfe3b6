"""Schema of the badges plugin: profiles, consent (default and per session) and its history."""

from bot.storage import Migrations

migrations = Migrations("badges")

migrations.step(
    1,
    """
    CREATE TABLE badges_profiles (
        user_id TEXT PRIMARY KEY,
        name TEXT,
        pronouns TEXT,
        photo INTEGER,            -- 1 yes, 0 no, NULL not said
        approach TEXT             -- 'green' | 'yellow' | 'red' | NULL
    );
    CREATE TABLE badges_default_consents (
        user_id TEXT PRIMARY KEY,
        choice TEXT NOT NULL,     -- 'attributed' | 'anonymous' | 'none'
        changed_at INTEGER NOT NULL
    );
    CREATE TABLE badges_session_consents (
        user_id TEXT NOT NULL,
        session_id INTEGER NOT NULL,
        choice TEXT NOT NULL,
        reaction_event_id TEXT,   -- the reaction that set it: redacting it returns to the default
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, session_id)
    );
    CREATE INDEX badges_session_consents_reaction ON badges_session_consents (reaction_event_id);
    CREATE TABLE badges_consent_history (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        session_id INTEGER,       -- NULL: the person's default
        choice TEXT,              -- NULL: a per-session answer removed (back to the default)
        changed_at INTEGER NOT NULL
    );
    CREATE INDEX badges_consent_history_user ON badges_consent_history (user_id, session_id, changed_at);
    CREATE TABLE badges_closed_sessions (
        session_id INTEGER PRIMARY KEY,  -- its digest was published or rejected: consent ages from here
        closed_at INTEGER NOT NULL
    );
    """,
)

migrations.step(
    2,
    """
    -- Which command message set each value (`!me name …`, `!consent …`): redacting that message takes
    -- the value back, unless a later command replaced it (its own row then). A removed default consent
    -- is written to badges_consent_history with choice NULL (back to "none").
    CREATE TABLE badges_sources (
        user_id TEXT NOT NULL,
        field TEXT NOT NULL,      -- 'name' | 'pronouns' | 'photo' | 'approach' | 'lang' | 'tz' | 'consent'
        event_id TEXT NOT NULL,
        PRIMARY KEY (user_id, field)
    );
    CREATE INDEX badges_sources_event ON badges_sources (event_id);
    """,
)
