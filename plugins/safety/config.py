"""The [safety] section: where the code of conduct lives and the limits on reports and answers."""

from __future__ import annotations

from dataclasses import dataclass


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
