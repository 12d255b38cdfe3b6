"""The [topics] section: voting dots and abuse limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicsConfig:
    # Dot voting: how many open topics one person may vote for at once (0 = unlimited).
    votes_per_person: int = 0
    # Abuse limit: open (proposed or scheduled) topics per proposer; organizers are exempt.
    max_open_per_person: int = 10
    title_max_length: int = 200
