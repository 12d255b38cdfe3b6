"""Guards that keep column names and languages to fixed lists are checks, not asserts: the container runs
with PYTHONOPTIMIZE=2, which drops every assert."""

from __future__ import annotations

import pytest

from bot.testing.harness import Harness
from plugins.badges.store import BadgeStore
from plugins.notes.store import NoteStore


async def test_a_language_outside_the_list_is_refused() -> None:
    h = await Harness.create(plugins={})
    try:
        async with h.bot.db.transaction() as tx:
            with pytest.raises(ValueError):
                await h.bot.preferences.set_language(tx, "@alice:test", "xx")
    finally:
        await h.close()


async def test_column_names_outside_the_lists_are_refused() -> None:
    h = await Harness.create(plugins={})
    try:
        async with h.bot.db.transaction() as tx:
            with pytest.raises(ValueError):
                await BadgeStore().set_field(tx, "@alice:test", "name = 'x', pronouns", "y")
            with pytest.raises(ValueError):
                await NoteStore().update_digest(tx, 1, **{"state = 'published' --": 1})
    finally:
        await h.close()
