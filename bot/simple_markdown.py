"""The few Markdown shapes most replies have, written out without a parser; anything else: None.

Replies are catalogue templates with escaped user values: one-line paragraphs and flat lists (bullets or
numbers), with `**strong**`, `` `code` `` and backslash escapes. markdown-it takes a third of a millisecond for such a
text (most of a command's time); this takes a few microseconds. It accepts only what it is sure of and
returns None for anything else (links, nesting, underscores, odd spacing…), which markdown-it then
renders. tests/bot/test_simple_markdown.py checks, on generated texts, that whatever it accepts comes out
exactly as markdown-it renders it.
"""

from __future__ import annotations

import operator
import re
from functools import lru_cache

ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"  # what a backslash escapes in CommonMark
# What may follow a closing `**` so that CommonMark sees it as closing: an end, a space, punctuation.
_AFTER_STRONG = frozenset(" .,;:!?)")
# What needs another rule (links, emphasis with _, strikethrough, breaks), and spaces other than the
# plain one (markdown-it trims them and they change what `**` means): not handled here.
# One character class (an alternation tries two branches at every character: three times slower).
_OTHER_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")  # none lies above
_UNHANDLED = re.compile("[_\\[\\]~\x00" + re.escape(_OTHER_SPACES) + "]")
# A run of text: plain characters and backslash escapes, up to a `**`, a code span, or a backslash
# that escapes nothing (a user's text, escaped, is mostly one run: no loop per escape).
_RUN = re.compile(r"(?:[^\\*`]++|\\[!-/:-@\[-`{-~])++")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPED_CHARACTER = operator.itemgetter(1)  # a callable, not r"\1": a template is parsed at every call
# A line starting like this could open another block (heading, quote, list, rule, fence, ordered list).
_BLOCK_START = re.compile(r"[ #>+\-=_`~|<]|\*(?!\*[^* ])|[0-9]+[.)]")
# A list item's marker — a bullet, or a number and its delimiter — and the 1–4 spaces CommonMark counts
# as its width (the text starts after them).
_LIST_MARKER = re.compile(r"(?:(-)|([0-9]{1,9})([.)])) {1,4}")


def render(source: str) -> tuple[str, str] | None:
    """(plain body, unsanitised HTML) as markdown-it and our plain walk would give, or None."""
    html: list[str] = []
    plain: list[str] = []
    previous_was_list = False
    for block in source.split("\n\n"):
        lines = block.split("\n")
        first = _LIST_MARKER.match(lines[0])
        if first is not None:
            if previous_was_list:  # two lists a blank line apart are one loose list
                return None
            written = _list(lines, first)
        elif len(lines) == 1:
            paragraph = _line(lines[0])
            written = paragraph and (f"<p>{paragraph[0]}</p>\n", paragraph[1])
        else:
            return None
        if not written:
            return None
        html.append(written[0])
        plain.append(written[1])
        previous_was_list = first is not None
    return "\n\n".join(plain), "".join(html)


def _list(lines: list[str], first: re.Match[str]) -> tuple[str, str] | None:
    """A tight list, every line an item of the same kind as the first (else it is another list)."""
    bullet, delimiter = first.group(1), first.group(3)
    items = []
    for line in lines:
        marker = _LIST_MARKER.match(line)
        if marker is None or marker.group(1) != bullet or marker.group(3) != delimiter:
            return None
        item = _line(line[marker.end() :])
        if item is None:
            return None
        items.append(item)
    html = "".join(f"<li>{h}</li>\n" for h, _ in items)
    if bullet:
        return f"<ul>\n{html}</ul>\n", "\n".join(f"• {p}" for _, p in items)
    start = int(first.group(2))
    opening = "<ol>" if start == 1 else f'<ol start="{start}">'
    return f"{opening}\n{html}</ol>\n", "\n".join(f"{start + n}. {p}" for n, (_, p) in enumerate(items))


# Cached: replies repeat most of their lines (a listing's people, an agenda's rooms, fixed sentences);
# seen in bench/inprocess.py's mix, 87 % of lines were among the last thousand rendered.
@lru_cache(maxsize=1024)
def _line(line: str) -> tuple[str, str] | None:
    """One paragraph's (HTML, plain text), or None when it is more than text, strong, code and escapes."""
    if not line or line[-1] == " " or _BLOCK_START.match(line):
        return None
    html: list[str] = []
    plain: list[str] = []
    strong = False
    i, n = 0, len(line)
    while i < n:
        run = _RUN.match(line, i)
        if run is not None:
            text = run.group()
            # Escaped, those characters are plain (escape() writes "\\_"): only then look closer.
            if _UNHANDLED.search(text) and ("\\" not in text or _UNHANDLED.search(_ESCAPE.sub("", text))):
                return None
            if "\\" in text:
                text = _ESCAPE.sub(_ESCAPED_CHARACTER, text)
            html.append(_escape_html(text))
            plain.append(text)
            i = run.end()
            continue
        c = line[i]
        if c == "\\":  # escapes nothing (not before ASCII punctuation): another rule's business
            return None
        elif c == "*":
            if not line.startswith("**", i) or line.startswith("***", i):
                return None
            after = line[i + 2] if i + 2 < n else ""
            if not strong:
                # Opens only after a space (or at the start) and before text: plainly left-flanking.
                if (i and line[i - 1] != " ") or after in ("", " "):
                    return None
                html.append("<strong>")
            else:
                # Closes only after text and before an end, a space or punctuation: plainly right-flanking.
                if line[i - 1] == " " or (after and after not in _AFTER_STRONG):
                    return None
                html.append("</strong>")
            strong = not strong
            i += 2
        else:  # a backtick
            end = line.find("`", i + 1)
            code = line[i + 1 : end]
            # Spaces at either end: CommonMark may strip them, and the plain body is stripped (a tab too).
            if end < 0 or not code or code[0].isspace() or code[-1].isspace() or line.startswith("`", end + 1):
                return None
            html.append(f"<code>{_escape_html(code)}</code>")
            plain.append(code)
            i = end + 1
    if strong:
        return None
    return "".join(html), "".join(plain)


def _escape_html(text: str) -> str:
    # markdown-it's escapeHtml: these four, not the apostrophe.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
