"""Session rooms and the event's space, created outside any transaction by one worker task.

Handlers only write a row into sessions_room_queue; this worker creates the rooms one by one, waiting out
rate limits (homeservers throttle room creation), then records each room id in a transaction that also
queues the invitations. A crash between creating and recording can leave one orphan room; it never
loses a session's room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.events import server_of
from bot.transport import RateLimited, Refused, RoomNotReady, RoomSpec, Unreachable

from . import listing

if TYPE_CHECKING:
    from . import Sessions

log = logging.getLogger("flipchart.sessions.rooms")

R = TypeVar("R")
IDLE_RECHECK_S = 30  # the queue is also re-read this often, in case a wake-up was missed
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 60.0


class RoomWorker:
    def __init__(self, plugin: Sessions) -> None:
        self.plugin = plugin
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()  # one creator at a time: the task, or drain() in tests
        self._task: asyncio.Task[None] | None = None
        self._no_space = False  # the space could not be made or joined: rooms go without one

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="sessions.rooms")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                worked = await self.step()
            except Exception:
                log.exception("session room worker failed; retrying")
                worked = False
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=IDLE_RECHECK_S)

    async def drain(self) -> None:
        """Create every queued room now (tests, benchmarks)."""
        while await self.step():
            pass

    async def step(self) -> bool:
        """Ensure the space, then create the next queued room; False when the queue is empty."""
        plugin = self.plugin
        if not plugin.config.create_rooms:
            return False
        async with self._lock:
            space = await self.space()
            async with plugin.db.transaction() as tx:
                job = await plugin.store.next_room_job(tx)
                if job is None:
                    return False
                info = await plugin.session(tx, job.topic_id)
                if info is None or info.room_id is not None:  # unscheduled meanwhile, or done
                    await plugin.store.unqueue_room(tx, job.topic_id)
                    return True
                spec = self._room_spec(info, space)
            room_id = await _patiently(
                f"create the room of session #{job.topic_id}",
                plugin.core.transport.create_room,
                spec,
            )
            async with plugin.db.transaction() as tx:
                await plugin.store.unqueue_room(tx, job.topic_id)
                if room_id is not None:
                    await plugin.room_created(tx, job.topic_id, room_id, space)
            return True

    async def space(self) -> str | None:
        """The event's space: the configured one (joined), or one the bot makes once and remembers."""
        plugin = self.plugin
        async with plugin.db.transaction() as tx:
            space = await plugin.store.meta(tx, "space")
        if space is not None or self._no_space:
            return space
        configured = plugin.core.config.core.event.space
        if configured:
            space = await _patiently(
                "join the event's space", plugin.core.transport.join, configured
            )
        else:
            space = await _patiently(
                "create the event's space", plugin.core.transport.create_room, self._space_spec()
            )
        if space is None:
            self._no_space = True
            return None
        async with plugin.db.transaction() as tx:
            await plugin.store.set_meta(tx, "space", space)
            await plugin.link_configured_rooms(tx, space)
        log.info("the event's space is %s", space)
        return space

    def _via(self) -> list[str]:
        return [server_of(self.plugin.core.transport.user_id)]

    def _space_spec(self) -> RoomSpec:
        core = self.plugin.core
        state: list[dict[str, Any]] = []
        lobby = core.room("lobby")
        if lobby:  # everyone in the lobby may join the space; others need an invite
            allow = [{"type": "m.room_membership", "room_id": lobby}]
            state.append(
                {
                    "type": "m.room.join_rules",
                    "state_key": "",
                    "content": {"join_rule": "restricted", "allow": allow},
                }
            )
        return RoomSpec(
            name=core.config.core.event.name,
            invite=tuple(core.config.core.roles.organizers),
            is_space=True,
            private=True,
            initial_state=tuple(state),
        )

    def _room_spec(self, info: Any, space: str | None) -> RoomSpec:
        core = self.plugin.core
        state = []
        if space:
            state.append(
                {
                    "type": "m.space.parent",
                    "state_key": space,
                    "content": {"via": self._via(), "canonical": True},
                }
            )
        return RoomSpec(
            name=listing.room_name(info),
            topic=listing.room_topic(info, core.config.tz),
            private=True,
            encrypted=self.plugin.config.encrypted_rooms,
            initial_state=tuple(state),
        )


async def _patiently(what: str, call: Callable[[Any], Awaitable[R]], arg: Any) -> R | None:
    """Call until it works: wait out rate limits, back off while the homeserver is away; None if refused."""
    delay = FIRST_BACKOFF_S
    while True:
        try:
            return await call(arg)
        except RateLimited as err:
            log.info("rate limited while trying to %s; waiting %d ms", what, err.retry_after_ms)
            await asyncio.sleep(err.retry_after_ms / 1000)
        except (Unreachable, RoomNotReady) as err:
            log.warning("could not %s (%s); retrying in %.0f s", what, err, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)
        except Refused as err:
            log.error("the homeserver refused to %s: %s", what, err)
            return None
