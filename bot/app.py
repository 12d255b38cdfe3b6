"""Wire the core together and run it: plugins, the event pipeline (exactly once) and the sync loop."""

from __future__ import annotations

import asyncio
import ctypes
import gc
import importlib
import logging
import pkgutil
import sqlite3
import time
from collections.abc import Iterable
from typing import Any

from nio import InviteMemberEvent, RoomMemberEvent, SyncError, SyncResponse

from . import config as config_mod
from .builtin import Builtin
from .clock import Clock
from .commands import CommandFailed, Context, Router
from .config import Config
from .errors import UserError
from .events import Incoming, Message, Undecryptable, normalise, server_of
from .i18n import Catalogue, T
from .notices import Notices
from .outbox import Outbox
from .people import People
from .plugin import Bus, Core, Plugin
from .preferences import Preferences
from .roles import Roles
from .roster import Roster
from .scheduler import Scheduler
from .schema import core_migrations
from .storage import Database, Tx, in_chunks
from .transport import Refused, Transport, TransportError, Unreachable

log = logging.getLogger("flipchart")

REPLIES_BEFORE_SYNC_SECONDS = 0.5
SEEN_RETENTION_MS = 30 * 24 * 3600 * 1000
MAX_BACKFILL_PAGES = 20  # 2,000 events: a long outage in a busy room


def release_memory() -> None:
    """After start-up (imports, the full first sync) give freed heap back to the system: glibc keeps it
    otherwise, and a small server hosting the bot sees it as used. What is left lives as long as the
    process (modules, classes, configuration): frozen, the cycle collector no longer walks it at every
    full collection (in bench/inprocess.py such a pass took 2 % of the time, 110 ms at once)."""
    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (musl, macOS): nothing to trim


def plugin_names() -> list[str]:
    """The packages in plugins/ (each package's name is its plugin's name), found without importing them."""
    import plugins

    return sorted(info.name for info in pkgutil.iter_modules(plugins.__path__) if info.ispkg)


def load_plugin(name: str) -> type[Plugin]:
    module = importlib.import_module(f"plugins.{name}")
    cls = getattr(module, "PLUGIN", None)
    if cls is None or cls.name != name:
        raise config_mod.ConfigError(f"plugins/{name} does not export PLUGIN with name = {name!r}")
    return cls


def discover_plugins(enabled: Iterable[str] = ()) -> dict[str, type[Plugin]]:
    """The enabled plugins (all when none are named), imported; 'core' is the always-on builtin."""
    names = [n for n in (enabled or plugin_names()) if n != "core"]
    return {name: load_plugin(name) for name in names}


def load_config(path: str) -> Config:
    """Load the file, letting each plugin's section through to its own schema check."""
    names = plugin_names()
    extras = {section for cls in discover_plugins().values() for section in cls.extra_sections}
    cfg = config_mod.load(path, set(names) | extras)
    enabled = cfg.core.plugins.enabled
    unknown = [n for n in enabled if n not in names and n != "core"]
    if unknown:
        raise config_mod.ConfigError(
            f"{cfg.path}: `plugins.enabled` names {unknown[0]!r}, which does not exist. "
            f"Available: {', '.join(['core', *names])}."
        )
    for cls in discover_plugins(enabled).values():
        for section, schema in {cls.name: cls.Config, **cls.extra_sections}.items():
            config_mod.load_section(schema, cfg.plugin_sections.get(section, {}), section, cfg.path)
    return cfg


def _order(classes: dict[str, type[Plugin]], enabled: Iterable[str]) -> list[type[Plugin]]:
    """Plugins with their requirements first; a missing requirement is a config error."""
    ordered: list[type[Plugin]] = []
    seen: set[str] = set()

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name not in classes:
            raise config_mod.ConfigError(f"plugin {chain[-1]!r} needs {name!r}, which is not available")
        if name in chain:
            raise config_mod.ConfigError(f"plugins depend on each other in a circle: {' → '.join(chain)}")
        for dep in classes[name].requires:
            visit(dep, (*chain, name))
        seen.add(name)
        ordered.append(classes[name])

    for name in enabled:
        visit(name, ())
    return ordered


class Bot:
    """One running Flipchart: core services, plugins, the exactly-once pipeline."""

    def __init__(
        self,
        config: Config,
        transport: Transport,
        *,
        clock: Clock | None = None,
        plugin_classes: dict[str, type[Plugin]] | None = None,
    ) -> None:
        self.config = config
        self.transport = transport
        core_cfg = config.core
        db_path = config.data_dir / "flipchart.db" if str(config.data_dir) != ":memory:" else ":memory:"
        self.db = Database(db_path)
        self.catalogue = Catalogue()
        self.preferences = Preferences(core_cfg.bot.language, config.tz)
        self.roles = Roles(core_cfg.roles)
        self.outbox = Outbox(self.db, transport, encrypted_dms=core_cfg.matrix.encryption)
        self.scheduler = Scheduler()
        self.core = Core(
            config=config,
            db=self.db,
            transport=transport,
            outbox=self.outbox,
            notices=Notices(self.catalogue, self.outbox, self.preferences),
            catalogue=self.catalogue,
            preferences=self.preferences,
            roles=self.roles,
            roster=Roster(self.db),
            people=People(transport),
            scheduler=self.scheduler,
            clock=clock or Clock(),
            bus=Bus(),
            plugins={},
            rooms={},
        )
        self.router = Router(self.core)
        classes = plugin_classes if plugin_classes is not None else discover_plugins(core_cfg.plugins.enabled)
        enabled = sorted(classes)
        self.builtin = Builtin(self.core, None, logging.getLogger("flipchart.core"))
        self.builtin.router = self.router
        self.plugins: list[Plugin] = [self.builtin]
        for cls in _order(classes, enabled):
            section = config.plugin_sections.get(cls.name, {})
            plugin_config = config_mod.load_section(cls.Config, section, cls.name, config.path)
            self.plugins.append(cls(self.core, plugin_config, logging.getLogger(f"flipchart.{cls.name}")))
        self.listeners: dict[type, list[Any]] = {}
        for plugin in self.plugins:
            self.core.plugins[plugin.name] = plugin
            self.catalogue.add(plugin.name, plugin.messages)
            self.router.include(plugin)
            for kind, listener in plugin.listeners():
                self.listeners.setdefault(kind, []).append(listener)
            for name, subscriber in plugin.subscriptions():
                self.core.bus.subscribe(name, subscriber)
        self._known_rooms: set[str] = set()
        self._pending_joins: dict[str, int] = {}
        self._told_undecryptable: set[tuple[str, str]] = set()
        self._stopping = asyncio.Event()

    # --- start-up ---

    async def open(self) -> None:
        """Open the database and bring every schema to the newest version."""
        await self.db.open()
        await core_migrations.apply(self.db)
        for plugin in self.plugins:
            if plugin.migrations is not None:
                await plugin.migrations.apply(self.db)
        await self.db.start_watching()  # the read caches' tables (bot.memo) exist now
        await self.outbox.start()
        rows = await self.db.read("SELECT room_id FROM core_rooms")
        self._known_rooms = {r["room_id"] for r in rows}

    async def start_plugins(self) -> None:
        for plugin in self.plugins:
            await plugin.start()
        self.scheduler.every("core.prune_seen", 24 * 3600, self.prune_seen)
        self.scheduler.start()

    async def close(self) -> None:
        """Stop the plugins (each bounded in time), then always close the database: its worker thread
        would otherwise keep the process alive after a cancelled shutdown."""
        self.scheduler.shutdown()
        try:
            for plugin in reversed(self.plugins):
                try:
                    await asyncio.wait_for(plugin.stop(), 5)
                except Exception:
                    log.exception("plugin %s failed to stop", plugin.name)
        finally:
            try:
                await self.outbox.flush()  # what was delivered must not be sent again by the next start
            finally:
                await self.db.close()
            log.info("stopped")

    async def join_configured_rooms(self) -> None:
        """Join the [rooms] of the config and remember their ids (aliases resolved)."""
        for name in ("lobby", "announcements", "moderation", "safety"):
            ref = getattr(self.config.core.rooms, name)
            if not ref:
                continue
            self._pending_joins.setdefault(ref, int(time.time() * 1000))
            try:
                room_id = await self.transport.join(ref)
            except Refused as err:
                log.error("cannot join the %s room %s: %s", name, ref, err)
                continue
            self._pending_joins.setdefault(room_id, int(time.time() * 1000))
            self.core.rooms[name] = room_id
        moderation = self.core.rooms.get("moderation")
        if moderation:
            self.roles.power_level = lambda user: self.transport.power_level(moderation, user)

    async def prune_seen(self) -> None:
        cutoff = int(time.time() * 1000) - SEEN_RETENTION_MS
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM core_seen WHERE seen_at < ?", (cutoff,))

    # --- the pipeline: one event, one transaction ---

    def _serves(self, event: Incoming) -> bool:
        if event.sender == self.transport.user_id:
            return False  # never act on our own messages
        allowed = self.config.core.bot.allowed_servers
        return not allowed or server_of(event.sender) in allowed

    async def process(self, event: Incoming) -> None:
        """Handle one event exactly once: its 'seen' mark, the handler's writes and its replies commit together."""
        if not self._serves(event):
            return
        try:
            await self._process(event)
        except CommandFailed as failure:
            # The handler's writes are gone; the "seen" mark and the refusal commit together instead.
            async with self.db.transaction() as tx:
                await self.outbox.flush_due()  # the marks rolled back with the handler's writes
                if await self._mark_seen(tx, event):
                    await self.core.notices.send(
                        tx, event.room_id, failure.texts, lang=failure.lang,
                        reply_to=event.event_id, thread_root=getattr(event, "thread_root", None),
                    )

    async def _mark_seen(self, tx: Tx, event: Incoming) -> bool:
        """False when this event was handled before (a redelivery after a restart)."""
        # Rows written, not execute()'s row id: core_seen has no rowid (a fresh connection reports 0).
        written = await tx.changed(
            "INSERT OR IGNORE INTO core_seen (event_id, seen_at) VALUES (?, ?)", (event.event_id, event.timestamp_ms)
        )
        return written > 0

    async def _process(self, event: Incoming) -> None:
        async with self.db.transaction() as tx:
            await self.outbox.flush_due()  # delivered replies' marks ride along: no transaction of their own
            if not await self._mark_seen(tx, event):
                return
            if isinstance(event, Message):
                await self.router.dispatch(tx, event)
                return
            if isinstance(event, Undecryptable):
                key = (event.sender, event.session_id)
                if key not in self._told_undecryptable:
                    self._told_undecryptable.add(key)
                    lang = await self.preferences.language(tx, event.sender, event.room_id)
                    await self.core.notices.send(tx, event.room_id, T("core.undecryptable"), lang=lang,
                                                 mentions=[event.sender], reply_to=event.event_id)
                return
            for listener in self.listeners.get(type(event), []):
                ctx = Context(
                    core=self.core,
                    tx=tx,
                    event=event,
                    lang=await self.preferences.language(tx, event.sender, event.room_id),
                    roles=self.roles.of(event.sender),
                    is_direct=self.transport.joined_count(event.room_id) <= 2,
                )
                try:
                    async with tx.savepoint():
                        await listener(ctx, event)
                except UserError as err:
                    await self.core.notices.send(tx, event.room_id, err.text, lang=ctx.lang, mentions=[event.sender])
                except Exception:
                    log.exception("listener %s failed on a %s", getattr(listener, "__qualname__", listener), type(event).__name__)

    # --- the sync loop ---

    async def handle_sync(self, resp: SyncResponse, *, first_ever: bool) -> None:
        """Process one sync batch. The caller saves the token only after this returns."""
        own = self.transport.user_id
        for room_id, info in resp.rooms.join.items():
            events = list(info.timeline.events)
            if room_id in self._known_rooms and info.timeline.limited and info.timeline.prev_batch:
                # More happened than one sync carries (a busy room while the bot was down): fetch the rest.
                events = await self._missed(room_id, info.timeline.prev_batch) + events
            if room_id not in self._known_rooms:
                events = self._after_own_join(room_id, events, first_ever)
                async with self.db.transaction() as tx:
                    await tx.execute(
                        "INSERT OR IGNORE INTO core_rooms (room_id, joined_at) VALUES (?, ?)",
                        (room_id, int(time.time() * 1000)),
                    )
                self._known_rooms.add(room_id)
            for event in events:
                await self._handle_event(room_id, event)
        for room_id in resp.rooms.leave:
            if room_id in self._known_rooms:
                self._known_rooms.discard(room_id)
                async with self.db.transaction() as tx:
                    await tx.execute("DELETE FROM core_rooms WHERE room_id = ?", (room_id,))
        for room_id, info in resp.rooms.invite.items():
            await self._answer_invite(room_id, info.invite_state, own)

    async def _handle_event(self, room_id: str, event: Any) -> None:
        try:
            incoming = normalise(room_id, event)
            if incoming is None:
                return
            await self.process(incoming)
        except (TimeoutError, Unreachable, OSError, sqlite3.Error):
            raise  # the homeserver or the disk: the whole batch is fetched and handled again
        except Exception:
            # One event nobody foresaw must not stop the others, nor, on every restart, the bot itself
            # (its batch would come back each time). The id only: the log never holds message text.
            log.exception("event %s in %s could not be handled; skipped", getattr(event, "event_id", "?"), room_id)
            return
        if self.outbox.has_fresh:
            # Let the outbox put the reply on the wire before the rest of the batch, the token and the
            # next sync: the person waits for this reply, not for those.
            await asyncio.sleep(0)

    async def _missed(self, room_id: str, token: str) -> list[Any]:
        """Events before a gappy timeline, back to the first one already handled (oldest first)."""
        missed: list[Any] = []
        for _ in range(MAX_BACKFILL_PAGES):
            page, token = await self.transport.messages_before(room_id, token)  # type: ignore[attr-defined]
            ids = [e.event_id for e in page if getattr(e, "event_id", None)]
            seen: set[str] = set()
            for chunk, marks in in_chunks(ids):
                rows = await self.db.read(f"SELECT event_id FROM core_seen WHERE event_id IN ({marks})", chunk)
                seen.update(r["event_id"] for r in rows)
            for event in page:  # newest first
                if getattr(event, "event_id", None) in seen:
                    return list(reversed(missed))
                missed.append(event)
            if not page or token is None:
                break
        log.warning("backfill of %s stopped after %d events without reaching handled ones", room_id, len(missed))
        return list(reversed(missed))

    def _after_own_join(self, room_id: str, events: list[Any], first_ever: bool) -> list[Any]:
        """A room new to us: only what happened after we joined counts (no answers to old history)."""
        if first_ever:
            return []
        own = self.transport.user_id
        for i in range(len(events) - 1, -1, -1):
            e = events[i]
            if isinstance(e, RoomMemberEvent) and e.state_key == own and e.membership == "join":
                return events[i + 1 :]
        joined_at = self._pending_joins.get(room_id)
        if joined_at is None:
            return []
        return [e for e in events if getattr(e, "server_timestamp", 0) >= joined_at]

    async def _answer_invite(self, room_id: str, invite_state: list[Any], own: str) -> None:
        inviter, is_direct = None, False
        for event in invite_state:
            if isinstance(event, InviteMemberEvent) and event.state_key == own and event.membership == "invite":
                inviter = event.sender
                is_direct = bool(event.content.get("is_direct"))
        if inviter is None:
            return
        allowed = self.config.core.bot.allowed_servers
        if allowed and server_of(inviter) not in allowed:
            log.info("declining an invite from a server not allowed (%s)", server_of(inviter))
            try:
                await self.transport.leave(room_id)
            except Refused:
                pass
            return
        self._pending_joins[room_id] = int(time.time() * 1000)
        try:
            await self.transport.join(room_id)
        except Refused as err:
            log.warning("could not accept an invite: %s", err)
            return
        if is_direct:
            async with self.db.transaction() as tx:
                await tx.execute(
                    "INSERT OR IGNORE INTO core_direct_rooms (user_id, room_id) VALUES (?, ?)", (inviter, room_id)
                )

    async def load_token(self) -> str | None:
        async with self.db.transaction() as tx:
            return await tx.fetchval("SELECT value FROM core_state WHERE key = 'sync_token'")

    async def save_token(self, token: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO core_state (key, value) VALUES ('sync_token', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (token,),
            )

    def stop(self) -> None:
        self._stopping.set()

    async def _let_replies_leave(self) -> None:
        """Wait (briefly) for this batch's replies to be sent before the next sync: the homeserver then
        handles one request of ours at a time, so the replies people wait for are not slowed by our
        own long poll."""
        try:
            async with asyncio.timeout(REPLIES_BEFORE_SYNC_SECONDS):
                await self.outbox.idle.wait()
        except TimeoutError:
            pass

    async def run(self) -> None:
        """The production loop: login, join, sync forever with backoff, outbox alongside."""
        from .client import LoginFailed, NioTransport, backoff_sleep

        transport = self.transport
        assert isinstance(transport, NioTransport)
        matrix = self.config.core.matrix
        await self.open()
        attempt = 0
        while True:
            try:
                await transport.login(matrix.password, matrix.access_token)
                await self.join_configured_rooms()
                break
            except (TimeoutError, Unreachable, OSError) as err:
                log.warning("homeserver not reachable at start (%s); retrying", err)
                await backoff_sleep(attempt)
                attempt += 1
        await self.start_plugins()
        outbox_task = asyncio.create_task(self.outbox.run(), name="outbox")
        token = await self.load_token()
        first = True
        attempt = 0
        storage_failures = 0  # batches the database refused since it last worked
        stop_wait = asyncio.create_task(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                if not first:
                    await self._let_replies_leave()
                sync_task = asyncio.create_task(transport.sync(token, full_state=first, timeout_ms=0 if first else 30000))
                done, _ = await asyncio.wait({sync_task, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
                if sync_task not in done:
                    sync_task.cancel()
                    break
                try:
                    resp = sync_task.result()
                except (TimeoutError, OSError, TransportError) as err:
                    log.warning("sync failed (%r); backing off", err)
                    await backoff_sleep(attempt)
                    attempt += 1
                    continue
                except Exception as err:  # aiohttp errors and friends
                    log.warning("sync failed (%r); backing off", err)
                    await backoff_sleep(attempt)
                    attempt += 1
                    continue
                if isinstance(resp, SyncError):
                    if getattr(resp, "status_code", "") == "M_UNKNOWN_TOKEN":
                        log.warning("access token refused; logging in again")
                        try:
                            await transport.relogin(matrix.password)
                        except LoginFailed:
                            log.error("cannot log in again; stopping")
                            raise
                        continue
                    log.warning("sync error %s; backing off", getattr(resp, "status_code", resp))
                    await backoff_sleep(attempt)
                    attempt += 1
                    continue
                try:
                    await self.handle_sync(resp, first_ever=token is None)
                    await self.save_token(resp.next_batch)
                except (TimeoutError, Unreachable, OSError) as err:
                    log.warning("batch interrupted (%r); it will be fetched again", err)
                    await backoff_sleep(attempt)
                    attempt += 1
                    continue
                except sqlite3.Error as err:
                    # A full disk, say: what committed stays (each event's 'seen' mark with its replies),
                    # the rest of the batch comes again. Waiting beats exiting: a supervisor restarting
                    # the bot at once would only fail the same way, and give up after a few tries.
                    storage_failures += 1
                    log.error("the database refused a write (%s); the batch will be handled again", err)
                    await backoff_sleep(attempt)
                    attempt += 1
                    continue
                if storage_failures:
                    log.warning("the database works again after %d failed attempts", storage_failures)
                    storage_failures = 0
                token = resp.next_batch
                if first:
                    release_memory()
                    log.info("ready: first sync done, %d rooms", len(resp.rooms.join))
                first = False
                attempt = 0
                self.builtin.last_sync = time.monotonic()
                self.outbox.ready.set()
                self.outbox.wake()
                try:
                    await transport.e2e_duties()
                except Exception as err:
                    log.warning("key maintenance failed (%r); will retry next pass", err)
        finally:
            stop_wait.cancel()
            outbox_task.cancel()
            await asyncio.gather(outbox_task, return_exceptions=True)
            await self.close()
            await transport.close()
