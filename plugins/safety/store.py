"""All SQL of the safety plugin: report numbers and whom to relay answers to — never what was reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage import Tx


@dataclass(frozen=True)
class Report:
    number: int
    reporter: str | None  # None once closed or forgotten
    reply_room: str | None
    named: bool
    created_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class ReportCounts:
    total: int
    open: int
    named: int


def _seconds(when: datetime) -> int:
    return int(when.timestamp())


def _when(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _report(row) -> Report:
    return Report(
        number=row["number"],
        reporter=row["reporter"],
        reply_room=row["reply_room"],
        named=bool(row["named"]),
        created_at=_when(row["created_at"]),  # type: ignore[arg-type]
        closed_at=_when(row["closed_at"]),
    )


class ReportStore:
    async def create(
        self, tx: Tx, *, reporter: str, reply_room: str, named: bool, now: datetime,
        source_event_id: str | None = None,
    ) -> Report:
        number = await tx.execute(
            "INSERT INTO safety_reports (reporter, reply_room, named, created_at, source_event_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (reporter, reply_room, int(named), _seconds(now), source_event_id),
        )
        report = await self.get(tx, number)
        assert report is not None
        return report

    async def take_by_source(self, tx: Tx, event_id: str) -> int | None:
        """The number of the report sent as this message (and forget the link); None if there is none."""
        number = await tx.fetchval("SELECT number FROM safety_reports WHERE source_event_id = ?", (event_id,))
        if number is not None:
            await tx.execute("UPDATE safety_reports SET source_event_id = NULL WHERE number = ?", (number,))
        return number

    async def get(self, tx: Tx, number: int) -> Report | None:
        row = await tx.fetchone("SELECT * FROM safety_reports WHERE number = ?", (number,))
        return None if row is None else _report(row)

    async def open_reports(self, tx: Tx) -> list[Report]:
        rows = await tx.fetchall(
            "SELECT * FROM safety_reports WHERE closed_at IS NULL ORDER BY number"
        )
        return [_report(r) for r in rows]

    async def count_since(self, tx: Tx, reporter: str, since: datetime) -> int:
        return await tx.fetchval(
            "SELECT count(*) FROM safety_reports WHERE reporter = ? AND created_at >= ?",
            (reporter, _seconds(since)),
            0,
        )

    async def close(self, tx: Tx, number: int, now: datetime) -> None:
        """Closing forgets who reported: the number stays for the team's records, the person does not."""
        await tx.execute(
            "UPDATE safety_reports SET closed_at = ?, reporter = NULL, reply_room = NULL, source_event_id = NULL WHERE number = ?",
            (_seconds(now), number),
        )

    async def anonymise(self, tx: Tx, reporter: str) -> int:
        """`people.forget`: the reports stay counted, the person is gone (answers can no longer reach them)."""
        return await tx.execute(
            "UPDATE safety_reports SET reporter = NULL, reply_room = NULL, source_event_id = NULL WHERE reporter = ?",
            (reporter,),
        )

    async def anonymise_older_than(self, tx: Tx, cutoff: datetime) -> int:
        """Retention: reports made before `cutoff` no longer say who made them."""
        return await tx.execute(
            "UPDATE safety_reports SET reporter = NULL, reply_room = NULL, source_event_id = NULL "
            "WHERE reporter IS NOT NULL AND created_at < ?",
            (_seconds(cutoff),),
        )

    async def counts(self, tx: Tx) -> ReportCounts:
        row = await tx.fetchone(
            "SELECT count(*) AS total, coalesce(sum(closed_at IS NULL), 0) AS open, "
            "coalesce(sum(named), 0) AS named FROM safety_reports"
        )
        assert row is not None
        return ReportCounts(total=row["total"], open=row["open"], named=row["named"])
