"""[notes] and [digests] settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotesConfig:
    # Abuse limit: notes, expectations and action items one person may add per minute.
    per_minute: int = 10
    # Longest note text, in characters.
    max_length: int = 1000


@dataclass(frozen=True)
class DigestsConfig:
    # Distinct moderators whose approval publishes a digest.
    approvals_required: int = 1
