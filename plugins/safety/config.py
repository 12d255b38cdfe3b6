"""The [safety] section: where the code of conduct lives and the limits on reports and answers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ConfigError

MINIMUM = {
    "report_max_length": 1,
    "answer_max_length": 1,
    "reports_per_hour": 0,
    "forget_reporters_after_days": 0,
}


@dataclass(frozen=True)
class SafetyConfig:
    # A Markdown file, relative to the config file's folder; "{lang}" in the name picks a file per
    # language (coc.{lang}.md → coc.zh-TW.md, falling back to coc.en.md). Empty: the built-in text.
    coc_file: str = ""
    # Longest report and answer accepted (characters); longer ones are refused with the limit.
    report_max_length: int = 3000
    answer_max_length: int = 2000
    # Reports one person may send per hour (0 = no limit): keeps one account from flooding the team.
    reports_per_hour: int = 5
    # Who sent a report is kept only so that answers can reach them: after this many days it is erased
    # even if the report is still open (0 = keep until the report is closed).
    forget_reporters_after_days: int = 30

    def __post_init__(self) -> None:
        for key, minimum in MINIMUM.items():
            if getattr(self, key) < minimum:
                raise ConfigError(
                    f"`safety.{key}` must be at least {minimum}; got {getattr(self, key)}."
                )
