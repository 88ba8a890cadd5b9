"""The action plan: one entry per underlying gap, merged across questions, grouped by theme.

Every raised blocker and condition and every weak answer that matters at the tier becomes an
*item*; items about questions that express the same gap (the bank's ``action_plan.gaps``, e.g. an
EqIA, supplier bias evidence and group-performance testing) merge into one entry whose priority is
its most severe item's. Entries are ordered by priority, then by the gate they are due by, then by
theme, so the head of the plan (``action_plan.head`` entries) is what the next gate needs. Owners
and due dates come from the user (``/owner``) first, then from the bank's "what is the plan, and who
owns it?" answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from flows.dates import read_date
from flows.gates import BEFORE, GATE_RANK
from flows.owners import owner_and_due
from flows.session import AnswerRecord, Session
from flows.summary import PRIORITY_ORDER, THEME_TITLES, Action, Flag, Inconsistency, Priority
from question_banks.conditions import Facts
from question_banks.schema import Bank

DEFAULT_THEMES = {
    "profile": "legal_basis",
    "complexity": "governance",
    "ethics": "governance",
    "data": "data_management",
    "efficacy": "validation",
    "readiness": "governance",
}
THEME_ORDER = {t: i for i, t in enumerate(THEME_TITLES)}
RESTATES = 0.6
"""Similarity (difflib ratio) from which a rule's message only restates a plan entry's headline."""


@dataclass
class Item:
    """One reason for an entry: a flag, an inconsistency or a weak answer."""

    question_id: str
    message: str
    priority: Priority
    gate: str = ""
    verbatim: bool = False
    """Use ``message`` as the action itself, not the question's action text."""


@dataclass
class Minimum:
    """A dimension short of its tier's minimum: its flag, its priority, and the answers that would close it."""

    flag: Flag
    priority: Priority
    raising: list[str] = field(default_factory=list)
    note: str = ""
    """What an entry that helps close it says: the dimension, its score and what the tier needs."""

    @property
    def blocks(self) -> bool:
        return self.priority == "blocker"


@dataclass
class _Entry:
    key: str
    questions: list[str]
    items: list[Item] = field(default_factory=list)

    def worst(self) -> Item:
        return min(self.items, key=lambda i: (PRIORITY_ORDER[i.priority], GATE_RANK.get(i.gate, -1)))


def due_of(written: str) -> tuple[str, str]:
    """A due date as written, as the plan keeps it: the ISO date (or "" if it is not one), and the words when they differ."""
    if not written:
        return "", ""
    day = read_date(written)
    if day is None:
        return "", written
    iso = day.isoformat()
    return iso, "" if written == iso else written


def plan_questions(bank: Bank) -> dict[str, str]:
    """Free-text "what is the plan, and who owns it?" questions, mapped to the question they plan for."""
    out: dict[str, str] = {}
    for q in bank.questions:
        if q.kind != "text" or q.ask_if is None:
            continue
        refs = list(dict.fromkeys(q.ask_if.refs()))
        if len(refs) == 1 and q.id.startswith(refs[0]) and re.search(r"\bowns?\b|\bowner\b", q.text, re.I):
            out[q.id] = refs[0]
    return out


def theme_of(bank: Bank, question_id: str) -> str:
    for theme, qids in bank.scoring.action_plan.themes.items():
        if question_id in qids:
            return theme
    return DEFAULT_THEMES.get(bank.dimension_of.get(question_id, ""), "governance")


def restates(message: str, said: str) -> bool:
    """Whether ``message`` says little more than ``said`` (a rule's wording of the action itself).

    A plan entry lists a rule's message beside its headline only when it adds something, so a
    reader is not told the same thing twice in slightly different words.
    """
    return SequenceMatcher(None, message.lower(), said.lower()).ratio() >= RESTATES


COMMON_VERBS = frozenset(
    "add agree ask check cover ensure evaluate extend finish get involve publish remove replace review seek "
    "separate stop tell test update use vet".split()
)
"""Imperative openings of rule messages beyond those the bank's own actions open with."""


def instruction_verbs(bank: Bank) -> frozenset[str]:
    """Words that open an instruction: the first word of every action in the bank, and common imperatives."""
    return COMMON_VERBS | {q.action.split()[0].strip(",").lower() for q in bank.questions if q.action}


def _composed(details: list[str], verbs: frozenset[str], notes: set[str]) -> list[str]:
    """An entry's further text as one action with its reasons, not bank sentences strung together.

    The findings behind the entry come first, as its reasons ("Why: ..."); the rules' own
    instructions that it also covers follow as its parts, in one sentence ("It includes: ...");
    what the entry does for a dimension short of its minimum comes last.
    """

    def is_instruction(text: str) -> bool:
        for before in BEFORE.values():  # a condition names its gate first: "Before go-live: complete ..."
            text = text.removeprefix(f"{before}: ")
        first = text.split(maxsplit=1)[0].strip(",:").lower() if text.strip() else ""
        return first in verbs

    reasons = [d for d in details if d not in notes and not is_instruction(d)]
    parts = [d for d in details if d not in notes and is_instruction(d)]
    out = [f"Why: {' '.join(reasons)}"] if reasons else []
    if parts:
        steps = "; ".join(p[0].lower() + p[1:].rstrip(". ") for p in parts)
        out.append(f"It includes: {steps}.")
    return out + [d for d in details if d in notes]


def _headline(action: str | None, item: Item) -> str:
    if not action or item.verbatim:
        return item.message.strip()  # a condition's message already names its gate
    text = action.strip()
    if item.priority in ("condition_next_gate", "condition_later_gate") and item.gate in BEFORE:
        return f"{BEFORE[item.gate]}: {text[0].lower()}{text[1:]}" if text else text
    return text


def build_plan(
    bank: Bank,
    session: Session,
    answers: Mapping[str, AnswerRecord],
    items: list[Item],
    minimums: list[Minimum],
    checks: list[Inconsistency],
    facts: Facts,
) -> list[Action]:
    """The ordered plan; tier-minimum flags are pointed at the entries that raise their dimension."""
    plan = bank.scoring.action_plan
    group_of: dict[str, list[str]] = {}
    for group in plan.gaps:
        for qid in group:
            group_of.setdefault(qid, group)
    entries: dict[str, _Entry] = {}

    def entry_for(qid: str) -> _Entry:
        group = group_of.get(qid, [qid])
        key = f"{theme_of(bank, group[0])}.{group[0]}"
        if key not in entries:
            entries[key] = _Entry(key, list(group))
        return entries[key]

    for item in items:
        entry_for(item.question_id).items.append(item)
    for check in checks:
        key = f"check.{check.id}"
        entries[key] = _Entry(key, list(check.question_ids))
        entries[key].items.append(
            Item(
                check.question_ids[-1],
                f"Resolve the contradiction: {check.message}",
                "condition_next_gate",
                verbatim=True,
            )
        )
    for short in minimums:
        dim = short.flag.dimension
        if not short.raising:
            entries[f"minimum.{dim}"] = _Entry(f"minimum.{dim}", [dim], [Item(dim, short.flag.message, short.priority)])
            short.flag.action_ids = [f"minimum.{dim}"]
            continue
        # The answers that would close the shortfall carry its priority: a blocker is cleared by them.
        for qid in short.raising:
            entry_for(qid).items.append(Item(qid, short.note, short.priority))
        short.flag.action_ids = list(dict.fromkeys(entry_for(qid).key for qid in short.raising))

    planned = {parent: qid for qid, parent in plan_questions(bank).items()}
    verbs = instruction_verbs(bank)
    notes = {short.note for short in minimums}
    actions = []
    for entry in entries.values():
        worst = entry.worst()
        lead = bank.by_id.get(worst.question_id)
        headline = _headline(lead.worded(facts).action if lead is not None else None, worst)
        details: list[str] = []
        for message in dict.fromkeys(i.message for i in entry.items if i.message):
            if all(not restates(message, said) for said in (headline, *details)):
                details.append(message)
        composed: list[str] = []
        for detail in _composed(details, verbs, notes):
            if all(not restates(detail, said) for said in (headline, *composed)):
                composed.append(detail)
        owner, written = _tracking(session, answers, entry, planned)
        due, written = due_of(written)
        theme = entry.key.split(".", 1)[0] if not entry.key.startswith(("check.", "minimum.")) else ""
        if entry.key.startswith("check."):
            theme = next((c.theme for c in checks if f"check.{c.id}" == entry.key), "governance")
        elif entry.key.startswith("minimum."):
            theme = DEFAULT_THEMES.get(entry.questions[0], "governance")
        actions.append(
            Action.model_construct(
                id=entry.key,
                question_id=worst.question_id,
                # The questions whose answers raised it: a well-answered question of the same gap is not one.
                # A contradiction names both of its answers.
                question_ids=list(
                    dict.fromkeys(
                        [
                            *(q for q in entry.questions if q in answers and entry.key.startswith("check.")),
                            *(i.question_id for i in entry.items),
                        ]
                    )
                ),
                action=headline,
                details=composed,
                priority=worst.priority,
                gate=worst.gate,
                theme=theme,
                dimension=bank.dimension_of.get(worst.question_id, worst.question_id),
                owner=owner,
                due=due,
                due_written=written,
            )
        )
    position = bank.position
    actions.sort(
        key=lambda a: (
            PRIORITY_ORDER[a.priority],
            GATE_RANK.get(a.gate, -1),
            THEME_ORDER.get(a.theme, len(THEME_ORDER)),
            position.get(a.question_id, -1),
        )
    )
    for i, action in enumerate(actions):
        action.appendix = i >= plan.head
    return actions


def _tracking(
    session: Session, answers: Mapping[str, AnswerRecord], entry: _Entry, planned: dict[str, str]
) -> tuple[str, str]:
    """Owner and due date: the user's own (by action id, then by question), else the plan answer's."""
    owners = session.owners
    if entry.key in owners:
        return owners[entry.key], ""
    for qid in entry.questions:
        if qid in owners:
            return owners[qid], ""
    for qid in entry.questions:
        plan_id = planned.get(qid)
        record = answers.get(plan_id) if plan_id else None
        if record is not None and not record.is_gap and isinstance(record.value, str) and record.value.strip():
            return owner_and_due(record.value)
    return "", ""
