"""`flipchart demo` as a person uses it: start, log in with the printed account, get !help, Ctrl-C cleans up."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
from pathlib import Path

from nio import AsyncClient, LoginResponse

from bot.testing.matrix import TestUser
from bot.testing.synapse import Account, free_port


async def test_demo_prints_logins_that_work_and_removes_everything_on_ctrl_c():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        deadline = asyncio.get_running_loop().time() + 120
        while "Press Ctrl-C" not in "".join(output):
            assert asyncio.get_running_loop().time() < deadline, "".join(output)[-3000:]
            line = await asyncio.to_thread(proc.stdout.readline)
            assert line, "demo exited early:\n" + "".join(output)[-3000:]
            output.append(line)
        text = "".join(output)
        url = re.search(r"Homeserver:\s+(http://\S+)", text).group(1)
        user, password = re.search(r"Participant: (\w+) / (\S+)", text).groups()
        data_dir = re.search(r"demo data in ([^)\s]+)", text).group(1)
        client = AsyncClient(url, f"@{user}:localhost")
        login = await client.login(password)
        assert isinstance(login, LoginResponse)
        await client.close()
        person = TestUser(url, Account(login.user_id, password, login.access_token, login.device_id))
        await person.start()
        lobby = next(r for r, room in person.client.rooms.items() if room.display_name == "Lobby")
        reply = await person.ask(lobby, "!help")
        assert "!propose" in reply["body"] and "!join" in reply["body"]
        agenda = await person.ask(lobby, "!agenda")
        assert "#1 Open data for public transport" in agenda["body"]  # the seeded event
        await person.close()
        assert Path(data_dir).exists()
    finally:
        proc.send_signal(signal.SIGINT)
        rest = await asyncio.to_thread(proc.communicate, timeout=60)
    assert proc.returncode == 0, rest[0][-2000:]
    assert not Path(data_dir).exists()
