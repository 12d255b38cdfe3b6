"""Profiles are kept in memory for listings: never stale after a change, a rollback or a forget."""

from __future__ import annotations

import pytest

from bot.testing.harness import Harness

ALICE, BOB = "@alice:test", "@bob:test"


async def name_of(h: Harness, user_id: str) -> str:
    async with h.bot.db.transaction() as tx:
        return (await h.bot.core.people.get(tx, user_id)).name


async def profile_reads(h: Harness, user_id: str) -> int:
    """How many times looking the person up reads badges_profiles."""
    seen: list[str] = []
    db = h.bot.db
    db.trace(seen.append)
    try:
        await name_of(h, user_id)
    finally:
        db.trace(None)
    return sum("badges_profiles" in sql for sql in seen)


async def test_a_person_looked_up_again_is_not_read_again(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei")
    assert await profile_reads(h, ALICE) == 1
    assert await profile_reads(h, ALICE) == 0


async def test_a_changed_badge_shows_at_once(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei")
    assert await name_of(h, ALICE) == "Mei"
    await h.say(ALICE, "!me name Mei Lin")
    assert await name_of(h, ALICE) == "Mei Lin"
    await h.say(ALICE, "!me clear name")
    assert await name_of(h, ALICE) == "alice"


async def test_a_rolled_back_change_is_not_remembered(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei")
    assert await name_of(h, ALICE) == "Mei"
    badges = h.bot.core.plugins["badges"]
    with pytest.raises(RuntimeError):
        async with h.bot.db.transaction() as tx:
            await badges.store.set_field(tx, ALICE, "name", "Nobody")
            # Read inside the transaction: it sees its own write, but must not keep it.
            assert (await h.bot.core.people.get(tx, ALICE)).name == "Nobody"
            raise RuntimeError("roll back")
    assert await name_of(h, ALICE) == "Mei"


async def test_a_forgotten_person_has_no_badge_left_in_memory(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei")
    assert await name_of(h, ALICE) == "Mei"
    await h.say(ALICE, "!forget me confirm")
    assert await name_of(h, ALICE) == "alice"
    assert "has not filled in a badge" in await h.reply_text(BOB, f"!badge {ALICE}")


async def names_of(h: Harness, user_ids: list[str]) -> list[str]:
    async with h.bot.db.transaction() as tx:
        return [p.name for p in await h.bot.core.people.many(tx, user_ids)]


async def test_a_listing_reads_the_profiles_it_lacks_in_one_query(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei")
    await h.say(BOB, "!me pronouns he/him")
    carol = "@carol:test"
    seen: list[str] = []
    h.bot.db.trace(seen.append)
    try:
        assert await names_of(h, [ALICE, BOB, carol, ALICE]) == ["Mei", "bob", "carol", "Mei"]
        assert sum("badges_profiles" in sql for sql in seen) == 1
        seen.clear()
        assert await names_of(h, [carol, BOB, ALICE]) == ["carol", "bob", "Mei"]
        assert not any("badges_profiles" in sql for sql in seen)
    finally:
        h.bot.db.trace(None)
    async with h.bot.db.transaction() as tx:
        for user_id in (ALICE, BOB, carol):
            assert (await h.bot.core.people.many(tx, [user_id]))[0] == await h.bot.core.people.get(
                tx, user_id
            )


async def test_a_listing_shows_a_change_at_once_and_keeps_no_rolled_back_one(h: Harness) -> None:
    assert await names_of(h, [ALICE, BOB]) == ["alice", "bob"]
    await h.say(ALICE, "!me name Mei")
    assert await names_of(h, [ALICE, BOB]) == ["Mei", "bob"]
    badges = h.bot.core.plugins["badges"]
    with pytest.raises(RuntimeError):
        async with h.bot.db.transaction() as tx:
            await badges.store.set_field(tx, BOB, "name", "Nobody")
            assert [p.name for p in await h.bot.core.people.many(tx, [ALICE, BOB])] == [
                "Mei",
                "Nobody",
            ]
            raise RuntimeError("roll back")
    assert all(person.name != "Nobody" for _, _, person in badges._persons.values())  # not even kept
    assert await names_of(h, [ALICE, BOB]) == ["Mei", "bob"]
    await h.say(ALICE, "!forget me confirm")
    assert await names_of(h, [BOB, ALICE]) == ["bob", "alice"]


async def test_a_kept_person_follows_the_display_name_it_falls_back_to(h: Harness) -> None:
    h.transport.display_names[ALICE] = "Ali"
    assert await names_of(h, [ALICE]) == ["Ali"]
    assert await name_of(h, ALICE) == "Ali"
    h.transport.display_names[ALICE] = "Alice Chen"  # no badge change: the same profile object
    assert await names_of(h, [ALICE]) == ["Alice Chen"]
    assert await name_of(h, ALICE) == "Alice Chen"


async def test_a_kept_person_follows_a_badge_change_in_every_field(h: Harness) -> None:
    await h.say(ALICE, "!me pronouns she/her")
    async with h.bot.db.transaction() as tx:
        (before,) = await h.bot.core.people.many(tx, [ALICE])
    await h.say(ALICE, "!me approach green")
    async with h.bot.db.transaction() as tx:
        (after,) = await h.bot.core.people.many(tx, [ALICE])
        assert after == await h.bot.core.people.get(tx, ALICE)
    assert (before.pronouns, before.approach) == ("she/her", None)
    assert (after.pronouns, after.approach) == ("she/her", "green")


async def test_a_listed_person_is_built_once_and_forgotten_with_their_badge(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei")
    async with h.bot.db.transaction() as tx:
        (first,) = await h.bot.core.people.many(tx, [ALICE])
        (again,) = await h.bot.core.people.many(tx, [ALICE])
    assert again is first
    badges = h.bot.core.plugins["badges"]
    await h.say(ALICE, "!forget me confirm")
    assert all(person.name != "Mei" for _, _, person in badges._persons.values())
