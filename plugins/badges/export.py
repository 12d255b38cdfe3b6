"""The organizers' archive: every plugin's export as JSON, plus a Markdown overview, in one zip."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def _markdown(event: str, when: datetime, exports: dict[str, Any]) -> str:
    """A readable overview: one section per plugin, one line per record (JSON files hold the detail)."""
    lines = [f"# {event}", "", f"Exported {when.isoformat(timespec='seconds')}", ""]
    for plugin, data in exports.items():
        lines += [f"## {plugin}", ""]
        sections = data.items() if isinstance(data, dict) else [("data", data)]
        for key, value in sections:
            records = value if isinstance(value, list) else [value]
            lines.append(f"### {key} ({len(records)})")
            lines.append("")
            lines += [f"- {json.dumps(r, ensure_ascii=False, default=str)}" for r in records]
            lines.append("")
    return "\n".join(lines) + "\n"


def build_zip(event: str, when: datetime, exports: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for plugin, data in exports.items():
            archive.writestr(f"{plugin}.json", _json(data))
        archive.writestr("README.md", _markdown(event, when, exports))
    return buffer.getvalue()
