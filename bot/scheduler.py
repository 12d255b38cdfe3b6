"""APScheduler 3 in the event loop; jobs are in memory and rebuilt from the database at start-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


def _not_a_shutdown_cancel(record: logging.LogRecord) -> bool:
    """APScheduler logs "Error running job" with a traceback for a job cancelled by shutdown before it
    started (our wrapper handles those that started). Nothing went wrong: drop just those records."""
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


class Scheduler:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        executor_log = logging.getLogger("apscheduler.executors.default")
        if _not_a_shutdown_cancel not in executor_log.filters:
            executor_log.addFilter(_not_a_shutdown_cancel)

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def at(self, job_id: str, when: datetime, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run once at `when` (now, if already past: the job itself decides whether it is still useful).
        The id is deterministic, so rebuilding at start-up replaces rather than duplicates."""
        self._scheduler.add_job(
            self._guard(job_id, fn), "date", run_date=when, args=args, id=job_id, replace_existing=True
        )

    def daily(self, job_id: str, hour: int, minute: int, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        self._scheduler.add_job(
            self._guard(job_id, fn), "cron", hour=hour, minute=minute, args=args, id=job_id, replace_existing=True
        )

    def every(self, job_id: str, seconds: float, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        self._scheduler.add_job(
            self._guard(job_id, fn), "interval", seconds=seconds, args=args, id=job_id, replace_existing=True
        )

    def cancel(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def cancel_prefix(self, prefix: str) -> None:
        for job in self._scheduler.get_jobs():
            if job.id.startswith(prefix):
                job.remove()

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    @staticmethod
    def _guard(job_id: str, fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def run(*args: Any) -> None:
            try:
                await fn(*args)
            except asyncio.CancelledError:
                # Shutdown cancels jobs in flight; their transaction rolls back and the job is rebuilt
                # from the database at the next start. Not an error (APScheduler would log a traceback).
                log.debug("scheduled job %s stopped by shutdown", job_id)
            except Exception:
                log.exception("scheduled job %s failed", job_id)

        return run
