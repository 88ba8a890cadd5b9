"""What changed between two assessments of the same project: answers, notes, owners, scores, ratings,
impact tier, verdict, blockers and conditions.

:func:`compare` works on two readiness summaries (so it needs no engine); :func:`render_text` and
:func:`render_json` present the result for a terminal and for scripts.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.reports.diff_actions import ActionChanges, compare_actions, text_lines
from assistant.reports.text import clean, long_date, num, one_line
from flows.persistence import json_dumps
from flows.summary import TIER_LABELS, VERDICT_LABELS, AnswerDetail, Flag, Summary

DIFF_SCHEMA_VERSION = 1


@dataclass
class Side:
    """One of the two assessments, as named in the output."""

    source: str
    project: str
    assessor: str
    date: str
    bank_id: str
    bank_version: str
    verdict: str
    impact_tier: int
    organisation: str = ""
    role: str = ""
    sro: str = ""
    """The senior responsible owner."""


@dataclass
class AnswerChange:
    question_id: str
    dimension: str
    text: str
    old: str | None
    """The earlier answer in words (``None`` when there was none)."""
    new: str | None
    old_points: float | None = None
    new_points: float | None = None
    max_points: float | None = None
    reason: str = ""
    """For removed answers: why the answer is gone (no longer asked, or not reached)."""


@dataclass
class TextChange:
    question_id: str
    text: str
    old: str
    new: str


@dataclass
class DimensionChange:
    id: str
    title: str
    old_score: float
    new_score: float
    old_max: float
    new_max: float
    old_rating: str
    new_rating: str
    changed: bool


@dataclass
class FlagChanges:
    added: list[dict[str, str]] = field(default_factory=list)
    resolved: list[dict[str, str]] = field(default_factory=list)
    changed: list[dict[str, str]] = field(default_factory=list)
    """Same flag, new wording (for example a tier-minimum condition whose score moved)."""


@dataclass
class Diff:
    old: Side
    new: Side
    verdict_changed: bool
    tier_changed: bool
    dimensions: list[DimensionChange]
    answers_changed: list[AnswerChange]
    answers_added: list[AnswerChange]
    answers_removed: list[AnswerChange]
    notes: list[TextChange]
    owners: list[TextChange]
    blockers: FlagChanges
    conditions: FlagChanges
    warnings: list[str] = field(default_factory=list)
    actions: ActionChanges = field(default_factory=ActionChanges)

    @property
    def changed(self) -> bool:
        return bool(
            self.verdict_changed
            or self.tier_changed
            or any(d.changed for d in self.dimensions)
            or self.answers_changed
            or self.answers_added
            or self.answers_removed
            or self.notes
            or self.owners
            or self.actions
            or any(getattr(f, k) for f in (self.blockers, self.conditions) for k in ("added", "resolved", "changed"))
        )


def _side(summary: Summary, source: str) -> Side:
    bank = summary.bank
    return Side(
        source=source,
        project=summary.project.name,
        assessor=summary.project.assessor,
        date=summary.project.date,
        organisation=summary.project.organisation,
        role=summary.project.role,
        sro=summary.project.sro,
        bank_id=bank.id if bank else "",
        bank_version=bank.version if bank else "",
        verdict=summary.verdict,
        impact_tier=summary.impact_tier,
    )


def _given(a: AnswerDetail | None) -> AnswerDetail | None:
    """The answer if one was actually given or declined (not merely never reached)."""
    return None if a is None or a.status == "unanswered" else a


def _same_answer(a: AnswerDetail, b: AnswerDetail) -> bool:
    return a.status == b.status and a.answer == b.answer


def _flag_key(f: Flag) -> tuple[str, str, str]:
    # Rule flags are identified by their message (a question may carry several rules);
    # tier-minimum and evidence-gap conditions by where they come from, so a changed
    # score reads as "changed", not as one resolved and one added.
    return (f.source, f.question_id, f.message if f.source == "rule" else "")


def _flag_dict(f: Flag) -> dict[str, str]:
    return {"question_id": f.question_id, "dimension": f.dimension, "source": f.source, "message": f.message}


def _flags(old: list[Flag], new: list[Flag]) -> FlagChanges:
    before = {_flag_key(f): f for f in old}
    after = {_flag_key(f): f for f in new}
    out = FlagChanges()
    for key, f in after.items():
        if key not in before:
            out.added.append(_flag_dict(f))
        elif before[key].message != f.message:
            out.changed.append({**_flag_dict(f), "old_message": before[key].message})
    out.resolved = [_flag_dict(f) for key, f in before.items() if key not in after]
    return out


def compare(old: Summary, new: Summary, old_source: str = "old", new_source: str = "new") -> Diff:
    """The differences from ``old`` to ``new`` (two summaries of the same bank)."""
    warnings = []
    if old.bank and new.bank and old.bank.version != new.bank.version:
        warnings.append(
            f"The bank changed version between the assessments ({old.bank.version} → {new.bank.version}); "
            "some differences may come from the bank rather than the answers."
        )
    if old.project.name.strip() != new.project.name.strip():
        warnings.append(
            f"The project names differ (“{one_line(old.project.name)}” and “{one_line(new.project.name)}”); "
            "check that these are assessments of the same project."
        )

    before = {a.question_id: a for a in old.answers}
    after = {a.question_id: a for a in new.answers}
    order = list(after) + [q for q in before if q not in after]
    changed, added, removed = [], [], []
    notes, owners = [], []
    for qid in order:
        a, b = _given(before.get(qid)), _given(after.get(qid))
        ref = b or a or after.get(qid) or before[qid]
        if a is not None and b is not None and not _same_answer(a, b):
            changed.append(
                AnswerChange(
                    qid, ref.dimension, ref.text, a.answer_label, b.answer_label, a.points, b.points, b.max_points
                )
            )
        elif a is None and b is not None:
            added.append(AnswerChange(qid, ref.dimension, ref.text, None, b.answer_label, None, b.points, b.max_points))
        elif a is not None and b is None:
            reason = "not reached" if qid in after else "no longer asked"
            if any(s.question_id == qid for s in new.set_aside):
                reason = "set aside by a revision"
            removed.append(
                AnswerChange(qid, ref.dimension, ref.text, a.answer_label, None, a.points, None, a.max_points, reason)
            )
        old_note = before[qid].note if qid in before else ""
        new_note = after[qid].note if qid in after else ""
        if old_note.strip() != new_note.strip():
            notes.append(TextChange(qid, ref.text, old_note, new_note))

    # Owners of actions that stand in both assessments (a resolved action's owner is moot).
    old_owners = {a.question_id: a.owner for a in old.actions}
    texts = {a.question_id: a.text for a in (*old.answers, *new.answers)}
    for action in new.actions:
        qid = action.question_id
        if qid in old_owners and old_owners[qid].strip() != action.owner.strip():
            owners.append(TextChange(qid, texts.get(qid, ""), old_owners[qid], action.owner))

    dims = []
    old_dims = {d.id: d for d in old.dimensions}
    for d in new.dimensions:
        o = old_dims.get(d.id)
        if o is None:
            continue
        dims.append(
            DimensionChange(
                id=d.id,
                title=d.title,
                old_score=o.score,
                new_score=d.score,
                old_max=o.max_score,
                new_max=d.max_score,
                old_rating=o.rating,
                new_rating=d.rating,
                changed=(o.score, o.max_score, o.rating) != (d.score, d.max_score, d.rating),
            )
        )
    return Diff(
        old=_side(old, old_source),
        new=_side(new, new_source),
        verdict_changed=old.verdict != new.verdict,
        tier_changed=old.impact_tier != new.impact_tier,
        dimensions=dims,
        answers_changed=changed,
        answers_added=added,
        answers_removed=removed,
        notes=notes,
        owners=owners,
        blockers=_flags(old.blockers, new.blockers),
        conditions=_flags(old.conditions, new.conditions),
        warnings=warnings,
        actions=compare_actions(old, new),
    )


# -- output --------------------------------------------------------------------
def render_json(diff: Diff) -> str:
    """The diff as JSON for scripts (user text exactly as recorded; JSON escaping applies)."""
    doc: dict[str, Any] = {
        "schema_version": DIFF_SCHEMA_VERSION,
        "changed": diff.changed,
        "old": asdict(diff.old),
        "new": asdict(diff.new),
        "verdict": {"old": diff.old.verdict, "new": diff.new.verdict, "changed": diff.verdict_changed},
        "impact_tier": {"old": diff.old.impact_tier, "new": diff.new.impact_tier, "changed": diff.tier_changed},
        "dimensions": [asdict(d) for d in diff.dimensions],
        "answers": {
            "changed": [asdict(a) for a in diff.answers_changed],
            "added": [asdict(a) for a in diff.answers_added],
            "removed": [asdict(a) for a in diff.answers_removed],
        },
        "notes": [asdict(n) for n in diff.notes],
        "owners": [asdict(o) for o in diff.owners],
        "blockers": asdict(diff.blockers),
        "conditions": asdict(diff.conditions),
        "actions": asdict(diff.actions),
        "warnings": diff.warnings,
    }
    return json_dumps(doc) + "\n"


_RATING = {"red": "Red", "amber": "Amber", "green": "Green"}
WIDTH = 100
"""Long answers and notes are wrapped to this many columns."""


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    """``text`` wrapped under ``indent`` (the first line may start with ``first`` instead)."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [(indent if first is None else first).rstrip()]


def _t(text: str, limit: int = 0) -> str:
    """User or bank text for a terminal: one line, no escape sequences, optionally shortened."""
    s = one_line(text)
    if limit and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s


def _pts(points: float | None, max_points: float | None) -> str:
    if points is None or max_points is None:
        return ""
    return f" ({num(points)}/{num(max_points)})"


def _when(side: Side) -> str:
    parts = [_t(side.source)]
    if side.date:
        parts.append(long_date(side.date))
    if side.assessor.strip():
        role = f" ({_t(side.role)})" if side.role.strip() else ""
        parts.append(f"assessor {_t(side.assessor)}{role}")
    return ", ".join(parts)


def _arrow(old: str, new: str) -> str:
    return f"{old} → {new}" if old != new else f"{new} (unchanged)"


def _note_lines(label: str, text: str) -> list[str]:
    lines = [line for line in (" ".join(x.split()) for x in clean(text).split("\n")) if line]
    if not lines:
        return [f"      {label} (none)"]
    indent = " " * (7 + len(label))
    out = _wrap(lines[0], indent, f"      {label} ")
    for line in lines[1:]:
        out.extend(_wrap(line, indent))
    return out


def render_text(diff: Diff) -> str:
    """The diff for a terminal: plain text, no colour, no markup, changed things only."""
    o, n = diff.old, diff.new
    name = _t(n.project or o.project) or "(unnamed project)"
    organisation = _t(n.organisation or o.organisation)
    sro = _t(n.sro or o.sro)
    out = [
        f"Changes between two assessments of {name}" + (f", {organisation}" if organisation else ""),
        *([f"  Senior responsible owner: {sro}"] if sro else []),
        f"  Bank:   {_t(n.bank_id)} {_t(o.bank_version)}"
        + (f" → {_t(n.bank_version)}" if o.bank_version != n.bank_version else ""),
        f"  Before: {_when(o)}",
        f"  After:  {_when(n)}",
    ]
    out += [f"  Note: {_t(w)}" for w in diff.warnings]
    out.append("")
    out.append(f"Verdict:     {_arrow(VERDICT_LABELS[o.verdict], VERDICT_LABELS[n.verdict])}")
    out.append(f"Impact tier: {_arrow(TIER_LABELS.get(o.impact_tier, '?'), TIER_LABELS.get(n.impact_tier, '?'))}")

    moved = [d for d in diff.dimensions if d.changed]
    if moved:
        out += ["", "Dimensions"]
        width = max(len(_t(d.title)) for d in moved)
        for d in moved:
            unit = " risk" if d.id == "complexity" else ""
            before = f"{num(d.old_score)}/{num(d.old_max)}{unit} {_RATING[d.old_rating]}"
            after = f"{num(d.new_score)}/{num(d.new_max)}{unit} {_RATING[d.new_rating]}"
            out.append(f"  {_t(d.title):<{width}}  {before} → {after}")
        same = len(diff.dimensions) - len(moved)
        if same:
            out.append(f"  ({same} other dimension{'s' if same != 1 else ''} unchanged)")

    titles = {d.id: d.title for d in diff.dimensions}

    def flag_section(title: str, items: list[dict[str, str]], extra: str = "") -> None:
        if not items:
            return
        out.extend(["", f"{title} ({len(items)})"])
        for f in items:
            where = (
                titles.get(f["question_id"], f["question_id"]) if f["source"] == "tier_minimum" else f["question_id"]
            )
            # Long messages wrap under their bullet, so the text reads in a terminal or an email.
            out.extend(
                textwrap.wrap(f"{_t(where)}: {_t(f['message'])}", 110, initial_indent="  - ", subsequent_indent="    ")
            )
            if extra and extra in f:
                out.extend(textwrap.wrap(f"was: {_t(f[extra])}", 110, initial_indent="    ", subsequent_indent="    "))

    flag_section("Blockers resolved", diff.blockers.resolved)
    flag_section("Blockers added", diff.blockers.added)
    flag_section("Blockers reworded", diff.blockers.changed, "old_message")
    flag_section("Conditions resolved", diff.conditions.resolved)
    flag_section("Conditions added", diff.conditions.added)
    flag_section("Conditions changed", diff.conditions.changed, "old_message")

    def answer_section(title: str, items: list[AnswerChange]) -> None:
        if not items:
            return
        out.extend(["", f"{title} ({len(items)})"])
        width = max(len(a.question_id) for a in items)
        for a in items:
            out.append(f"  {_t(a.question_id):<{width}}  {_t(a.text, 100)}")
            pad = " " * (width + 4)
            if a.old is not None and a.new is not None:
                line = f"{_t(a.old)}{_pts(a.old_points, a.max_points)} → {_t(a.new)}{_pts(a.new_points, a.max_points)}"
            elif a.new is not None:
                line = f"{_t(a.new)}{_pts(a.new_points, a.max_points)}"
            else:
                line = f"was: {_t(a.old or '')}{_pts(a.old_points, a.max_points)} ({a.reason})"
            out.extend(_wrap(line, pad))

    answer_section("Answers changed", diff.answers_changed)
    answer_section("Answers added", diff.answers_added)
    answer_section("Answers no longer given", diff.answers_removed)

    if diff.notes:
        out.extend(["", f"Notes changed ({len(diff.notes)})"])
        for t in diff.notes:
            out.append(f"  {_t(t.question_id)}  {_t(t.text, 100)}")
            out += _note_lines("before:", t.old)
            out += _note_lines("after: ", t.new)
    out += text_lines(diff.actions)
    if diff.owners:
        out.extend(["", f"Action owners changed ({len(diff.owners)})"])
        for t in diff.owners:
            out.append(f"  {_t(t.question_id)}  {_t(t.old) or '(none)'} → {_t(t.new) or '(none)'}")

    out.append("")
    if not diff.changed:
        out.append("No differences: the same answers, notes, scores, tier and verdict.")
    else:
        counts = [
            f"{len(diff.answers_changed)} answer{'s' if len(diff.answers_changed) != 1 else ''} changed",
            f"{len(diff.answers_added)} added",
            f"{len(diff.answers_removed)} no longer given",
            f"{len(diff.notes)} note{'s' if len(diff.notes) != 1 else ''} changed",
            f"{len(diff.actions.closed)} action{'s' if len(diff.actions.closed) != 1 else ''} closed",
        ]
        tail = "verdict changed" if diff.verdict_changed else "verdict unchanged"
        out.append(f"In all: {', '.join(counts)}; {tail}.")
    return "\n".join(out) + "\n"
