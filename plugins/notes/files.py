"""Published digests as Markdown files in <data_dir>/digests/ (owner-only), with an index."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PublishedFile:
    session_id: int
    title: str
    published_on: str  # YYYY-MM-DD
    markdown: str

    @property
    def filename(self) -> str:
        return f"session-{self.session_id:04d}.md"


def _write(path: Path, text: str) -> None:
    """Atomic and owner-only: a reader never sees half a file; writing again gives the same file."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def write_digests(
    data_dir: Path | str, published: list[PublishedFile], index_title: str
) -> Path | None:
    """(Re)write every published digest and the index; None without a data directory (in-memory tests)."""
    if str(data_dir) == ":memory:":
        return None
    folder = Path(data_dir) / "digests"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    for digest in published:
        _write(folder / digest.filename, digest.markdown)
    lines = [f"# {index_title}", ""]
    lines += [
        f"- {d.published_on} [#{d.session_id} {_link_text(d.title)}]({d.filename})"
        for d in published
    ]
    _write(folder / "index.md", "\n".join(lines) + "\n")
    return folder


def _link_text(title: str) -> str:
    return title.replace("[", "(").replace("]", ")").replace("\n", " ")
