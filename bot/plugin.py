"""What a feature plugin is, what it receives from the core, and how it hears events."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .clock import Clock
from .config import Config, load_section
from .i18n import Catalogue, Template
from .notices import Notices
from .outbox import Outbox
from .people import People
from .preferences import Preferences
from .roles import Roles
from .roster import Roster
from .scheduler import Scheduler
from .storage import Database, Migrations, Tx
from .transport import Transport

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class NoConfig:
    """A plugin without a config section."""


@dataclass
class Core:
    """The core's services, handed to every plugin's constructor (no module-level globals)."""

    config: Config
    db: Database
    transport: Transport
    outbox: Outbox
    notices: Notices
    catalogue: Catalogue
    preferences: Preferences
    roles: Roles
    roster: Roster
    people: People
    scheduler: Scheduler
    clock: Clock
    bus: Bus
    plugins: dict[str, Plugin]
    rooms: dict[str, str]  # configured room name ('lobby', 'announcements', …) → resolved room id

    def room(self, name: str) -> str | None:
        return self.rooms.get(name)


Listener = Callable[..., Awaitable[None]]


class Bus:
    """Events between plugins (`sessions.ended`, `consent.withdrawn`), delivered inside the caller's tx."""

    def __init__(self) -> None:
        self._subscribers: dict[str, list[Listener]] = {}

    def subscribe(self, name: str, listener: Listener) -> None:
        self._subscribers.setdefault(name, []).append(listener)

    async def emit(self, tx: Tx, name: str, **payload: Any) -> None:
        for listener in self._subscribers.get(name, []):
            await listener(tx, **payload)


def on(kind: type) -> Callable[[Listener], Listener]:
    """Mark a method as a listener for an incoming kind (Reaction, Redaction, Edit): `async def f(self, ctx, ev)`."""

    def mark(fn: Listener) -> Listener:
        fn.__flipchart_on__ = kind  # type: ignore[attr-defined]
        return fn

    return mark


def subscribe(name: str) -> Callable[[Listener], Listener]:
    """Mark a method as a bus subscriber: `async def f(self, tx, **payload)`."""

    def mark(fn: Listener) -> Listener:
        fn.__flipchart_subscribe__ = name  # type: ignore[attr-defined]
        return fn

    return mark


class Plugin:
    """Base of every feature. Subclasses set `name`, and may set `requires`, `migrations`, `messages`,
    `Config` (a frozen dataclass read from the `[name]` section) and override `start`/`stop`."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    migrations: ClassVar[Migrations | None] = None
    messages: ClassVar[dict[str, dict[str, Template]]] = {}
    Config: ClassVar[type] = NoConfig
    # The catalogue key of one list item saying what `!forget me confirm` erases of this plugin's data
    # (it subscribes to "people.forget"); `!forget me` lists the items of the plugins enabled.
    forgets: ClassVar[str | None] = None
    # Further config sections this plugin owns under another name (e.g. [digests] for notes),
    # section name → frozen dataclass; read with `self.section(name)`.
    extra_sections: ClassVar[dict[str, type]] = {}

    def __init__(self, core: Core, config: Any, log: logging.Logger) -> None:
        self.core = core
        self.config = config
        self._extra = {
            name: load_section(schema, core.config.plugin_sections.get(name, {}), name, core.config.path)
            for name, schema in self.extra_sections.items()
        }
        self.log = log
        self.db = core.db
        self.notices = core.notices
        self.scheduler = core.scheduler
        self.clock = core.clock

    def section(self, name: str) -> Any:
        """One of this plugin's `extra_sections`, checked and with its defaults."""
        return self._extra[name]

    async def start(self) -> None:
        """Called once the database is migrated: rebuild timed jobs here."""

    async def stop(self) -> None:
        """Called on shutdown."""

    async def export(self, tx: Tx) -> dict[str, Any] | None:
        """This plugin's data for the organizers' `!export` (JSON-able), or None."""
        return None

    def plugin(self, name: str) -> Any:
        """Another plugin this one `requires`, for its small public API."""
        if name not in self.requires:
            raise RuntimeError(f"{self.name} must declare requires=({name!r},) to use it")
        return self.core.plugins[name]

    def listeners(self) -> list[tuple[type, Listener]]:
        return self._marked("__flipchart_on__")

    def subscriptions(self) -> list[tuple[str, Listener]]:
        return self._marked("__flipchart_subscribe__")

    def _marked(self, marker: str) -> list[tuple[Any, Listener]]:
        """(mark, bound method) for each method a decorator marked with `marker`."""
        found = []
        for attr in dir(type(self)):
            mark = getattr(getattr(type(self), attr, None), marker, None)
            if mark is not None:
                found.append((mark, getattr(self, attr)))
        return found


