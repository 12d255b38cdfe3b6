"""Writes a session's digest from its notes, under the consent rule of the badges plugin, every time fresh."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.i18n import T
from bot.render import escape
from bot.storage import Tx

from .compose import (
    MIN_WITHHELD_LENGTH,
    Header,
    Item,
    NameFilter,
    Withheld,
    compose,
    matrix_ids,
    names_in,
    strip_withheld,
)
from .store import Digest, Note, NoteStore


def involved(notes: list[Note], participants: Iterable[str], reporter: str | None) -> set[str]:
    """Everyone whose name could show: speakers, authors, owners, the reporter, participants, IDs in texts."""
    people = {p for n in notes for p in (n.speaker, n.author, n.owner) if p}
    people.update(u for n in notes for u in matrix_ids(n.text))
    people.update(participants)
    if reporter:
        people.add(reporter)
    return people


class DigestWriter:
    """Nothing here is cached: each draft, publication and correction asks `may_publish` again."""

    def __init__(self, core: Any, store: NoteStore, sessions: Any, badges: Any) -> None:
        self.core = core
        self.store = store
        self.sessions = sessions
        self.badges = badges

    def render(self, text: T) -> str:
        """Digests are written in the event's language (they are read by everyone)."""
        return self.core.notices.text(text, self.core.config.core.bot.language)

    @property
    def placeholder(self) -> str:
        return self.render(T("notes.digest.a_participant"))

    def header(
        self, session_id: int, title: str, starts_at: Any, ends_at: Any, location: str, count: int
    ) -> Header:
        tz = self.core.config.tz
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        return Header(
            session_id, title, f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({tz.key})", location, count
        )

    def header_of(self, d: Digest) -> Header:
        return self.header(
            d.session_id, d.title, d.starts_at, d.ends_at, d.location, d.participants
        )

    async def _participants(self, tx: Tx, session_id: int) -> tuple[str, ...]:
        info = await self.sessions.info(tx, session_id)
        return info.participants if info is not None else ()

    async def names_now(self, tx: Tx, user: str) -> list[str]:
        """What a person is called today: badge name (else display name) and display name."""
        return (await self.names_now_of(tx, [user]))[0]

    async def names_now_of(self, tx: Tx, users: Iterable[str]) -> list[list[str]]:
        """`names_now` of each person, in that order (one lookup for all)."""
        display_name = self.core.transport.display_name
        return [
            [person.name, display_name(person.user_id) or ""]
            for person in await self.core.people.many(tx, users)
        ]

    async def hidden_names(self, tx: Tx, session_id: int, reporter: str | None) -> NameFilter:
        """Names and IDs of everyone involved who is not quoted by name in this session, with the
        names the notes used for them before they renamed themselves."""
        notes = await self.store.notes(tx, session_id)
        written = await self.store.names_written(tx, session_id)
        participants = await self._participants(tx, session_id)
        names: list[str] = []
        for user in involved(notes, participants, reporter) | written.keys():
            if (
                await self.badges.may_publish(tx, speaker=user, session_id=session_id)
            ).name is None:
                found = [user, *await self.names_now(tx, user), *written.get(user, ())]
                names += found + [escape(n) for n in found if n]
        return NameFilter(names, self.placeholder)

    async def names_of_forgotten(self, tx: Tx, user: str, known: Iterable[str] = ()) -> NameFilter:
        """Everything a person who asks to be forgotten may be called in the notes: their ID, names
        of today (`known`: gathered before anyone erased, and whatever is still known of them) and
        every name the notes used for them. Gathered before `forget` erases the notes' names, so the
        texts can lose them for good."""
        found = [
            user,
            *known,
            *await self.names_now(tx, user),
            *await self.store.names_of(tx, user),
        ]
        return NameFilter(found + [escape(n) for n in found if n], self.placeholder)

    def erased(self, markdown: str, names: NameFilter, words: Withheld) -> str:
        """A stored text without a forgotten person: lines with their words removed, names replaced."""
        return names.apply(
            strip_withheld(markdown, words, self.render(T("notes.digest.removed_line")))
        )

    async def remember_names(
        self,
        tx: Tx,
        note: Note,
        participants: Iterable[str],
        known: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Keep with the note the names its text uses for the people involved, as they are called
        now: after a rename the old name is still hidden where they are not quoted by name."""
        uses = names_in(note.text)
        used = {(user, name) for user, name in known if uses(name)}
        users = list(involved([note], participants, None))
        for user, names in zip(users, await self.names_now_of(tx, users), strict=True):
            # Most names are in no note: tested where they come, without gathering every pair first.
            used.update((user, name) for name in names if uses(name))
        await self.store.add_names(tx, note.id, sorted(used))

    async def renew_names(self, tx: Tx, note: Note) -> None:
        """After an edit: the new text keeps the names it had that it still uses (it may have been
        written before a rename), and gains those of today."""
        known = await self.store.take_names(tx, note.id)
        await self.remember_names(tx, note, await self._participants(tx, note.session_id), known)

    async def generate(
        self, tx: Tx, header: Header, reporter: str | None, only: set[int] | None = None
    ) -> tuple[str, list[int]]:
        """The digest from the notes (those in `only`, if given) and the ids of the notes it quotes."""
        session_id = header.session_id
        hidden = await self.hidden_names(tx, session_id, reporter)
        items: list[Item] = []
        included: list[int] = []
        for note in await self.store.notes(tx, session_id):
            if only is not None and note.id not in only:
                continue
            decision = await self.badges.may_publish(
                tx, speaker=note.speaker, session_id=session_id
            )
            if not decision.publishable:
                continue
            owner = ""
            if note.owner:
                od = await self.badges.may_publish(tx, speaker=note.owner, session_id=session_id)
                owner = od.name or (self.placeholder if od.publishable else "")
            items.append(Item(note.kind, hidden.apply(note.text), decision.name, owner))
            included.append(note.id)
        shown_reporter = None
        if reporter:
            shown_reporter = (
                await self.badges.may_publish(tx, speaker=reporter, session_id=session_id)
            ).name
            shown_reporter = shown_reporter or self.placeholder
        return compose(header, items, shown_reporter, self.render), included

    async def withheld(self, tx: Tx, session_id: int, hidden: NameFilter | None = None) -> Withheld:
        """Texts of speakers who may not be quoted now, raw and as they would read with names replaced."""
        forms: Withheld = []
        for note in await self.store.notes(tx, session_id):
            if not (
                await self.badges.may_publish(tx, speaker=note.speaker, session_id=session_id)
            ).publishable:
                forms.append((note.id, note.text))
                renamed = hidden.apply(note.text) if hidden is not None else note.text
                # With names replaced, a text must still say something of its own to be recognised
                # (a note that was only a name would otherwise match every "a participant").
                if (
                    renamed != note.text
                    and len(renamed.replace(self.placeholder, "").strip()) >= MIN_WITHHELD_LENGTH
                ):
                    forms.append((note.id, renamed))
        return forms

    async def stripped(self, tx: Tx, d: Digest, markdown: str, gone: Withheld = ()) -> str:
        """A moderator's text (or one whose notes are gone) checked again: lines with withheld words
        (and those of `gone`, notes just erased) removed, hidden names replaced."""
        hidden = await self.hidden_names(tx, d.session_id, d.reporter)
        withheld = await self.withheld(tx, d.session_id, hidden) + list(gone)
        return hidden.apply(
            strip_withheld(markdown, withheld, self.render(T("notes.digest.removed_line")))
        )

    async def current(self, tx: Tx, d: Digest) -> tuple[str, list[int]]:
        """The draft as it would be published now, and the notes it quotes."""
        if d.edited:
            return await self.stripped(tx, d, d.edited), []
        return await self.generate(tx, self.header_of(d), d.reporter)

    async def correction(
        self, tx: Tx, d: Digest, forgotten: NameFilter | None = None, gone: Withheld = ()
    ) -> str:
        """A published digest after a consent change: may lose words or names, never gains notes.
        After `people.forget`: also without the forgotten person's names (`forgotten`) and, where the
        notes cannot say it any more, the lines with the words of their erased notes (`gone`)."""
        quoted = set(json.loads(d.published_notes or "[]"))
        notes = {n.id for n in await self.store.notes(tx, d.session_id)}
        if not d.edited and (not quoted or quoted & notes):
            text, _ = await self.generate(tx, self.header_of(d), d.reporter, only=quoted)
        else:
            text = await self.stripped(tx, d, d.published or "", gone)
        return forgotten.apply(text) if forgotten is not None else text
