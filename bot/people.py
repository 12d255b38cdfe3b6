"""How the product names a person: display name, and whatever a badge plugin adds (pronouns, approach)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from .storage import Tx
from .transport import Transport


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str  # badge name, else display name, else the localpart
    pronouns: str | None = None
    approach: str | None = None  # 'green' | 'yellow' | 'red' | None
    photo: bool | None = None  # False: asked not to be photographed

    @property
    def marker(self) -> str:
        return {"green": "🟢", "yellow": "🟡", "red": "🔴"}.get(self.approach or "", "")


Provider = Callable[[Tx, str, str], Awaitable[Person]]  # (tx, user_id, fallback name) → Person
# [(user_id, fallback name), …] → their Persons, in that order
ManyProvider = Callable[[Tx, list[tuple[str, str]]], Awaitable[list[Person]]]


class People:
    """`await core.people.get(tx, user_id)`, or `await core.people.many(tx, user_ids)` for a listing; a
    badges plugin installs itself with `use(provider, many)`."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._provider: Provider | None = None
        self._many: ManyProvider | None = None

    def use(self, provider: Provider, many: ManyProvider | None = None) -> None:
        """`many`, if given, must answer as `provider` would for each person (one call for all)."""
        self._provider = provider
        self._many = many

    def fallback_name(self, user_id: str) -> str:
        return self.transport.display_name(user_id) or user_id.split(":", 1)[0].lstrip("@")

    async def get(self, tx: Tx, user_id: str) -> Person:
        name = self.fallback_name(user_id)
        if self._provider is not None:
            return await self._provider(tx, user_id, name)
        return Person(user_id=user_id, name=name)

    async def many(self, tx: Tx, user_ids: Iterable[str]) -> list[Person]:
        """`get` of each person, in the order given (repeats included): one call to the provider for a
        whole listing (a session's participants), which reads those it does not keep in one query."""
        named = [(user_id, self.fallback_name(user_id)) for user_id in user_ids]
        if self._many is not None:
            return await self._many(tx, named)
        if self._provider is not None:
            return [await self._provider(tx, user_id, name) for user_id, name in named]
        return [Person(user_id=user_id, name=name) for user_id, name in named]
