"""The top of the summary screen, to read at a glance: the verdict and the gate it is for, what stands in
the way (blockers, then conditions, each grouped by the gate they belong to), and the first actions.

Gates come from the summary when the verdict knows them (``summary.gate_label``, a flag's
``gate``); without them everything belongs to the verdict's own gate and no grouping shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static

from assistant.tui.text import md_escape, plural
from flows.summary import Action, Flag, Summary

FIRST_ACTIONS = 5
LIST_AT_A_GLANCE = 8
"""Blockers or conditions shown at the top; the rest are in the full summary below."""


def _gate_label(gate: str) -> str:
    from importlib import import_module

    try:
        labels: dict[str, str] = getattr(import_module("flows.gates"), "GATE_LABELS", {})
    except ImportError:  # before the verdict knows gates
        labels = {}
    return labels.get(gate, gate.replace("_", " "))


def verdict_line(s: Summary) -> Content:
    gate = str(getattr(s, "gate_label", "") or "")
    for_gate = f" for {gate}" if gate else ""
    return Content.assemble((f" {s.verdict_label}{for_gate} ", "bold"))


def counts_line(s: Summary) -> str:
    return " · ".join(
        [
            plural(len(s.blockers), "blocker"),
            plural(len(s.conditions), "condition"),
            plural(len(s.actions), "action"),
            plural(len(s.evidence_gaps), "evidence gap"),
        ]
    )


def grouped(flags: Sequence[Flag], own_gate: str) -> list[tuple[str, list[Flag]]]:
    """Flags grouped by gate, the verdict's own gate first; one group without a heading when all share it."""
    groups: dict[str, list[Flag]] = {}
    for f in flags:
        gate = str(getattr(f, "gate", "") or "")
        label = _gate_label(gate) if gate else own_gate
        groups.setdefault(label, []).append(f)
    return sorted(groups.items(), key=lambda kv: kv[0] != own_gate)


def flags_markdown(title: str, flags: Sequence[Flag], own_gate: str) -> str:
    lines = [f"### {title} ({len(flags)})\n"]
    if not flags:
        lines.append("None.")
        return "\n".join(lines)
    groups = grouped(flags, own_gate)
    room = LIST_AT_A_GLANCE
    for label, items in groups:
        if room <= 0:
            break
        if len(groups) > 1 or (label and label != own_gate):
            lines.append(f"\n**{md_escape(label[:1].upper() + label[1:]) if label else 'This gate'}**\n")
        lines += [f"- {md_escape(f.message)} *({md_escape(f.question_id)})*" for f in items[:room]]
        room -= len(items)
    if room < 0:
        lines.append(f"\n*…and {-room} more: every one is in the full summary below and in the reports.*")
    return "\n".join(lines)


def first_actions_markdown(actions: Sequence[Action]) -> str:
    if not actions:
        return "### Action plan\n\nNothing to do."
    head = [x for x in actions if not getattr(x, "appendix", False)][:FIRST_ACTIONS]
    more = len(actions) - len(head)
    lines = [f"### First actions ({len(head)} of {len(actions)})\n"]
    for n, x in enumerate(head, 1):
        owner = f" (owner: {md_escape(x.owner)})" if x.owner else ""
        lines.append(f"{n}. {md_escape(x.action)}{owner} *({md_escape(x.question_id)})*")
    if more:
        lines.append(f"\n*The full plan ({plural(len(actions), 'action')}) is below and in every export.*")
    return "\n".join(lines)


def glance(s: Summary, *, tier_provisional: bool) -> list[Widget]:
    """The verdict, what stands in the way, and what to do first."""
    own_gate = str(getattr(s, "gate_label", "") or "")
    # The first reason lists the blockers or conditions again; the lists below say it more clearly.
    reason = s.verdict_reasons[0] if s.verdict_reasons and not (s.blockers or s.conditions) else ""
    tier = f"Impact tier {s.impact_tier_label}" + (
        " (provisional: complexity not finished)" if tier_provisional else ""
    )
    return [
        Static(verdict_line(s), classes=f"verdict -{s.verdict}", id="summary-verdict"),
        *([Static(Content(reason), classes="verdict-reason")] if reason else []),
        Static(Content(counts_line(s)), classes="verdict-counts"),
        Markdown(flags_markdown("Blockers", s.blockers, own_gate), classes="summary-md", id="summary-blockers"),
        Markdown(flags_markdown("Conditions", s.conditions, own_gate), classes="summary-md", id="summary-conditions"),
        Markdown(first_actions_markdown(s.actions), classes="summary-md", id="summary-actions"),
        Static(Content(tier), classes=f"tier -tier{s.impact_tier}"),
    ]
