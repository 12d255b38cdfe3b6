"""!consent, the start-of-session prompt answered with reactions, history and consent.changed."""

from __future__ import annotations

from typing import Any

from bot.testing.harness import LOBBY, Harness

ALICE, BOB = "@alice:test", "@bob:test"


async def emit(h: Harness, name: str, **payload: Any) -> list:
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, name, **payload)
    return await h.drain()


def record_changes(h: Harness) -> list[tuple[str, int | None]]:
    seen: list[tuple[str, int | None]] = []

    async def listener(tx, user_id, session_id):
        seen.append((user_id, session_id))

    h.bot.core.bus.subscribe("consent.changed", listener)
    return seen


async def decision(h: Harness, user: str, session: int | None):
    async with h.bot.db.transaction() as tx:
        return await h.bot.core.plugins["badges"].may_publish(tx, speaker=user, session_id=session)


async def test_nobody_is_publishable_until_they_answer(h: Harness) -> None:
    d = await decision(h, ALICE, 1)
    assert (d.publishable, d.name) == (False, None)


async def test_default_consent_decides_name_or_anonymous(h: Harness) -> None:
    h.transport.display_names[ALICE] = "Alice A."
    changes = record_changes(h)
    assert "quote me with my name" in await h.reply_text(ALICE, "!consent attributed")
    assert (await decision(h, ALICE, 3)).name == "Alice A."
    await h.reply_text(ALICE, "!consent anonymous")
    d = await decision(h, ALICE, 3)
    assert (d.publishable, d.name) == (True, None)
    assert changes == [(ALICE, None), (ALICE, None)]
    assert 'as "a participant"' in await h.reply_text(ALICE, "!consent")


async def test_session_start_posts_prompt_with_three_reactions(h: Harness) -> None:
    sent = await emit(h, "sessions.started", topic_id=7)
    prompt = sent[0]
    assert prompt.room_id == LOBBY  # no sessions plugin here: the lobby
    assert "#7" in prompt.content["body"]
    reactions = [
        (s.content["m.relates_to"]["event_id"], s.content["m.relates_to"]["key"]) for s in sent[1:]
    ]
    assert reactions == [(prompt.event_id, "✅"), (prompt.event_id, "👤"), (prompt.event_id, "🚫")]


async def test_reaction_overrides_default_for_that_session_only_and_removal_restores_it(
    h: Harness,
) -> None:
    changes = record_changes(h)
    await h.reply_text(ALICE, "!consent attributed")
    prompt = (await emit(h, "sessions.started", topic_id=7))[0]
    reaction_id, _ = await h.react(ALICE, prompt.event_id, "🚫")
    assert not (await decision(h, ALICE, 7)).publishable
    assert (await decision(h, ALICE, 8)).publishable  # another session: the default
    await h.redact(ALICE, reaction_id)
    assert (await decision(h, ALICE, 7)).publishable
    assert changes == [(ALICE, None), (ALICE, 7), (ALICE, 7)]
    async with h.bot.db.transaction() as tx:
        history = await h.bot.core.plugins["badges"].store.history(tx, ALICE)
    assert [(c.session_id, c.choice) for c in history] == [
        (None, "attributed"),
        (7, "none"),
        (7, None),
    ]


async def test_variation_selector_and_unrelated_reactions(h: Harness) -> None:
    prompt = (await emit(h, "sessions.started", topic_id=2))[0]
    await h.react(BOB, prompt.event_id, "✅\ufe0f")
    assert (await decision(h, BOB, 2)).publishable
    await h.react(ALICE, prompt.event_id, "🎉")  # not an answer
    await h.react(ALICE, "$some-other-message", "✅")  # not on a prompt
    assert not (await decision(h, ALICE, 2)).publishable


async def test_removing_an_older_reaction_keeps_the_newer_answer(h: Harness) -> None:
    prompt = (await emit(h, "sessions.started", topic_id=4))[0]
    first, _ = await h.react(ALICE, prompt.event_id, "✅")
    await h.react(ALICE, prompt.event_id, "👤")
    await h.redact(ALICE, first)
    d = await decision(h, ALICE, 4)
    assert (d.publishable, d.name) == (True, None)


async def test_consent_at_a_past_time_comes_from_history(h: Harness) -> None:
    await h.reply_text(ALICE, "!consent attributed")
    before = h.clock.now()
    h.clock.advance(minutes=10)
    await h.reply_text(ALICE, "!consent none")
    async with h.bot.db.transaction() as tx:
        badges = h.bot.core.plugins["badges"]
        then = await badges.may_publish(tx, speaker=ALICE, session_id=1, at=before)
        now = await badges.may_publish(tx, speaker=ALICE, session_id=1)
    assert then.publishable and not now.publishable
