"""docs/commands.md is generated from the declarations; it must match them (run `make docs`)."""

from pathlib import Path

from bot.docs import command_reference


def test_the_command_reference_is_up_to_date():
    committed = (Path(__file__).resolve().parents[2] / "docs" / "commands.md").read_text()
    assert committed.strip() == command_reference().strip(), "docs/commands.md is stale: run `make docs`"
