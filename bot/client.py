"""matrix-nio AsyncClient lifecycle: login once then restore, a sync loop that owns its token, send helpers.

See shared/reference/matrix-nio-0.26.md: nio's own sync_forever saves the token before callbacks run and
hot-loops on errors, so we drive `sync()` ourselves and process the returned response.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    JoinError,
    LocalProtocolError,
    LoginResponse,
    RoomCreateError,
    RoomPreset,
    RoomVisibility,
    SyncError,
    SyncResponse,
    UploadFilterResponse,
    UploadResponse,
)

from .transport import RateLimited, Refused, RoomNotReady, RoomSpec, Unreachable

log = logging.getLogger(__name__)

NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
SYNC_ROOM_FILTER = {"timeline": {"limit": 100}, "state": {"lazy_load_members": False}}


class LoginFailed(Exception):
    """Credentials were refused; the organizer must fix the config (not retried)."""


@dataclass(frozen=True)
class Session:
    user_id: str
    device_id: str
    access_token: str


def _check(resp: Any, what: str) -> Any:
    """Turn a nio error response into our transport errors."""
    if isinstance(resp, ErrorResponse):
        code = getattr(resp, "status_code", "") or ""
        retry = getattr(resp, "retry_after_ms", None)
        if code == "M_LIMIT_EXCEEDED" or retry:
            raise RateLimited(int(retry or 5000))
        if code in ("M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN", "M_BAD_JSON", "M_INVALID_PARAM", "M_TOO_LARGE", "M_UNKNOWN_TOKEN"):
            raise Refused(f"{what}: {code} {resp.message}", code)
        if str(code).isdigit() and int(code) < 500:
            raise Refused(f"{what}: {code} {resp.message}", str(code))
        raise Unreachable(f"{what}: {code} {resp.message}")
    return resp


class NioTransport:
    """The real Transport: a nio AsyncClient with E2EE, the device kept across restarts."""

    def __init__(self, homeserver: str, user_id: str, data_dir: Path, *, device_name: str, encryption: bool) -> None:
        self.data_dir = data_dir
        self.session_file = data_dir / "session.json"
        store = data_dir / "crypto"
        store.mkdir(parents=True, exist_ok=True, mode=0o700)
        config = AsyncClientConfig(
            encryption_enabled=encryption,
            store_sync_tokens=False,  # we own the token: saved only after the batch is committed
            max_limit_exceeded=0,  # return 429s to us: the outbox waits retry_after_ms itself
            max_timeouts=2,  # raise network errors quickly: the outer loops back off
            request_timeout=60,
        )
        self.client = AsyncClient(homeserver, user_id, store_path=str(store) if encryption else "", config=config)
        self.device_name = device_name
        self.encryption = encryption
        self._filter_id: str | None = None

    @property
    def user_id(self) -> str:
        return self.client.user_id

    # --- login ---

    async def login(self, password: str, access_token: str) -> None:
        saved = self._load_session()
        if saved is not None:
            self.client.restore_login(saved.user_id, saved.device_id, saved.access_token)
            log.info("restored session for device %s", saved.device_id)
        elif access_token:
            self.client.access_token = access_token
            who = await self.client.whoami()
            _check(who, "whoami")
            self.client.restore_login(who.user_id, who.device_id, access_token)
            self._save_session()
        else:
            resp = await self.client.login(password, device_name=self.device_name)
            if not isinstance(resp, LoginResponse):
                raise LoginFailed(f"login as {self.client.user} failed: {getattr(resp, 'message', resp)}")
            self._save_session()
            log.info("logged in with new device %s", resp.device_id)
        self._skip_empty_store_writes()
        if self.encryption and self.client.should_upload_keys:
            await self.client.keys_upload()

    def _skip_empty_store_writes(self) -> None:
        """nio writes the encrypted-room set to its SQLite store after every sync, even when it is empty,
        blocking the event loop each time (seen in py-spy); an empty set has nothing to save."""
        store = self.client.store
        if store is None:
            return
        save = store.save_encrypted_rooms

        def save_encrypted_rooms(rooms: set[str]) -> None:
            if rooms:
                save(rooms)

        store.save_encrypted_rooms = save_encrypted_rooms  # type: ignore[method-assign]

    async def relogin(self, password: str) -> None:
        """The token was revoked: log in again with the same device id (keeps the crypto store)."""
        if not password:
            raise LoginFailed("the access token was refused and no password is configured")
        resp = await self.client.login(password, device_name=self.device_name)
        if not isinstance(resp, LoginResponse):
            raise LoginFailed(f"login failed: {getattr(resp, 'message', resp)}")
        self._save_session()

    def _load_session(self) -> Session | None:
        try:
            data = json.loads(self.session_file.read_text())
            return Session(data["user_id"], data["device_id"], data["access_token"])
        except (OSError, ValueError, KeyError):
            return None

    def _save_session(self) -> None:
        data = {"user_id": self.client.user_id, "device_id": self.client.device_id, "access_token": self.client.access_token}
        tmp = self.session_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
        os.replace(tmp, self.session_file)

    # --- sync ---

    async def sync(self, since: str | None, *, full_state: bool, timeout_ms: int = 30000) -> SyncResponse | SyncError:
        # nio skips a response whose next_batch equals its own (the skip trap): a retried batch, or a restart
        # into a quiet room, where the skipped full-state response was the only one to load the rooms. We
        # dedupe events ourselves (core_seen), so nio should process every response.
        self.client.next_batch = None
        return await self.client.sync(
            timeout=timeout_ms, since=since, full_state=full_state or None, sync_filter=await self._sync_filter()
        )

    async def _sync_filter(self) -> str | dict[str, Any]:
        """A timeline limit of 100 (Synapse's default of 10 drops commands sent while the bot was away),
        uploaded once so that each /sync names it by id instead of sending it again."""
        if self._filter_id is None:
            resp = await self.client.upload_filter(room=SYNC_ROOM_FILTER)
            if isinstance(resp, UploadFilterResponse):
                self._filter_id = resp.filter_id
            else:
                return {"room": SYNC_ROOM_FILTER}
        return self._filter_id

    async def e2e_duties(self) -> None:
        """What sync_forever would do after each pass (keys upload, query, claim, to-device)."""
        c = self.client
        if not self.encryption or c.olm is None:
            return
        if c.should_upload_keys:
            await c.keys_upload()
        if c.should_query_keys:
            await c.keys_query()
        if c.should_claim_keys:
            users = c.get_users_for_key_claiming()
            if users:
                await c.keys_claim(users)
        await c.send_to_device_messages()

    async def close(self) -> None:
        await self.client.close()

    # --- Transport ---

    async def _guard(self, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        try:
            return _check(await call(), what)
        except LocalProtocolError as err:
            if "No such room" in str(err):
                raise RoomNotReady(str(err)) from None
            raise Refused(f"{what}: {err}") from None
        except NETWORK_ERRORS as err:
            raise Unreachable(f"{what}: {err!r}") from None

    async def send(self, room_id: str, event_type: str, content: dict[str, Any], tx_id: str) -> str:
        await self._know_devices(room_id)
        resp = await self._guard(
            "send",
            lambda: self.client.room_send(room_id, event_type, content, tx_id=tx_id, ignore_unverified_devices=True),
        )
        return resp.event_id

    async def _know_devices(self, room_id: str) -> None:
        """Query the devices of everyone in an encrypted room (invited people too) before sending, so the
        room key reaches them: nio otherwise learns new devices only in a later loop pass, and the first
        message in a direct chat the bot has just opened could not be decrypted (seen over Synapse)."""
        room = self.client.rooms.get(room_id)
        olm = self.client.olm
        if room is None or not room.encrypted or olm is None:
            return
        olm.update_tracked_users(room)
        if self.client.should_query_keys:
            try:
                await self.client.keys_query()
            except LocalProtocolError:
                pass  # the sync loop's own query got there first
            except NETWORK_ERRORS as err:
                raise Unreachable(f"keys query: {err!r}") from None

    async def redact(self, room_id: str, event_id: str, reason: str | None, tx_id: str) -> str:
        resp = await self._guard("redact", lambda: self.client.room_redact(room_id, event_id, reason, tx_id=tx_id))
        return resp.event_id

    async def upload(self, data: bytes, content_type: str, filename: str) -> str:
        async def call() -> Any:
            resp, _keys = await self.client.upload(
                io.BytesIO(data), content_type=content_type, filename=filename, filesize=len(data)
            )
            return resp

        resp = await self._guard("upload", call)
        assert isinstance(resp, UploadResponse)
        return resp.content_uri

    async def invite(self, room_id: str, user_id: str) -> None:
        await self._guard("invite", lambda: self.client.room_invite(room_id, user_id))

    async def kick(self, room_id: str, user_id: str, reason: str | None = None) -> None:
        await self._guard("kick", lambda: self.client.room_kick(room_id, user_id, reason))

    async def create_room(self, spec: RoomSpec) -> str:
        state = list(spec.initial_state)
        if spec.encrypted:
            state.append({"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}})

        async def call() -> Any:
            return await self.client.room_create(
                visibility=RoomVisibility.private,
                name=spec.name or None,
                topic=spec.topic or None,
                invite=list(spec.invite),
                is_direct=spec.is_direct,
                preset=RoomPreset.trusted_private_chat if spec.is_direct else (RoomPreset.private_chat if spec.private else RoomPreset.public_chat),
                initial_state=state,
                space=spec.is_space,
            )

        resp = await self._guard("create room", call)
        if isinstance(resp, RoomCreateError):  # pragma: no cover - _check raised already
            raise Refused(str(resp))
        return resp.room_id

    async def put_state(self, room_id: str, event_type: str, content: dict[str, Any], state_key: str = "") -> str:
        resp = await self._guard("put state", lambda: self.client.room_put_state(room_id, event_type, content, state_key))
        return resp.event_id

    async def join(self, room: str) -> str:
        resp = await self._guard("join", lambda: self.client.join(room))
        if isinstance(resp, JoinError):  # pragma: no cover
            raise Refused(str(resp))
        return resp.room_id

    async def leave(self, room_id: str) -> None:
        await self._guard("leave", lambda: self.client.room_leave(room_id))
        try:
            await self.client.room_forget(room_id)
        except NETWORK_ERRORS:
            pass

    async def messages_before(self, room_id: str, token: str, limit: int = 100) -> tuple[list[Any], str | None]:
        """One page of a room's history before `token`, newest first (decrypted), and the next token."""
        resp = await self._guard(
            "messages", lambda: self.client.room_messages(room_id, start=token, limit=limit)
        )
        return list(resp.chunk), resp.end

    async def resolve_alias(self, alias: str) -> str:
        resp = await self._guard("resolve alias", lambda: self.client.room_resolve_alias(alias))
        return resp.room_id

    def display_name(self, user_id: str) -> str | None:
        for room in self.client.rooms.values():
            user = room.users.get(user_id)
            if user is not None and user.display_name:
                return user.display_name
        return None

    def power_level(self, room_id: str, user_id: str) -> int:
        room = self.client.rooms.get(room_id)
        if room is None:
            return 0
        if getattr(room, "creator", None) == user_id:
            return 100  # room v12: creators are all-powerful but absent from power_levels.users
        return room.power_levels.get_user_level(user_id)

    def joined_count(self, room_id: str) -> int:
        room = self.client.rooms.get(room_id)
        return room.joined_count if room is not None else 0

    def room_members(self, room_id: str) -> list[str]:
        room = self.client.rooms.get(room_id)
        return list(room.users) if room is not None else []


async def backoff_sleep(attempt: int, cap: float = 30.0) -> None:
    """0.5, 1, 2, 4 … seconds up to `cap`, with jitter so restarts do not stampede."""
    delay = min(cap, 0.5 * 2 ** min(attempt, 10)) * random.uniform(0.8, 1.2)
    await asyncio.sleep(delay)
