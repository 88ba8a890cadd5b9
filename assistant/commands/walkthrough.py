"""``ceder walkthrough SCENARIO``: play a demo scenario in the full-screen app, one step at a time.

For trainers at a projector: each question as asked, the scenario's answer, why each
follow-up appears, the points and running scores, and the bank's facilitator notes,
ending with the readiness summary. SCENARIO is a scenario id (``ceder scenarios``
lists them; with ``--bank DIR``, those in ``DIR/scenarios``) or a path to a scenario
file. Nothing is saved. The scenario is read and played before Textual is imported,
so a bad scenario ends in a one-line error.
"""

from __future__ import annotations

import argparse
from typing import Any


def _step(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a question number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("the question number must be 0 (the title card) or more")
    return n


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "walkthrough",
        parents=[common],
        help="step through a demo scenario in the full-screen app (for trainers)",
        description="Show a demo scenario step by step, for a workshop: each question as the assistant asks it, "
        "the scenario's answer, why each follow-up appears, the points and running scores, and the "
        "facilitator notes, ending with the readiness summary. Space or → goes on, ← goes back, End jumps "
        "to the summary, f hides or shows the facilitator notes, q quits. Nothing is saved.",
    )
    p.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="a scenario id (see 'ceder scenarios') or the path to a scenario file",
    )
    p.add_argument("--hide-notes", action="store_true", help="start with the facilitator notes hidden (f shows them)")
    p.add_argument(
        "--question", type=_step, default=0, metavar="N", help="open at question N rather than the title card"
    )
    p.set_defaults(func=cmd_walkthrough)


def cmd_walkthrough(args: argparse.Namespace) -> int:
    from assistant.shared import CliError
    from assistant.walkthrough import ScenarioError, load_walkthrough

    if getattr(args, "plain", False):
        raise CliError(
            "the walkthrough needs the full-screen app; for a text version, run: ceder run --answers SCENARIO_FILE"
        )
    try:
        walkthrough = load_walkthrough(args.scenario, args.bank)
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    start = 0
    if args.question:
        start = next((i for i, s in enumerate(walkthrough.steps) if s.number == args.question), -1)
        if start < 0:
            raise CliError(f"the scenario has {walkthrough.questions} questions; there is no question {args.question}")
    from assistant.tui.screens.walkthrough import run_walkthrough

    return run_walkthrough(walkthrough, show_notes=not args.hide_notes, start=start)
