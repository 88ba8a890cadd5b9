"""What the CLI, the launcher, plain mode and the TUI share: errors, bank and session loading, output.

Kept out of :mod:`assistant.cli` so that the front ends never import the command line
back (no import cycle). Never imports Textual.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.errors import CliError as CliError  # re-exported: the front ends import it from here
from conversation.honesty import HONESTY

__all__ = ["HONESTY", "CliError", "load_bank_or_fail", "open_assessment", "render_or_fail", "write_output"]


def load_bank_or_fail(bank_dir: str | None):  # type: ignore[no-untyped-def]
    """The bank, through the private cache keyed on its files' content (``question_banks.cache``).

    Every front end gets the same bank the files hold; a current cache only saves the
    YAML, validation and lint (and building the validators): 30-50 ms a command. A bank
    with problems is never cached, so it fails here with ``load_bank``'s problems.
    """
    from question_banks.cache import load_bank_cached

    try:
        return load_bank_cached(Path(bank_dir) if bank_dir else None, cache_folder())
    except Exception as exc:
        from question_banks.loader import BankError  # imported by then: only the loader raises it

        if not isinstance(exc, BankError):
            raise
        n = len(exc.problems)
        raise CliError(f"{exc.problems[0]}" + (f" (and {n - 1} more; run 'ceder validate')" if n > 1 else "")) from None


def cache_folder() -> Path | None:
    """The data folder's cache, or None when there is none to use (the cache is optional)."""
    try:
        from assistant.paths import cache_dir

        return cache_dir()
    except Exception:  # an unusable data folder must not stop a command that does not need it
        return None


def write_output(text: str, out: str | None, force: bool) -> None:
    """Print, or write privately to ``out`` through the one safe writer (nothing existing replaced without --force)."""
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    from flows.persistence import write_private

    path = Path(out)
    try:
        write_private(path, text.encode("utf-8"), overwrite=force)
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror or exc}") from None


def render_or_fail(summary, fmt: str, bank=None) -> str:  # type: ignore[no-untyped-def]
    """``summary`` in ``fmt``; the bank's documents mapping is read only for the drafts that use it."""
    from assistant.reports import DOCUMENT_FORMATS, render

    try:
        return render(summary, fmt, bank.documents if bank is not None and fmt in DOCUMENT_FORMATS else None)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def open_assessment(session_path: Path, bank_dir: str | None):  # type: ignore[no-untyped-def]
    """Load a saved session with its bank, raising CliError on any problem."""
    from flows import Assessment, SessionFileError, load_session

    try:
        session = load_session(session_path)
    except SessionFileError as exc:
        raise CliError(str(exc)) from None
    bank = load_bank_or_fail(bank_dir)
    if session.bank.id != bank.id:
        raise CliError(
            f"{session_path}: made with bank {session.bank.id!r}, not {bank.id!r}; open it with --bank pointing at that bank"
        )
    return Assessment(bank, session)


def scenarios_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("question_banks") / "scenarios"))
