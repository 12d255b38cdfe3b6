"""Markdown → sanitised HTML and a plain twin that reads well alone."""

from __future__ import annotations

from bot.render import markdown, pill, sanitise


def test_lists_links_and_emphasis_have_a_readable_plain_twin():
    out = markdown("**Agenda**\n\n- one\n- two\n\n1. first\n2. second\n\nSee [the notes](https://example.org/n).")
    assert "<strong>Agenda</strong>" in out.html
    assert "• one\n• two" in out.body
    assert "1. first\n2. second" in out.body
    assert "the notes (https://example.org/n)" in out.body
    assert "**" not in out.body


def test_pills_read_as_names_in_the_plain_body():
    out = markdown(f"Hello {pill('@alice:example.org', 'Alice')}")
    assert out.body == "Hello Alice"
    assert 'href="https://matrix.to/#/@alice:example.org"' in out.html


def test_sanitiser_drops_scripts_handlers_and_bad_schemes():
    html = sanitise('<p onclick="x()">hi</p><script>bad()</script><a href="javascript:bad()">x</a><img src="y">')
    assert "script" not in html and "onclick" not in html and "javascript" not in html and "<img" not in html
    assert "<p>hi</p>" in html


def test_tables_are_allowed_in_html():
    assert "<table>" in sanitise("<table><tr><td>a</td></tr></table>")


import html  # noqa: E402

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.render import escape, full_markdown  # noqa: E402

TRICKY = st.text(alphabet=st.sampled_from(list("ab #*_[]()<>!&~|=+-.1:\\`@\"' \t\n\u2060é中")), max_size=30)


@settings(max_examples=2000, deadline=None)
@given(template=TRICKY, value=TRICKY)
@example(template="1`\t`", value="")  # a code span of a tab ends the text: the plain body is stripped
def test_the_plain_fast_path_loses_nothing_markdown_it_would_show(template, value):
    for source in (template, f"{template}{escape(value)}", escape(value), f"{template}\n\n{escape(value)}"):
        fast, full = markdown(source), full_markdown(source)
        assert fast.body == full.body, repr(source)
        if fast.html is None:  # plain text only: markdown-it's HTML is that very text in paragraphs
            paragraphs = full.html.split("\n")
            inners = [p.removeprefix("<p>").removesuffix("</p>") for p in paragraphs]
            assert paragraphs == [f"<p>{inner}</p>" for inner in inners], repr(source)
            assert not any("<" in inner for inner in inners), repr(source)
            assert "\n\n".join(html.unescape(inner) for inner in inners) == full.body, repr(source)
        else:
            assert fast == full, repr(source)


def test_typical_one_line_replies_take_the_fast_path():
    for source in (
        "pong",
        "Voted for #1 Open data\\.",
        "You have a seat in #3 (1/8), 10:00–10:45, Room A.",
        "a & b < c",
    ):
        assert markdown(source).html is None, source
    for source in ("**bold**", "- item", "line\nbreak", "[x](https://e.org)", "`code`"):
        assert markdown(source).html is not None, source


def test_paragraphs_without_syntax_take_the_fast_path_too():
    out = markdown("Voted for #4 Open data\\.\n\nYou vote for 1 topic(s).")
    assert out.html is None
    assert out.body == "Voted for #4 Open data.\n\nYou vote for 1 topic(s)."
    for source in ("one\n\n**two**", "one\n\n\ntwo", "one\n\n- two", "one\ntwo\n\nthree"):
        assert markdown(source).html is not None, source


def test_an_ordered_list_from_zero_counts_from_zero_in_the_plain_body_too():
    out = full_markdown("0. first\n1. second")
    assert '<ol start="0">' in out.html
    assert out.body == "0. first\n1. second"


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_escape_answers_alike_from_its_cache_and_for_long_texts(text):
    """Short texts' escapes are kept (`_escape_short`); long ones are escaped each time: the same either way."""
    from bot.render import _SHORT, _escape

    assert escape(text) == escape(text) == _escape(text)
    assert escape(text + "*" * _SHORT) == _escape(text) + "\\*" * _SHORT


def test_escape_is_literal_markdown_and_breaks_room_pings():
    assert escape("a_b *c* @room") == "a\\_b \\*c\\* \\@\u2060room"
    assert escape("a_b *c* @room " + "x" * 200).startswith("a\\_b \\*c\\* \\@\u2060room")
