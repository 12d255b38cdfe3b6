"""The [sessions] config section: capacity, promotion notices, session rooms and the session clock."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ConfigError

PROMOTION_CHANNELS = ("direct", "lobby")


@dataclass(frozen=True)
class SessionsConfig:
    # Seats per session when neither `!cap` nor the location's capacity says otherwise.
    default_cap: int = 8
    # How a person promoted from a waitlist is told: "direct" (a direct chat) or "lobby" (a mention there).
    notify_promotion: str = "direct"
    # Make an invite-only room per scheduled session, inside the event's space.
    create_rooms: bool = True
    # Encrypt the session rooms (the bot reads them through its own E2EE device).
    encrypted_rooms: bool = False
    # Minutes before the start: participants are mentioned; minutes before the end: the wrap-up reminder.
    reminder_minutes: int = 10
    wrapup_minutes: int = 5

    def __post_init__(self) -> None:
        if self.notify_promotion not in PROMOTION_CHANNELS:
            raise ConfigError(
                f'`sessions.notify_promotion` = {self.notify_promotion!r}: write "direct" or "lobby".'
            )
        if self.default_cap < 1:
            raise ConfigError("`sessions.default_cap` must be at least 1.")
        if self.reminder_minutes < 0 or self.wrapup_minutes < 0:
            raise ConfigError(
                "`sessions.reminder_minutes` and `sessions.wrapup_minutes` cannot be negative."
            )
