"""Markdown → sanitised HTML (markdown-it-py, raw HTML off; nh3) and the plain-text twin for `body`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # C: a str's JSON, quoted

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import simple_markdown

# What a formatted_body may contain: the subset of the Matrix spec's suggested tags that our messages use.
ALLOWED_TAGS = {
    "a", "b", "strong", "i", "em", "u", "s", "del", "code", "pre", "p", "br", "hr",
    "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto", "matrix"}

# Built once: nh3.clean builds the same allowlist again at every call (25 µs of a short reply's 29).
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES, link_rel=None
)
_MD = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    # Rules no template uses and user text (escaped) cannot reach; each one runs at every line or
    # character otherwise (a quarter of the parse). Raw HTML is off anyway; images are never allowed.
    .disable(["reference", "html_block", "html_inline", "autolink", "image", "entity", "lheading", "code"])
)
# translate, not a regex: one pass in C instead of a replacement template per character
_ESCAPED_PUNCTUATION = str.maketrans({c: "\\" + c for c in simple_markdown.ASCII_PUNCTUATION})
# What the simple renderer writes (see `built_safely`).
_TAG = re.compile(r"<[^>]*>")
_PARAGRAPH = frozenset({"<p>", "</p>"})
_SIMPLE_TAGS = _PARAGRAPH | {f"<{slash}{tag}>" for slash in ("", "/") for tag in ("strong", "code", "ul", "li", "ol")}
_NUMBERED_LIST = re.compile(r'<ol start="\d{1,9}">')
# "@room" in user text must never notify a whole room; a word joiner breaks the keyword without showing.
_ROOM_PING = re.compile(r"@(room)\b", re.IGNORECASE)

# What `sanitise` returns without nh3 (`cleaned_without_parsing`). Void elements have no end tag: html5ever
# reads "</br>" as "<br>" and drops "</hr>".
_VOID_TAGS = ("br", "hr")
_VOID_TAG = "|".join(_VOID_TAGS)
# The regex tries names in this order: an agenda table's cells first, most of a large fragment's tags.
_PAIRED_TAG = "|".join(
    sorted(ALLOWED_TAGS.difference(_VOID_TAGS), key=lambda tag: (tag not in ("td", "th", "tr", "b"), tag))
)
# An element opened and closed bare with only text and void tags inside: removed level by level, a fragment
# of such elements, well nested, leaves only text and void tags.
_INNERMOST_ELEMENT = re.compile(rf"<({_PAIRED_TAG})>[^<>]*+(?:<(?:{_VOID_TAG})>[^<>]*+)*+</\1>")
# Once they are removed, only text and void tags may be left: any other "<" or ">" is for nh3 to read.
_MARKUP_LEFT = re.compile(rf"<(?!(?:{_VOID_TAG})>)|{''.join(f'(?<!<{tag})' for tag in _VOID_TAGS)}>")
_MAX_DEPTH = 10  # a pass per level: deeper than our messages nest (an agenda: 5), deeper goes to nh3
# The entities html.escape and markdown-it write; nh3 decodes any other (and "&amp" without its ";") and
# escapes a bare "&".
_OTHER_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|#x27);)")


def escape(text: str) -> str:
    """Make user text literal inside a Markdown template (no links, emphasis, lists, headings or @room)."""
    if len(text) > _SHORT:
        return _escape(text)
    return _escape_short(text)


def _escape(text: str) -> str:
    return neutralise(text.translate(_ESCAPED_PUNCTUATION))


# Names, ids and titles come back in reply after reply; str.translate to two-character replacements goes
# through a dictionary lookup per character. Long texts (a note) seldom return: not kept.
_SHORT = 120
_escape_short = lru_cache(maxsize=1024)(_escape)


def neutralise(text: str) -> str:
    """Break @room in text that goes into a body verbatim (no Markdown)."""
    if "@" not in text:  # most text: skip the regex
        return text
    return _ROOM_PING.sub(_break_room_ping, text)


def _break_room_ping(match: re.Match[str]) -> str:
    return "@\u2060" + match.group(1)


@lru_cache(maxsize=64)
def sanitise(html: str) -> str:
    # Cached: an unchanged agenda day or list is cleaned once, not for every person who asks.
    cleaned = cleaned_without_parsing(html)
    return _CLEANER.clean(html) if cleaned is None else cleaned


def cleaned_without_parsing(html: str) -> str | None:
    """What nh3 returns for this HTML, when that is told without parsing it, else None: when its only markup
    is allowlisted tags without attributes, all closed and well nested, and the entities html.escape writes,
    nh3 gives it back but for how it writes text (`as_serialised`). An agenda day's table (9 KB) is checked in
    about 130 µs where nh3 takes 300; tests/bot/test_render.py holds the answer to nh3's.

    Nesting is checked (`_INNERMOST_ELEMENT`: a few regex passes, most of this function's time; a loop over
    the tags would cost nearly what nh3 does): a joined message's fragments are sanitised one by one, and a
    fragment left open must not reach into the next. A well-nested fragment that breaks HTML's content model
    (a `<td>` outside a table, a `<p>` in a `<p>`) is still returned as written, where nh3 would move or drop
    those tags: only allowlisted bare tags all the same, all closed. Every fragment we build follows it.
    """
    try:
        encoded = html.encode()  # a lone surrogate fails here as in nh3; and `in` finds a NUL in bytes at C speed
    except UnicodeEncodeError:
        return None
    # What html5ever rewrites in text but a no-break space (`as_serialised`): it drops NUL, reads CR and CRLF
    # as LF, drops a newline right after <pre> and a byte order mark at the start.
    if b"\0" in encoded or b"\r" in encoded or b"<pre>\n" in encoded or html.startswith("\ufeff"):
        return None
    if "&" in html and _OTHER_ENTITY.search(html):
        return None
    markup = html
    for _ in range(_MAX_DEPTH + 1):
        markup, removed = _INNERMOST_ELEMENT.subn("", markup)
        if not removed:
            return None if _MARKUP_LEFT.search(markup) else as_serialised(html)
    return None


def as_serialised(html: str) -> str:
    """Escaped text as nh3's serialiser (html5ever's) writes it: quotes bare (only an attribute escapes them),
    no-break spaces as entities. For HTML whose every "&" starts an entity and whose attributes hold no text."""
    if "&" in html:  # a single character's `in` is a memchr; a replace scans the whole text even to find nothing
        html = html.replace("&quot;", '"').replace("&#x27;", "'")
    if "\xa0" in html:
        html = html.replace("\xa0", "&nbsp;")
    return html


HTML_FORMAT = "org.matrix.custom.html"


@dataclass(frozen=True)
class Rendered:
    body: str
    html: str | None  # None: plain text says it all

    def content(self) -> dict[str, str]:
        """Both or neither: some clients show "Unable to render" for a format without a formatted_body."""
        if self.html is None:
            return {"body": self.body}
        return {"body": self.body, "format": HTML_FORMAT, "formatted_body": self.html}

    @cached_property
    def json_members(self) -> str:
        """`content()` as the members of a JSON object, kept with it: a reply repeated (markdown's cache
        shares its Rendered) is not escaped again."""
        html = None if self.html is None else encode_basestring(self.html)
        return json_members(encode_basestring(self.body), html)


def json_members(body_json: str, html_json: str | None) -> str:
    """`Rendered.content()` as bot.outbox's encoder writes its members, of the body's and the HTML's JSON."""
    if html_json is None:
        return f'"body":{body_json}'
    return f'"body":{body_json},"format":"{HTML_FORMAT}","formatted_body":{html_json}'


# Cached: whole replies repeat too (a `!who` of a session nobody joined since, the same refusal): in the
# benchmark's mix, 40 % of texts were among the last 256 rendered. Rendered is immutable: safe to share.
@lru_cache(maxsize=256)
def markdown(source: str) -> Rendered:
    """Render trusted Markdown (catalogue templates with escaped user values)."""
    simple = simple_markdown.render(source)  # most replies: paragraphs and flat lists, strong and code
    if simple is None:
        return full_markdown(source)
    body, html = simple
    tags = set(_TAG.findall(html))  # its text is escaped: every "<" opens a tag it wrote
    if tags <= _PARAGRAPH:
        # Paragraphs of plain text, which HTML would only wrap; clients show a plain body's blank lines.
        return Rendered(body=body, html=None)
    if built_safely(tags):
        # Text as nh3 writes it (the simple path writes no attribute with text in it): a reply's HTML is the
        # same whichever path renders it.
        html = as_serialised(html)
    else:  # never: the simple renderer writes no other tag
        html = sanitise(html)
    return Rendered(body=body, html=html.strip())


def built_safely(tags: set[str]) -> bool:
    """Whether these tags are all the simple renderer may write: in the allowlist, with no attribute
    but a list's numeric start. Such HTML needs no sanitiser, which would parse it again (40 µs)."""
    return tags <= _SIMPLE_TAGS or all(tag in _SIMPLE_TAGS or _NUMBERED_LIST.fullmatch(tag) for tag in tags)


@lru_cache(maxsize=128)
def full_markdown(source: str) -> Rendered:
    # Cached: what takes this path is the longer texts (digests, help), which many people may ask for
    # alike. Rendered is immutable, so sharing it is safe.
    tokens = _MD.parse(source)
    html = sanitise(_MD.renderer.render(tokens, _MD.options, {})).strip()
    return Rendered(body=_plain(tokens).strip(), html=html)


def _plain(tokens: list[Token]) -> str:
    """Walk the block tokens and write what a reader of the plain body should see."""
    out: list[str] = []
    lists: list[list[int]] = []  # stack of [ordered?, counter]
    for tok in tokens:
        t = tok.type
        if t == "bullet_list_open":
            lists.append([0, 0])
        elif t == "ordered_list_open":
            start = tok.attrGet("start")  # may be 0, which `or 1` would turn into 1
            lists.append([1, (1 if start is None else int(start)) - 1])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                out.append("\n")
        elif t == "list_item_open":
            indent = "  " * (len(lists) - 1)
            kind = lists[-1]
            if kind[0]:
                kind[1] += 1
                out.append(f"{indent}{kind[1]}. ")
            else:
                out.append(f"{indent}• ")
        elif t == "inline":
            out.append(_inline(tok.children or []))
        elif t == "paragraph_close":
            out.append("\n" if tok.hidden else "\n\n")
        elif t == "heading_close":
            out.append("\n")
        elif t in ("fence", "code_block"):
            out.append(tok.content + "\n")
        elif t == "hr":
            out.append("――――\n")
        elif t == "blockquote_open":
            out.append("> ")
        elif t == "tr_close":
            out.append("\n")
        elif t in ("th_close", "td_close"):
            out.append(" | ")
    text = "".join(out)
    text = re.sub(r" \| \n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def _inline(children: list[Token]) -> str:
    parts: list[str] = []
    href_stack: list[str] = []
    for child in children:
        t = child.type
        if t in ("text", "code_inline"):
            parts.append(child.content)
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif t == "link_open":
            href_stack.append(str(child.attrGet("href") or ""))
            parts.append("\x00")
        elif t == "link_close":
            href = href_stack.pop() if href_stack else ""
            start = len(parts) - 1 - parts[::-1].index("\x00")
            label = "".join(parts[start + 1 :])
            parts[start:] = [label]
            # Pills (matrix.to) read as the name alone; other links keep their address.
            if href and not href.startswith("https://matrix.to/") and href != label:
                parts.append(f" ({href})")
        elif t == "image":
            parts.append(child.content)
    return "".join(parts)


def pill(user_id: str, name: str | None = None) -> str:
    """A Markdown mention: the client shows a pill; `m.mentions` (set by the sender) notifies."""
    label = escape(name or user_id)
    return f"[{label}](https://matrix.to/#/{user_id})"
