"""A person in tests: a real nio client that syncs in the background and waits for the bot's answers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig, MegolmEvent, RoomPreset, RoomVisibility

from .synapse import Account

Predicate = Callable[[str, dict[str, Any]], bool]
# Synapse's default timeline limit is 10: in a busy room (the SIGKILL test: 200 commands and their 200
# answers in seconds) one sync would skip events, and the test would see an answered command as lost.
SYNC_FILTER = {"room": {"timeline": {"limit": 1000}}}


class TestUser:
    __test__ = False  # not a pytest class

    def __init__(self, url: str, account: Account, *, store_dir: Path | None = None) -> None:
        self.account = account
        self.user_id = account.user_id
        encryption = store_dir is not None
        if store_dir is not None:
            store_dir.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=encryption, store_sync_tokens=False, max_limit_exceeded=None)
        self.client = AsyncClient(url, account.user_id, device_id=account.device_id,
                                  store_path=str(store_dir) if store_dir else "", config=config)
        self.encryption = encryption
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.invites: list[str] = []
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._token: str | None = None
        # Rooms whose timeline a sync cut short (events this person never saw): tests read it to tell a
        # bot that did not answer from an observer that missed the answer.
        self.gaps: list[str] = []
        self._followed: set[str] = set()  # rooms an earlier sync showed (a new room's history is no gap)

    async def start(self) -> None:
        self.client.restore_login(self.account.user_id, self.account.device_id, self.account.access_token)
        if self.encryption and self.client.should_upload_keys:
            await self.client.keys_upload()
        resp = await self.client.sync(timeout=0, full_state=True, sync_filter=SYNC_FILTER)
        self._token = resp.next_batch
        self._task = asyncio.create_task(self._loop())

    async def close(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.client.close()

    async def _loop(self) -> None:
        while True:
            try:
                resp = await self.client.sync(timeout=1000, since=self._token, sync_filter=SYNC_FILTER)
            except Exception:
                await asyncio.sleep(0.2)
                continue
            if not hasattr(resp, "next_batch"):
                await asyncio.sleep(0.2)
                continue
            self._token = resp.next_batch
            new: list[tuple[str, dict[str, Any]]] = []
            for room_id, info in resp.rooms.join.items():
                if info.timeline.limited and room_id in self._followed:
                    self.gaps.append(room_id)
                self._followed.add(room_id)
                for ev in info.timeline.events:
                    if getattr(ev, "sender", None) == self.user_id:
                        continue
                    source = dict(getattr(ev, "source", {}) or {})
                    if isinstance(ev, MegolmEvent):
                        source["undecrypted"] = True
                    new.append((room_id, source))
            for room_id in resp.rooms.invite:
                if room_id not in self.invites:
                    self.invites.append(room_id)
            if self.encryption:
                with contextlib.suppress(Exception):
                    if self.client.should_upload_keys:
                        await self.client.keys_upload()
                    if self.client.should_query_keys:
                        await self.client.keys_query()
                    if self.client.should_claim_keys:
                        await self.client.keys_claim(self.client.get_users_for_key_claiming())
                    await self.client.send_to_device_messages()
            async with self._changed:
                self.events.extend(new)
                self._changed.notify_all()

    def mark(self) -> int:
        """Index to pass as `since` so that wait_for looks only at newer events."""
        return len(self.events)

    async def wait_for(self, predicate: Predicate, timeout: float = 20, since: int = 0) -> tuple[str, dict[str, Any]]:
        async def scan() -> tuple[str, dict[str, Any]]:
            i = since
            async with self._changed:
                while True:
                    while i < len(self.events):
                        room_id, ev = self.events[i]
                        i += 1
                        if predicate(room_id, ev):
                            return room_id, ev
                    await self._changed.wait()

        try:
            return await asyncio.wait_for(scan(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.user_id}: no matching event within {timeout} s") from None

    async def collect(self, predicate: Predicate, quiet: float = 1.0, since: int = 0) -> list[tuple[str, dict[str, Any]]]:
        """All matching events once nothing new has arrived for `quiet` seconds."""
        count = -1
        while True:
            found = [(r, e) for r, e in self.events[since:] if predicate(r, e)]
            if len(found) == count:
                return found
            count = len(found)
            await asyncio.sleep(quiet)

    # --- actions ---

    async def create_room(self, name: str = "", invite: list[str] | tuple[str, ...] = (), *, encrypted: bool = False,
                          power: dict[str, int] | None = None, is_direct: bool = False) -> str:
        state = []
        if encrypted:
            state.append({"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}})
        resp = await self.client.room_create(
            visibility=RoomVisibility.private, name=name or None, invite=list(invite), initial_state=state,
            preset=RoomPreset.private_chat, is_direct=is_direct,
            power_level_override={"users": power} if power else None,
        )
        if not hasattr(resp, "room_id"):
            raise AssertionError(f"room_create failed: {resp}")
        await self._wait_room(resp.room_id)
        return resp.room_id

    async def _wait_room(self, room_id: str, timeout: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while room_id not in self.client.rooms and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    async def join(self, room_id: str) -> None:
        resp = await self.client.join(room_id)
        if not hasattr(resp, "room_id"):
            raise AssertionError(f"join failed: {resp}")
        await self._wait_room(resp.room_id)

    async def wait_invite(self, timeout: float = 20, *, exclude: tuple[str, ...] = ()) -> str:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for room_id in self.invites:
                if room_id not in exclude:
                    return room_id
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.user_id}: no invite within {timeout} s")

    async def accept_invite(self, room_id: str) -> None:
        await self.join(room_id)
        if room_id in self.invites:
            self.invites.remove(room_id)

    async def _send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        resp = await self.client.room_send(room_id, event_type, content, ignore_unverified_devices=True)
        if not hasattr(resp, "event_id"):
            raise AssertionError(f"send failed: {resp}")
        return resp.event_id

    async def send(self, room_id: str, body: str, *, thread_root: str | None = None, reply_to: str | None = None,
                   html: str | None = None, mentions: list[str] | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if html is not None:
            content.update(format="org.matrix.custom.html", formatted_body=html)
        if mentions is not None:
            content["m.mentions"] = {"user_ids": mentions}
        if thread_root:
            content["m.relates_to"] = {"rel_type": "m.thread", "event_id": thread_root, "is_falling_back": True,
                                       "m.in_reply_to": {"event_id": reply_to or thread_root}}
        elif reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self._send(room_id, "m.room.message", content)

    async def ask(self, room_id: str, body: str, timeout: float = 20, **kw: Any) -> dict[str, Any]:
        """Send a command and return the content of the bot's notice that replies to it."""
        event_id = await self.send(room_id, body, **kw)
        _, ev = await self.wait_for(lambda r, e: r == room_id and replies_to(e) == event_id, timeout)
        return ev["content"]

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        return await self._send(room_id, "m.reaction",
                                {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}})

    async def redact(self, room_id: str, event_id: str) -> None:
        resp = await self.client.room_redact(room_id, event_id)
        if not hasattr(resp, "event_id"):
            raise AssertionError(f"redact failed: {resp}")

    async def edit(self, room_id: str, event_id: str, new_body: str) -> str:
        return await self._send(room_id, "m.room.message", {
            "msgtype": "m.text", "body": "* " + new_body,
            "m.new_content": {"msgtype": "m.text", "body": new_body},
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        })


def replies_to(event: dict[str, Any]) -> str | None:
    rel = event.get("content", {}).get("m.relates_to") or {}
    reply = rel.get("m.in_reply_to") or {}
    return reply.get("event_id")
