"""User mistakes as exceptions that carry the message shown to the user (one boundary replies)."""

from __future__ import annotations

from .i18n import T


class UserError(Exception):
    """Raised by handlers for anything the person can fix; the router replies with `text`."""

    def __init__(self, text: T) -> None:
        super().__init__(text.key)
        self.text = text


class UsageError(UserError):
    """The arguments do not fit the command; the reply adds the usage line."""


class PermissionDenied(UserError):
    pass


class NotFound(UserError):
    pass


class WrongPlace(UserError):
    """The command is meant for another kind of room (e.g. a direct chat)."""
