"""How the product names a person: display name, and whatever a badge plugin adds (pronouns, approach)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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


Provider = Callable[[Tx, str, str], Awaitable[Person]]


class People:
    """`await core.people.get(tx, user_id)`; a badges plugin installs itself with `use(provider)`."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._provider: Provider | None = None

    def use(self, provider: Provider) -> None:
        self._provider = provider

    def fallback_name(self, user_id: str) -> str:
        return self.transport.display_name(user_id) or user_id.split(":", 1)[0].lstrip("@")

    async def get(self, tx: Tx, user_id: str) -> Person:
        name = self.fallback_name(user_id)
        if self._provider is not None:
            return await self._provider(tx, user_id, name)
        return Person(user_id=user_id, name=name)
