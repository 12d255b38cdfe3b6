"""The floor for bench/roundtrip.py: a bare matrix-nio bot that answers `!ping` with a `pong` notice."""

from __future__ import annotations

import asyncio
import sys

from nio import AsyncClient, RoomMessageText


async def main(homeserver: str, user_id: str, device_id: str, token: str) -> None:
    client = AsyncClient(homeserver, user_id)
    client.restore_login(user_id, device_id, token)
    first = await client.sync(timeout=0, full_state=True)
    for room_id in first.rooms.invite:
        await client.join(room_id)

    async def on_message(room, event: RoomMessageText) -> None:
        if event.sender != user_id and event.body == "!ping":
            await client.room_send(room.room_id, "m.room.message", {
                "msgtype": "m.notice", "body": "pong", "m.mentions": {},
                "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
            })

    async def on_invite(room, event) -> None:
        await client.join(room.room_id)

    from nio import InviteMemberEvent

    client.add_event_callback(on_message, RoomMessageText)
    client.add_event_callback(on_invite, InviteMemberEvent)
    print("ready", flush=True)
    await client.sync_forever(timeout=30000, since=first.next_batch)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
