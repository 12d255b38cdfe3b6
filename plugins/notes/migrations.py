"""Schema of the notes plugin: raw notes, reporters, digests and their approvals."""

from bot.storage import Migrations

migrations = Migrations("notes")

migrations.step(
    1,
    """
    CREATE TABLE notes_notes (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL,
        kind TEXT NOT NULL,        -- 'note' | 'expectation' | 'action'
        speaker TEXT NOT NULL,     -- whose words these are: their consent decides
        author TEXT NOT NULL,      -- who typed the command (rate limit, edits)
        owner TEXT,                -- an action item's owner
        text TEXT NOT NULL,
        event_id TEXT,             -- the command's message: an edit updates, a redaction deletes
        created_at INTEGER NOT NULL
    );
    CREATE INDEX notes_notes_session ON notes_notes (session_id, kind, id);
    CREATE INDEX notes_notes_event ON notes_notes (event_id);
    CREATE INDEX notes_notes_author ON notes_notes (author, created_at);
    CREATE TABLE notes_digests (
        session_id INTEGER PRIMARY KEY,
        state TEXT NOT NULL,       -- 'draft' | 'published' | 'rejected'
        title TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        location TEXT NOT NULL,
        participants INTEGER NOT NULL,
        proposer TEXT,
        room_id TEXT,
        reporter TEXT,
        edited TEXT,               -- a moderator's Markdown replacing the generated text
        shown TEXT,                -- the draft as the moderators last saw it (a change resets approvals)
        published TEXT,            -- the Markdown as published (corrected on consent withdrawal)
        published_notes TEXT,      -- JSON ids of the notes in it: a correction may drop, never add
        draft_ref INTEGER,         -- outbox rows of the draft (moderation room) and the publication
        published_ref INTEGER,
        reason TEXT,
        created_at INTEGER NOT NULL,
        published_at INTEGER,
        closed_at INTEGER          -- published or rejected: the raw notes age from here (retention)
    );
    CREATE TABLE notes_approvals (
        session_id INTEGER NOT NULL REFERENCES notes_digests (session_id) ON DELETE CASCADE,
        moderator TEXT NOT NULL,
        reaction_event_id TEXT,    -- a ✅ on the draft: redacting it takes the approval back
        PRIMARY KEY (session_id, moderator)
    );
    """,
)

migrations.step(
    2,
    """
    -- The names of people a note's text uses, as they were called when it was written: someone who
    -- renames themselves (badge or display name) later must stay hidden there when not quoted by name.
    -- Only names the text itself contains; they go with the note (deleted, purged) or the person (forget).
    CREATE TABLE notes_names (
        note_id INTEGER NOT NULL REFERENCES notes_notes (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (note_id, user_id, name)
    );
    CREATE INDEX notes_names_user ON notes_names (user_id);
    """,
)
