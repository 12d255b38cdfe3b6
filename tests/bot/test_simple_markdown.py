"""The parser-free path for common replies renders exactly what markdown-it renders, or declines."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import simple_markdown
from bot.render import _CLEANER, _MD, built_safely, escape, full_markdown, markdown

FRAGMENTS = [
    "a", "b", "Topic", " ", "  ", "**", "*", "***", "`", "``", "\\", "\\-", "\\*", "\\`", "\\_", "- ", "-", "#",
    "# ", "1. ", "2)", "\n", "\n\n", "\n\n\n", "中文", "<", ">", "&", '"', "'", ".", ",", ")", "(", "_", "[", "]",
    "!", "~", "|", "\u00a0", "é", ":", "=", "+ ", "> ", "\t", "@room", "(1/8)", "—", "١. ", "٢",
]
RANDOM_SOURCE = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)

WORDS = st.text(alphabet=st.sampled_from(list("ab #*_[]()<>!&~|=+-.1:\\`@\"' é中")), min_size=1, max_size=12)
INLINE = st.one_of(
    WORDS.map(escape),
    WORDS.map(lambda w: f"**{escape(w)}**"),
    st.sampled_from(["`!vote 3`", "`!join 12`", "(1/8)", "—", "10:00–10:45", "Room A."]),
)
LINE = st.lists(INLINE, min_size=1, max_size=5).map(" ".join)
MARKER = st.one_of(st.just("-"), st.tuples(st.sampled_from(["0", "1", "2", "07", "10"]), st.sampled_from(".)")).map("".join))
ITEM = st.tuples(MARKER, st.integers(1, 6), LINE).map(lambda m_pad_line: m_pad_line[0] + " " * m_pad_line[1] + m_pad_line[2])
BLOCK = st.one_of(LINE, st.lists(ITEM, min_size=1, max_size=4).map("\n".join))
REPLY_LIKE = st.lists(BLOCK, min_size=1, max_size=4).map("\n\n".join)


def assert_same_as_markdown_it(source: str) -> bool:
    simple = simple_markdown.render(source)
    if simple is None:
        return False
    body, html = simple
    assert html == _MD.render(source), repr(source)
    assert body == full_markdown(source).body, repr(source)
    return True


@settings(max_examples=1000, deadline=None)
@given(RANDOM_SOURCE)
def test_whatever_it_accepts_of_random_syntax_markdown_it_renders_alike(source):
    assert_same_as_markdown_it(source)


@settings(max_examples=1000, deadline=None)
@given(REPLY_LIKE)
def test_whatever_it_accepts_of_reply_shaped_texts_markdown_it_renders_alike(source):
    assert_same_as_markdown_it(source)


def test_digits_of_other_scripts_make_no_list():
    """CommonMark's list numbers are ASCII digits only: "١." (Arabic-Indic one) starts a paragraph."""
    for source in ("١. first\n٢. second", "٣) third", "a\n\n١. b"):
        assert_same_as_markdown_it(source)
        assert "<ol" not in (markdown(source).html or "")  # None: a plain paragraph, no HTML needed


def test_typical_replies_take_it():
    for source in (
        "You have a seat in **#6 Topic 0\\-5** (1/8), 2026\\-12\\-01 08:00–08:30, Room5\\.",
        "**#6 Topic 0\\-5** — 1/8, Room5\n\n- p7 — @p7:test\n- p8 — @p8:test",
        "**#39 Topic 3\\-8** — 2/8, Room8\n\n-  p16 — \\@p16\\:test\n-  p0 — \\@p0\\:test",
        "**#56 Something new** — proposed by p7\n\nReact with 👍 to vote (or type `!vote 56`).",
        "**議程** 中文\n\n- 一\n- 二",
        "**#5 Topic** — 8/8\n\n-  p85 — \\@p85\\:test\n\n**Waitlist** (2)\n\n1.  p21 — \\@p21\\:test\n2.  p77",
        "Later:\n\n3) third\n4) fourth",
    ):
        assert assert_same_as_markdown_it(source), source
        assert markdown(source).html is not None


def test_it_declines_what_needs_another_rule():
    for source in (
        "[a link](https://example.org)",
        "_emphasis_",
        "# heading",
        "- item\n  continued",
        "- one\n\n- two",
        "- - nested",
        "1. first\n- second",
        "1. first\n2) second",
        "line\nbreak",
        "a**b**",
        "** spaced**",
        "~~gone~~",
        "`unclosed",
        "trailing ",
    ):
        assert simple_markdown.render(source) is None, source


def assert_within_the_allowlist_unsanitised(source: str) -> None:
    """What the simple path sends without nh3 is exactly what nh3 would have made of it."""
    simple = simple_markdown.render(source)
    if simple is None:
        return
    tags = set(re.findall(r"<[^>]*>", simple[1]))
    assert built_safely(tags), (source, tags)  # so `markdown` sends it as it is
    html = markdown(source).html
    if html is None:
        return
    assert html == simple[1].strip().replace("&quot;", '"').replace("\xa0", "&nbsp;")
    assert _CLEANER.clean(html) == html, repr(source)  # nh3 would change nothing


@settings(max_examples=1000, deadline=None)
@given(st.one_of(REPLY_LIKE, RANDOM_SOURCE))
def test_the_simple_path_needs_no_sanitiser(source):
    assert_within_the_allowlist_unsanitised(source)


def test_a_tag_the_simple_path_never_writes_would_still_be_cleaned(monkeypatch):
    # Should the simple renderer ever write something else, the check sends it through nh3.
    monkeypatch.setattr(
        simple_markdown, "render", lambda source: ("x", '<p>a <strong onclick="y()">b</strong><img src=z></p>\n')
    )
    html = markdown("anything").html
    assert "onclick" not in html and "<img" not in html and "<strong>b</strong>" in html


def test_only_the_simple_renderers_own_tags_are_built_safely():
    assert built_safely({"<p>", "</p>", "<strong>", "</strong>", "<code>", "</code>"})
    assert built_safely({'<ol start="3">', "<li>", "</li>", "</ol>"})
    assert not built_safely({"<p>", "<script>"})
    assert not built_safely({'<ol start="3" onclick="x()">', "<li>"})
    assert not built_safely({'<a href="https://example.org">', "<p>"})
