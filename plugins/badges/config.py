"""[badges] and [privacy] settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadgesConfig:
    """Badges need no settings; the section is kept for future ones."""


@dataclass(frozen=True)
class PrivacyConfig:
    # Consent records of a session are purged this many days after its digest was published or rejected
    # (bus event "notes.closed"), and so are that session's raw notes; default-consent history older than
    # this too (the newest change of each person stays). Published digests stay.
    retention_days: int = 30
