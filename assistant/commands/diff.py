"""``ceder diff OLD NEW``: what changed between two assessments of the same project.

For re-assessment over time: answers added, removed and changed, notes and action
owners changed, per-dimension scores and ratings, the impact tier, the verdict, and
the blockers and conditions added or resolved. Plain text for a terminal, or
``--format json`` for scripts. Never imports Textual.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "diff",
        parents=[common],
        help="what changed between two assessments of the same project",
        description="Compare two saved sessions made with the same question bank: answers, notes, scores, "
        "ratings, impact tier, verdict, blockers and conditions.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier session file")
    p.add_argument("new", metavar="NEW", help="the later session file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of printing")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    from assistant.reports.diff import compare, render_json, render_text
    from assistant.shared import CliError, open_assessment, write_output
    from flows import SessionFileError, load_session

    old_path, new_path = Path(args.old), Path(args.new)
    banks = []
    for path in (old_path, new_path):
        try:
            banks.append(load_session(path).bank)
        except SessionFileError as exc:
            raise CliError(str(exc)) from None
    if banks[0].id != banks[1].id:
        raise CliError(
            f"{old_path} and {new_path} were made with different banks ({banks[0].id!r} and {banks[1].id!r}); "
            "diff compares assessments made with the same bank"
        )
    old = open_assessment(old_path, args.bank).summary(final=True)
    new = open_assessment(new_path, args.bank).summary(final=True)
    diff = compare(old, new, str(old_path), str(new_path))
    text = render_json(diff) if args.format == "json" else render_text(diff)
    write_output(text, args.output, args.force)
    return 0
