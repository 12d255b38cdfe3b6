"""[badges] settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadgesConfig:
    # The summit's `[privacy] retention_days` lives here: consent history tied to a session is purged this
    # many days after that session's digest was published; default-consent history older than this too.
    retention_days: int = 30
