"""Badges (name, pronouns, photo, approach), consent for notes, erasure and the organizers' export."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from bot.arguments import Choice, Text, TimeZone, User
from bot.commands import Context, Where, command
from bot.config import MATRIX_ID
from bot.errors import UsageError, UserError
from bot.events import Reaction, Redaction
from bot.i18n import LANGUAGES, Raw, T
from bot.people import Person
from bot.plugin import Plugin, on, subscribe
from bot.roles import Role
from bot.storage import Tx

from .config import BadgesConfig, PrivacyConfig
from .consent import CHOICES, REACTION_CHOICES, Decision, decide, effective_choice, reaction_choice
from .export import build_zip
from .messages import MESSAGES
from .migrations import migrations
from .store import CACHED_PROFILES, PROFILES_CHANGED, BadgeStore, Profile

__all__ = ["Badges", "Decision", "PLUGIN"]

PROMPT_TAG = "badges.prompt:"
CLEARABLE = ("name", "pronouns", "photo", "approach", "lang", "tz")
APPROACHES = ("green", "yellow", "red")
# Control characters and bidirectional overrides: a badge name must not reorder or hide the text around it.
_INVISIBLE = re.compile("[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, field: str) -> str:
    cleaned = _INVISIBLE.sub("", text).strip()
    if not cleaned:
        raise UsageError(T("core.missing_argument", name=field))
    return cleaned


def _person(p: Profile, fallback_name: str) -> Person:
    return Person(
        user_id=p.user_id,
        name=p.name or fallback_name,
        pronouns=p.pronouns,
        approach=p.approach,
        photo=p.photo,
    )


class Badges(Plugin):
    name = "badges"
    forgets = "badges.forgets"
    migrations = migrations
    messages = MESSAGES
    Config = BadgesConfig
    extra_sections = {"privacy": PrivacyConfig}

    def __init__(self, core, config, log):
        super().__init__(core, config, log)
        self.store = BadgeStore()
        # The Person last built for each user, with the profile and fallback name it was built from:
        # a session's participants are listed at every note and `!who`, and a kept profile object
        # stays the same until it changes (the store then hands out a new one).
        self._persons: dict[str, tuple[Profile, str, Person]] = {}
        core.people.use(self.person, self.persons)

    async def start(self) -> None:
        self.scheduler.daily("badges.retention", 3, 17, self.purge_expired)

    # --- public API (CONTRACT.md) ---

    async def consent_of(self, tx: Tx, user_id: str, session_id: int | None) -> str:
        if session_id is None:
            return effective_choice(await self.store.default_choice(tx, user_id), None)
        return effective_choice(*await self.store.choices(tx, user_id, session_id))

    async def may_publish(
        self, tx: Tx, *, speaker: str, session_id: int | None, at: datetime | None = None
    ) -> Decision:
        """The single rule: may this speaker's words from this session be published, and as whom."""
        if at is None:
            choice = await self.consent_of(tx, speaker, session_id)
        else:
            choice = effective_choice(await self.store.choice_at(tx, speaker, session_id, at), None)
        name = (await self.core.people.get(tx, speaker)).name if choice == "attributed" else ""
        return decide(choice, name)

    async def person(self, tx: Tx, user_id: str, fallback_name: str) -> Person:
        """The provider behind core.people: badge name, pronouns, approach and photo wish."""
        return self._person_of(tx, await self.store.profile(tx, user_id), fallback_name)

    async def persons(self, tx: Tx, named: list[tuple[str, str]]) -> list[Person]:
        """`person` of each (user_id, fallback name), in that order: core.people.many."""
        profiles = await self.store.profiles_of(tx, [user_id for user_id, _ in named])
        return [self._person_of(tx, profiles[user_id], fallback_name) for user_id, fallback_name in named]

    def _person_of(self, tx: Tx, profile: Profile, fallback_name: str) -> Person:
        """`_person`, built again only when the profile object or the fallback name changed."""
        kept = self._persons.get(profile.user_id)
        if kept is not None and kept[0] is profile and kept[1] == fallback_name:
            return kept[2]
        person = _person(profile, fallback_name)
        if PROFILES_CHANGED in tx.marks:  # as the store: nothing of a write that may roll back is kept
            return person
        if len(self._persons) >= CACHED_PROFILES:
            self._persons.clear()
        self._persons[profile.user_id] = (profile, fallback_name, person)
        return person

    # --- badge ---

    @command(
        "me",
        help="badges.help.me",
        args=[Text("field", required=False, max_length=400)],
        example="!me",
    )
    async def me(self, ctx: Context, field: str | None) -> None:
        if field is not None:
            raise UsageError(
                T("badges.unknown_field", value=field[:40], fields=", ".join((*CLEARABLE, "clear")))
            )
        profile = await self.store.profile(ctx.tx, ctx.sender)
        lang = await self.core.preferences.language(ctx.tx, ctx.sender)
        lines = self._badge_lines(profile, show_unset=True)
        lines.append(T("badges.line.lang", value=T(f"core.lang.{lang}")))
        lines.append(T("badges.line.tz", value=str(await ctx.timezone())))
        consent = await self.store.default_choice(ctx.tx, ctx.sender) or "none"
        lines.append(T("badges.line.consent", value=T(f"badges.consent.{consent}")))
        await ctx.reply([T("badges.me_header"), self._list(lines, ctx.lang), T("badges.me_hint")])

    @command(
        "me name",
        help="badges.help.me_name",
        args=[Text("name", max_length=64)],
        example="!me name Mei",
    )
    async def me_name(self, ctx: Context, name: str) -> None:
        name = visible(name, "name")
        if MATRIX_ID.match(name) or name.startswith("@"):
            raise UserError(T("badges.name_not_id"))
        await self._save(ctx, "name", name, name)

    @command(
        "me pronouns",
        help="badges.help.me_pronouns",
        args=[Text("pronouns", max_length=32)],
        example="!me pronouns she/her",
    )
    async def me_pronouns(self, ctx: Context, pronouns: str) -> None:
        pronouns = visible(pronouns, "pronouns")
        await self._save(ctx, "pronouns", pronouns, pronouns)

    @command(
        "me photo",
        help="badges.help.me_photo",
        args=[Choice("photo", choices=("yes", "no"))],
        example="!me photo no",
    )
    async def me_photo(self, ctx: Context, photo: str) -> None:
        await self._save(ctx, "photo", photo == "yes", T(f"badges.photo.{photo}"))

    @command(
        "me approach",
        help="badges.help.me_approach",
        args=[Choice("approach", choices=APPROACHES)],
        example="!me approach yellow",
    )
    async def me_approach(self, ctx: Context, approach: str) -> None:
        await self._save(ctx, "approach", approach, self._approach(approach))

    @command(
        "me lang",
        help="badges.help.me_lang",
        args=[Choice("language", choices=LANGUAGES)],
        example="!me lang zh-TW",
    )
    async def me_lang(self, ctx: Context, language: str) -> None:
        await self.core.preferences.set_language(ctx.tx, ctx.sender, language)
        await self._remember(ctx, "lang")
        ctx.lang = language  # this answer already in the new language
        await ctx.reply(T("badges.lang_set", lang=T(f"core.lang.{language}")))

    @command(
        "me tz", help="badges.help.me_tz", args=[TimeZone("zone")], example="!me tz Asia/Taipei"
    )
    async def me_tz(self, ctx: Context, zone: str) -> None:
        await self.core.preferences.set_timezone(ctx.tx, ctx.sender, zone)
        await self._remember(ctx, "tz")
        await ctx.reply(T("badges.tz_set", tz=zone))

    @command(
        "me clear",
        help="badges.help.me_clear",
        args=[Choice("field", choices=CLEARABLE)],
        example="!me clear pronouns",
    )
    async def me_clear(self, ctx: Context, field: str) -> None:
        await self._clear(ctx.tx, ctx.sender, field)
        if field == "lang":
            ctx.lang = await self.core.preferences.language(ctx.tx, ctx.sender, ctx.room_id)
        await ctx.reply(T("badges.cleared", field=T(f"badges.field.{field}")))

    @command(
        "badge", help="badges.help.badge", args=[User("person")], example="!badge @mei:example.org"
    )
    async def badge(self, ctx: Context, person: str) -> None:
        profile = await self.store.profile(ctx.tx, person)
        if profile.is_empty:
            await ctx.reply(T("badges.other_empty", user=person))
            return
        lines = self._badge_lines(profile, show_unset=False)
        await ctx.reply([T("badges.other_header", user=person), self._list(lines, ctx.lang)])

    async def _save(self, ctx: Context, field: str, value: Any, shown: Any) -> None:
        await self.store.set_field(ctx.tx, ctx.sender, field, value)
        await self._remember(ctx, field)
        await ctx.reply(T("badges.saved", field=T(f"badges.field.{field}"), value=shown))

    async def _remember(self, ctx: Context, field: str) -> None:
        """The command's message now holds this value: deleting that message takes it back."""
        await self.store.set_source(ctx.tx, ctx.sender, field, ctx.event.event_id)

    async def _clear(self, tx: Tx, user_id: str, field: str) -> None:
        """Unset one value, as `!me clear` does and as deleting the message that set it does."""
        if field == "lang":
            await self.core.preferences.set_language(tx, user_id, None)
        elif field == "tz":
            await self.core.preferences.set_timezone(tx, user_id, None)
        elif field == "consent":
            await self.store.remove_default(tx, user_id, self.clock.now())
            await self.core.bus.emit(tx, "consent.changed", user_id=user_id, session_id=None)
        else:
            await self.store.set_field(tx, user_id, field, None)
        await self.store.set_source(tx, user_id, field, None)

    @on(Redaction)
    async def undo_command(self, ctx: Context, event: Redaction) -> None:
        """A deleted `!me …` or `!consent …` message takes back what it set, unless a later command
        replaced it. No reply: the person deleted a message, a bot answer would only add one."""
        for user_id, field in await self.store.set_by(ctx.tx, event.target):
            await self._clear(ctx.tx, user_id, field)

    def _approach(self, approach: str) -> T:
        marker = Person(user_id="", name="", approach=approach).marker
        return T(f"badges.approach.{approach}", marker=marker)

    def _badge_lines(self, p: Profile, *, show_unset: bool) -> list[T]:
        """Only what the person set (plus "not set" placeholders on their own card)."""
        values: dict[str, Any] = {
            "name": p.name,
            "pronouns": p.pronouns,
            "photo": None
            if p.photo is None
            else T("badges.photo.yes" if p.photo else "badges.photo.no"),
            "approach": self._approach(p.approach) if p.approach else None,
        }
        return [
            T(f"badges.line.{f}", value=v if v is not None else T("badges.unset"))
            for f, v in values.items()
            if v is not None or show_unset
        ]

    def _list(self, lines: list[T], lang: str) -> Raw:
        return Raw("\n".join("- " + self.notices.text(line, lang) for line in lines))

    # --- consent ---

    @command(
        "consent",
        help="badges.help.consent",
        args=[Choice("choice", choices=CHOICES, required=False)],
        example="!consent anonymous",
    )
    async def consent(self, ctx: Context, choice: str | None) -> None:
        if choice is None:
            current = await self.store.default_choice(ctx.tx, ctx.sender) or "none"
            await ctx.reply(
                [
                    T("badges.consent_current", meaning=T(f"badges.consent.{current}")),
                    T("badges.consent_hint"),
                ]
            )
            return
        await self.store.set_default(ctx.tx, ctx.sender, choice, self.clock.now())
        await self._remember(ctx, "consent")
        await self.core.bus.emit(ctx.tx, "consent.changed", user_id=ctx.sender, session_id=None)
        await ctx.reply(T("badges.consent_set", meaning=T(f"badges.consent.{choice}")))

    @subscribe("sessions.started")
    async def prompt_consent(self, tx: Tx, topic_id: int) -> None:
        """Ask the session's participants for their answer for this session, with three reactions."""
        sessions = self.core.plugins.get("sessions")  # optional partner: badges works without it
        info = await sessions.info(tx, topic_id) if sessions is not None else None
        room = (info.room_id if info else None) or self.core.room("lobby")
        if room is None:
            return
        title = info.title if info else ""
        ref = await self.notices.send(
            tx, room, T("badges.prompt", id=topic_id, title=title), tag=f"{PROMPT_TAG}{topic_id}"
        )
        for key in REACTION_CHOICES:
            await self.notices.react(tx, room, ref, key)

    @on(Reaction)
    async def answer_prompt(self, ctx: Context, event: Reaction) -> None:
        choice = reaction_choice(event.key)
        if choice is None:
            return
        tag = await self.core.outbox.tag_of_event(ctx.tx, event.target)
        if not tag or not tag.startswith(PROMPT_TAG):
            return
        session_id = int(tag.removeprefix(PROMPT_TAG))
        await self.store.set_session(
            ctx.tx, event.sender, session_id, choice, self.clock.now(), event.event_id
        )
        await self.core.bus.emit(
            ctx.tx, "consent.changed", user_id=event.sender, session_id=session_id
        )

    @on(Redaction)
    async def withdraw_answer(self, ctx: Context, event: Redaction) -> None:
        removed = await self.store.remove_by_reaction(ctx.tx, event.target, self.clock.now())
        if removed is not None:
            user_id, session_id = removed
            await self.core.bus.emit(
                ctx.tx, "consent.changed", user_id=user_id, session_id=session_id
            )

    # --- erasure (`!forget me confirm` is the core's) ---

    @subscribe("people.forget")
    async def forget(self, tx: Tx, user_id: str) -> None:
        await self.store.forget(tx, user_id)
        # Never served again (the profile goes), but the badge must not stay in memory either.
        self._persons.pop(user_id, None)
        tx.after_commit(lambda: self._persons.pop(user_id, None))

    # --- retention ---

    @subscribe("notes.closed")
    async def digest_decided(self, tx: Tx, session_id: int) -> None:
        """The session's digest was published or rejected: its consent records age from now on."""
        await self.store.mark_closed(tx, session_id, self.clock.now())

    async def purge_expired(self) -> int:
        cutoff = self.clock.now() - timedelta(days=self.section("privacy").retention_days)
        async with self.db.transaction() as tx:
            removed = await self.store.purge(tx, cutoff)
        self.log.info("retention: %d consent records purged", removed)
        return removed

    # --- export ---

    @command("export", help="badges.help.export", role=Role.ORGANIZER, where=Where.DIRECT)
    async def export_all(self, ctx: Context) -> None:
        exports: dict[str, Any] = {}
        for plugin in self.core.plugins.values():
            try:
                data = await plugin.export(ctx.tx)
            except Exception:  # one broken export must not cost the organizers the others
                self.log.exception("export of %s failed", plugin.name)
                data = {"error": "this plugin's export failed; the bot's log has the details"}
            if data is not None:
                exports[plugin.name] = data
        now = self.clock.now()
        archive = build_zip(self.core.config.core.event.name, now, exports)
        await ctx.reply(T("badges.export_ready", plugins=", ".join(exports) or "-"))
        await ctx.reply_file(
            archive, filename=f"flipchart-export-{now:%Y%m%d-%H%M}.zip", mimetype="application/zip"
        )

    async def export(self, tx: Tx) -> dict[str, Any]:
        return {
            "profiles": [p.__dict__ for p in await self.store.profiles(tx)],
            "default_consents": await self.store.defaults(tx),
            "session_consents": await self.store.session_answers(tx),
            "consent_history": [
                {**c.__dict__, "changed_at": c.changed_at.isoformat()}
                for c in await self.store.history(tx)
            ],
        }


PLUGIN = Badges
