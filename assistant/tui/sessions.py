"""Choosing and opening the session file for the TUI. Plain Python (no Textual), so it is easy to test.

The rules: a session file that cannot be read, or that belongs to another bank,
is never written to; the user is told why, and a fresh assessment starts in a new
file whose name is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine is imported when a session is opened, after the first screen is painted
    from flows import Assessment
    from question_banks import Bank


@dataclass
class Opened:
    assessment: Assessment
    path: Path
    notice: str | None = None
    """Something the user must be told (a file that could not be used, and where work goes instead)."""
    notice_title: str = "Session file not used"
    resumed: bool = False


@dataclass(frozen=True)
class ResumeOffer:
    path: Path
    label: str
    answers: int
    updated: str


def fresh_path_near(path: Path) -> Path:
    """A file name next to ``path`` that does not exist yet: ``s-new.json``, ``s-new-2.json``..."""
    suffix = path.suffix or ".json"
    candidate = path.with_name(f"{path.stem}-new{suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-new-{n}{suffix}")
    return candidate


def start_new(bank: Bank, path: Path) -> Assessment:
    """A new assessment saved at ``path`` (written at once, before the first question shows), holding its lock."""
    from flows import Assessment

    assessment = Assessment.open_file(bank, path)
    assessment.start()
    return assessment


def open_session(bank: Bank, path: Path, fallback: Path | None = None) -> Opened:
    """Open ``path`` (resuming it) or create it; a bad file is left alone and work starts in ``fallback``.

    A session another ceder is writing opens read-only, saying who has it.
    """
    from flows import Assessment, SessionFileError

    if not path.exists():
        return Opened(start_new(bank, path), path)
    problem: str | None = None
    try:
        assessment = Assessment.open_file(bank, path, read_only_if_busy=True)
    except SessionFileError as exc:
        problem = str(exc)
    else:
        if assessment.session.bank.id != bank.id:
            assessment.close()
            made_with = assessment.session.bank.id
            problem = f"{path}: made with question bank {made_with!r}, not {bank.id!r} (open it with --bank)"
    if problem is not None:
        new = fallback if fallback is not None and not fallback.exists() else fresh_path_near(path)
        notice = f"{problem}. That file is left untouched; this new assessment is saved in {new}."
        return Opened(start_new(bank, new), new, notice=notice)
    if assessment.read_only is not None:
        return Opened(assessment, path, notice=assessment.read_only, notice_title="Read-only", resumed=True)
    if assessment.state == "welcome":
        assessment.start()
    return Opened(assessment, path, resumed=True)


def describe_resume(path: Path, bank: Bank) -> ResumeOffer | None:
    """What to say when offering to resume ``path``; None when it cannot be resumed with this bank."""
    from flows import SessionFileError, load_session

    try:
        session = load_session(path)
    except SessionFileError:
        return None
    if session.bank.id != bank.id:
        return None
    name, organisation = session.project.name.strip(), session.project.organisation.strip()
    label = f"{name} ({organisation})" if name and organisation else name or path.name
    try:  # a hand-edited year 9999 (or 1) cannot move into the local time zone: never a crash at start-up
        updated = session.updated.astimezone().strftime("%d %b %Y %H:%M")
    except (OverflowError, ValueError, OSError):
        updated = session.updated.strftime("%d %b %Y %H:%M UTC")
    return ResumeOffer(path=path, label=label, answers=len(session.answers), updated=updated)
