"""The scheduler wrapper: a job's failure is logged, a shutdown in the middle of a job is not an error."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from bot.scheduler import Scheduler


async def test_a_job_cut_short_by_shutdown_logs_no_error(caplog):
    started = asyncio.Event()

    async def slow() -> None:
        started.set()
        await asyncio.sleep(30)

    scheduler = Scheduler()
    scheduler.start()
    scheduler.at("slow", datetime.now(UTC), slow)
    await asyncio.wait_for(started.wait(), 5)
    with caplog.at_level(logging.DEBUG):
        scheduler.shutdown()  # cancels the job in flight
        await asyncio.sleep(0.05)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "stopped by shutdown" in caplog.text


async def test_a_failing_job_is_logged_with_its_id(caplog):
    done = asyncio.Event()

    async def broken() -> None:
        done.set()
        raise ValueError("boom")

    scheduler = Scheduler()
    scheduler.start()
    scheduler.at("broken", datetime.now(UTC), broken)
    await asyncio.wait_for(done.wait(), 5)
    await asyncio.sleep(0.05)
    scheduler.shutdown()
    assert "scheduled job broken failed" in caplog.text


def test_apschedulers_error_for_a_job_cancelled_before_it_started_is_dropped_and_real_errors_are_kept(caplog):
    """Which of APScheduler's executor records are dropped (the race itself cannot be staged reliably)."""
    Scheduler()  # installs the filter on APScheduler's executor logger
    executor_log = logging.getLogger("apscheduler.executors.default")
    for error in (asyncio.CancelledError(), ValueError("a real failure")):
        try:
            raise error
        except BaseException:
            executor_log.error("Error running job %s", type(error).__name__, exc_info=True)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == ["Error running job ValueError"]
