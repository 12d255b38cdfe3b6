"""Transactional outbox: actions are written with the handler's data, then sent once, in order.

The Matrix transaction id is derived from the row id (plus a per-database nonce), so a resend after a
crash is deduplicated by the homeserver.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import sqlite3
from collections import deque
from dataclasses import dataclass
from typing import Any

from .storage import Database, Tx
from .transport import RateLimited, Refused, RoomNotReady, RoomSpec, Transport, Unreachable

log = logging.getLogger(__name__)

# One encoder for every payload: json.dumps with options builds one per call. Compact, and no check for
# cycles (payloads are plain dicts that bot.notices builds): a third less time per message.
_PAYLOAD_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))
# Its C encoder, made once: encode() makes one at every call, a good part of a small payload's time (an edit,
# a reaction, a redaction; a reply's payload comes written of pieces bot.notices keeps, see `enqueue`).
_C_ENCODER = json.encoder.c_make_encoder and json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None, _PAYLOAD_JSON.default, json.encoder.encode_basestring, None,  # type: ignore[attr-defined]
    _PAYLOAD_JSON.key_separator, _PAYLOAD_JSON.item_separator, False, False, True,
)


def encode_json(value: Any) -> str:
    """How a payload is written (as _PAYLOAD_JSON.encode writes it)."""
    return "".join(_C_ENCODER(value, 0)) if _C_ENCODER else _PAYLOAD_JSON.encode(value)


ROOM_NOT_READY_ATTEMPTS = 15
UNEXPECTED_ATTEMPTS = 3
FLUSH_EVERY = 50
# Delivered rows an event's transaction marks at once (see `flush_due`): one statement for many.
MARK_BATCH = 16
IDLE_FLUSH_SECONDS = 1


@dataclass(frozen=True)
class Ref:
    """A queued action; its event id is known once sent (`Outbox.event_id_of`)."""

    row_id: int


class Outbox:
    def __init__(self, db: Database, transport: Transport, *, encrypted_dms: bool = False) -> None:
        self.db = db
        self.transport = transport
        self.encrypted_dms = encrypted_dms
        self._wake = asyncio.Event()
        self.idle = asyncio.Event()  # set while nothing is being sent or waits to be
        self.idle.set()
        self.ready = asyncio.Event()  # set once the first sync has loaded the rooms
        self._nonce = ""
        self.sent_count = 0
        # Rows committed since start, handed over in memory so a reply does not wait for a database read.
        self._fresh: deque[dict[str, Any]] = deque()
        self._last_id = 0  # rows are delivered strictly in id order; nothing at or below this is pending
        # Delivered rows not yet marked in the database (row id → state, event id, tag). Marking them in
        # batches saves a transaction per message, and a statement per message (`flush_due`); a crash
        # before the mark only resends them with the same transaction ids, which the homeserver
        # deduplicates.
        self._unflushed: dict[int, tuple[str, str | None, str | None]] = {}
        # Rows left pending from before a restart are read from the database until none is left; after
        # that every new row arrives through `_fresh`, so an empty queue needs no query.
        self._backlog = True

    async def start(self) -> None:
        async with self.db.transaction() as tx:
            self._nonce = await tx.fetchval("SELECT value FROM core_state WHERE key = 'instance'")

    # --- writing (inside the caller's transaction) ---

    async def enqueue(
        self,
        tx: Tx,
        kind: str,
        *,
        room_id: str | None = None,
        user_id: str | None = None,
        payload: dict[str, Any] | None = None,
        blob: bytes | None = None,
        tag: str | None = None,
        encoded: str | None = None,
    ) -> Ref:
        """Queue an action; `encoded` is `encode_json(payload)` when the caller has it already."""
        payload = payload or {}
        encoded = encoded or encode_json(payload)
        row_id = await tx.execute(
            "INSERT INTO core_outbox (kind, room_id, user_id, payload, blob, tag) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, room_id, user_id, encoded, blob, tag),
        )
        # Handed over with the payload as given, not decoded again from its JSON: the caller built it for
        # this message and lets go of it (every caller is in bot.notices).
        row = {"id": row_id, "kind": kind, "room_id": room_id, "user_id": user_id, "payload": encoded, "blob": blob,
               "tag": tag, "decoded": payload}
        tx.after_commit(lambda: self._handover(row))
        return Ref(row_id)

    def _handover(self, row: dict[str, Any]) -> None:
        self._fresh.append(row)
        self.idle.clear()
        self._wake.set()

    async def event_id_of(self, tx: Tx, ref: Ref) -> str | None:
        if ref.row_id in self._unflushed:
            return self._unflushed[ref.row_id][1]
        return await tx.fetchval("SELECT event_id FROM core_outbox WHERE id = ?", (ref.row_id,))

    async def room_of(self, tx: Tx, ref: Ref) -> str | None:
        return await tx.fetchval("SELECT room_id FROM core_outbox WHERE id = ?", (ref.row_id,))

    async def direct_user_of(self, tx: Tx, ref: Ref) -> str | None:
        """The person a direct message was queued for (None for anything sent to a room). Its room is not
        on the row: it is the person's direct chat, which sending the message opens if need be."""
        return await tx.fetchval("SELECT user_id FROM core_outbox WHERE id = ? AND kind = 'direct'", (ref.row_id,))

    async def tag_of(self, tx: Tx, ref: Ref) -> str | None:
        return await tx.fetchval("SELECT tag FROM core_outbox WHERE id = ?", (ref.row_id,))

    async def refs_tagged(self, tx: Tx, tag: str) -> list[Ref]:
        """Every queued or sent action with this tag (e.g. a topic's announcements, to redact them)."""
        rows = await tx.fetchall("SELECT id FROM core_outbox WHERE tag = ? ORDER BY id", (tag,))
        return [Ref(r["id"]) for r in rows]

    async def tag_of_event(self, tx: Tx, event_id: str) -> str | None:
        """Which queued action produced this event (e.g. 'topics.announce:12')."""
        for _state, sent_id, tag in self._unflushed.values():
            if sent_id == event_id:
                return tag
        return await tx.fetchval("SELECT tag FROM core_outbox WHERE event_id = ?", (event_id,))

    async def pending(self) -> int:
        """Rows not yet delivered (in the caller's transaction, if any)."""
        async with self.db.transaction() as tx:
            await self.flush()
            return await tx.fetchval("SELECT count(*) FROM core_outbox WHERE state = 'pending'", (), 0)

    def wake(self) -> None:
        self._wake.set()

    @property
    def has_fresh(self) -> bool:
        """Committed rows wait to be sent (the sync loop yields so that they leave at once)."""
        return bool(self._fresh)

    # --- sending ---

    async def run(self) -> None:
        """Drain the outbox forever, strictly in row order (so a room's messages keep their order)."""
        await self.ready.wait()
        delay = 0.5
        while True:
            try:
                await self._run_once()
            except sqlite3.Error as err:
                # The database refused a read or a mark (a full disk): nothing is lost (unmarked rows stay
                # in memory, a row not yet read stays pending); the outbox must outlive it.
                log.error("outbox: the database failed (%s); retrying in %.1f s", err, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30) * random.uniform(0.9, 1.1)
            else:
                delay = 0.5

    async def _run_once(self) -> None:
        row = await self._next()
        if row is None:
            self.idle.set()
            self._wake.clear()
            # Delivered rows are marked in batches by events' transactions (`flush_due`); after a
            # quiet second they are marked on their own.
            try:
                # asyncio.timeout, not wait_for: the wake-up reaches this task in one loop pass, so a
                # reply leaves as soon as the sync loop yields (wait_for hops through a helper task).
                async with asyncio.timeout(IDLE_FLUSH_SECONDS if self._unflushed else 5):
                    await self._wake.wait()
            except TimeoutError:
                await self.flush()
            return
        await self._deliver_with_retries(row)

    async def drain(self, *, flush: bool = True) -> None:
        """Send everything pending now (tests and shutdown); `flush=False` leaves the marks to the next
        transaction, as `run` does."""
        while (row := await self._next()) is not None:
            await self._deliver_with_retries(row)
        if flush:
            await self.flush()

    async def _next(self) -> Any:
        """The oldest pending row: from the database first (left from before a restart), then in memory."""
        while self._fresh and self._fresh[0]["id"] <= self._last_id:
            self._fresh.popleft()
        if self._fresh and self._fresh[0]["id"] == self._last_id + 1:
            return self._fresh.popleft()
        if not self._fresh and not self._backlog:
            return None
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM core_outbox WHERE state = 'pending' AND id > ? ORDER BY id LIMIT 1", (self._last_id,)
            )
        if row is None:
            self._backlog = False
            return None
        return dict(row)

    async def _deliver_with_retries(self, row: Any) -> None:
        self._last_id = row["id"]
        attempts = 0
        delay = 0.5
        while True:
            try:
                event_id = await self._deliver(row)
            except RateLimited as err:
                log.info("outbox: rate limited, waiting %d ms", err.retry_after_ms)
                await asyncio.sleep(err.retry_after_ms / 1000)
                continue
            except (Unreachable, sqlite3.Error) as err:
                # Either passes (the homeserver comes back, the disk gets space): wait, never give up.
                what = "homeserver unreachable" if isinstance(err, Unreachable) else "the database failed"
                log.warning("outbox: %s (%s); retrying in %.1f s", what, err, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30) * random.uniform(0.9, 1.1)
                continue
            except RoomNotReady:
                attempts += 1
                if attempts < ROOM_NOT_READY_ATTEMPTS:
                    await asyncio.sleep(min(0.2 * attempts, 2))
                    continue
                await self._finish(row, "failed", None)
                log.error("outbox: row %d (%s) gave up: room %s never became ready", row["id"], row["kind"], row["room_id"])
                return
            except Refused as err:
                await self._finish(row, "failed", None)
                log.warning("outbox: row %d (%s) refused by the homeserver: %s", row["id"], row["kind"], err)
                return
            except Exception:
                # A failure nobody foresaw (a library's error, a bug): the outbox must live on, or nothing
                # would be sent until a restart. Retry a few times, then give the row up and go on.
                attempts += 1
                log.exception("outbox: row %d (%s) failed unexpectedly (attempt %d)", row["id"], row["kind"], attempts)
                if attempts < UNEXPECTED_ATTEMPTS:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30)
                    continue
                await self._finish(row, "failed", None)
                return
            await self._finish(row, "sent", event_id)
            self.sent_count += 1
            return

    async def _finish(self, row: Any, state: str, event_id: str | None) -> None:
        self._unflushed[row["id"]] = (state, event_id, row["tag"])
        if len(self._unflushed) >= FLUSH_EVERY:
            await self.flush()

    async def flush(self) -> None:
        """Mark delivered rows; store the minimum: once sent, the content is on the homeserver.

        Inside a transaction (an event's) the marks join it and count as written once it commits."""
        if not self._unflushed:
            return
        done = dict(self._unflushed)  # more may be delivered while this transaction runs
        async with self.db.transaction() as tx:
            await tx.executemany(
                "UPDATE core_outbox SET state = ?, event_id = ?, payload = NULL, blob = NULL WHERE id = ?",
                [(state, event_id, row_id) for row_id, (state, event_id, _tag) in done.items()],
            )
            tx.after_commit(lambda: self._forget_marked(done))

    async def flush_due(self) -> None:
        """`flush` once `MARK_BATCH` delivered rows wait (in an event's transaction, whose commit they
        ride). Fewer wait at most until the outbox has been idle a second (`run`): a crash before the mark
        resends them with their transaction ids, which the homeserver deduplicates."""
        if len(self._unflushed) >= MARK_BATCH:
            await self.flush()

    def _forget_marked(self, done: dict[int, tuple[str, str | None, str | None]]) -> None:
        for row_id, mark in done.items():
            if self._unflushed.get(row_id) == mark:
                del self._unflushed[row_id]

    def _tx_id(self, row_id: int) -> str:
        return f"fc{self._nonce}-{row_id}"

    async def _resolve_target(self, payload: dict[str, Any]) -> str | None:
        if payload.get("target"):
            return payload["target"]
        ref = payload.get("target_ref")
        if ref is None:
            return None
        async with self.db.transaction() as tx:
            return await self.event_id_of(tx, Ref(ref))

    async def _deliver(self, row: Any) -> str | None:
        kind = row["kind"]
        fresh = row.get("decoded") if isinstance(row, dict) else None  # a row read back is an sqlite3.Row
        payload = fresh or json.loads(row["payload"] or "{}")
        t = self.transport
        tx_id = self._tx_id(row["id"])
        room_id = row["room_id"]
        if kind == "direct":
            room_id = await self._direct_room(row["user_id"])
            if row["user_id"] not in t.room_members(room_id):
                # A chat just opened: until a sync shows the invite, an encrypted message would be
                # encrypted for the bot alone and the person could never read it.
                raise RoomNotReady(f"{room_id} does not show its invite yet")
            kind = "message"
        elif room_id is None and row["user_id"]:
            # An edit or redaction of a direct message, queued maybe before the chat existed: the message,
            # sent before it (rows go in order), opened it. If it could not, there is nothing to act on.
            room_id = await self._direct_room(row["user_id"], open_if_none=False)
            if room_id is None:
                raise Refused(f"no direct chat with {row['user_id']}: the message was never sent")
        if kind == "message":
            return await t.send(room_id, payload.get("type", "m.room.message"), payload["content"], tx_id)
        if kind in ("reaction", "edit"):
            target = await self._resolve_target(payload)
            if target is None:
                raise Refused("the message to react to or edit was never sent")
            if kind == "reaction":
                content = {
                    "m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": payload["key"]},
                    "m.mentions": {},  # on every event the bot sends
                }
                return await t.send(room_id, "m.reaction", content, tx_id)
            new = payload["content"]
            content = {
                **{k: v for k, v in new.items() if k != "m.relates_to"},
                "body": "* " + new["body"],
                "m.new_content": new,
                "m.relates_to": {"rel_type": "m.replace", "event_id": target},
            }
            if "formatted_body" in new:
                content["formatted_body"] = "* " + new["formatted_body"]
            return await t.send(room_id, "m.room.message", content, tx_id)
        if kind == "redact":
            target = await self._resolve_target(payload)
            if target is None:
                return None
            return await t.redact(room_id, target, payload.get("reason"), tx_id)
        if kind == "file":
            uri = await t.upload(bytes(row["blob"]), payload["mimetype"], payload["filename"])
            content = dict(payload["content"], url=uri)
            content.setdefault("info", {})["size"] = len(row["blob"])
            return await t.send(room_id, "m.room.message", content, tx_id)
        if kind == "invite":
            try:
                await t.invite(room_id, row["user_id"])
            except Refused as err:
                if "already" not in str(err).lower():
                    raise
            return None
        if kind == "kick":
            await t.kick(room_id, row["user_id"], payload.get("reason"))
            return None
        if kind == "state":
            return await t.put_state(room_id, payload["type"], payload["content"], payload.get("state_key", ""))
        raise Refused(f"unknown outbox kind {kind!r}")

    async def _direct_room(self, user_id: str, *, open_if_none: bool = True) -> str | None:
        async with self.db.transaction() as tx:
            room_id = await tx.fetchval("SELECT room_id FROM core_direct_rooms WHERE user_id = ?", (user_id,))
        if room_id or not open_if_none:
            return room_id
        room_id = await self.transport.create_room(
            RoomSpec(invite=(user_id,), is_direct=True, private=True, encrypted=self.encrypted_dms)
        )
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT OR REPLACE INTO core_direct_rooms (user_id, room_id) VALUES (?, ?)", (user_id, room_id)
            )
        return room_id
