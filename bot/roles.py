"""Who is an organizer, moderator or safety-team member: the config lists, plus power in the moderation room."""

from __future__ import annotations

import enum
from collections.abc import Callable

from .config import RolesConfig


class Role(enum.Enum):
    EVERYONE = "everyone"
    ORGANIZER = "organizer"
    MODERATOR = "moderator"
    SAFETY = "safety"


# Every combination, built once: asked at every command (most people hold none of them).
_ROLE_SETS = {
    (organizer, moderator, safety): frozenset(
        {Role.EVERYONE}
        | ({Role.ORGANIZER} if organizer else set())
        | ({Role.MODERATOR} if moderator else set())
        | ({Role.SAFETY} if safety else set())
    )
    for organizer in (False, True)
    for moderator in (False, True)
    for safety in (False, True)
}


class Roles:
    def __init__(self, config: RolesConfig, power_level: Callable[[str], int] | None = None) -> None:
        self.config = config
        # Set once the moderation room is known: user_id -> power level there.
        self.power_level = power_level

    def of(self, user_id: str) -> frozenset[Role]:
        config = self.config
        moderator = user_id in config.moderators or bool(
            config.moderators_from_power_level and self.power_level and self.power_level(user_id) >= 50
        )
        return _ROLE_SETS[(user_id in config.organizers, moderator, user_id in config.safety)]

    def members(self, role: Role) -> tuple[str, ...]:
        return {
            Role.ORGANIZER: self.config.organizers,
            Role.MODERATOR: self.config.moderators,
            Role.SAFETY: self.config.safety,
        }.get(role, ())
