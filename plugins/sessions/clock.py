"""The session clock: reminder, start, wrap-up and end, each taken once and recorded, late only if useful."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bot.i18n import Raw, T
from bot.render import pill
from bot.storage import Tx

from . import listing, timeline
from .model import Session, SessionInfo

if TYPE_CHECKING:
    from . import Sessions


class SessionClock:
    """Timed jobs (deterministic ids, rebuilt at start) that take the steps due, in their own transaction."""

    def __init__(self, plugin: Sessions) -> None:
        self.plugin = plugin

    async def tick(self) -> None:
        """Take every step that is due now, for every session (also what each timed job does for one)."""
        async with self.plugin.db.transaction() as tx:
            ids = [b.topic_id for b in await self.plugin.plugin("agenda").bookings(tx)]
        for topic_id in ids:
            await self.run_due(topic_id)

    async def run_due(self, topic_id: int) -> None:
        async with self.plugin.db.transaction() as tx:
            info = await self.plugin.info(tx, topic_id)
            if info is None:
                return
            taken = await self.plugin.store.steps(tx, topic_id)
            times = self._step_times(info)
            await self.take(
                tx,
                info,
                timeline.due(times, taken, self.plugin.clock.now(), info.starts_at, info.ends_at),
            )

    async def _job(self, topic_id: int) -> None:
        # A job added inside a handler's transaction inherits that context; a fresh one makes sure it
        # opens its own transaction (after the handler commits) instead of joining the handler's.
        await asyncio.create_task(self.run_due(topic_id), context=contextvars.Context())

    def _step_times(self, info: Session) -> dict[str, Any]:
        return timeline.step_times(
            info.starts_at,
            info.ends_at,
            reminder_minutes=self.plugin.config.reminder_minutes,
            wrapup_minutes=self.plugin.config.wrapup_minutes,
        )

    def arm(self, info: Session, taken: dict[str, str]) -> None:
        for step, when in self._step_times(info).items():
            if step not in taken:
                self.plugin.scheduler.at(
                    f"sessions.{info.topic_id}.{step}", when, self._job, info.topic_id
                )

    def disarm(self, topic_id: int) -> None:
        self.plugin.scheduler.cancel_prefix(f"sessions.{topic_id}.")

    async def take(self, tx: Tx, info: SessionInfo, actions: Iterable[timeline.Action]) -> None:
        """Record each step before acting, so that it runs (or is skipped) once, ever."""
        now = self.plugin.clock.now()
        for action in actions:
            if not await self.plugin.store.record_step(
                tx, info.topic_id, action.step, "done" if action.run else "skipped", now
            ):
                continue
            if not action.run:
                self.plugin.log.info(
                    "session #%d: step %s skipped (too late to be useful)",
                    info.topic_id,
                    action.step,
                )
                continue
            await self._post_step(tx, info, action.step)
            await self.plugin.core.bus.emit(
                tx, timeline.EVENTS[action.step], topic_id=info.topic_id
            )

    async def _post_step(self, tx: Tx, info: SessionInfo, step: str) -> None:
        tz = self.plugin.core.config.tz
        when = listing.when(info.starts_at, info.ends_at, tz)
        if step == "reminder":
            target = info.room_id or self.plugin.core.room("lobby")
            if target and info.participants:
                people = await self.plugin.core.people.many(tx, info.participants)
                text = T(
                    "sessions.reminder",
                    id=info.topic_id,
                    title=info.title,
                    when=when,
                    zone=listing.zone_name(tz),
                    location=info.location,
                    people=[Raw(pill(p.user_id, p.name)) for p in people],
                )
                await self.plugin.notices.send(tx, target, text, mentions=info.participants)
            return
        if info.room_id is None:  # no room (create_rooms off, or not made yet): nothing to post
            return
        if step == "start":
            await self.plugin.notices.send(tx, info.room_id, await self.welcome(tx, info))
        elif step == "wrapup":
            minutes = max(1, round((info.ends_at - self.plugin.clock.now()).total_seconds() / 60))
            await self.plugin.notices.send(
                tx,
                info.room_id,
                T(
                    "sessions.wrapup",
                    id=info.topic_id,
                    title=info.title,
                    minutes=minutes,
                    action=self.plugin.cmd("action"),
                ),
            )
        elif step == "end":
            await self.plugin.notices.send(
                tx, info.room_id, T("sessions.ended", id=info.topic_id, title=info.title)
            )

    async def welcome(self, tx: Tx, info: SessionInfo) -> list[T]:
        """The house rules: notes need consent, whom to contact, who asked not to be photographed."""
        when = listing.when(info.starts_at, info.ends_at, self.plugin.core.config.tz)
        texts = [
            T(
                "sessions.welcome",
                id=info.topic_id,
                title=info.title,
                when=when,
                location=info.location,
            ),
            T("sessions.rule_consent", consent=self.plugin.cmd("consent")),
            T("sessions.rule_contact", coc=self.plugin.cmd("coc")),
        ]
        people = await self.plugin.core.people.many(tx, info.participants)
        camera_shy = [p.name for p in people if p.photo is False]
        texts.append(
            T("sessions.rule_no_photo", people=camera_shy)
            if camera_shy
            else T("sessions.rule_photo_ask")
        )
        texts.append(T("sessions.rule_expect", expect=self.plugin.cmd("expect")))
        return texts
