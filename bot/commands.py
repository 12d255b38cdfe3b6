"""Declaring commands, parsing typed arguments, role checks, generated help and the one error boundary."""

from __future__ import annotations

import difflib
import enum
import logging
import re
import secrets
import time
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .arguments import Arg, ArgScanner
from .errors import PermissionDenied, UsageError, UserError, WrongPlace
from .events import Incoming, Message
from .i18n import Raw, T
from .notices import Html, Text
from .outbox import Ref
from .roles import Role
from .storage import Tx

if TYPE_CHECKING:
    from .plugin import Core, Plugin

log = logging.getLogger(__name__)
# Zero-width space, word joiner, byte order mark: invisible, never meant, and they glue to words.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


class Where(enum.Enum):
    ANYWHERE = "anywhere"
    DIRECT = "direct"  # only in a direct chat with the bot


@dataclass(frozen=True)
class CommandSpec:
    name: str
    help: str  # catalogue key
    args: tuple[Arg, ...] = ()
    aliases: tuple[str, ...] = ()
    role: Role = Role.EVERYONE
    where: Where = Where.ANYWHERE
    example: str = ""
    takes_body: bool = False  # the lines after the first are the command's body (description, Markdown)
    hidden: bool = False
    max_length: int | None = None  # the whole message's limit when not [bot] max_command_length

    def usage(self, prefix: str) -> str:
        parts = [f"{prefix}{self.name}", *(a.usage() for a in self.args)]
        if self.takes_body:
            parts.append("⏎ …")
        return " ".join(parts)


def command(
    name: str,
    *,
    help: str,
    args: Sequence[Arg] = (),
    aliases: Sequence[str] = (),
    role: Role = Role.EVERYONE,
    where: Where = Where.ANYWHERE,
    example: str = "",
    takes_body: bool = False,
    hidden: bool = False,
    max_length: int | None = None,
) -> Callable[[Callable[..., Awaitable[None]]], Callable[..., Awaitable[None]]]:
    """Declare a plugin method as a command; its keyword arguments are the declared args by name."""
    spec = CommandSpec(
        name=name.lower(),
        help=help,
        args=tuple(args),
        aliases=tuple(a.lower() for a in aliases),
        role=role,
        where=where,
        example=example,
        takes_body=takes_body,
        hidden=hidden,
        max_length=max_length,
    )

    def mark(fn: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        fn.__flipchart_command__ = spec  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass
class Context:
    """What a handler knows about the command it answers, and how it replies (inside `tx`)."""

    core: Core
    tx: Tx
    event: Message | Incoming
    lang: str
    roles: frozenset[Role]
    is_direct: bool
    body: str = ""  # lines after the first, for commands that take a body
    spec: CommandSpec | None = None

    @property
    def sender(self) -> str:
        return self.event.sender

    @property
    def room_id(self) -> str:
        return self.event.room_id

    @property
    def now(self) -> datetime:
        return self.core.clock.now()

    def has(self, role: Role) -> bool:
        return role in self.roles

    async def timezone(self) -> ZoneInfo:
        return await self.core.preferences.timezone(self.tx, self.sender)

    async def reply(
        self, text: Text | Sequence[Text] | Html, *, mentions: Iterable[str] = (), tag: str | None = None
    ) -> Ref:
        """Answer in the command's room and thread, as a reply to it, in the sender's language."""
        return await self.core.notices.send(
            self.tx,
            self.room_id,
            text,
            lang=self.lang,
            mentions=mentions,
            tag=tag,
            reply_to=self.event.event_id,
            thread_root=getattr(self.event, "thread_root", None),
        )

    async def reply_file(self, data: bytes, *, filename: str, mimetype: str) -> Ref:
        return await self.core.notices.file(
            self.tx, self.room_id, data, filename=filename, mimetype=mimetype,
            reply_to=self.event.event_id, thread_root=getattr(self.event, "thread_root", None),
        )


class CommandFailed(Exception):
    """The handler refused or crashed: its writes must be rolled back, then `texts` sent as the reply."""

    def __init__(self, texts: list[Text], lang: str) -> None:
        super().__init__("command failed")
        self.texts = texts
        self.lang = lang


@dataclass
class Bound:
    spec: CommandSpec
    plugin: Plugin
    handler: Callable[..., Awaitable[None]]


@dataclass
class RateLimiter:
    """Per-person sliding window; over the budget: one notice, then silence until the window clears."""

    limit: int
    window_s: float
    clock: Callable[[], float] = time.monotonic
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)

    def check(self, user_id: str) -> str:
        """'ok', 'warn' (first refusal: tell them) or 'drop' (stay silent)."""
        now = self.clock()
        hits = self._hits.setdefault(user_id, deque())
        while hits and now - hits[0] > self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            if user_id in self._warned:
                return "drop"
            self._warned.add(user_id)
            return "warn"
        hits.append(now)
        self._warned.discard(user_id)
        if len(self._hits) > 50_000:  # bound memory: forget the idle
            for uid in [u for u, h in self._hits.items() if not h or now - h[-1] > self.window_s]:
                del self._hits[uid]
        return "ok"


class Router:
    """Finds the command in a message, checks who and where, parses arguments, runs the handler."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.prefix = core.config.core.bot.prefix
        self.max_length = core.config.core.bot.max_command_length
        self._commands: dict[str, Bound] = {}
        self._ordered: list[Bound] = []
        self.rate_limiter = RateLimiter(
            core.config.core.bot.rate_limit_commands, core.config.core.bot.rate_limit_seconds
        )

    def include(self, plugin: Plugin) -> None:
        for attr in dir(type(plugin)):
            fn = getattr(type(plugin), attr, None)
            spec = getattr(fn, "__flipchart_command__", None)
            if spec is None:
                continue
            bound = Bound(spec, plugin, getattr(plugin, attr))
            for name in (spec.name, *spec.aliases):
                if name in self._commands:
                    raise ValueError(f"command {name!r} declared by {plugin.name} and {self._commands[name].plugin.name}")
                self._commands[name] = bound
            self._ordered.append(bound)

    @property
    def commands(self) -> list[Bound]:
        return list(self._ordered)

    def find(self, words: list[str]) -> tuple[Bound | None, int]:
        """Longest name first: `!digest approve 3` is the command 'digest approve'."""
        lowered = [w.lower() if w.isascii() else _name_word(w) for w in words[:3]]
        for n in range(len(lowered), 0, -1):
            bound = self._commands.get(" ".join(lowered[:n]))
            if bound is not None:
                return bound, n
        return None, 0

    def _full_width_prefix(self, event: Message) -> Message:
        """Chinese input methods type `！` for `!`: `！join 12` is `!join 12`, when a command of that name
        exists (else it is chat: `！！好棒` gets no answer)."""
        typed = replace(event, body=ascii_prefix(event.body, self.prefix))
        words = typed.body[1:].partition("\n")[0].split()
        if self.find(words)[0] is not None:
            return typed
        head = _name_word(words[0]) + " " if words else None  # `！slot`: the start of commands
        return typed if head and any(name.startswith(head) for name in self._commands) else event

    def is_command(self, body: str) -> bool:
        return body.startswith(self.prefix) and len(body) > len(self.prefix) and not body[len(self.prefix)].isspace()

    async def roles_of(self, user_id: str) -> frozenset[Role]:
        return self.core.roles.of(user_id)

    def visible(self, roles: frozenset[Role]) -> list[Bound]:
        return [b for b in self._ordered if not b.spec.hidden and (b.spec.role is Role.EVERYONE or b.spec.role in roles)]

    async def dispatch(self, tx: Tx, event: Message) -> bool:
        """Handle one message inside the event's transaction. Returns False when it is not a command."""
        if not event.body.isascii():
            if _ZERO_WIDTH.search(event.body):
                # Pasted from a web page: "!join\u200b 12" must not be "no command !join. Did you mean !join?"
                event = replace(event, body=_ZERO_WIDTH.sub("", event.body))
            if self.prefix == "!" and event.body[:1] == "！":
                event = self._full_width_prefix(event)
        if not self.is_command(event.body):
            return False
        verdict = self.rate_limiter.check(event.sender)
        if verdict == "drop":
            return True
        lang = await self.core.preferences.language(tx, event.sender, event.room_id)
        ctx = Context(
            core=self.core,
            tx=tx,
            event=event,
            lang=lang,
            roles=await self.roles_of(event.sender),
            is_direct=self.core.transport.joined_count(event.room_id) <= 2,
        )
        if verdict == "warn":
            await ctx.reply(T("core.slow_down", seconds=self.core.config.core.bot.rate_limit_seconds))
            return True
        # No savepoint on the happy path (two statements more per command): a failure rolls the whole
        # transaction back and the pipeline answers in a fresh one (see Bot.process).
        try:
            await self._run(ctx)
        except UserError as err:
            texts: list[Text] = [err.text]
            if isinstance(err, UsageError) and ctx.spec is not None:
                texts.append(T("core.usage", usage=Raw(code_span(ctx.spec.usage(self.prefix)))))
                if ctx.spec.example:
                    texts.append(T("core.example", example=Raw(code_span(ctx.spec.example))))
            raise CommandFailed(texts, ctx.lang) from None
        except Exception:
            ref = secrets.token_hex(3)
            log.exception("handler failed (ref %s) for command %s", ref, ctx.spec.name if ctx.spec else "?")
            raise CommandFailed([T("core.crashed", ref=ref)], ctx.lang) from None
        return True

    async def _run(self, ctx: Context) -> None:
        body = ctx.event.body
        first, _, rest_lines = body[len(self.prefix) :].partition("\n")
        words = first.split()
        bound, n = self.find(words)
        limit = (bound.spec.max_length if bound else None) or self.max_length
        if len(body) > limit:
            raise UserError(T("core.command_too_long", length=len(body), maximum=limit))
        if bound is None:
            raise self._unknown(words[0] if words else "", ctx.roles)
        spec = bound.spec
        ctx.spec = spec
        if spec.role is not Role.EVERYONE and spec.role not in ctx.roles:
            raise PermissionDenied(T("core.not_allowed", command=f"{self.prefix}{spec.name}", role=T(f"core.role.{spec.role.value}")))
        if spec.where is Where.DIRECT and not ctx.is_direct:
            raise WrongPlace(T("core.direct_only", command=f"{self.prefix}{spec.name}"))
        # Skip the command's words in the original text (keeps the spacing of free text).
        remainder = first
        for _ in range(n):
            remainder = remainder.lstrip()
            remainder = remainder[len(remainder.split(None, 1)[0]) :]
        scanner = ArgScanner(remainder, ctx.event.mentions)
        kwargs: dict[str, Any] = {}
        for arg in spec.args:
            value = arg.parse(scanner)
            if value is None and arg.required:
                raise UsageError(T("core.missing_argument", name=arg.name))
            kwargs[arg.name.replace("-", "_")] = value
        if not scanner.at_end():
            raise UsageError(T("core.extra_arguments", extra=scanner.rest()[:80]))
        ctx.body = rest_lines.strip() if spec.takes_body else ""
        if rest_lines.strip() and not spec.takes_body:
            raise UsageError(T("core.one_line_only"))
        await bound.handler(ctx, **kwargs)
        if ctx.tx.asides:  # what other plugins did on account of this command (see Tx.aside)
            asides = ctx.tx.asides.copy()
            ctx.tx.asides.clear()
            await ctx.reply(asides)

    def family(self, words: Sequence[str], roles: frozenset[Role]) -> list[Bound]:
        """The commands this person may use whose names go on from these words (`!digest` → `!digest list`…)."""
        head = " ".join(_name_word(w) for w in words) + " "
        return [b for b in self.visible(roles) if b.spec.name.startswith(head)]

    def family_text(self, word: str, family: Sequence[Bound]) -> T:
        """`!slot` alone: which commands begin with it."""
        usages = [Raw(code_span(b.spec.usage(self.prefix))) for b in family]
        return T("core.command_family", command=f"{self.prefix}{word[:40]}", commands=usages)

    def _unknown(self, word: str, roles: frozenset[Role]) -> UserError:
        family = self.family([word], roles) if word else []
        if family:  # `!digest`, `!slot`: a first word of commands, not a typo
            return UserError(self.family_text(word, family))
        # Once, as a set: a flood of unknown commands must cost no more than a known one.
        visible = {id(b) for b in self.visible(roles)}
        names = [n for n, b in self._commands.items() if id(b) in visible]
        close = difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.6)
        shown = word[:40]
        if close:
            return UserError(T("core.unknown_command_suggest", command=f"{self.prefix}{shown}", suggestion=f"{self.prefix}{close[0]}"))
        return UserError(T("core.unknown_command", command=f"{self.prefix}{shown}", help=f"{self.prefix}help"))


def ascii_prefix(body: str, prefix: str) -> str:
    """The body with a leading `！` (Chinese input methods type it for `!`) as `!`, when the prefix is `!`: how
    a command is read, also where a plugin reads one itself (an edited note)."""
    return "!" + body[1:] if prefix == "!" and body[:1] == "！" else body


def _name_word(word: str) -> str:
    """A word of a command's name as typed, as the name is declared: lower case, and full-width letters
    (ｊｏｉｎ, as Chinese input methods may type them) as their ASCII twins."""
    return (word if word.isascii() else unicodedata.normalize("NFKC", word)).lower()


def code_span(text: str) -> str:
    """Literal text (a usage line, an example) as a Markdown code span."""
    return "`" + text.replace("`", "'") + "`"
