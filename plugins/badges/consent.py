"""The consent rule, in one place: which answer counts, and what it allows."""

from __future__ import annotations

from dataclasses import dataclass

CHOICES = ("attributed", "anonymous", "none")
# Reactions on the start-of-session prompt → the answer for that session only.
REACTION_CHOICES = {"✅": "attributed", "👤": "anonymous", "🚫": "none"}


@dataclass(frozen=True)
class Decision:
    """May a text be published, and under which name (None: as "a participant", or not at all)."""

    publishable: bool
    name: str | None


def effective_choice(default: str | None, session_answer: str | None) -> str:
    """The answer for this session wins over the default; nobody who never answered is quoted."""
    return session_answer or default or "none"


def decide(choice: str, name: str) -> Decision:
    if choice == "attributed":
        return Decision(publishable=True, name=name)
    if choice == "anonymous":
        return Decision(publishable=True, name=None)
    return Decision(publishable=False, name=None)


def reaction_choice(key: str) -> str | None:
    """Clients may add a variation selector (U+FE0F) to the emoji."""
    return REACTION_CHOICES.get(key.replace("\ufe0f", ""))
