"""All SQL of the agenda plugin: slots, locations and bookings (one cell per topic, one topic per cell)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.memo import Memo
from bot.storage import Database, Tx, in_chunks


@dataclass(frozen=True)
class Slot:
    id: int
    code: str  # "S1"
    label: str | None
    starts_at: datetime  # aware, UTC
    ends_at: datetime


@dataclass(frozen=True)
class Location:
    id: int
    name: str
    cap: int | None


@dataclass(frozen=True)
class Booking:
    topic_id: int
    slot: Slot
    location: Location


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


def _when(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _slot(row: Any, prefix: str = "") -> Slot:
    return Slot(
        id=row[f"{prefix}id"],
        code=f"S{row[f'{prefix}id']}",
        label=row[f"{prefix}label"],
        starts_at=_when(row[f"{prefix}starts_at"]),
        ends_at=_when(row[f"{prefix}ends_at"]),
    )


def _location(row: Any, prefix: str = "") -> Location:
    return Location(id=row[f"{prefix}id"], name=row[f"{prefix}name"], cap=row[f"{prefix}cap"])


_BOOKINGS = (
    "SELECT b.topic_id, s.id AS s_id, s.label AS s_label, s.starts_at AS s_starts_at, s.ends_at AS s_ends_at, "
    "l.id AS l_id, l.name AS l_name, l.cap AS l_cap FROM agenda_bookings b "
    "JOIN agenda_slots s ON s.id = b.slot_id JOIN agenda_locations l ON l.id = b.location_id"
)

_BOOKINGS_ORDER = " ORDER BY s.starts_at, s.id, l.name COLLATE NOCASE"


def _booking(row: Any) -> Booking:
    return Booking(topic_id=row["topic_id"], slot=_slot(row, "s_"), location=_location(row, "l_"))


def _bookings(rows: Iterable[Any]) -> list[Booking]:
    """Bookings sharing one Slot and one Location object per slot and place (a grid of thousands of
    sessions has only tens of each: building them once per row was most of reading the grid)."""
    slots: dict[int, Slot] = {}
    locations: dict[int, Location] = {}
    found = []
    for r in rows:
        slot = slots.get(r["s_id"]) or slots.setdefault(r["s_id"], _slot(r, "s_"))
        place = locations.get(r["l_id"]) or locations.setdefault(r["l_id"], _location(r, "l_"))
        found.append(Booking(topic_id=r["topic_id"], slot=slot, location=place))
    return found


GRID_TABLES = ("agenda_slots", "agenda_locations", "agenda_bookings")


class AgendaStore:
    """The grid's reads are kept (`Memo`) until a slot, location or booking changes: `!agenda`, `!join`
    and `!who` read them at every command, and they change a few times a day."""

    def __init__(self, db: Database) -> None:
        self._grid: Memo[Any] = Memo(db, GRID_TABLES)

    # --- slots ---

    async def add_slot(
        self, tx: Tx, starts_at: datetime, ends_at: datetime, label: str | None
    ) -> Slot:
        slot_id = await tx.execute(
            "INSERT INTO agenda_slots (starts_at, ends_at, label) VALUES (?, ?, ?)",
            (_epoch(starts_at), _epoch(ends_at), label),
        )
        slot = await self.slot(tx, slot_id)
        assert slot is not None
        return slot

    async def slot(self, tx: Tx, slot_id: int) -> Slot | None:
        row = await tx.fetchone("SELECT * FROM agenda_slots WHERE id = ?", (slot_id,))
        return _slot(row) if row else None

    async def slot_by_label(self, tx: Tx, label: str) -> Slot | None:
        row = await tx.fetchone(
            "SELECT * FROM agenda_slots WHERE label = ? COLLATE NOCASE", (label,)
        )
        return _slot(row) if row else None

    async def slots(self, tx: Tx) -> list[Slot]:
        async def read() -> tuple[Slot, ...]:
            rows = await tx.fetchall("SELECT * FROM agenda_slots ORDER BY starts_at, id")
            return tuple(_slot(r) for r in rows)

        return list(await self._grid.get("slots", read))

    async def booked_slots(self, tx: Tx) -> list[Slot]:
        """Slots holding at least one session, by start."""
        rows = await tx.fetchall(
            "SELECT * FROM agenda_slots s WHERE EXISTS "
            "(SELECT 1 FROM agenda_bookings b WHERE b.slot_id = s.id) ORDER BY starts_at, id"
        )
        return [_slot(r) for r in rows]

    async def overlapping(self, tx: Tx, starts_at: datetime, ends_at: datetime) -> list[Slot]:
        rows = await tx.fetchall(
            "SELECT * FROM agenda_slots WHERE starts_at < ? AND ends_at > ? ORDER BY starts_at",
            (_epoch(ends_at), _epoch(starts_at)),
        )
        return [_slot(r) for r in rows]

    async def remove_slot(self, tx: Tx, slot_id: int) -> None:
        await tx.execute("DELETE FROM agenda_slots WHERE id = ?", (slot_id,))

    # --- locations ---

    async def add_location(self, tx: Tx, name: str, cap: int | None) -> Location:
        location_id = await tx.execute(
            "INSERT INTO agenda_locations (name, cap) VALUES (?, ?)", (name, cap)
        )
        return Location(location_id, name, cap)

    async def set_cap(self, tx: Tx, location_id: int, cap: int | None) -> None:
        await tx.execute("UPDATE agenda_locations SET cap = ? WHERE id = ?", (cap, location_id))

    async def location_by_name(self, tx: Tx, name: str) -> Location | None:
        row = await tx.fetchone(
            "SELECT * FROM agenda_locations WHERE name = ? COLLATE NOCASE", (name,)
        )
        return _location(row) if row else None

    async def locations(self, tx: Tx) -> list[Location]:
        async def read() -> tuple[Location, ...]:
            rows = await tx.fetchall("SELECT * FROM agenda_locations ORDER BY name COLLATE NOCASE")
            return tuple(_location(r) for r in rows)

        return list(await self._grid.get("locations", read))

    async def remove_location(self, tx: Tx, location_id: int) -> None:
        await tx.execute("DELETE FROM agenda_locations WHERE id = ?", (location_id,))

    # --- bookings ---

    async def book(self, tx: Tx, topic_id: int, slot_id: int, location_id: int) -> None:
        """Put the topic into the cell (moving it if it was booked elsewhere)."""
        await tx.execute(
            "INSERT INTO agenda_bookings (topic_id, slot_id, location_id) VALUES (?, ?, ?) "
            "ON CONFLICT(topic_id) DO UPDATE SET slot_id = excluded.slot_id, location_id = excluded.location_id",
            (topic_id, slot_id, location_id),
        )
        await self._bump(tx, topic_id)

    async def unbook(self, tx: Tx, topic_id: int) -> bool:
        removed = await tx.execute("DELETE FROM agenda_bookings WHERE topic_id = ?", (topic_id,))
        if removed:
            await self._bump(tx, topic_id)
        return bool(removed)

    async def booking(self, tx: Tx, topic_id: int) -> Booking | None:
        async def read() -> Booking | None:
            row = await tx.fetchone(f"{_BOOKINGS} WHERE b.topic_id = ?", (topic_id,))
            return _booking(row) if row else None

        return await self._grid.get(("booking", topic_id), read)

    async def bookings(
        self, tx: Tx, *, slot_id: int | None = None, location_id: int | None = None
    ) -> list[Booking]:
        """Ordered by slot start, then location name."""

        async def read() -> tuple[Booking, ...]:
            where, params = [], []
            if slot_id is not None:
                where.append("b.slot_id = ?")
                params.append(slot_id)
            if location_id is not None:
                where.append("b.location_id = ?")
                params.append(location_id)
            clause = f" WHERE {' AND '.join(where)}" if where else ""
            rows = await tx.fetchall(f"{_BOOKINGS}{clause}{_BOOKINGS_ORDER}", params)
            return tuple(_bookings(rows))

        return list(await self._grid.get(("bookings", slot_id, location_id), read))

    async def location_caps(self, tx: Tx) -> dict[int, int | None]:
        """Each booked topic's location capacity (None: the location has none)."""

        async def read() -> dict[int, int | None]:
            caps = {location.id: location.cap for location in await self.locations(tx)}
            return {topic_id: caps[location_id] for _, location_id, topic_id in await self._placements(tx)}

        return dict(await self._grid.get("location_caps", read))

    async def occupants(self, tx: Tx, slot_ids: Iterable[int]) -> dict[tuple[int, int], int]:
        """(slot id, location id) → topic id for these slots: the grid's cells, without the joins."""
        wanted = tuple(slot_ids)

        async def read() -> dict[tuple[int, int], int]:
            shown = set(wanted)
            placements = await self._placements(tx)
            return {(slot_id, location_id): topic_id for slot_id, location_id, topic_id in placements if slot_id in shown}

        return dict(await self._grid.get(("occupants", wanted), read))

    async def _placements(self, tx: Tx) -> tuple[tuple[int, int, int], ...]:
        """Every booking as (slot id, location id, topic id), by slot and location: one read of the table for
        both the grid's cells and the sessions' seats (an agenda of 2,000 sessions asks for both)."""

        async def read() -> tuple[tuple[int, int, int], ...]:
            rows = await tx.fetchtuples(
                "SELECT slot_id, location_id, topic_id FROM agenda_bookings ORDER BY slot_id, location_id"
            )
            return tuple(rows)

        return await self._grid.get("placements", read)

    async def occupant(self, tx: Tx, slot_id: int, location_id: int) -> int | None:
        return await tx.fetchval(
            "SELECT topic_id FROM agenda_bookings WHERE slot_id = ? AND location_id = ?",
            (slot_id, location_id),
        )

    async def revisions(self, tx: Tx, topic_ids: Iterable[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for chunk, marks in in_chunks(topic_ids):
            rows = await tx.fetchall(
                f"SELECT topic_id, revision FROM agenda_revisions WHERE topic_id IN ({marks})",
                chunk,
            )
            found.update({r["topic_id"]: r["revision"] for r in rows})
        return found

    async def _bump(self, tx: Tx, topic_id: int) -> None:
        await tx.execute(
            "INSERT INTO agenda_revisions (topic_id, revision) VALUES (?, 1) "
            "ON CONFLICT(topic_id) DO UPDATE SET revision = revision + 1",
            (topic_id,),
        )

    async def export(self, tx: Tx) -> dict[str, Any]:
        return {
            "slots": [
                {
                    "code": s.code,
                    "label": s.label,
                    "starts_at": s.starts_at.isoformat(),
                    "ends_at": s.ends_at.isoformat(),
                }
                for s in await self.slots(tx)
            ],
            "locations": [{"name": loc.name, "cap": loc.cap} for loc in await self.locations(tx)],
            "bookings": [
                {"topic_id": b.topic_id, "slot": b.slot.code, "location": b.location.name}
                for b in await self.bookings(tx)
            ],
        }
