"""``ceder compare A.json B.json ...``: where several assessments of one project disagree.

For workshops: several teams (or browsers) assess the same project, and the trainer
wants to see, per question, who answered differently, and per dimension how far the
scores spread, with the widest disagreements first. Given a single session answered
in group mode, it compares that session's participants instead. Plain text for a
terminal, or ``--format json``. Never imports Textual.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.compare import Comparison
    from flows.group import Spread
    from flows.session import Session
    from question_banks import Bank

TIER_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}
VERDICT_WORDS = {"ready": "ready", "ready_with_conditions": "ready with conditions", "not_ready": "not ready"}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "compare",
        parents=[common],
        help="where several assessments of one project disagree (workshops)",
        description="Compare saved sessions made with the same bank: per question, which sessions answered "
        "differently; per dimension, the spread of scores; widest disagreements first. With a single session "
        "answered in group mode, compare its participants.",
    )
    p.add_argument("sessions", nargs="+", metavar="SESSION", help="session files (two or more, or one group session)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--all", action="store_true", help="text: also list the questions everyone answered alike")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of printing")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_compare)


def source_labels(paths: list[Path]) -> list[str]:
    """Short, unique labels: file names without extension, else the paths as given, numbered if need be."""
    stems = [p.stem for p in paths]
    labels = stems if len(set(stems)) == len(stems) else [str(p) for p in paths]
    out: list[str] = []
    for label in labels:
        candidate, n = label, 1
        while candidate in out:
            n += 1
            candidate = f"{label}#{n}"
        out.append(candidate)
    return out


def cmd_compare(args: argparse.Namespace) -> int:
    from assistant.shared import CliError, load_bank_or_fail, write_output
    from flows import SessionFileError, load_session
    from flows.compare import compare_participants

    paths = [Path(p) for p in args.sessions]
    sessions = []
    for path in paths:
        try:
            sessions.append(load_session(path))
        except SessionFileError as exc:
            raise CliError(str(exc)) from None
    for path, session in zip(paths, sessions, strict=True):
        if session.bank.id != sessions[0].bank.id:
            raise CliError(
                f"{path}: made with bank {session.bank.id!r}, not {sessions[0].bank.id!r} like {paths[0]}; "
                "compare sessions made with the same bank"
            )
    bank = load_bank_or_fail(args.bank)
    if sessions[0].bank.id != bank.id:
        raise CliError(
            f"{paths[0]}: made with bank {sessions[0].bank.id!r}, not {bank.id!r}; use --bank pointing at that bank"
        )
    empty = [path for path, session in zip(paths, sessions, strict=True) if not session.answers]
    if empty:  # a browser opened and closed, a session started by mistake: nothing to compare
        print(
            f"note: left out {len(empty)} session{'s' if len(empty) != 1 else ''} with no answers: "
            + ", ".join(str(p) for p in empty),
            file=sys.stderr,
        )
        kept = [(p, s) for p, s in zip(paths, sessions, strict=True) if s.answers]
        if not kept:
            raise CliError("none of the sessions has any answers; nothing to compare")
        paths, sessions = [p for p, _ in kept], [s for _, s in kept]
    projects = by_project(paths, sessions)
    if len(projects) > 1 and len(sessions) > 1:
        write_output(render_projects(bank, projects, args.format, args.all), args.output, args.force)
        return 0
    if len(sessions) == 1:
        try:
            comparison = compare_participants(bank, sessions[0])
        except ValueError:
            raise CliError(
                f"{paths[0]}: has no participants' answers (not answered in group mode); "
                "give two or more session files to compare sessions"
            ) from None
    else:
        comparison = compare_many(bank, paths, sessions)
    text = render_json(comparison) if args.format == "json" else render_text(comparison, bank.title, args.all)
    write_output(text, args.output, args.force)
    return 0


def compare_many(bank: Bank, paths: list[Path], sessions: list[Session]) -> Comparison:
    from flows.compare import compare_sessions

    labels = source_labels(paths)
    return compare_sessions(
        bank,
        dict(zip(labels, sessions, strict=True)),
        paths={label: str(path) for label, path in zip(labels, paths, strict=True)},
    )


def render_projects(bank: Bank, projects: dict[str, list[tuple[Path, Session]]], fmt: str, include_agreed: bool) -> str:
    """Sessions of several projects: each project's sessions compared among themselves, never across projects."""
    texts: list[str] = []
    docs: list[dict[str, Any]] = []
    for name, members in projects.items():
        count = f"{len(members)} session{'s' if len(members) != 1 else ''}"
        if len(members) == 1:
            texts.append(
                f"== Project: {name} ({count})\nOnly one session of this project: nothing to compare it with.\n"
            )
            docs.append({"project": name, "comparison": None, "sessions": [str(members[0][0])]})
            continue
        part = compare_many(bank, [p for p, _ in members], [s for _, s in members])
        texts.append(f"== Project: {name} ({count})\n" + render_text(part, bank.title, include_agreed))
        docs.append(
            {"project": name, "comparison": json.loads(render_json(part)), "sessions": [str(p) for p, _ in members]}
        )
    if fmt == "json":
        return json.dumps({"schema_version": 1, "projects": docs}, indent=2, ensure_ascii=False) + "\n"
    return "\n".join(texts)


def by_project(paths: list[Path], sessions: list[Session]) -> dict[str, list[tuple[Path, Session]]]:
    """Sessions grouped by project name (case and spacing ignored), in the order first given."""
    groups: dict[str, list[tuple[Path, Session]]] = {}
    names: dict[str, str] = {}
    for path, session in zip(paths, sessions, strict=True):
        name = " ".join(session.project.name.split())
        key = name.casefold()
        names.setdefault(key, name or "(no project name)")
        groups.setdefault(key, []).append((path, session))
    return {names[key]: members for key, members in groups.items()}


# -- rendering -----------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def _num(value: float) -> str:
    return f"{value:g}"


def _spread_words(s: Spread, noun: str) -> str:
    if s.distinct >= 2:
        parts = [f"{s.distinct} different answers"]
    else:
        parts = ["the same answer where one was given" if s.distinct == 1 else "no answers"]
    missing = sum(1 for o in s.opinions if not o.given)
    if missing and s.distinct:
        parts.append(f"{missing} {noun}{'s' if missing != 1 else ''} without one")
    if s.spread is not None and s.distinct >= 2:
        parts.append(f"points spread {_num(s.spread)}")
    if s.value_range is not None and s.value_range[0] != s.value_range[1]:
        parts.append(f"from {_num(s.value_range[0])} to {_num(s.value_range[1])}")
    return ", ".join(parts)


def render_text(c: Comparison, bank_title: str, include_agreed: bool = False) -> str:
    from assistant.reports.text import one_line

    what = "participants" if c.mode == "participants" else "sessions"
    out = [f"Comparing {len(c.sources)} {what} · {one_line(bank_title)} ({c.bank_id} {c.bank_version})", ""]
    width = max(len(one_line(s.label)) for s in c.sources)
    for s in c.sources:
        state = "finished" if s.finished else "unfinished"
        tier = TIER_LABELS.get(s.impact_tier, str(s.impact_tier))
        line = f"  {one_line(s.label):<{width}}  {VERDICT_WORDS.get(s.verdict, s.verdict):<21}  tier {tier:<3}  {state:<10}  {s.answered} answered"
        if s.project:
            line += f"  · {one_line(s.project)}"
        out.append(line.rstrip())
    if c.mode == "participants":
        out.append("  (each participant's scores are the group's assessment with that participant's own answers)")

    out += ["", "Dimension scores (percent of the maximum; spread = highest minus lowest)"]
    names = [one_line(s.label) for s in c.sources]
    col = max(6, *(len(n) for n in names))
    title_w = max(len(one_line(d.title)) for d in c.dimensions)
    out.append(f"  {'':<{title_w}}  " + "  ".join(f"{n:>{col}}" for n in names) + "  spread")
    for d in c.dimensions:
        cells = "  ".join(f"{_pct(d.percent[s.label]):>{col}}" for s in c.sources)
        spread = "-" if d.spread is None else f"{d.spread:.0f}"
        out.append(f"  {one_line(d.title):<{title_w}}  {cells}  {spread:>6}")

    out.append("")
    if not c.questions:
        out.append(f"No disagreements: all {c.compared} questions compared were answered alike.")
    else:
        out.append(
            f"Answered differently, widest disagreement first: {len(c.questions)} of {c.compared} questions "
            f"({len(c.agreed)} answered alike)"
        )
        for sp in c.questions:
            out.append("")
            out.append(f"{sp.question_id} · {sp.dimension} · {one_line(sp.text)}")
            detail = _spread_words(sp, "participant" if c.mode == "participants" else "session")
            if sp.settled is not None:
                detail += f"; the group recorded: {one_line(sp.settled)}"
            out.append(f"    {detail}")
            for g in sp.groups:
                label = one_line(g.label)
                pts = "" if g.points is None else f" ({_num(g.points)} pts)"
                out.append(f"    - {label}{pts}: {', '.join(one_line(x) for x in g.sources)}")
    if include_agreed and c.agreed:
        out += ["", f"Answered alike: {', '.join(c.agreed)}"]
    return "\n".join(out) + "\n"


def _spread_json(s: Spread) -> dict[str, Any]:
    return {
        "question_id": s.question_id,
        "dimension": s.dimension,
        "text": s.text,
        "kind": s.kind,
        "distinct": s.distinct,
        "spread": s.spread,
        "value_range": list(s.value_range) if s.value_range else None,
        "settled": s.settled,
        "groups": [
            {"answer": g.value, "label": g.label, "status": g.status, "points": g.points, "sources": g.sources}
            for g in s.groups
        ],
        "answers": {
            o.source: {"answer": o.value, "label": o.label, "status": o.status, "points": o.points} for o in s.opinions
        },
    }


def render_json(c: Comparison) -> str:
    from assistant.reports.text import clean_tree

    doc: dict[str, Any] = {
        "schema_version": 1,
        "mode": c.mode,
        "bank": {"id": c.bank_id, "version": c.bank_version},
        "sources": [
            {
                "label": s.label,
                "path": s.path or None,
                "project": s.project,
                "verdict": s.verdict,
                "impact_tier": s.impact_tier,
                "finished": s.finished,
                "answered": s.answered,
            }
            for s in c.sources
        ],
        "dimensions": [
            {"id": d.id, "title": d.title, "percent": d.percent, "ratings": d.ratings, "spread": d.spread}
            for d in c.dimensions
        ],
        "compared": c.compared,
        "questions": [_spread_json(s) for s in c.questions],
        "agreed": c.agreed,
    }
    return json.dumps(clean_tree(doc), indent=2, ensure_ascii=False) + "\n"
