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


class Roles:
    def __init__(self, config: RolesConfig, power_level: Callable[[str], int] | None = None) -> None:
        self.config = config
        # Set once the moderation room is known: user_id -> power level there.
        self.power_level = power_level

    def of(self, user_id: str) -> frozenset[Role]:
        roles = {Role.EVERYONE}
        if user_id in self.config.organizers:
            roles.add(Role.ORGANIZER)
        if user_id in self.config.moderators:
            roles.add(Role.MODERATOR)
        elif self.config.moderators_from_power_level and self.power_level and self.power_level(user_id) >= 50:
            roles.add(Role.MODERATOR)
        if user_id in self.config.safety:
            roles.add(Role.SAFETY)
        return frozenset(roles)

    def members(self, role: Role) -> tuple[str, ...]:
        return {
            Role.ORGANIZER: self.config.organizers,
            Role.MODERATOR: self.config.moderators,
            Role.SAFETY: self.config.safety,
        }.get(role, ())
