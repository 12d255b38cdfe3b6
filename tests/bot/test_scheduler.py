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
