"""A capped list with an ordered waitlist (session seats, meetup sign-ups): one implementation for all."""

from __future__ import annotations

from dataclasses import dataclass
from math import inf
from typing import NamedTuple

from .memo import RowMemo
from .storage import Database, Tx, in_chunks

_COUNTS = "SELECT roster, sum(seated), count(*) FROM core_roster"
_COUNT_ALL = 256  # rosters to count at once from which all are counted (see `Roster.counts`)


@dataclass(frozen=True)
class Place:
    """Where a person stands in one roster after an operation."""

    state: str  # 'seated' | 'waiting'
    position: int  # 1-based waitlist position (0 when seated)
    seated: int  # people seated now
    changed: bool  # False when the person already stood there


class RosterPeople(NamedTuple):
    """Who is in a roster, as kept: each list by arrival (seq)."""

    seated: tuple[str, ...]
    waiting: tuple[str, ...]
    # Everyone waiting arrived after everyone seated (as a queue behind full seats does): the people a
    # promotion seats then go after the seated, in the order they waited.
    queue_behind: bool


class Roster:
    """Rows of core_roster; every operation runs inside the caller's transaction, so seats are never
    oversold however many joins arrive at once (the database serialises them)."""

    def __init__(self, db: Database) -> None:
        # Who is in each roster, seated and waiting: read by every `!who`, `!join` and agenda, kept until
        # someone joins or leaves that roster.
        self._people: RowMemo[str, RosterPeople] = RowMemo(db, {"core_roster": "roster"})
        # How many are seated and waiting in the rosters whose people are not kept: the agenda's first
        # read after a restart counts 2,000 sessions' rosters (2,000 rows) instead of reading 20,000 people.
        self._counts: RowMemo[str, tuple[int, int]] = RowMemo(db, {"core_roster": "roster"})

    async def join(self, tx: Tx, roster: str, user_id: str, cap: int) -> Place:
        seated, waiting, queue_behind = await self._people_in(tx, roster)
        place = Place("seated", 0, len(seated) + 1, changed=True) if len(seated) < cap else (
            Place("waiting", len(waiting) + 1, len(seated), changed=True)  # the new row is the last in the queue
        )
        # Inserted unless the person is there already (then where they stand): no query before to ask.
        inserted = await tx.execute(
            "INSERT INTO core_roster (roster, user_id, seated, seq) VALUES (?, ?, ?, "
            "(SELECT coalesce(max(seq), 0) + 1 FROM core_roster WHERE roster = ?)) "
            "ON CONFLICT (roster, user_id) DO NOTHING",
            (roster, user_id, 1 if place.state == "seated" else 0, roster),
        )
        if not inserted:
            current = await self.place(tx, roster, user_id)
            assert current is not None  # the row the insert found
            return current
        # The new row has the highest seq: last of the seated (after anyone waiting), or last in the queue.
        if place.state == "seated":
            self._keep(roster, RosterPeople((*seated, user_id), waiting, queue_behind=not waiting))
        else:
            self._keep(roster, RosterPeople(seated, (*waiting, user_id), queue_behind))
        return place

    async def leave(self, tx: Tx, roster: str, user_id: str, cap: int) -> tuple[bool, list[str]]:
        """Remove the person; returns (was there, people promoted from the waitlist)."""
        seated, waiting, queue_behind = await self._people_in(tx, roster)
        if user_id not in seated and user_id not in waiting:
            return False, []
        await tx.execute("DELETE FROM core_roster WHERE roster = ? AND user_id = ?", (roster, user_id))
        seated, waiting = tuple(u for u in seated if u != user_id), tuple(u for u in waiting if u != user_id)
        self._keep(roster, RosterPeople(seated, waiting, queue_behind or not waiting))
        return True, await self.promote(tx, roster, cap)

    async def promote(self, tx: Tx, roster: str, cap: int) -> list[str]:
        """Seat the first people waiting while there are free seats (after a leave or a raised cap)."""
        seated, waiting, queue_behind = await self._people_in(tx, roster)
        free = max(cap - len(seated), 0)
        users = list(waiting[:free])
        if users:
            await tx.executemany(
                "UPDATE core_roster SET seated = 1 WHERE roster = ? AND user_id = ?", [(roster, u) for u in users]
            )
            if queue_behind:  # else where they go among the seated is known to the table only: read again
                self._keep(roster, RosterPeople((*seated, *users), waiting[free:], queue_behind))
        return users

    async def place(self, tx: Tx, roster: str, user_id: str) -> Place | None:
        row = await tx.fetchone(
            "SELECT me.seated, "
            "(SELECT count(*) FROM core_roster WHERE roster = me.roster AND seated = 1) AS seated_now, "
            "(SELECT count(*) FROM core_roster WHERE roster = me.roster AND seated = 0 AND seq < me.seq) AS ahead "
            "FROM core_roster me WHERE me.roster = ? AND me.user_id = ?",
            (roster, user_id),
        )
        if row is None:
            return None
        if row["seated"]:
            return Place("seated", 0, row["seated_now"], changed=False)
        return Place("waiting", row["ahead"] + 1, row["seated_now"], changed=False)

    async def seated(self, tx: Tx, roster: str) -> list[str]:
        return list((await self.people(tx, roster))[0])

    async def waiting(self, tx: Tx, roster: str) -> list[str]:
        return list((await self.people(tx, roster))[1])

    async def people(self, tx: Tx, roster: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(seated, waiting), each in order: both at once, for a listing that shows both."""
        seated, waiting, _ = await self._people_in(tx, roster)
        return seated, waiting

    async def counts(self, tx: Tx, rosters: list[str]) -> dict[str, tuple[int, int]]:
        """(seated, waiting) per roster: of the people kept, else counted by the database."""
        found = {r: (len(kept.seated), len(kept.waiting)) for r, kept in self._people.kept(rosters).items()}
        if len(found) < len(rosters):

            async def read(missing: list[str]) -> dict[str, tuple[int, int]]:
                counted = dict.fromkeys(missing, (0, 0))
                if len(missing) >= _COUNT_ALL:
                    # One scan of the index counts every roster (the others, a few meetups' sheets, are
                    # few): half the time of looking up thousands of rosters one by one.
                    for roster, seated, everyone in await tx.fetchtuples(_COUNTS + " GROUP BY roster"):
                        if roster in counted:
                            counted[roster] = (seated, everyone - seated)
                    return counted
                for chunk, marks in in_chunks(missing):
                    for roster, seated, everyone in await tx.fetchtuples(
                        f"{_COUNTS} WHERE roster IN ({marks}) GROUP BY roster", chunk
                    ):
                        counted[roster] = (seated, everyone - seated)
                return counted

            found.update(await self._counts.many([r for r in rosters if r not in found], read))
        return found

    async def _people_in(self, tx: Tx, roster: str) -> RosterPeople:
        """The people of one roster, kept until someone joins or leaves it."""

        async def read() -> RosterPeople:
            return (await self._read(tx, [roster]))[roster]

        return await self._people.get(roster, read)

    @staticmethod
    async def _read(tx: Tx, rosters: list[str]) -> dict[str, RosterPeople]:
        people: dict[str, tuple[list[str], list[str]]] = {r: ([], []) for r in rosters}
        first_waiting: dict[str, int] = {}  # the seq of the roster's first in the queue
        last_seated: dict[str, int] = {}  # and of its last seated
        for chunk, marks in in_chunks(rosters):
            rows = await tx.fetchall(
                # The index's order: a roster's waiting people, then its seated ones, each by arrival.
                f"SELECT roster, user_id, seated, seq FROM core_roster WHERE roster IN ({marks}) "
                "ORDER BY roster, seated, seq",
                chunk,
            )
            for r in rows:
                if r["seated"]:
                    people[r["roster"]][0].append(r["user_id"])
                    last_seated[r["roster"]] = r["seq"]
                else:
                    people[r["roster"]][1].append(r["user_id"])
                    first_waiting.setdefault(r["roster"], r["seq"])
        return {
            r: RosterPeople(tuple(seated), tuple(waiting), last_seated.get(r, 0) < first_waiting.get(r, inf))
            for r, (seated, waiting) in people.items()
        }

    def _keep(self, roster: str, people: RosterPeople) -> None:
        """Keep the roster's people as they are right after a change made here: the caller derived them
        from the people read just before (kept or not, they were current) and the rows it wrote, so
        nothing needs to be read again. Only where the order is known: the seated of a promotion go by
        arrival (seq) among the seated, which the kept tuples do not hold unless the queue is behind."""
        self._people.put(roster, people)

    async def rosters_of(self, tx: Tx, user_id: str, prefix: str) -> list[str]:
        """The rosters whose names start with `prefix` (not empty) that hold the person, by name."""
        # A range, not LIKE: it reads the (user_id, roster) index from the first name at or after the
        # prefix to the last before the prefix's successor ("session:" … "session;").
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = await tx.fetchall(
            "SELECT roster FROM core_roster WHERE user_id = ? AND roster >= ? AND roster < ? ORDER BY roster",
            (user_id, prefix, upper),
        )
        return [r["roster"] for r in rows]

    async def move_all(self, tx: Tx, source: str, target: str) -> None:
        """Merge: people of `source` join `target` at its end (seated ones keep a seat claim via waitlist order)."""
        rows = await tx.fetchall("SELECT user_id FROM core_roster WHERE roster = ? ORDER BY seated DESC, seq", (source,))
        await tx.execute("DELETE FROM core_roster WHERE roster = ?", (source,))
        for r in rows:
            await tx.execute(
                "INSERT OR IGNORE INTO core_roster (roster, user_id, seated, seq) VALUES (?, ?, 0, "
                "(SELECT coalesce(max(seq), 0) + 1 FROM core_roster WHERE roster = ?))",
                (target, r["user_id"], target),
            )

    async def delete(self, tx: Tx, roster: str) -> list[str]:
        people = await tx.fetchall("SELECT user_id FROM core_roster WHERE roster = ?", (roster,))
        await tx.execute("DELETE FROM core_roster WHERE roster = ?", (roster,))
        return [r["user_id"] for r in people]

    async def forget(self, tx: Tx, user_id: str, prefix: str) -> list[str]:
        """Remove a person from the rosters named `prefix…` (one plugin's); returns them so the caller promotes."""
        rosters = await self.rosters_of(tx, user_id, prefix)
        for roster in rosters:
            await tx.execute("DELETE FROM core_roster WHERE roster = ? AND user_id = ?", (roster, user_id))
        return rosters
