"""Shared by every plugin's unit tests: import the real `plugins` package, never `tests/plugins`.

tests/ is on pytest's sys.path (tests/conftest.py has no package), and tests/plugins has no __init__.py,
so `import plugins` would find tests/plugins as a namespace package before the checkout's plugins/.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("plugins"), "__file__", "") is None:
    for _name in [m for m in sys.modules if m == "plugins" or m.startswith("plugins.")]:
        del sys.modules[_name]
