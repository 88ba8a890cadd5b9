"""Load a bank directory and lint it, reporting every problem at once.

A bank directory holds ``bank.yaml`` (the manifest) and one or more section
files, each holding the questions of one dimension or of the profile.
Problems print as ``FILE:LINE: QUESTION-ID: message``. Reading the files is
:mod:`question_banks.bank_files`; the checks across questions are here.
"""

from __future__ import annotations

import gc
import math
from pathlib import Path

from question_banks import yaml_source
from question_banks.bank_files import MANIFEST, read_files, scenario_problems
from question_banks.conditions import (
    SENTINELS,
    Condition,
    Count,
    Equals,
    In,
    Range,
    leaves,
)
from question_banks.documents import DOCUMENTS, DocumentMap, check_mapping
from question_banks.problems import BankError, LintResult, Located, Problem
from question_banks.reachability import reachable
from question_banks.schema import (
    CHOICE_KINDS,
    DIMENSIONS,
    Bank,
    Question,
    Scoring,
)

__all__ = ["MANIFEST", "MAX_BANK_BYTES", "BankError", "LintResult", "Problem", "lint", "load_bank", "maxima"]

MAX_BANK_BYTES = 1024 * 1024
"""All of a bank's files together (the shipped bank is under 0.2 MB), so any bank lints within a second."""


def shipped_bank_dir() -> Path:
    """The folder of the banks shipped with the package."""
    # The package is always installed as files (the bank is read with ``open``), so its folder is
    # enough; ``importlib.resources`` would cost about 15 ms of imports on every start.
    return Path(__file__).resolve().parent / "shipped"


def _check_condition(
    cond: Condition,
    where: Located,
    what: str,
    by_id: dict[str, Located],
    position: dict[str, int],
    earlier_only: bool,
) -> list[Problem]:
    out: list[Problem] = []
    own = position.get(where.question.id, -1)
    for leaf in leaves(cond):
        target = by_id.get(leaf.question)

        def p(msg: str, leaf_what: str = what) -> Problem:
            return Problem(where.file, where.at(leaf_what), where.question.id, f"{leaf_what}: {msg}")

        if target is None:
            out.append(p(f"refers to unknown question {leaf.question!r}"))
            continue
        tq = target.question
        if earlier_only and leaf.question == where.question.id:
            out.append(p("refers to itself (cyclic condition)"))
            continue
        if earlier_only and position[leaf.question] > own:
            cycle = _cycle(where.question.id, leaf.question, by_id)
            if cycle:
                out.append(p(f"cyclic condition: {' -> '.join(cycle)}"))
            else:
                out.append(p(f"refers to {leaf.question!r}, which is asked later (forward reference)"))
            continue
        if isinstance(leaf, Equals | In):
            values = [leaf.value] if isinstance(leaf, Equals) else leaf.values
            if tq.kind in CHOICE_KINDS:
                known = set(tq.option_index)
                for v in values:
                    if str(v) not in known and str(v) not in SENTINELS:
                        out.append(p(f"{leaf.question!r} has no option {v!r}"))
        elif isinstance(leaf, Range):
            if tq.kind == "text" or (tq.kind in CHOICE_KINDS and not tq.scored):
                out.append(p(f"range on {leaf.question!r}, which has no numbers or scores"))
        elif isinstance(leaf, Count) and tq.kind != "multi":
            out.append(p(f"count on {leaf.question!r}, which is not a multi-select"))
    return out


def _cycle(start: str, via: str, by_id: dict[str, Located]) -> list[str]:
    """A path via -> ... -> start through ask_if references, if one exists."""
    stack: list[tuple[str, list[str]]] = [(via, [start, via])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        loc = by_id.get(node)
        if loc is None or loc.question.ask_if is None:
            continue
        for ref in loc.question.ask_if.refs():
            if ref == start:
                return [*path, start]
            stack.append((ref, [*path, ref]))
    return []


def _question_problems(loc: Located, dimension: str) -> list[Problem]:
    q = loc.question
    out: list[Problem] = []

    def p(msg: str, at: str = "") -> Problem:
        return Problem(loc.file, loc.at(at) if at else loc.line, q.id, msg)

    if not q.help.strip():
        out.append(p("empty help: say what good looks like and why it matters", "help"))
    if not [r for r in q.references if r.strip()]:
        out.append(p("no references: cite at least one framework, section or URL", "references"))
    if q.kind in CHOICE_KINDS:
        if len(q.options) < 2:
            out.append(p(f"a {q.kind} question needs at least two options"))
        seen: set[str] = set()
        for o in q.options:
            if o.id in seen:
                out.append(p(f"duplicate option id {o.id!r}", "options"))
            seen.add(o.id)
        if dimension != "profile":
            for o in q.options:
                if o.score is None:
                    out.append(
                        p(f"option {o.id!r} has no score ({q.kind} questions in {dimension} are scored)", "options")
                    )
        if q.kind != "multi" and any(o.exclusive for o in q.options):
            out.append(p("exclusive options only make sense in a multi-select"))
    elif q.options:
        out.append(p(f"a {q.kind} question takes no options"))
    numbers = {"min": q.min, "max": q.max, "action_below": q.action_below}
    numbers.update({f"option {o.id!r} score": o.score for o in q.options})
    for what, number in numbers.items():
        if number is not None and not math.isfinite(number):
            out.append(p(f"{what} must be a finite number, not {number}", "options" if "score" in what else what))
    if q.min is not None and q.max is not None and q.min > q.max:
        out.append(p("min is greater than max"))
    if q.scored and dimension not in ("profile", "complexity") and not (q.action or "").strip():
        out.append(p("no action: say what to do when the answer is weak"))
    return out


def lint(directory: Path | str) -> LintResult:
    """Load ``directory`` and check it; never raises for bad content."""
    # Loading builds a few hundred objects per question, none of them garbage cycles;
    # the cyclic collector would only re-scan the growing heap again and again
    # (a quarter of the time for a large bank), so it waits until the bank is built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _lint(Path(directory))
    finally:
        if enabled:
            gc.enable()


def _lint(directory: Path) -> LintResult:
    if not directory.is_dir():
        return LintResult(None, [Problem(str(directory), 0, "-", "not a directory of bank files")])
    manifest, sections, problems, declared = read_files(directory, MAX_BANK_BYTES)
    problems.extend(scenario_problems(directory))
    located: list[Located] = []
    dimension_of: dict[str, str] = {}
    phase_order = {p: i for i, p in enumerate(("profile", *DIMENSIONS))}
    for section, locs in sorted(sections, key=lambda s: phase_order[s[0].dimension]):
        for loc in locs:
            located.append(loc)
            dimension_of.setdefault(loc.question.id, section.dimension)
    by_id: dict[str, Located] = {}
    for loc in located:
        first = by_id.get(loc.question.id)
        if first is not None:
            problems.append(
                Problem(
                    loc.file,
                    loc.line,
                    loc.question.id,
                    f"duplicate question id (first defined at {first.file}:{first.line})",
                )
            )
            continue
        by_id[loc.question.id] = loc
    unique = list(by_id.values())
    position = {loc.question.id: i for i, loc in enumerate(unique)}
    for loc in unique:
        q = loc.question
        problems.extend(_question_problems(loc, dimension_of[q.id]))
        if q.ask_if is not None:
            problems.extend(_check_condition(q.ask_if, loc, "ask_if", by_id, position, earlier_only=True))
        for i, v in enumerate(q.variants):
            problems.extend(_check_condition(v.when, loc, f"variants.{i}", by_id, position, earlier_only=True))
            if v.references is not None and not [r for r in v.references if r.strip()]:
                problems.append(Problem(loc.file, loc.line, q.id, f"variants.{i}: references must not be empty"))
            if v.help is not None and not v.help.strip():
                problems.append(Problem(loc.file, loc.line, q.id, f"variants.{i}: help must not be empty"))
            if v.action is not None and not q.action:
                problems.append(Problem(loc.file, loc.line, q.id, f"variants.{i}: sets an action the question lacks"))
        for i, pf in enumerate(q.prefill):
            problems.extend(_check_condition(pf.when, loc, f"prefill.{i}", by_id, position, earlier_only=True))
            if q.kind != "multi":
                problems.append(
                    Problem(loc.file, loc.line, q.id, f"prefill.{i}: only a multi-select can be pre-filled")
                )
            elif pf.option not in q.option_index or q.option_index[pf.option].exclusive:
                problems.append(
                    Problem(loc.file, loc.line, q.id, f"prefill.{i}: {pf.option!r} is not an option to pre-tick")
                )
        for o in q.options:
            clash = [s for s in o.synonyms if s in q.option_index and s != o.id]
            if clash:
                problems.append(
                    Problem(loc.file, loc.line, q.id, f"option {o.id!r}: synonym {clash[0]!r} is another option's id")
                )
        for i, r in enumerate(q.rules):
            problems.extend(_check_condition(r.when, loc, f"rules.{i}", by_id, position, earlier_only=False))
    if manifest is not None:
        mfile = str(directory / MANIFEST)
        fake = Located(Question(id="manifest", text="-", kind="text"), mfile, 1)
        for i, floor in enumerate(manifest.scoring.tier_floors):
            found = _check_condition(floor.when, fake, f"scoring.tier_floors.{i}", by_id, position, earlier_only=False)
            problems.extend(Problem(p.file, p.line, "-", p.message) for p in found)
        problems.extend(_scoring_problems(manifest.scoring, mfile, fake, by_id, position))
        for tier, table in manifest.scoring.tier_minimums.items():
            if tier not in (1, 2, 3, 4):
                problems.append(Problem(mfile, 1, "-", f"scoring.tier_minimums: tier {tier} is not 1-4"))
            for dim in table:
                if dim != "default" and dim not in DIMENSIONS:
                    problems.append(Problem(mfile, 1, "-", f"scoring.tier_minimums.{tier}: unknown dimension {dim!r}"))
        thresholds = manifest.scoring.tier_thresholds
        if not all(math.isfinite(t) for t in thresholds) or list(thresholds) != sorted(thresholds):
            problems.append(Problem(mfile, 1, "-", "scoring.tier_thresholds: three finite numbers in rising order"))
        if manifest.scoring.amber_from > manifest.scoring.green_from:
            problems.append(Problem(mfile, 1, "-", "scoring: amber_from is above green_from"))
    documents, found = _documents(directory, {loc.question.id: loc.question for loc in unique})
    problems.extend(found)
    present = {dimension_of[q] for q in by_id} | declared
    for dim in DIMENSIONS:
        if dim not in present and "?" not in present:
            problems.append(Problem(str(directory), 0, "-", f"missing dimension {dim!r}: no questions for it"))
    broken = {p.question_id for p in problems}
    unreachable: set[str] = set()
    questions = {qid: found_at.question for qid, found_at in by_id.items()}
    for loc in unique:
        if loc.question.id in broken:
            continue
        if not reachable(loc.question, questions, unreachable):
            unreachable.add(loc.question.id)
            problems.append(
                Problem(loc.file, loc.line, loc.question.id, "unreachable: no set of earlier answers satisfies ask_if")
            )
    problems.sort(key=lambda p: (p.file, p.line, p.question_id, p.message))
    if problems or manifest is None:
        return LintResult(None, problems)
    return LintResult(Bank(manifest, [s for s, _ in sections], documents), problems)


def _documents(directory: Path, by_id: dict[str, Question]) -> tuple[DocumentMap | None, list[Problem]]:
    """The bank's documents mapping (ATRS and DPIA drafts), if it has one, with its references checked."""
    path = directory / DOCUMENTS
    if not path.is_file():
        return None, []
    try:
        doc = yaml_source.read(path)
    except yaml_source.SourceError as exc:
        return None, [Problem(str(path), exc.line, "-", exc.message)]
    mapping, found = check_mapping(doc.data, by_id)
    return mapping, [Problem(str(path), doc.line_for(at), qid, msg) for at, qid, msg in found]


def _scoring_problems(
    scoring: Scoring, mfile: str, fake: Located, by_id: dict[str, Located], position: dict[str, int]
) -> list[Problem]:
    """Duties, cross-checks, the stage question and the action plan must name real questions."""
    out: list[Problem] = []
    conditions = [(f"scoring.duties.{i}", d.when) for i, d in enumerate(scoring.duties)]
    conditions += [(f"scoring.cross_checks.{i}", c.when) for i, c in enumerate(scoring.cross_checks)]
    for where, cond in conditions:
        found = _check_condition(cond, fake, where, by_id, position, earlier_only=False)
        out.extend(Problem(p.file, p.line, "-", p.message) for p in found)
    named = [(f"scoring.duties.{i}.question", d.question) for i, d in enumerate(scoring.duties)]
    for i, c in enumerate(scoring.cross_checks):
        named += [(f"scoring.cross_checks.{i}.earlier", c.earlier), (f"scoring.cross_checks.{i}.later", c.later)]
    named += [("scoring.critical_controls", q) for q in scoring.critical_controls]
    named += [(f"scoring.action_plan.themes.{t}", q) for t, qs in scoring.action_plan.themes.items() for q in qs]
    named += [("scoring.action_plan.gaps", q) for group in scoring.action_plan.gaps for q in group]
    if scoring.stage_question is not None:
        named.append(("scoring.stage_question", scoring.stage_question))
    out += [Problem(mfile, 1, "-", f"{where}: unknown question {q!r}") for where, q in named if q not in by_id]
    stages = {"idea", "design", "approval", "pilot", "live", "major_change"}
    out += [
        Problem(mfile, 1, "-", f"scoring.stages: {option!r} maps to unknown stage {stage!r}")
        for option, stage in scoring.stages.items()
        if stage not in stages
    ]
    for i, c in enumerate(scoring.cross_checks):
        if c.earlier in position and c.later in position and position[c.earlier] > position[c.later]:
            out.append(Problem(mfile, 1, "-", f"scoring.cross_checks.{i}: {c.earlier!r} is asked after {c.later!r}"))
    return out


def load_bank(directory: Path | str | None = None) -> Bank:
    """Load a bank, raising :class:`BankError` listing every problem if it is not clean."""
    result = lint(directory if directory is not None else shipped_bank_dir())
    if result.bank is None:
        raise BankError(result.problems)
    return result.bank


def maxima(bank: Bank) -> dict[str, tuple[float, float]]:
    """Per dimension: the maximum over core questions, and over every question."""
    out: dict[str, tuple[float, float]] = {}
    for dim in DIMENSIONS:
        qs = bank.in_dimension(dim)
        core = sum(q.max_points for q in qs if q.ask_if is None)
        every = sum(q.max_points for q in qs)
        out[dim] = (core, every)
    return out
