"""Opening the interactive assistant: pick the session file, then start the TUI or plain mode."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.paths import sessions_dir
from assistant.session_files import latest_unfinished, new_session_path

if TYPE_CHECKING:
    from question_banks import Bank


def load_bank_for_tui(bank_dir: str | None) -> Bank:
    """The bank, as every front end loads it (through the content-keyed cache in the data folder)."""
    from assistant.shared import load_bank_or_fail

    bank: Bank = load_bank_or_fail(bank_dir)
    return bank


def launch_tui(args: argparse.Namespace) -> int:
    if getattr(args, "plain", False):  # line-by-line mode: never imports Textual
        from assistant.plain import run_plain

        return run_plain(args)
    explicit = Path(args.session).expanduser() if args.session else None
    if explicit is not None:
        from assistant.shared import CliError

        if explicit.is_dir():
            raise CliError(f"{explicit}: is a folder, not a session file")
        if not explicit.parent.is_dir():
            raise CliError(f"{explicit}: the folder {explicit.parent} does not exist")
    # With --session the sessions folder is not needed (a read-only data folder still works).
    folder = sessions_dir() if explicit is None else None
    resume = latest_unfinished(folder) if folder is not None else None
    from assistant.tui.app import run_app

    new_path = new_session_path(folder) if folder is not None else None
    # The bank is loaded by run_app: after the first screen is painted, when it was recorded (assistant.tui.opening).
    return run_app(
        None, bank_dir=args.bank, session_path=explicit, resume_candidate=resume, new_path=new_path, args=args
    )
