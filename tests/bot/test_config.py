"""Config errors name the file, the key and the fix; exit status 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load

GOOD = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@flipchart:example.org"
password = "secret"

[storage]
data_dir = "data"

[event]
name = "Summit"
timezone = "Asia/Taipei"

[roles]
organizers = ["@org:example.org"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_a_good_config_loads_with_data_dir_relative_to_the_file(tmp_path):
    cfg = load(write(tmp_path, GOOD))
    assert cfg.data_dir == tmp_path / "data"
    assert cfg.core.event.timezone == "Asia/Taipei"
    assert cfg.core.bot.prefix == "!"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("[storage]", "[storage]\ncolour = 3"), "unknown key `storage.colour`"),
        (('name = "Summit"', "name = 3"), "`event.name` must be text"),
        (('timezone = "Asia/Taipei"', 'timezone = "Mars/Olympus"'), "`event.timezone`"),
        (('organizers = ["@org:example.org"]', 'organizers = ["org"]'), "`roles.organizers[0]`"),
        (('user_id = "@flipchart:example.org"', 'user_id = "flipchart"'), "`matrix.user_id`"),
        (("[event]", "[party]\nx = 1\n[event]"), "unknown section [party]"),
        (('password = "secret"', ""), "FLIPCHART_PASSWORD"),
    ],
)
def test_mistakes_are_named_with_file_key_and_fix(tmp_path, change, expected):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as err:
        load(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_environment_overrides_the_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("FLIPCHART_PASSWORD", "from-env")
    cfg = load(write(tmp_path, GOOD.replace('password = "secret"', "")))
    assert cfg.core.matrix.password == "from-env"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load(tmp_path / "nope.toml")


def run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "check-config", "--config", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_check_config_exits_2_without_traceback_on_a_bad_file(tmp_path):
    result = run_check(write(tmp_path, GOOD.replace('timezone = "Asia/Taipei"', 'timezone = "Nowhere"')))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "event.timezone" in result.stderr


def test_check_config_accepts_the_example_config():
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    result = run_check(example)
    assert result.returncode == 0, result.stderr


def test_the_example_config_documents_every_plugin_section_with_its_defaults():
    import tomllib

    from bot.app import discover_plugins
    from bot.config import load_section

    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    raw = tomllib.loads(example.read_text())
    for cls in discover_plugins().values():
        for name, schema in {cls.name: cls.Config, **cls.extra_sections}.items():
            if schema.__dataclass_fields__:
                assert name in raw, f"config.example.toml lacks [{name}]"
                assert load_section(schema, raw[name], name, example) == schema(), f"[{name}] differs from the defaults"
