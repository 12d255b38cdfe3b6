"""Property: over random defaults, per-session answers and withdrawals, the rule never quotes a `none`
person and never names an `anonymous` one — and always matches the person's latest answer."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.testing.harness import Harness, make_config
from plugins.badges import Badges

PEOPLE = ("@p0:test", "@p1:test", "@p2:test")
SESSIONS = (1, 2)
CHOICES = ("attributed", "anonymous", "none")
KEYS = {"✅": "attributed", "👤": "anonymous", "🚫": "none"}

ops = st.lists(
    st.one_of(
        st.tuples(st.just("default"), st.sampled_from(PEOPLE), st.sampled_from(CHOICES)),
        st.tuples(
            st.just("react"),
            st.sampled_from(PEOPLE),
            st.sampled_from(SESSIONS),
            st.sampled_from(tuple(KEYS)),
        ),
        st.tuples(st.just("unreact"), st.integers(min_value=0, max_value=30)),
    ),
    max_size=20,  # under the core's per-person command budget (20 per 30 s)
)


async def check(operations) -> None:

    h = await Harness.create(make_config(), plugins={"badges": Badges})
    try:
        for p in PEOPLE:
            h.transport.display_names[p] = f"Name of {p}"
        prompts = {}
        for s in SESSIONS:
            async with h.bot.db.transaction() as tx:
                await h.bot.core.bus.emit(tx, "sessions.started", topic_id=s)
            prompts[s] = (await h.drain())[0].event_id
        default: dict[str, str] = {}
        answer: dict[
            tuple[str, int], tuple[str, str]
        ] = {}  # (person, session) -> (choice, reaction id)
        reactions: list[tuple[str, str, int]] = []
        for op in operations:
            if op[0] == "default":
                _, who, choice = op
                await h.say(who, f"!consent {choice}")
                default[who] = choice
            elif op[0] == "react":
                _, who, s, key = op
                rid, _ = await h.react(who, prompts[s], key)
                reactions.append((rid, who, s))
                answer[(who, s)] = (KEYS[key], rid)
            elif reactions:
                rid, who, s = reactions[op[1] % len(reactions)]
                await h.redact(who, rid)
                if answer.get((who, s), (None, None))[1] == rid:
                    del answer[(who, s)]
        badges = h.bot.core.plugins["badges"]
        async with h.bot.db.transaction() as tx:
            for who in PEOPLE:
                for s in SESSIONS:
                    expected = (
                        answer[(who, s)][0] if (who, s) in answer else default.get(who, "none")
                    )
                    d = await badges.may_publish(tx, speaker=who, session_id=s)
                    assert await badges.consent_of(tx, who, s) == expected
                    if expected == "none":
                        assert not d.publishable and d.name is None
                    elif expected == "anonymous":
                        assert d.publishable and d.name is None
                    else:
                        assert d.publishable and d.name == f"Name of {who}"
    finally:
        await h.close()


@settings(max_examples=60, deadline=None)
@given(ops)
def test_consent_rule_follows_the_latest_answer_and_never_leaks(operations) -> None:
    asyncio.run(check(operations))
