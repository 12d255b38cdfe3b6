"""Explicit HTML twins (bot.notices.Html): always sanitised, a joined message fragment by fragment."""

from __future__ import annotations

import pytest

from bot import render
from bot.notices import Html


def test_a_joined_message_is_sanitised_fragment_by_fragment_and_reads_as_its_parts():
    days = [
        Html(body="Day 1\nS1 · Hall", html="<h4>Day 1</h4><table><tr><td>S1</td></tr></table>"),
        Html(body="Day 2", html='<h4 onclick="x()">Day 2</h4><script>bad()</script><img src=y>'),
    ]
    message = Html.joined(days)
    assert message.body == "Day 1\nS1 · Hall\n\nDay 2"
    assert message.fragments == (days[0].html, days[1].html)
    html = message.sanitised()
    assert html == render.sanitise(days[0].html) + render.sanitise(days[1].html)
    assert "<table>" in html and "<h4>Day 2</h4>" in html
    assert "onclick" not in html and "<script" not in html and "<img" not in html
    # Joined again, the fragments stay the parts' own.
    assert Html.joined([message, days[0]]).fragments == (days[0].html, days[1].html, days[0].html)


def test_a_fragment_left_unclosed_cannot_reach_into_the_next():
    message = Html.joined([Html(body="a", html="<b><table><tr><td>x"), Html(body="b", html="plain")])
    html = message.sanitised()
    assert html.endswith("plain") and html.count("<b>") == html.count("</b>")


def test_an_unchanged_fragment_is_not_parsed_again():
    render.sanitise.cache_clear()
    first = Html.joined([Html(body="1", html="<h4>Day 1</h4>"), Html(body="2", html="<h4>Day 2</h4>")])
    first.sanitised()
    changed = Html.joined([Html(body="1", html="<h4>Day 1</h4>"), Html(body="2", html="<h4>Day 2, changed</h4>")])
    changed.sanitised()
    assert render.sanitise.cache_info().misses == 3  # day 1 once, day 2 in both versions


def test_an_html_is_made_of_its_fragments_or_given_its_html_not_both():
    assert Html(body="x", fragments=("<p>a</p>", "<p>b</p>")).html == "<p>a</p><p>b</p>"
    with pytest.raises(ValueError, match="not both"):
        Html(body="x", html="<p>a</p>", fragments=("<p>b</p>",))
