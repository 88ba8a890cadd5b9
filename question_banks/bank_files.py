"""Reading a bank folder's files into a manifest and sections, with every problem located.

Only reading and per-file checks live here; the checks across questions are the loader's.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from question_banks import files as files_mod
from question_banks import yaml_source
from question_banks.documents import DOCUMENTS
from question_banks.problems import Located, Problem, pydantic_problems
from question_banks.schema import ID_PATTERN, Manifest, Question, Section

MANIFEST = "bank.yaml"
_ID = re.compile(ID_PATTERN)


def read_files(
    directory: Path, max_bytes: int
) -> tuple[Manifest | None, list[tuple[Section, list[Located]]], list[Problem], set[str]]:
    """The manifest, the sections, the problems, and the dimensions files declare questions for."""
    problems: list[Problem] = []
    declared: set[str] = set()
    manifest: Manifest | None = None
    sections: list[tuple[Section, list[Located]]] = []
    files = []
    for p in sorted(directory.iterdir()):
        if p.suffix not in (".yaml", ".yml"):
            continue
        try:
            mode = p.stat().st_mode
        except OSError as exc:  # a dangling link, a file removed meanwhile: never skipped silently
            problems.append(Problem(str(p), 0, "-", f"cannot read file: {exc.strerror or exc}"))
            declared.add("?")
            continue
        if not stat.S_ISREG(mode):
            problems.append(Problem(str(p), 0, "-", files_mod.not_regular(p, mode).reason))
            declared.add("?")
            continue
        files.append(p)
    if not any(p.name == MANIFEST for p in files):
        problems.append(
            Problem(
                str(directory / MANIFEST),
                0,
                "-",
                "missing bank manifest (bank.yaml with id, version, title, provenance)",
            )
        )
    total = sum(p.stat().st_size for p in files)
    if total > max_bytes:
        biggest = max(files, key=lambda p: p.stat().st_size)
        problems.append(
            Problem(
                str(biggest),
                0,
                "-",
                f"bank is too large ({total / 1_048_576:.1f} MB in {len(files)} files; "
                f"the limit is {max_bytes / 1_048_576:g} MB in all)",
            )
        )
        return manifest, sections, problems, {"?"}
    for path in files:
        if path.name == DOCUMENTS:
            continue  # the documents mapping: checked once the questions are known
        name = str(path)
        try:
            doc = yaml_source.read(path)
        except yaml_source.SourceError as exc:
            problems.append(Problem(name, exc.line, "-", exc.message))
            declared.add("?")  # an unreadable file may hold any dimension
            continue
        if not isinstance(doc.data, dict):
            kind = "empty" if doc.data is None else type(doc.data).__name__
            problems.append(Problem(name, 1, "-", f"expected a mapping at the top level, found {kind}"))
            continue
        problems.extend(control_problems(name, doc))
        if path.name == MANIFEST:
            try:
                manifest = Manifest.model_validate(doc.data)
            except ValidationError as exc:
                problems.extend(pydantic_problems(exc, name, doc, (), "-"))
            continue
        if doc.data.get("questions"):
            declared.add(str(doc.data.get("dimension")))
        section, located, found = read_section(name, doc)
        problems.extend(found)
        if section is not None:
            sections.append((section, located))
    return manifest, sections, problems, declared


def scenario_problems(directory: Path) -> list[Problem]:
    """The bank's demo scenarios (``scenarios/*.yaml``) are shown in terminals too: plain text only."""
    folder = directory / "scenarios"
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        try:
            doc = yaml_source.read(path)
        except yaml_source.SourceError as exc:
            problems.append(Problem(str(path), exc.line, "-", exc.message))
            continue
        problems.extend(control_problems(str(path), doc))
    return problems


def control_problems(name: str, doc: yaml_source.Document) -> list[Problem]:
    """Bank text is shown in terminals: an escape sequence in it would drive the user's terminal."""
    out = []
    for loc, char in yaml_source.document_controls(doc):
        qid = "-"
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            raw = doc.data["questions"][loc[1]]
            found = raw.get("id") if isinstance(raw, dict) else None
            qid = found if isinstance(found, str) and _ID.match(found) else f"#{loc[1] + 1}"
        out.append(Problem(name, doc.line_for(loc), qid, yaml_source.control_message(loc, char)))
    return out


def read_section(name: str, doc: yaml_source.Document) -> tuple[Section | None, list[Located], list[Problem]]:
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []
    raw_questions = data.get("questions", [])
    header = {k: v for k, v in data.items() if k != "questions"}
    section: Section | None = None
    try:
        section = Section.model_validate(header)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, name, doc, (), "-"))
    if not isinstance(raw_questions, list):
        problems.append(Problem(name, doc.line_for(("questions",)), "-", "questions: expected a list"))
        return None, [], problems
    located: list[Located] = []
    for i, raw in enumerate(raw_questions):
        qid = raw.get("id") if isinstance(raw, dict) else None
        # A broken id is no label: the message names it, and FILE:LINE: ID: stays parseable.
        label = qid if isinstance(qid, str) and _ID.match(qid) else f"#{i + 1}"
        try:
            q = Question.model_validate(raw)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, name, doc, ("questions", i), label))
            continue
        fields = {k: doc.line_for(("questions", i, k)) for k in raw}
        located.append(Located(q, name, doc.line_for(("questions", i)), fields))
    if section is None:
        return None, located, problems
    section = section.model_copy(update={"questions": [loc.question for loc in located]})
    return section, located, problems
