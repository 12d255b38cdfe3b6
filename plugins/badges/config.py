"""[badges] settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadgesConfig:
    # The design's `[privacy] retention_days` lives here: consent records of a session are purged this many
    # days after its digest was published or rejected (bus event "notes.closed"); default-consent history
    # older than this too (the newest change of each person stays).
    retention_days: int = 30
