"""Message catalogue (en, zh-TW): lazy texts rendered in the reader's language, user values escaped."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .render import escape, neutralise

LANGUAGES = ("en", "zh-TW")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Raw:
    """A value that is already Markdown (built from other texts); never wrap user input in it."""

    markdown: str

    def __str__(self) -> str:
        return self.markdown


@dataclass(frozen=True)
class T:
    """A text to be translated later, when the reader's language is known: `T("topics.proposed", id=3)`."""

    key: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **args: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "args", args)


@dataclass(frozen=True)
class Plural:
    """An English template whose words follow a number: `one` for a `count` of exactly 1, `other` for any
    other (CLDR's two English categories). Chinese has no plural forms: its template stays a plain string.
    `Plural("cap", one="{cap} seat", other="{cap} seats")`; `count` names the argument that chooses."""

    count: str
    one: str
    other: str

    @property
    def forms(self) -> tuple[str, str]:
        return self.one, self.other

    def format_map(self, values: Mapping[str, str]) -> str:
        # `render` calls this as it calls str.format_map, with every value already written out: 1 is "1".
        return (self.one if values[self.count] == "1" else self.other).format_map(values)


Template = str | Plural


class MissingTranslation(KeyError):
    pass


class Catalogue:
    """All plugins' messages merged; each key has one template per language (Markdown)."""

    def __init__(self) -> None:
        self._messages: dict[str, dict[str, Template]] = {}
        # Per key and language: the template `template` gives and its code fields, looked up once when
        # the message is added rather than at every rendering. A `Plural` is kept as it is: it formats like
        # a string, so `render` costs a plain template nothing more.
        self._prepared: dict[str, dict[str, tuple[Template, frozenset[str]]]] = {}

    def add(self, owner: str, messages: Mapping[str, Mapping[str, Template]]) -> None:
        for key, by_lang in messages.items():
            if key in self._messages:
                raise ValueError(f"{owner}: message key {key!r} is already defined")
            self._messages[key] = dict(by_lang)
            if by_lang.get(DEFAULT_LANGUAGE):
                self._prepared[key] = {
                    lang: (template, _code_fields(template))
                    for lang in LANGUAGES
                    for template in [self.template(key, lang)]
                }

    def keys(self) -> list[str]:
        return list(self._messages)

    def missing(self) -> list[tuple[str, str]]:
        """(key, language) pairs without a template — a test fails on any."""
        return [
            (k, lang) for k, v in self._messages.items() for lang in LANGUAGES if not all(_forms(v.get(lang, "")))
        ]

    def placeholders_mismatch(self) -> list[str]:
        """Keys whose languages use different {placeholders} — a translation that would crash or drop facts."""
        bad = []
        for key, by_lang in self._messages.items():
            sets = {frozenset(_fields(form)) for t in by_lang.values() for form in _forms(t)}
            counts_missing = any(isinstance(t, Plural) and t.count not in _fields(t.one) for t in by_lang.values())
            if len(sets) > 1 or counts_missing:
                bad.append(key)
        return bad

    def has(self, key: str) -> bool:
        return key in self._messages

    def template(self, key: str, lang: str) -> Template:
        try:
            by_lang = self._messages[key]
        except KeyError:
            raise MissingTranslation(key) from None
        return by_lang.get(lang) or by_lang[DEFAULT_LANGUAGE]

    def render(self, text: T | Raw | str, lang: str) -> str:
        """Markdown for `text` in `lang`. Plain `str` is user text: escaped, never interpreted."""
        if isinstance(text, Raw):
            return text.markdown
        if isinstance(text, str):
            return escape(text)
        by_lang = self._prepared.get(text.key)
        prepared = by_lang.get(lang) if by_lang else None
        if prepared is None:  # a language without a catalogue of its own, or a key that is missing
            template = self.template(text.key, lang)
            prepared = template, _code_fields(template)
        template, literal = prepared
        values = {}
        for k, v in text.args.items():
            kind = type(v)  # as in _value, the usual two inline: user text and numbers (bool is not int here)
            if kind is str:
                values[k] = _code_safe(v) if k in literal else escape(v)
            elif kind is int:
                values[k] = str(v)  # what _code_safe writes for a number too
            else:
                values[k] = _code_safe(v) if k in literal and isinstance(v, (str, int)) else self._value(v, lang)
        try:
            return template.format_map(values)
        except KeyError as missing:
            raise KeyError(f"message {text.key!r} needs a value for {{{missing.args[0]}}}") from None

    def _value(self, value: Any, lang: str) -> str:
        kind = type(value)  # the usual two first: user text and numbers (bool is not int here)
        if kind is str:
            return escape(value)
        if kind is int:
            return str(value)
        if isinstance(value, (T, Raw)):
            return self.render(value, lang)
        if isinstance(value, (list, tuple)):
            return self.render(T("core.list_separator"), lang).join(self._value(v, lang) for v in value)
        if isinstance(value, bool):
            return self.render(T("core.yes" if value else "core.no"), lang)
        if isinstance(value, (int, float)):
            return str(value)
        return escape(str(value))


_CODE_FIELD = re.compile(r"`\{(\w+)\}`")


@cache  # one entry per template, and the catalogue is fixed
def _code_fields(template: Template) -> frozenset[str]:
    """Values written inside backticks in the template, which Markdown shows literally: no escaping there
    (it would show backslashes), only no backtick or line break that could end the code span."""
    return frozenset(name for form in _forms(template) for name in _CODE_FIELD.findall(form))


def _forms(template: Template) -> tuple[str, ...]:
    return template.forms if isinstance(template, Plural) else (template,)


def _code_safe(value: str | int) -> str:
    text = str(value).replace("`", "ʼ").replace("\r", " ").replace("\n", " ")
    return neutralise(text) or " "


def _fields(template: Template) -> set[str]:
    return {name for form in _forms(template) for _, name, _, _ in string.Formatter().parse(form) if name}
