"""Splitting a text too long for one event: each part fits, reads on its own, and no word is lost or cut needlessly."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest

from bot import notices
from bot.notices import MAX_CONTENT_BYTES, _chunks
from bot.render import escape, markdown
from bot.testing.harness import LOBBY, Harness


def fits(part: str) -> bool:
    # The measure `_chunks` promises: JSON-escaped text, doubled for its HTML twin.
    return len(json.dumps(part)) * 2 <= MAX_CONTENT_BYTES


def assert_split(source: str) -> list[str]:
    parts = _chunks(source)
    assert len(parts) > 1
    assert all(fits(p) for p in parts), [len(json.dumps(p)) * 2 for p in parts]
    assert all(p.strip() for p in parts)
    return parts


def test_parts_joined_give_back_every_word_in_order_and_none_is_over_the_limit() -> None:
    rng = random.Random(7)
    alphabet = ["word", "**bold**", "[link](https://example.org/a)", "\\-", "臺灣", "e\u0301", "👩\u200d💻", "x" * 300]
    for _ in range(4):
        chunks = []
        for _ in range(rng.randint(2000, 6000)):
            chunks.append(rng.choice(alphabet))
            chunks.append(rng.choice([" "] * 12 + ["\n", "\n\n", "\n- ", "\n\n1. "]))
        source = "".join(chunks)
        parts = assert_split(source)
        assert "\n\n".join(parts).split() == source.split()


def test_a_paragraph_of_long_words_is_cut_between_words() -> None:
    words = [f"{i}" + "abcdefghij" * 300 for i in range(40)]  # one paragraph, 120 KB, words of 3 KB
    parts = assert_split(" ".join(words))
    assert [w for p in parts for w in p.split()] == words


def test_a_single_100kb_word_is_cut_inside_it_only_because_it_must_and_parts_are_full() -> None:
    word = "".join(random.Random(1).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(100_000))
    parts = assert_split(word)
    assert "".join(parts) == word
    assert all(not fits(p + "x" * 10) for p in parts[:-1])  # no part needlessly short
    assert len(parts) == 8


def test_a_short_paragraph_before_a_huge_one_does_not_make_a_nearly_empty_part() -> None:
    parts = assert_split("Intro.\n\n" + "word " * 20_000)
    assert all(len(p) > 5_000 for p in parts[:-1])


def test_chinese_without_spaces_is_cut_between_characters_preferably_after_a_full_stop() -> None:
    sentence = "開放空間會議沒有事先排定的議程，大家當場提出題目並一起建立議程。"
    source = sentence * 400  # no space, no line break
    parts = assert_split(source)
    assert "".join(parts) == source
    assert all(p.endswith("。") for p in parts[:-1])
    no_stop = "臺灣開放資料" * 4000
    parts = assert_split(no_stop)
    assert "".join(parts) == no_stop


def test_a_character_built_of_several_code_points_is_never_cut() -> None:
    for cluster in ("e\u0301", "👩\u200d💻", "🇹🇼", "👍🏽", "✌\ufe0f"):
        for pad in range(4):  # move the limit across every code point of the cluster
            source = "a" * pad + cluster * 20_000
            parts = assert_split(source)
            assert "".join(parts) == source
            for part in [parts[0][pad:], *parts[1:]]:
                assert part == cluster * (len(part) // len(cluster)), (cluster, pad)


@pytest.mark.parametrize("reads_alike", [True, False], ids=["clean cut found", "no clean cut: the fallback"])
def test_an_escape_is_never_cut_from_the_character_it_escapes(reads_alike: bool, monkeypatch: Any) -> None:
    if not reads_alike:
        monkeypatch.setattr(notices, "_reads_alike", lambda text, i: False)
    for pad in range(3):  # the limit falls on the backslash and on the escaped character in turn
        for source in ("a" * pad + escape("-*_[" * 12_000), "a" * pad + escape("-*_[ " * 9_000)):
            parts = assert_split(source)
            assert "".join("".join(parts).split()) == "".join(source.split())  # nothing lost, nothing added
            for part in parts:
                trailing = len(part) - len(part.rstrip("\\"))
                assert trailing % 2 == 0, part[-10:]
                assert "\\" not in markdown(part).body


def test_escaped_words_split_at_spaces_keep_their_escapes() -> None:
    source = " ".join(escape(f"item-{i} (a.b) #{i}") for i in range(6_000))
    parts = assert_split(source)
    assert "\n\n".join(parts).split() == source.split()
    assert all("\\" not in markdown(p).body for p in parts)


def test_a_list_is_cut_between_items_and_an_ordered_one_keeps_counting() -> None:
    items = [f"{i}. item {i} " + "word " * 30 + f"\n   continued {i} " + "word " * 30 for i in range(1, 600)]
    source = "Steps:\n" + "\n".join(items)
    parts = assert_split(source)
    for part in parts[1:]:
        first = part.splitlines()[0]
        number = re.match(r"(\d+)\. item \1 ", first)
        assert number, first[:40]  # a whole item starts the part
        assert markdown(part).body.startswith(f"{number.group(1)}. item")  # not renumbered from 1
    assert all(p.rstrip().endswith("word") for p in parts)  # and ends it: continuation lines stay with it


def test_bold_links_and_code_are_not_cut_open_when_a_clean_boundary_is_near() -> None:
    piece = "**a bold phrase of a few words** then [a link with a label](https://example.org/x) and `a b c` plain. "
    parts = assert_split(piece * 800)
    for part in parts:
        body = markdown(part).body
        assert "**" not in body and "](" not in body and "`" not in body, body[-80:]


def test_a_cut_at_a_space_does_not_turn_the_next_part_into_a_list_heading_or_quote() -> None:
    source = "one - two + three # four > five 1. six " * 4000
    assert markdown(source[:200]).html is None  # whole, it is one paragraph without syntax: plain text
    for part in assert_split(source):
        html = markdown(part).html or "<p>"
        assert html.startswith("<p>") and html.count("<p>") == 1, html[:40]


async def test_every_event_of_a_long_message_fits_in_a_matrix_event() -> None:
    h = await Harness.create(plugins={})
    try:
        from bot.i18n import Raw

        text = "\n\n".join(["**Title**", "word " * 30_000, "臺灣" * 20_000, escape("a-b " * 10_000)])
        async with h.bot.db.transaction() as tx:
            await h.bot.core.notices.send(tx, LOBBY, Raw(text))
        await h.bot.outbox.drain()
        sent = h.transport.messages(LOBBY)
        assert len(sent) > 3
        assert all(len(json.dumps(s.content).encode()) < 60_000 for s in sent)
        bodies = "".join(s.content["body"] for s in sent)  # the CJK run is cut between characters
        assert "".join(bodies.split()) == "".join(markdown(text).body.split())
    finally:
        await h.close()
