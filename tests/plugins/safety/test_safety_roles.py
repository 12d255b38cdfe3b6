"""Role checks across the whole bot: every command reserved for organizers, moderators or the safety team
refuses an ordinary person with the translated "Only … may use …", in English and in Traditional Chinese."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.app import discover_plugins
from bot.config import BotConfig, RoomsConfig
from bot.i18n import T
from bot.render import markdown
from bot.roles import Role
from bot.testing.harness import LOBBY, MODERATOR, ORGANIZER, SAFETY, Harness, make_config

ALICE = "@alice:test"  # no role at all
HOLDER = {Role.ORGANIZER: ORGANIZER, Role.MODERATOR: MODERATOR, Role.SAFETY: SAFETY}


def installable() -> dict:
    """Every plugin in plugins/ whose requirements are there too (a teammate's plugin may still be missing)."""
    classes = discover_plugins()
    while missing := [n for n, c in classes.items() if any(r not in classes for r in c.requires)]:
        for name in missing:
            del classes[name]
    return classes


@pytest_asyncio.fixture
async def everything() -> AsyncIterator[Harness]:
    """Every plugin in plugins/, as in production; a generous command budget (this test sends many)."""
    config = make_config(
        rooms=RoomsConfig(lobby=LOBBY, safety="!safety:test"),
        bot=BotConfig(rate_limit_commands=10_000, rate_limit_seconds=1),
    )
    harness = await Harness.create(config, plugins=installable())
    yield harness
    await harness.close()


def privileged(h: Harness) -> list[tuple[str, Role]]:
    return [
        (b.spec.name, b.spec.role)
        for b in h.bot.router.commands
        if b.spec.role is not Role.EVERYONE
    ]


def refusal(h: Harness, name: str, role: Role, lang: str) -> str:
    text = T("core.not_allowed", command=f"!{name}", role=T(f"core.role.{role.value}"))
    return markdown(h.bot.catalogue.render(text, lang)).body


async def use_traditional_chinese(h: Harness, user_id: str) -> None:
    if "badges" in h.bot.core.plugins:
        assert "繁體中文" in await h.reply_text(user_id, "!me lang zh-TW")
    else:
        async with h.bot.db.transaction() as tx:
            await h.bot.core.preferences.set_language(tx, user_id, "zh-TW")


async def test_the_table_covers_the_safety_commands(everything: Harness) -> None:
    table = dict(privileged(everything))
    assert table["answer"] is Role.SAFETY and table["reports"] is Role.SAFETY
    assert table["status"] is Role.ORGANIZER  # the core's own
    if "notes" in everything.bot.core.plugins:
        assert Role.MODERATOR in table.values()  # the digest review


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
async def test_every_reserved_command_refuses_an_ordinary_person(
    everything: Harness, lang: str
) -> None:
    h = everything
    if lang == "zh-TW":
        await use_traditional_chinese(h, ALICE)
    for name, role in privileged(h):
        reply = await h.reply_text(ALICE, f"!{name}")
        assert reply == refusal(h, name, role, lang), (name, reply)
    if lang == "zh-TW":
        assert refusal(h, "answer", Role.SAFETY, lang) == "只有安心小組可以使用 !answer。"
    else:
        assert refusal(h, "answer", Role.SAFETY, lang) == "Only the safety team may use !answer."


async def test_role_holders_get_past_the_role_check(everything: Harness) -> None:
    h = everything
    for name, role in privileged(h):
        for holder in HOLDER.values():
            reply = await h.reply_text(holder, f"!{name}", room="!safety:test")
            refused = reply == refusal(h, name, role, "en")
            assert refused is (role not in h.bot.core.roles.of(holder)), (name, holder, reply)
