"""Keep docs/flow.md's diagrams equal to ``ceder graph`` output.

Each diagram in docs/flow.md follows a comment naming the command's arguments::

    <!-- ceder graph --phases -->
    ```mermaid
    ...
    ```

Regenerate every diagram (after changing the shipped bank or the graph code) with::

    .venv/bin/python -m tests.workshop.flowdoc
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOW_DOC = ROOT / "docs" / "flow.md"
BLOCK = re.compile(r"(<!-- ceder graph(?P<args>[^>]*?)-->\n```(?P<lang>\w+)\n)(?P<body>.*?)(```)", re.S)


def graph_output(args: list[str]) -> str:
    from assistant.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["graph", *args])
    if code != 0:
        raise RuntimeError(f"ceder graph {shlex.join(args)} failed")
    return out.getvalue()


def regenerate(text: str) -> str:
    """``text`` with every marked diagram replaced by the current ``ceder graph`` output."""

    def replace(m: re.Match[str]) -> str:
        return m.group(1) + graph_output(shlex.split(m.group("args"))) + m.group(5)

    return BLOCK.sub(replace, text)


def blocks(text: str) -> list[tuple[str, str]]:
    return [(m.group("args").strip(), m.group("body")) for m in BLOCK.finditer(text)]


if __name__ == "__main__":
    current = FLOW_DOC.read_text(encoding="utf-8")
    updated = regenerate(current)
    if updated != current:
        FLOW_DOC.write_text(updated, encoding="utf-8")
        print(f"updated {FLOW_DOC}")
    else:
        print(f"{FLOW_DOC} is up to date")
    sys.exit(0)
