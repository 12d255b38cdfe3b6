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
import re  # noqa: E402

import pytest  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.render import (  # noqa: E402
    _CLEANER,
    _MAX_DEPTH,
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    cleaned_without_parsing,
    escape,
    full_markdown,
)

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


# Sanitising without nh3 (`cleaned_without_parsing`): what it returns is what nh3 returns, or it declines.
# Text with what html5ever rewrites: markup characters, entity-like text, NUL, CR, no-break spaces, byte order
# marks, controls, astral characters; escaped as a fragment's builder escapes it (html.escape).
TEXT_PIECES = st.one_of(
    st.characters(exclude_categories=("Cs",)),  # lone surrogates: see the test of what nh3 refuses
    st.sampled_from(["<", ">", "&", '"', "'", "\xa0", "\r", "\r\n", "\0", "\n", "\t", "\ufeff", "\x01", "\x7f", "\x85"]),
    st.sampled_from(["&amp;", "&lt;", "&#39;", "&#x27;", "&quot;", "&nbsp;", "&amp", "&eacute;", "&#0;", "\U0001f600"]),
)
ESCAPED_TEXT = st.builds(
    lambda pieces, quote: html.escape("".join(pieces), quote=quote), st.lists(TEXT_PIECES, max_size=8), st.booleans()
)
SPACE = st.sampled_from(["", " ", "\n", "\t\n "])


def spaced(part: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A table's part after some white space: the only text a table keeps where it stands between its parts."""
    return st.builds(str.__add__, SPACE, part)


def element(tags: st.SearchStrategy[str], inside: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, content: f"<{tag}>{content}</{tag}>", tags, inside)


def joined(parts: st.SearchStrategy[str], max_size: int = 3) -> st.SearchStrategy[str]:
    return st.lists(parts, max_size=max_size).map("".join)


# Well nested, and within HTML's content model (what html5ever keeps where it stands, as every fragment we build
# is): phrasing inside phrasing, no link inside a link, cells in rows in table sections.
FORMATTING = st.sampled_from(["b", "strong", "i", "em", "u", "s", "del", "code", "span"])
INLINE_NO_LINK = st.deferred(
    lambda: st.one_of(ESCAPED_TEXT, st.just("<br>"), element(FORMATTING, joined(INLINE_NO_LINK)))
)
INLINE = st.deferred(
    lambda: st.one_of(
        ESCAPED_TEXT,
        st.just("<br>"),
        element(FORMATTING, joined(INLINE)),
        element(st.just("a"), joined(INLINE_NO_LINK)),
    )
)
FLOW = st.deferred(lambda: joined(st.one_of(INLINE, BLOCK)))
ROW = element(st.just("tr"), joined(spaced(element(st.sampled_from(["td", "th"]), FLOW))))
TABLE_SECTION = element(st.sampled_from(["thead", "tbody"]), joined(spaced(ROW)))
BLOCK = st.deferred(
    lambda: st.one_of(
        element(st.sampled_from(["p", "h3", "h4", "h5", "h6", "pre"]), joined(INLINE)),
        st.just("<hr>"),
        element(st.just("blockquote"), FLOW),
        element(st.sampled_from(["ul", "ol"]), joined(element(st.just("li"), FLOW))),
        element(st.just("table"), joined(spaced(TABLE_SECTION), max_size=2)),
    )
)
WELL_NESTED = joined(st.one_of(INLINE, BLOCK), max_size=4)


@settings(max_examples=1000, deadline=None)
@given(WELL_NESTED)
def test_well_nested_bare_tags_come_out_as_nh3_writes_them(fragment):
    expected = _CLEANER.clean(fragment)
    assert sanitise(fragment) == expected
    rewritten = "\0" in fragment or "\r" in fragment or "<pre>\n" in fragment or fragment.startswith("\ufeff")
    if not rewritten and depth(fragment) <= _MAX_DEPTH:  # then nh3 was not needed
        assert cleaned_without_parsing(fragment) == expected


def depth(fragment: str) -> int:
    deepest = level = 0
    for slash in re.findall(r"<(/?)(?!br>|hr>)", fragment):
        level += -1 if slash else 1
        deepest = max(deepest, level)
    return deepest


def test_an_agenda_table_is_sanitised_without_nh3():
    """Built as plugins/agenda/view.py builds a day: bare tags, user text through html.escape."""
    label, title, room = html.escape('Talks & "more"'), html.escape("Topic it's"), html.escape("Room <A>")
    cells = "".join(f"<td>#{123 + col} {title} (5/8)</td>" for col in range(50))
    rows = "".join(f"<tr><td><b>S{row}</b> 10:00–10:45<br>{label}</td>{cells}</tr>" for row in range(16))
    header = "".join(f"<th>{room} {col}</th>" for col in range(50))
    table = f"<h4>Agenda\xa0—</h4><table><thead><tr><th>Time</th>{header}</tr></thead><tbody>{rows}</tbody></table>"
    assert cleaned_without_parsing(table) == _CLEANER.clean(table)


@pytest.mark.parametrize(
    "fragment",
    [
        "<td onclick=x>a</td>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="https://example.org">x</a>',
        "<script>alert(1)</script>",
        "<img src=x>",
        "<TD>a</TD>",
        "<b >a</b>",
        "<br/>",
        "a < b",
        "a > b",
        "<b>a > b</b>",
        "a <!-- c --> b",
        "<![CDATA[x]]>",
        "&eacute;",
        "&#39;",
        "&amp",
        "a & b",
        "<b>open",
        "</b>",
        "<b><i>x</b></i>",
        "</br>",
        "<hr></hr>",
        "x\0y",
        "a\rb\r\nc",
        "<pre>\nx</pre>",
        "\ufeffx",
        "<b>" * 11 + "x" + "</b>" * 11,
    ],
)
def test_anything_else_is_left_to_nh3(fragment):
    assert cleaned_without_parsing(fragment) is None
    assert sanitise(fragment) == _CLEANER.clean(fragment)


def test_a_lone_surrogate_is_refused_as_nh3_refuses_it():
    for clean in (sanitise, _CLEANER.clean):
        with pytest.raises(UnicodeEncodeError):
            clean("<td>\ud800</td>")


MARKUP_PIECES = st.sampled_from(
    [
        "<", ">", "</", "/>", "<!--", "-->", "<![CDATA[", "]]>", "&", ";", "&amp;", "&quot;", "&#x27;", "&#0;",
        "=", '"', "'", " ", "\0", "\r", "\n", "\xa0", "x", "javascript:alert(1)", "https://e.org",
        "onclick", "href", "src", "style", "colspan", "start", "TD", "img", "script", "svg", "math", "iframe",
        *sorted(ALLOWED_TAGS),
    ]
)
MARKUP_SOUP = st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=3)), max_size=40).map("".join)
# A well-nested fragment spoilt once: what a check that lets too much through would let through.
INTO_A_TAG = st.sampled_from([" onclick=x", ' href="javascript:alert(1)"', ' style="x"', " colspan=2", " src=x", "/"])
ANYWHERE = st.sampled_from(
    ["<script>x()</script>", "<img src=x>", "<TD>", "<svg><a href=javascript:x>", "<!--", "<", ">"]
    # Unescaped: entities html.escape never writes. "&amp" cut short is followed by a space: put before a ";"
    # it would make the very "&amp;" html.escape writes, which spoils nothing.
    + ["&eacute;", "&#39;", "&#x3C;", "&nbsp;", "&amp ", "& "]
)


def spoilt(fragment: str, into_a_tag: str, anywhere: str, at: int) -> str:
    ends = [i for i, c in enumerate(fragment) if c == ">"]
    if ends and at % 2:  # into a tag, before its ">"
        end = ends[at % len(ends)]
        return fragment[:end] + into_a_tag + fragment[end:]
    at %= len(fragment) + 1
    return fragment[:at] + anywhere + fragment[at:]


SPOILT = st.builds(spoilt, WELL_NESTED, INTO_A_TAG, ANYWHERE, st.integers(0, 10**6))


@settings(max_examples=500, deadline=None)
@given(SPOILT)
@example(spoilt("<br>&amp;lt;", " onclick=x", "&amp ", 128))  # once drew "&amp" before ";": no spoil at all
def test_a_well_nested_fragment_spoilt_once_is_left_to_nh3(fragment):
    assert cleaned_without_parsing(fragment) is None
    assert sanitise(fragment) == _CLEANER.clean(fragment)


TAG = re.compile(r"<(/?)([^\s/>]*)([^>]*)>")
ATTRIBUTE = re.compile(r'\s+([^\s=]+)="[^"]*"')


@settings(max_examples=1000, deadline=None)
@given(st.one_of(MARKUP_SOUP, SPOILT))
def test_whatever_goes_in_no_tag_or_attribute_outside_the_allowlist_comes_out(fragment):
    out = sanitise(fragment)
    assert out.count("<") == len(TAG.findall(out)), (fragment, out)  # every "<" opens a tag, read below
    for slash, name, attributes in TAG.findall(out):
        assert name in ALLOWED_TAGS, (fragment, out)
        assert ATTRIBUTE.sub("", attributes) == "" and not (slash and attributes), (fragment, out)
        assert set(ATTRIBUTE.findall(attributes)) <= ALLOWED_ATTRIBUTES.get(name, set()), (fragment, out)
