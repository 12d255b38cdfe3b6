"""The core's own commands: !help (generated from the declarations), !ping, !status, !roomlang, and
!forget me (every enabled plugin erases its part; the core its own)."""

from __future__ import annotations

import time
from importlib import metadata
from typing import TYPE_CHECKING

from .arguments import Choice, Text
from .commands import Context, Role, code_span, command
from .errors import UserError
from .i18n import LANGUAGES, Raw, T
from .messages import MESSAGES
from .plugin import Plugin, subscribe
from .storage import Tx

if TYPE_CHECKING:
    from .commands import Bound, Router


class Builtin(Plugin):
    name = "core"
    messages = MESSAGES
    forgets = "core.forgets"

    router: Router  # set by the app after the router is built
    started_at = time.monotonic()
    last_sync: float | None = None

    @command("help", help="core.help.help", args=[Text("command", required=False, max_length=80)], example="!help join")
    async def help(self, ctx: Context, command: str | None) -> None:
        prefix = self.router.prefix
        visible = self.router.visible(ctx.roles)
        if command:
            words = command.removeprefix(prefix).split()
            bound, _ = self.router.find(words)
            if bound is None or bound not in visible:
                family = self.router.family(words, ctx.roles) if words else []
                if family:
                    hint = T("core.help_family_hint", help=f"{prefix}help {family[0].spec.name}")
                    await ctx.reply([self.router.family_text(" ".join(words), family), hint])
                    return
                raise UserError(T("core.help_unknown", command=f"{prefix}{command}", help=f"{prefix}help"))
            await ctx.reply(self._detail(bound, prefix))
            return
        texts: list[T | Raw] = [T("core.help_header", help_command=Raw(f"`{prefix}help <command>`"))]
        groups: dict[str, list[Bound]] = {}
        for bound in visible:
            groups.setdefault(bound.plugin.name, []).append(bound)
        for plugin_name, bounds in groups.items():
            lines = [
                "- " + self.core.catalogue.render(
                    T("core.help_line", usage=Raw(code_span(b.spec.usage(prefix))), help=T(b.spec.help)), ctx.lang
                )
                for b in bounds
            ]
            title = T(f"{plugin_name}.title") if self.core.catalogue.has(f"{plugin_name}.title") else plugin_name
            texts.append(Raw(self.core.catalogue.render(T("core.help_group", title=title), ctx.lang) + "\n\n" + "\n".join(lines)))
        texts.append(T("core.help_footer"))
        if self.core.catalogue.has("safety.help_pointer"):
            texts.append(T("safety.help_pointer", coc=f"{prefix}coc"))
        await ctx.reply(texts)

    def _detail(self, bound: Bound, prefix: str) -> list[T | Raw]:
        spec = bound.spec
        texts: list[T | Raw] = [Raw(code_span(spec.usage(prefix))), T(spec.help)]
        if spec.aliases:
            texts.append(T("core.help_aliases", aliases=Raw(", ".join(code_span(prefix + a) for a in spec.aliases))))
        if spec.role is not Role.EVERYONE:
            texts.append(T("core.help_role", role=T(f"core.role.{spec.role.value}")))
        if spec.where.value == "direct":
            texts.append(T("core.help_direct"))
        if spec.example:
            texts.append(T("core.example", example=Raw(code_span(spec.example))))
        return texts

    @command("ping", help="core.help.ping")
    async def ping(self, ctx: Context) -> None:
        await ctx.reply(T("core.pong"))

    @command("status", help="core.help.status", role=Role.ORGANIZER)
    async def status(self, ctx: Context) -> None:
        uptime = int(time.monotonic() - self.started_at)
        last = (
            T("core.seconds_ago", seconds=int(time.monotonic() - self.last_sync))
            if self.last_sync is not None
            else T("core.never")
        )
        pending = await self.core.outbox.pending()
        await ctx.reply(
            T(
                "core.status",
                version=_version(),
                uptime=f"{uptime // 3600}h{uptime // 60 % 60:02d}m{uptime % 60:02d}s",
                last_sync=last,
                pending=pending,
                sent=self.core.outbox.sent_count,
            )
        )

    @command("roomlang", help="core.help.roomlang", args=[Choice("language", choices=LANGUAGES)], role=Role.ORGANIZER, example="!roomlang zh-TW")
    async def roomlang(self, ctx: Context, language: str) -> None:
        await self.core.preferences.set_room_language(ctx.tx, ctx.room_id, language)
        await ctx.reply(T("core.roomlang_set", lang=T(f"core.lang.{language}")))

    # --- erasure: in the core, so that any set of plugins offers it ---

    @command("forget me", help="core.help.forget")
    async def forget_me(self, ctx: Context) -> None:
        items = [
            "- " + self.core.catalogue.render(T(plugin.forgets), ctx.lang)
            for plugin in self.core.plugins.values()
            if plugin.forgets
        ]
        await ctx.reply(
            [
                T("core.forget_intro", confirm=Raw(code_span(f"{self.router.prefix}forget me confirm"))),
                Raw("\n".join(items)),
                T("core.forget_final"),
            ]
        )

    @command("forget me confirm", help="core.help.forget_confirm")
    async def forget_me_confirm(self, ctx: Context) -> None:
        # Two phases in one transaction: a plugin may need another's data to find the person in its
        # own (notes: the badge name in others' notes), and every `forget` erases, in plugin order.
        await self.core.bus.emit(ctx.tx, "people.forgetting", user_id=ctx.sender)
        await self.core.bus.emit(ctx.tx, "people.forget", user_id=ctx.sender)
        await ctx.reply(T("core.forgotten"))

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        """The core's own: language and time zone, and which room is the person's direct chat (a later
        direct message opens a new one)."""
        await self.core.preferences.forget(tx, user_id)
        await tx.execute("DELETE FROM core_direct_rooms WHERE user_id = ?", (user_id,))


def _version() -> str:
    try:
        return metadata.version("flipchart")
    except metadata.PackageNotFoundError:
        return "dev"
