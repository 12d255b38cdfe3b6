"""Run Flipchart exactly as `flipchart run` does, as a real subprocess that tests can kill and restart."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from .synapse import Account


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def write_config(path: Path, sections: dict[str, dict[str, Any]]) -> Path:
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in values.items()]
        lines.append("")
    path.write_text("\n".join(lines))
    tomllib.loads(path.read_text())  # fail here, not in the bot, on a bad test config
    return path


class BotProcess:
    def __init__(self, directory: Path, homeserver: str, account: Account, sections: dict[str, dict[str, Any]]) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.account = account
        self.user_id = account.user_id
        self.data_dir = directory / "data"
        base: dict[str, dict[str, Any]] = {
            "matrix": {"homeserver": homeserver, "user_id": account.user_id, "password": account.password},
            "storage": {"data_dir": "data"},
            "bot": {"log_level": "INFO"},
        }
        for name, values in sections.items():
            base.setdefault(name, {}).update(values)
        self.config_path = write_config(directory / "config.toml", base)
        self.log_path = directory / "bot.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    async def start(self, timeout: float = 60) -> None:
        """Start and wait until the first sync is done (the 'ready' log line of this start)."""
        self.starts += 1
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        log.write(f"--- start {self.starts} ---\n".encode())
        log.flush()
        offset = self.log_path.stat().st_size
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLIPCHART_")}
        env.setdefault("PYTHONOPTIMIZE", "2")  # as the container and docs/operations.md run it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(self.config_path)],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}:\n{self.log_text()[-4000:]}")
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                if b"ready: first sync done" in f.read():
                    return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the bot did not become ready within {timeout} s:\n{self.log_text()[-4000:]}")

    async def kill(self) -> None:
        """SIGKILL: no chance to flush or say goodbye."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            await asyncio.to_thread(self.proc.wait)
        self.proc = None

    async def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.to_thread(self.proc.wait), 15)
            except TimeoutError:
                os.killpg(self.proc.pid, signal.SIGKILL)
                await asyncio.to_thread(self.proc.wait)
        self.proc = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
