"""A real, throwaway Synapse on 127.0.0.1 for tests, benchmarks and `flipchart demo`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

UNLIMITED = {"per_second": 10000, "burst_count": 100000}
FLAT_LIMITS = (
    "rc_message", "rc_registration", "rc_registration_token_validity", "rc_admin_redaction", "rc_joins_per_room",
    "rc_3pid_validation", "rc_third_party_invite", "rc_media_create", "rc_delayed_event_mgmt", "rc_room_creation",
    "rc_reports", "rc_user_directory", "rc_profile", "rc_key_requests",
)


class SynapseError(RuntimeError):
    """Synapse could not be started: tests that need it fail loudly with this (never skip)."""


@dataclass(frozen=True)
class Account:
    user_id: str
    password: str
    access_token: str
    device_id: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Synapse:
    """`syn = Synapse(dir); syn.start(); syn.register("alice")`; `syn.stop()`. Rate limits are lifted unless
    `rc_message` is given (a fault test that wants the real limits)."""

    def __init__(self, directory: Path, *, port: int = 0, rc_message: dict[str, float] | None = None) -> None:
        self.dir = Path(directory)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server_name = "localhost"
        self.secret = secrets.token_hex(16)
        self.rc_message = rc_message
        self.proc: subprocess.Popen[bytes] | None = None
        self._config_written = False

    def write_config(self) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        log_config = self.dir / "log.yaml"
        log_config.write_text(
            "version: 1\nformatters: {f: {format: '%(asctime)s %(levelname)s %(name)s %(message)s'}}\n"
            f"handlers: {{file: {{class: logging.FileHandler, formatter: f, filename: {self.dir / 'homeserver.log'}}}}}\n"
            "root: {level: WARNING, handlers: [file]}\ndisable_existing_loggers: false\n"
        )
        limits: dict[str, Any] = {name: UNLIMITED for name in FLAT_LIMITS}
        limits.update(
            rc_login={"address": UNLIMITED, "account": UNLIMITED, "failed_attempts": UNLIMITED},
            rc_joins={"local": UNLIMITED, "remote": UNLIMITED},
            rc_invites={"per_room": UNLIMITED, "per_user": UNLIMITED, "per_issuer": UNLIMITED},
            rc_presence={"per_user": UNLIMITED},
        )
        if self.rc_message is not None:
            limits["rc_message"] = self.rc_message
        config = {
            "server_name": self.server_name,
            "pid_file": str(self.dir / "homeserver.pid"),
            "listeners": [
                {"port": self.port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
                 "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}]}
            ],
            "database": {"name": "sqlite3", "args": {"database": str(self.dir / "homeserver.db")}},
            "media_store_path": str(self.dir / "media"),
            "signing_key_path": str(self.dir / "signing.key"),
            "log_config": str(log_config),
            "registration_shared_secret": self.secret,
            "macaroon_secret_key": secrets.token_hex(16),
            "form_secret": secrets.token_hex(16),
            "enable_registration": False,
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            "bcrypt_rounds": 4,
            **limits,
        }
        path = self.dir / "homeserver.yaml"
        # JSON is valid YAML: no PyYAML needed here.
        path.write_text(json.dumps(config, indent=1))
        self._config_written = True
        return path

    def start(self, timeout: float = 60) -> None:
        if not self._config_written:
            self.write_config()
        out = open(self.dir / "stdout.log", "ab")  # noqa: SIM115 - kept open for the child's lifetime
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.dir / "homeserver.yaml")],
            cwd=self.dir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SynapseError(
                    f"Synapse exited with status {self.proc.returncode}; see {self.dir}/stdout.log and homeserver.log:\n"
                    + (self.dir / "stdout.log").read_text(errors="replace")[-3000:]
                )
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise SynapseError(f"Synapse did not answer on {self.url} within {timeout} s; see {self.dir}/homeserver.log")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc = None

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def register(self, localpart: str, password: str | None = None, *, admin: bool = False) -> Account:
        """Shared-secret registration (HMAC-SHA1 over nonce, user, password, admin — no trailing NUL)."""
        password = password or secrets.token_urlsafe(12)
        nonce = self._request("GET", "/_synapse/admin/v1/register")["nonce"]
        mac = hmac.new(self.secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), b"admin" if admin else b"notadmin"]))
        reply = self._request("POST", "/_synapse/admin/v1/register", {
            "nonce": nonce, "username": localpart, "password": password, "admin": admin, "mac": mac.hexdigest(),
        })
        return Account(reply["user_id"], password, reply["access_token"], reply["device_id"])

    async def aregister(self, localpart: str, password: str | None = None, *, admin: bool = False) -> Account:
        return await asyncio.to_thread(self.register, localpart, password, admin=admin)
