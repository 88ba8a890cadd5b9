"""Code run in a new interpreter, where nothing is imported yet (what a user's command starts from)."""

from __future__ import annotations

import subprocess
import sys


def in_fresh_python(code: str) -> None:
    """Run ``code`` with ``python -c`` and fail with its output unless it exits 0."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
