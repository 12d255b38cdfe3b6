"""The `flipchart` command: run, check-config, demo, docs."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from .config import ConfigError
from .storage import SchemaTooNew, SQLiteTooOld

EXIT_CONFIG = 2


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Libraries log requests and, at DEBUG, bodies and SQL parameters (message text): keep them at WARNING.
    for noisy in ("nio", "peewee", "aiohttp", "apscheduler", "asyncio", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _run(config_path: str) -> int:
    from .app import Bot, load_config
    from .client import LoginFailed, NioTransport

    config = load_config(config_path)
    setup_logging(config.core.bot.log_level)
    os.umask(0o077)  # tokens, crypto store and database: readable by the bot's user only
    config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    m = config.core.matrix
    transport = NioTransport(m.homeserver, m.user_id, config.data_dir, device_name=m.device_name, encryption=m.encryption)
    bot = Bot(config, transport)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, bot.stop)
    logging.getLogger("flipchart").info("starting Flipchart as %s", m.user_id)
    try:
        await bot.run()
    except LoginFailed as err:
        logging.getLogger("flipchart").error("%s", err)
        return EXIT_CONFIG
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="flipchart", description="A Matrix bot for open-space gatherings.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the bot")
    run.add_argument("--config", default=os.environ.get("FLIPCHART_CONFIG", "config.toml"))
    check = sub.add_parser("check-config", help="check a config file and exit")
    check.add_argument("--config", default=os.environ.get("FLIPCHART_CONFIG", "config.toml"))
    demo = sub.add_parser("demo", help="a throwaway homeserver, the bot and a seeded event")
    demo.add_argument("--port", type=int, default=0)
    sub.add_parser("docs", help="print the command reference (Markdown) generated from the declarations")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "run":
            return asyncio.run(_run(args.config))
        if args.cmd == "check-config":
            from .app import load_config

            cfg = load_config(args.config)
            print(f"{cfg.path}: OK (data in {cfg.data_dir})")
            return 0
        if args.cmd == "demo":
            from .demo import run_demo

            return asyncio.run(run_demo(args.port))
        if args.cmd == "docs":
            from .docs import command_reference

            print(command_reference())
            return 0
    except ConfigError as err:
        print(f"flipchart: config error: {err}", file=sys.stderr)
        return EXIT_CONFIG
    except (SchemaTooNew, SQLiteTooOld) as err:
        print(f"flipchart: {err}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
