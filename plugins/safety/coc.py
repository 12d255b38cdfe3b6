"""Read the organizers' code of conduct (Markdown) from the file named in [safety] coc_file."""

from __future__ import annotations

from pathlib import Path

# A code of conduct is a page or two; more is a wrong file (or a binary) and would flood the room.
MAX_CHARACTERS = 20_000


def coc_paths(config_path: Path, coc_file: str, lang: str) -> list[Path]:
    """The files to try, best first: the reader's language, then English (when the name has {lang})."""
    if not coc_file:
        return []
    base = config_path.parent
    if "{lang}" not in coc_file:
        return [base / coc_file]
    return [base / coc_file.replace("{lang}", code) for code in dict.fromkeys((lang, "en"))]


def read_coc(config_path: Path, coc_file: str, lang: str) -> str | None:
    """The organizers' text for `lang`, or None when there is none (the catalogue's default is shown)."""
    for path in coc_paths(config_path, coc_file, lang):
        try:
            text = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text[:MAX_CHARACTERS]
    return None
