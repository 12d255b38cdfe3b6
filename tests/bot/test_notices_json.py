"""A reply's payload JSON, built of pieces kept with its rendered text, is what the outbox's encoder writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
import pytest_asyncio

from bot.i18n import Raw
from bot.notices import Html
from bot.outbox import encode_json
from bot.testing.harness import LOBBY, Harness

ROOM_TEXTS: list[Any] = [
    Raw("plain words"),
    Raw("**x** y"),  # the same body as the next, another HTML: the kept JSON follows the HTML too
    Raw("`x` y"),
    Raw('quotes " and \\\\ backslash, tab\t, bell\x07, 臺灣, 👩\u200d💻\n\n- a\n- b'),
    "user text with **stars** and a \"quote\"",
    [Raw("one"), Raw("two")],
    Raw("long " * 9000),  # sent in parts
    Html(body='Day "1"\n\tS1', html="<h4>Day \"1\"</h4><p>a\\b</p>"),
    Html.joined([
        Html(body="Day 1 — ok", html="<h4>Day 1</h4><table><tr><td>S1 · x</td></tr></table>"),
        Html(body='Day 2 "q"\x01', html='<h4 onclick="x()">Day 2</h4><script>bad()</script>'),
        Html.joined([Html(body="Day 3", html="<p>3</p>"), Html(body="Day 4\\", html="<p>4 &amp; é</p>")], "\n"),
    ]),
]


@pytest_asyncio.fixture
async def h() -> Any:
    harness = await Harness.create()
    yield harness
    await harness.close()


async def stored(h: Harness, text: Any, **kw: Any) -> list[str]:
    """The payloads `send` wrote for `text`, in part order."""
    async with h.bot.db.transaction() as tx:
        ref = await h.bot.core.notices.send(tx, LOBBY, text, lang="en", **kw)
        rows = await tx.fetchall("SELECT payload FROM core_outbox WHERE id >= ? ORDER BY id", (ref.row_id,))
    return [r["payload"] for r in rows]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "kw",
    [{}, {"reply_to": "$r"}, {"thread_root": "$t"}, {"reply_to": "$r", "thread_root": "$t", "mentions": ["@b:x", "@a:x", "@b:x"]}],
)
async def test_each_part_is_written_as_the_encoder_writes_its_content(h: Harness, kw: dict[str, Any]) -> None:
    for _ in range(2):  # the second time from the pieces kept
        for text in ROOM_TEXTS:
            contents = h.bot.core.notices.content(text, "en", **kw)
            payloads = await stored(h, text, **kw)
            assert payloads == [encode_json({"content": c}) for c in contents]
            assert [json.loads(p)["content"] for p in payloads] == contents
            # Mentions notify once: the first part only.
            mentioned = {"user_ids": ["@a:x", "@b:x"]} if "mentions" in kw else {}
            assert [c["m.mentions"] for c in contents] == [mentioned] + [{}] * (len(contents) - 1)
    assert len(await stored(h, ROOM_TEXTS[6])) > 1


@pytest.mark.asyncio
async def test_a_joined_html_is_sent_as_one_message_of_its_sanitised_parts(h: Harness) -> None:
    message = ROOM_TEXTS[-1]
    (content,) = h.bot.core.notices.content(message, "en")
    assert content["body"] == 'Day 1 — ok\n\nDay 2 "q"\x01\n\nDay 3\nDay 4\\'
    assert content["formatted_body"] == message.sanitised()
    assert "onclick" not in content["formatted_body"] and "<script" not in content["formatted_body"]


def test_an_html_is_given_its_body_or_its_body_fragments_not_both() -> None:
    assert Html(body_fragments=("a", "\n\n", "b"), html="<p>a</p>").body == "a\n\nb"
    with pytest.raises(ValueError, match="not both"):
        Html(body="x", body_fragments=("y",))
