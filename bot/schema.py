"""The core's own tables: seen events, sync state, outbox, settings, direct chats, rosters."""

from __future__ import annotations

import secrets

from .storage import Migrations, Tx

core_migrations = Migrations("core")

core_migrations.step(
    1,
    """
    CREATE TABLE core_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE core_seen (event_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
    CREATE INDEX core_seen_at ON core_seen (seen_at);
    CREATE TABLE core_rooms (room_id TEXT PRIMARY KEY, joined_at INTEGER NOT NULL);
    CREATE TABLE core_outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        room_id TEXT,
        user_id TEXT,
        payload TEXT,
        blob BLOB,
        tag TEXT,
        state TEXT NOT NULL DEFAULT 'pending',
        event_id TEXT,
        created_at INTEGER NOT NULL DEFAULT (unixepoch())
    );
    CREATE INDEX core_outbox_pending ON core_outbox (state, id);
    CREATE INDEX core_outbox_event ON core_outbox (event_id);
    CREATE INDEX core_outbox_tag ON core_outbox (tag);
    CREATE TABLE core_user_settings (user_id TEXT PRIMARY KEY, lang TEXT, tz TEXT);
    CREATE TABLE core_room_settings (room_id TEXT PRIMARY KEY, lang TEXT);
    CREATE TABLE core_direct_rooms (user_id TEXT PRIMARY KEY, room_id TEXT NOT NULL);
    CREATE TABLE core_roster (
        roster TEXT NOT NULL,
        user_id TEXT NOT NULL,
        seated INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (roster, user_id)
    );
    CREATE INDEX core_roster_user ON core_roster (user_id);
    CREATE INDEX core_roster_order ON core_roster (roster, seated, seq);
    """,
)


@core_migrations.step(2)
async def _instance_nonce(tx: Tx) -> None:
    # Part of every Matrix transaction id: a recreated database never collides with an old one's ids.
    await tx.execute("INSERT INTO core_state (key, value) VALUES ('instance', ?)", (secrets.token_hex(4),))


core_migrations.step(
    3,
    """
    -- A message too long for one event is sent in parts; `Notices.edit` must find them all again.
    -- Only ids: `message` is the outbox row of its first part (the Ref `send` returns), `part` the outbox
    -- row of part `seq` (1, 2, …; the first part is the message itself). No row: a single-part message.
    CREATE TABLE core_message_parts (
        message INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        part INTEGER NOT NULL,
        PRIMARY KEY (message, seq)
    ) WITHOUT ROWID;
    -- The reply and thread a message was sent in, so that parts added by an edit join them too. Kept only
    -- for messages an edit may grow (tagged or in parts), not for every command reply. No row: neither.
    CREATE TABLE core_message_relations (
        message INTEGER PRIMARY KEY,
        reply_to TEXT,
        thread_root TEXT
    );
    """,
)

core_migrations.step(
    4,
    """
    -- Fewer pages written per command (each one goes to the WAL at every commit; a command's transaction
    -- wrote about 9, now about 4). The 'seen' marks lose their rowid and their index on seen_at: the daily
    -- prune reads the whole table instead, once a day, rather than every command paying for the index.
    CREATE TABLE core_seen_by_id (event_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO core_seen_by_id (event_id, seen_at) SELECT event_id, seen_at FROM core_seen;
    DROP TABLE core_seen;
    ALTER TABLE core_seen_by_id RENAME TO core_seen;
    -- The outbox's indexes hold only the rows they are asked about: pending ones, sent ones' event ids,
    -- tagged ones. A row no longer goes in and out of an index entry on every send.
    DROP INDEX core_outbox_pending;
    DROP INDEX core_outbox_event;
    DROP INDEX core_outbox_tag;
    CREATE INDEX core_outbox_pending ON core_outbox (id) WHERE state = 'pending';
    CREATE INDEX core_outbox_event ON core_outbox (event_id) WHERE event_id IS NOT NULL;
    CREATE INDEX core_outbox_tag ON core_outbox (tag) WHERE tag IS NOT NULL;
    """,
)

core_migrations.step(
    5,
    """
    -- The places a person holds (`Roster.rosters_of`, at every !join) straight from one index, in order:
    -- no table lookups, no sort.
    DROP INDEX core_roster_user;
    CREATE INDEX core_roster_user ON core_roster (user_id, roster);
    """,
)
