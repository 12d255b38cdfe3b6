"""core.people: one person (`get`) or a listing (`many`), with or without a badge provider."""

from __future__ import annotations

from typing import Any

from bot.people import People, Person
from bot.testing.fake import FakeTransport

TX: Any = None  # the providers here read nothing


def people() -> People:
    transport = FakeTransport()
    transport.display_names["@mei:test"] = "Mei Lin"
    return People(transport)


async def test_without_a_provider_a_listing_is_display_names_else_localparts() -> None:
    listed = await people().many(TX, ["@mei:test", "@bob:test", "@mei:test"])
    assert [p.name for p in listed] == ["Mei Lin", "bob", "Mei Lin"]
    assert [p.user_id for p in listed] == ["@mei:test", "@bob:test", "@mei:test"]


async def test_a_listing_answers_as_get_does_with_one_provider_call() -> None:
    asked: list[list[tuple[str, str]]] = []

    async def one(tx: Any, user_id: str, fallback: str) -> Person:
        return Person(user_id=user_id, name=fallback.upper(), pronouns="they/them")

    async def many(tx: Any, named: list[tuple[str, str]]) -> list[Person]:
        asked.append(named)
        return [await one(tx, user_id, fallback) for user_id, fallback in named]

    p = people()
    p.use(one, many)
    users = ["@bob:test", "@mei:test", "@bob:test"]
    assert await p.many(TX, users) == [await p.get(TX, u) for u in users]
    assert asked == [[("@bob:test", "bob"), ("@mei:test", "Mei Lin"), ("@bob:test", "bob")]]


async def test_a_provider_without_a_listing_is_asked_person_by_person() -> None:
    async def one(tx: Any, user_id: str, fallback: str) -> Person:
        return Person(user_id=user_id, name=f"badge {fallback}")

    p = people()
    p.use(one)
    assert [x.name for x in await p.many(TX, ["@mei:test", "@bob:test"])] == [
        "badge Mei Lin",
        "badge bob",
    ]
    assert await p.many(TX, []) == []
