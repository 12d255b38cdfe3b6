"""Schema of the topics plugin: topics and one vote row per (topic, voter)."""

from __future__ import annotations

from bot.storage import Migrations

migrations = Migrations("topics")

migrations.step(
    1,
    """
    CREATE TABLE topics_topics (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        proposer TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'proposed'
            CHECK (state IN ('proposed', 'scheduled', 'merged', 'withdrawn')),
        merged_into INTEGER REFERENCES topics_topics (id)
    );
    CREATE INDEX topics_topics_proposer ON topics_topics (proposer, state);
    CREATE TABLE topics_votes (
        topic_id INTEGER NOT NULL REFERENCES topics_topics (id),
        voter TEXT NOT NULL,
        reaction_event_id TEXT,
        PRIMARY KEY (topic_id, voter)
    );
    CREATE INDEX topics_votes_voter ON topics_votes (voter);
    CREATE UNIQUE INDEX topics_votes_reaction ON topics_votes (reaction_event_id)
        WHERE reaction_event_id IS NOT NULL;
    """,
)

# The message a topic came from: redacting it removes the topic's words (privacy: redactions honoured).
migrations.step(
    2,
    """
    ALTER TABLE topics_topics ADD COLUMN source_event_id TEXT;
    CREATE INDEX topics_topics_source ON topics_topics (source_event_id) WHERE source_event_id IS NOT NULL;
    """,
)
