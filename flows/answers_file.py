"""Answers files (SPEC 3.2) and headless runs through the same engine as the TUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.engine import Assessment, FlowError, renamed
from flows.session import Project, Session
from question_banks import yaml_source
from question_banks.conditions import AnswerValue
from question_banks.schema import Bank


class AnswersFileError(Exception):
    """A bad answers file; the message is ``FILE:LINE: reason``."""


@dataclass
class AnswersFile:
    path: Path
    answers: dict[str, AnswerValue]
    notes: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    project: Project = field(default_factory=Project)
    meta: dict[str, Any] = field(default_factory=dict)
    """Scenario metadata (id, title, narrative, expected_verdict) when present."""
    lines: dict[str, int] = field(default_factory=dict)


def _value(raw: Any) -> AnswerValue | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and all(isinstance(v, str | int) and not isinstance(v, bool) for v in raw):
        return [str(v) for v in raw]
    return None


def read_answers(path: Path) -> AnswersFile:
    """Parse an answers file (YAML or JSON); raise :class:`AnswersFileError` naming the place."""
    path = Path(path)
    try:
        doc = yaml_source.read(path)
    except yaml_source.SourceError as exc:
        raise AnswersFileError(f"{path}:{exc.line}: {exc.message}") from None
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise AnswersFileError(f"{path}:1: expected a mapping with an 'answers' mapping of question id to answer")
    answers: dict[str, AnswerValue] = {}
    lines: dict[str, int] = {}
    for qid, raw in data["answers"].items():
        line = doc.line_for(("answers", str(qid)))
        value = _value(raw)
        if isinstance(raw, bool):
            raise AnswersFileError(
                f'{path}:{line}: {qid}: YAML reads this as true/false, not an option id; quote it, e.g. "yes"'
            )
        if value is None:
            raise AnswersFileError(
                f"{path}:{line}: {qid}: answer must be an option id, a list of option ids, a number or text"
            )
        answers[str(qid)] = value
        lines[str(qid)] = line
    texts: dict[str, dict[str, str]] = {}
    for key in ("notes", "owners"):
        block = data.get(key) or {}
        if not isinstance(block, dict) or not all(isinstance(v, str) for v in block.values()):
            raise AnswersFileError(f"{path}:{doc.line_for((key,))}: {key} must map question ids to text")
        texts[key] = {str(k): v for k, v in block.items()}
    project_raw = data.get("project") or {}
    if not isinstance(project_raw, dict):
        raise AnswersFileError(
            f"{path}:{doc.line_for(('project',))}: project must be a mapping (name, organisation, assessor, role, sro, contact)"
        )
    project = Project(
        **{key: str(project_raw.get(key, "")) for key in Project.model_fields},
    )
    meta = {k: data[k] for k in ("id", "title", "narrative", "expected_verdict") if k in data}
    for key in ("notes", "owners"):
        for qid in texts[key]:
            lines.setdefault(f"{key}.{qid}", doc.line_for((key, qid)))
    return AnswersFile(path, answers, texts["notes"], texts["owners"], project, meta, lines)


@dataclass
class RunResult:
    assessment: Assessment
    ignored: list[str]
    """Answered in the file, but never asked given the other answers."""


def run_answers(bank: Bank, answers: AnswersFile, session_path: Path | None = None) -> RunResult:
    """Play an answers file through the engine, in asking order."""
    unknown = [qid for qid in answers.answers if qid not in bank.by_id]
    unknown += [qid for key in ("notes", "owners") for qid in getattr(answers, key) if qid not in bank.by_id]
    if unknown:
        qid = unknown[0]
        line = answers.lines.get(qid) or answers.lines.get(f"notes.{qid}") or answers.lines.get(f"owners.{qid}", 1)
        raise AnswersFileError(f"{answers.path}:{line}: unknown question id {qid!r} (not in bank {bank.id})")
    session = Session(bank={"id": bank.id, "version": bank.version}, project=answers.project)
    assessment = Assessment(bank, session)
    assessment.start()
    for q in bank.questions:
        if q.id in answers.answers and assessment.is_relevant(q.id):
            try:
                assessment.record(q.id, renamed(q, answers.answers[q.id]))
            except FlowError as exc:
                raise AnswersFileError(f"{answers.path}:{answers.lines.get(q.id, 1)}: {exc}") from None
    for qid, text in answers.notes.items():
        assessment.session.notes[qid] = text
    for qid, owner in answers.owners.items():
        assessment.session.owners[qid] = owner
    # Ends in the summary, or (when the file leaves questions open) on the first
    # open question, so a saved session reopens in the TUI where work remains.
    assessment.settle()
    ignored = [qid for qid in answers.answers if not assessment.is_relevant(qid)]
    if session_path is not None:
        assessment.path = session_path
    return RunResult(assessment, ignored)
