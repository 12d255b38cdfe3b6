"""Read the TOML config into frozen dataclasses, with errors that name the file, the key and the fix."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MATRIX_ID = re.compile(r"^@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(:\d+)?$")
ROOM_REF = re.compile(r"^[!#][^:\s]+(:[A-Za-z0-9.\-]+(:\d+)?)?$")
LANGUAGES = ("en", "zh-TW")


class ConfigError(Exception):
    """A config mistake, phrased for the organizer: file, key, what is wrong and how to fix it."""


@dataclass(frozen=True)
class MatrixConfig:
    homeserver: str = ""
    user_id: str = ""
    password: str = ""
    access_token: str = ""
    device_name: str = "Flipchart"
    encryption: bool = True


@dataclass(frozen=True)
class StorageConfig:
    data_dir: str = "data"


@dataclass(frozen=True)
class BotConfig:
    prefix: str = "!"
    language: str = "en"
    allowed_servers: tuple[str, ...] = ()
    # Per-person command budget: `rate_limit_commands` within `rate_limit_seconds`.
    rate_limit_commands: int = 20
    rate_limit_seconds: int = 30
    max_command_length: int = 4000
    log_level: str = "INFO"


@dataclass(frozen=True)
class EventConfig:
    name: str = "Open Space"
    timezone: str = "UTC"
    space: str = ""


@dataclass(frozen=True)
class RolesConfig:
    organizers: tuple[str, ...] = ()
    moderators: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    # Power level >= 50 in the moderation room also counts as moderator.
    moderators_from_power_level: bool = True


@dataclass(frozen=True)
class RoomsConfig:
    lobby: str = ""
    announcements: str = ""
    moderation: str = ""
    safety: str = ""


@dataclass(frozen=True)
class PluginsConfig:
    # Empty means every plugin found in plugins/.
    enabled: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoreConfig:
    matrix: MatrixConfig = field(default_factory=MatrixConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    event: EventConfig = field(default_factory=EventConfig)
    roles: RolesConfig = field(default_factory=RolesConfig)
    rooms: RoomsConfig = field(default_factory=RoomsConfig)
    plugins: PluginsConfig = field(default_factory=PluginsConfig)


@dataclass(frozen=True)
class Config:
    """The whole config: the core's sections plus each plugin's own section (raw, checked by its schema)."""

    path: Path
    core: CoreConfig
    plugin_sections: dict[str, Any]
    data_dir: Path

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.core.event.timezone)


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"a list of {_type_name(typing.get_args(tp)[0])}s"
    return {str: "text", int: "a whole number", bool: "true or false", float: "a number"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _coerce(value: Any, tp: Any, where: str, file: Path) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is type(None) and value is None:
                return None
            try:
                return _coerce(value, arg, where, file)
            except ConfigError:
                continue
        raise ConfigError(f"{file}: `{where}` has the wrong type; expected {_type_name(tp)}.")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(
                f"{file}: `{where}` must be {_type_name(tp)}, e.g. [\"a\", \"b\"]; got {value!r}."
            )
        (item_tp, *_) = typing.get_args(tp)
        return tuple(_coerce(v, item_tp, f"{where}[{i}]", file) for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: `{where}` must be a table ([{where}]).")
        return load_section(tp, value, where, file)
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is int and isinstance(value, bool) or not isinstance(value, tp):
        raise ConfigError(
            f"{file}: `{where}` must be {_type_name(tp)}; got {value!r}. Fix the value in the file."
        )
    return value


def load_section(schema: type, raw: dict[str, Any], section: str, file: Path) -> Any:
    """Build one frozen dataclass from a TOML table, refusing unknown keys and wrong types."""
    hints = typing.get_type_hints(schema)
    names = {f.name for f in dataclasses.fields(schema)}
    unknown = sorted(set(raw) - names)
    if unknown:
        known = ", ".join(sorted(names)) or "(none)"
        raise ConfigError(
            f"{file}: unknown key `{section}.{unknown[0]}`. Known keys in [{section}]: {known}."
        )
    values = {k: _coerce(v, hints[k], f"{section}.{k}", file) for k, v in raw.items()}
    return schema(**values)


def _check_matrix_id(value: str, key: str, file: Path) -> None:
    if not MATRIX_ID.match(value):
        raise ConfigError(
            f"{file}: `{key}` = {value!r} is not a Matrix ID; write it as @name:server.example."
        )


def _validate(core: CoreConfig, file: Path) -> None:
    m = core.matrix
    if not m.homeserver.startswith(("http://", "https://")):
        raise ConfigError(
            f"{file}: `matrix.homeserver` must be the homeserver's URL, e.g. \"https://matrix.example.org\"."
        )
    _check_matrix_id(m.user_id, "matrix.user_id", file)
    if not (m.password or m.access_token):
        raise ConfigError(
            f"{file}: set `matrix.password` or `matrix.access_token` "
            "(or the FLIPCHART_PASSWORD / FLIPCHART_ACCESS_TOKEN environment variable)."
        )
    if core.bot.language not in LANGUAGES:
        raise ConfigError(f"{file}: `bot.language` must be one of {', '.join(LANGUAGES)}.")
    if not core.bot.prefix or any(c.isspace() for c in core.bot.prefix):
        raise ConfigError(f"{file}: `bot.prefix` must be a non-empty text without spaces, e.g. \"!\".")
    try:
        ZoneInfo(core.event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{file}: `event.timezone` = {core.event.timezone!r} is not a time zone; "
            "use an IANA name such as \"Asia/Taipei\" or \"Europe/Berlin\"."
        ) from None
    for role in ("organizers", "moderators", "safety"):
        for i, uid in enumerate(getattr(core.roles, role)):
            _check_matrix_id(uid, f"roles.{role}[{i}]", file)
    for name in ("lobby", "announcements", "moderation", "safety"):
        ref = getattr(core.rooms, name)
        if ref and not ROOM_REF.match(ref):
            raise ConfigError(
                f"{file}: `rooms.{name}` = {ref!r} is neither a room id (!abc:server) nor an alias (#name:server)."
            )
    if core.bot.rate_limit_commands < 1 or core.bot.rate_limit_seconds < 1:
        raise ConfigError(f"{file}: `bot.rate_limit_commands` and `bot.rate_limit_seconds` must be at least 1.")


CORE_SECTIONS = {f.name for f in dataclasses.fields(CoreConfig)}


def load(path: str | os.PathLike[str], plugin_sections: set[str] | frozenset[str] = frozenset()) -> Config:
    """Load and check the config file; `plugin_sections` are the extra tables plugins own."""
    file = Path(path).expanduser().resolve()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{file}: no such file. Copy config.example.toml there and edit it."
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{file}: not valid TOML ({err}).") from None
    except OSError as err:
        raise ConfigError(f"{file}: cannot be read ({err.strerror}).") from None

    unknown = sorted(set(raw) - CORE_SECTIONS - set(plugin_sections))
    if unknown:
        known = ", ".join(sorted(CORE_SECTIONS | set(plugin_sections)))
        raise ConfigError(f"{file}: unknown section [{unknown[0]}]. Known sections: {known}.")

    matrix_raw = dict(raw.get("matrix", {}))
    for env, key in (("FLIPCHART_PASSWORD", "password"), ("FLIPCHART_ACCESS_TOKEN", "access_token")):
        if os.environ.get(env):
            matrix_raw[key] = os.environ[env]
    core_raw = {k: v for k, v in raw.items() if k in CORE_SECTIONS}
    core_raw["matrix"] = matrix_raw
    hints = typing.get_type_hints(CoreConfig)
    for name, value in core_raw.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: `{name}` must be a table: write it as [{name}] with keys below it.")
    core = CoreConfig(**{k: load_section(hints[k], v, k, file) for k, v in core_raw.items()})
    _validate(core, file)
    data_dir = Path(core.storage.data_dir).expanduser()
    if not data_dir.is_absolute():
        data_dir = file.parent / data_dir
    sections = {k: v for k, v in raw.items() if k not in CORE_SECTIONS}
    return Config(path=file, core=core, plugin_sections=sections, data_dir=data_dir)
