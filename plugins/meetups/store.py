"""All SQL of the meetups plugin (the sheets themselves; seats are in core.roster)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage import Tx


@dataclass(frozen=True)
class Meetup:
    id: int
    title: str
    creator: str | None
    room_id: str
    starts_at: datetime | None
    cap: int | None
    cancelled: bool
    reminded: bool

    @property
    def roster(self) -> str:
        return f"meetup:{self.id}"

    def is_open(self, now: datetime) -> bool:
        """Still taking sign-ups: not cancelled and its time not yet past."""
        return not self.cancelled and (self.starts_at is None or self.starts_at > now)


def _seconds(when: datetime | None) -> int | None:
    return None if when is None else int(when.timestamp())


def _meetup(row) -> Meetup:
    starts = row["starts_at"]
    return Meetup(
        id=row["id"],
        title=row["title"],
        creator=row["creator"],
        room_id=row["room_id"],
        starts_at=None if starts is None else datetime.fromtimestamp(starts, UTC),
        cap=row["cap"],
        cancelled=row["cancelled_at"] is not None,
        reminded=row["reminded_at"] is not None,
    )


class MeetupStore:
    async def create(
        self,
        tx: Tx,
        *,
        title: str,
        creator: str,
        room_id: str,
        starts_at: datetime | None,
        cap: int | None,
        now: datetime,
    ) -> Meetup:
        meetup_id = await tx.execute(
            "INSERT INTO meetups_meetups (title, creator, room_id, starts_at, cap, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (title, creator, room_id, _seconds(starts_at), cap, _seconds(now)),
        )
        meetup = await self.get(tx, meetup_id)
        assert meetup is not None
        return meetup

    async def get(self, tx: Tx, meetup_id: int) -> Meetup | None:
        row = await tx.fetchone("SELECT * FROM meetups_meetups WHERE id = ?", (meetup_id,))
        return None if row is None else _meetup(row)

    async def open(self, tx: Tx, now: datetime) -> list[Meetup]:
        """Sheets still taking sign-ups, soonest first (those without a time last)."""
        rows = await tx.fetchall(
            "SELECT * FROM meetups_meetups WHERE cancelled_at IS NULL AND (starts_at IS NULL OR starts_at > ?) "
            "ORDER BY starts_at IS NULL, starts_at, id",
            (_seconds(now),),
        )
        return [_meetup(r) for r in rows]

    async def open_count_by(self, tx: Tx, creator: str, now: datetime) -> int:
        return await tx.fetchval(
            "SELECT count(*) FROM meetups_meetups WHERE creator = ? AND cancelled_at IS NULL "
            "AND (starts_at IS NULL OR starts_at > ?)",
            (creator, _seconds(now)),
            0,
        )

    async def unreminded(self, tx: Tx) -> list[Meetup]:
        """Sheets whose reminder is still to be sent (rebuilt as scheduler jobs at start-up)."""
        rows = await tx.fetchall(
            "SELECT * FROM meetups_meetups WHERE reminded_at IS NULL AND cancelled_at IS NULL AND starts_at IS NOT NULL"
        )
        return [_meetup(r) for r in rows]

    async def mark_reminded(self, tx: Tx, meetup_id: int, now: datetime) -> bool:
        """True for the one caller that marks it (the reminder goes out exactly once)."""
        changed = await tx.execute(
            "UPDATE meetups_meetups SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (_seconds(now), meetup_id),
        )
        return changed == 1

    async def cancel(self, tx: Tx, meetup_id: int, now: datetime) -> None:
        await tx.execute(
            "UPDATE meetups_meetups SET cancelled_at = ? WHERE id = ?", (_seconds(now), meetup_id)
        )

    async def all(self, tx: Tx) -> list[Meetup]:
        rows = await tx.fetchall("SELECT * FROM meetups_meetups ORDER BY id")
        return [_meetup(r) for r in rows]

    async def forget_creator(self, tx: Tx, user_id: str) -> None:
        """The sheet stays for those signed up; who opened it is erased."""
        await tx.execute("UPDATE meetups_meetups SET creator = NULL WHERE creator = ?", (user_id,))
