"""`flipchart demo`: a throwaway Synapse on 127.0.0.1, the bot, an organizer, two participants and a seeded event."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import socket
import tempfile
from datetime import date, timedelta
from pathlib import Path

from .app import Bot, load_config
from .client import NioTransport
from .testing.matrix import TestUser
from .testing.process import write_config
from .testing.synapse import Synapse, free_port

log = logging.getLogger("flipchart.demo")


def _port(preferred: int) -> int:
    if preferred:
        return preferred
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", 8008))
            return 8008
        except OSError:
            return free_port()


async def _seed(org: TestUser, alice: TestUser, bob: TestUser, lobby: str) -> None:
    """Build a small event through the bot's own commands, as an organizer would."""
    today = date.today()
    tomorrow = today + timedelta(days=1)
    steps = [
        (org, f"!slot add {tomorrow} 10:00-10:45 Morning"),
        (org, f"!slot add {tomorrow} 11:00-11:45 Late morning"),
        (org, "!location add Room A cap 8"),
        (org, "!location add Room B cap 8"),
        (alice, "!propose Open data for public transport\nTimetables, APIs and who maintains them."),
        (bob, "!propose Volunteer onboarding that works"),
        (org, "!propose Leaving big-tech chat tools"),
        (bob, "!vote 1"),
        (org, "!vote 1 2"),
        (org, "!schedule 1 S1 Room A"),
        (org, "!schedule 2 S1 Room B"),
        (org, "!schedule 3 S2 Room A"),
    ]
    for person, command in steps:
        try:
            reply = await person.ask(lobby, command, timeout=15)
            log.info("seed %s → %s", command.splitlines()[0], reply.get("body", "").splitlines()[0][:80])
        except AssertionError:
            log.warning("seed step got no answer: %s", command.splitlines()[0])


async def run_demo(port: int = 0) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("nio", "peewee", "aiohttp", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    root = Path(tempfile.mkdtemp(prefix="flipchart-demo-"))
    synapse = Synapse(root / "synapse", port=_port(port))
    bot_task: asyncio.Task[None] | None = None
    bot: Bot | None = None
    people: list[TestUser] = []
    try:
        print("Starting a throwaway Synapse …", flush=True)
        await asyncio.to_thread(synapse.start)
        bot_acct = synapse.register("flipchart", "flipchart-demo")
        accounts = {name: synapse.register(name, f"{name}-demo") for name in ("organizer", "alice", "bob")}
        org, alice, bob = (TestUser(synapse.url, accounts[n]) for n in ("organizer", "alice", "bob"))
        people = [org, alice, bob]
        for person in people:
            await person.start()
        invitees = [bot_acct.user_id, alice.user_id, bob.user_id]
        # The bot moderates (power 50): it links the rooms into the event's space and can remove a
        # `!report` typed in public.
        bot_power = {bot_acct.user_id: 50}
        lobby = await org.create_room("Lobby", invite=invitees, power=bot_power)
        announcements = await org.create_room("Announcements", invite=invitees, power=bot_power)
        moderation = await org.create_room("Moderation", invite=[bot_acct.user_id])
        safety = await org.create_room("Safety team", invite=[bot_acct.user_id])
        for person in (alice, bob):
            await person.join(lobby)
            await person.join(announcements)
        config_path = write_config(root / "config.toml", {
            "matrix": {"homeserver": synapse.url, "user_id": bot_acct.user_id, "password": bot_acct.password},
            "storage": {"data_dir": "data"},
            "event": {"name": "Flipchart demo", "timezone": "UTC"},
            "roles": {"organizers": [org.user_id], "moderators": [org.user_id], "safety": [org.user_id]},
            "rooms": {"lobby": lobby, "announcements": announcements, "moderation": moderation, "safety": safety},
        })
        config = load_config(str(config_path))
        config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        m = config.core.matrix
        bot = Bot(config, NioTransport(m.homeserver, m.user_id, config.data_dir, device_name="Flipchart demo", encryption=True))
        bot_task = asyncio.create_task(bot.run())
        while bot.builtin.last_sync is None:
            if bot_task.done():
                bot_task.result()
            await asyncio.sleep(0.1)
        print("Seeding an event (slots, locations, topics, votes, schedule) …", flush=True)
        await _seed(org, alice, bob, lobby)
        print(
            "\n"
            "Flipchart demo is running.\n"
            f"  Homeserver:  {synapse.url}   (in Element: Sign in → Edit homeserver → this URL)\n"
            f"  Organizer:   organizer / organizer-demo   ({org.user_id})\n"
            f"  Participant: alice / alice-demo   ·   bob / bob-demo\n"
            f"  Bot:         {bot_acct.user_id}\n"
            "  Open the room 'Lobby' and type !help (try !agenda, !join 1, !me, !coc).\n"
            f"  (demo data in {root})\n"
            "Press Ctrl-C to stop; everything is deleted.\n",
            flush=True,
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        done_task = asyncio.create_task(stop.wait())
        await asyncio.wait({done_task, bot_task}, return_when=asyncio.FIRST_COMPLETED)
        bot.stop()
        return 0
    finally:
        print("Stopping and removing the demo data …", flush=True)
        if bot_task is not None and bot is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(bot_task, 15)
            await bot.db.close()  # idempotent; never leave its worker thread running
        for person in people:
            with contextlib.suppress(Exception):
                await person.close()
        await asyncio.to_thread(synapse.stop)
        shutil.rmtree(root, ignore_errors=True)
