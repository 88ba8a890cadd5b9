"""``ceder graph [--format mermaid|dot]``: the conversation's flow, for slides and documentation.

Drawn from the real ``transitions`` machine (the phases and the moves it allows between
them) and from the bank's conditions (inside each phase, the core questions in asking
order and the follow-ups hanging off the answers that trigger them). ``--machine``
draws every legal move instead, which is a dense graph because revising, going back
and jumping can reach any phase. Never imports Textual.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from question_banks import Bank

FORWARD = ("start", "answer", "skip", "dont_know", "proceed")
"""Triggers that move along the main path (the rest are shown in a note, or with --machine)."""
LABEL_WIDTH = 44


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "graph",
        parents=[common],
        help="draw the flow: phases and follow-ups (mermaid or dot)",
        description="Draw the conversation's flow from the phase machine and the bank's follow-up conditions, "
        "as a mermaid stateDiagram (for Markdown, GitHub and slides) or Graphviz dot.",
    )
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    view = p.add_mutually_exclusive_group()
    view.add_argument("--phases", action="store_true", help="phases only, without the questions")
    view.add_argument("--dimension", metavar="DIM", help="show the questions of one phase only (e.g. ethics)")
    view.add_argument("--machine", action="store_true", help="every legal move of the phase machine")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of printing")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_graph)


def cmd_graph(args: argparse.Namespace) -> int:
    from assistant.shared import CliError, load_bank_or_fail, write_output

    bank = load_bank_or_fail(args.bank)
    phases = bank.phases()
    if args.dimension is not None and args.dimension not in phases:
        raise CliError(
            f"--dimension: {args.dimension!r} is not a phase of this bank (choose from: {', '.join(phases)})"
        )
    if args.machine:
        graph = machine_graph(bank)
    else:
        detail = [] if args.phases else [args.dimension] if args.dimension else phases
        graph = flow_graph(bank, detail)
    write_output(render_mermaid(graph) if args.format == "mermaid" else render_dot(graph), args.output, args.force)
    return 0


# -- the graph -------------------------------------------------------------------
@dataclass
class Node:
    id: str
    label: str
    kind: str
    """``terminal`` (welcome, summary), ``phase``, ``review`` or ``question``."""
    parent: str | None = None


@dataclass
class Edge:
    src: str
    dst: str
    label: str = ""
    kind: str = "flow"
    """``flow`` (between phases), ``entry`` (a phase's first question), ``next`` (core
    questions in asking order) or ``followup`` (a follow-up and its condition)."""


@dataclass
class Graph:
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    note: list[str] = field(default_factory=list)
    note_on: str = ""

    def add(self, node: Node) -> None:
        self.nodes[node.id] = node

    def children(self, parent: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == parent]


def machine_edges(phases: list[str]) -> dict[tuple[str, str], list[str]]:
    """Every move the engine's phase machine allows: (source, dest) -> triggers, in table order.

    Internal transitions (staying in the phase) appear as (state, state).
    """
    from flows.machine import WELCOME, PhaseModel, build_machine

    machine = build_machine(PhaseModel(), phases, WELCOME)
    edges: dict[tuple[str, str], list[str]] = {}
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for t in transitions:
                triggers = edges.setdefault((source, t.dest or source), [])
                if trigger not in triggers:
                    triggers.append(trigger)
    return edges


def _state_label(bank: Bank, state: str) -> str:
    from flows.machine import SUMMARY, WELCOME

    if state == WELCOME:
        return "Welcome"
    if state == SUMMARY:
        return "Readiness summary"
    if state.endswith("_review"):
        return f"{bank.title_of(state.removesuffix('_review'))} · review"
    return bank.title_of(state)


def _state_kind(state: str) -> str:
    from flows.machine import SUMMARY, WELCOME

    if state in (WELCOME, SUMMARY):
        return "terminal"
    return "review" if state.endswith("_review") else "phase"


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    from assistant.reports.text import one_line

    text = one_line(text).replace("*", "")  # Markdown emphasis in bank wording means nothing in a diagram
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _title(bank: Bank) -> str:
    return f"{bank.title} ({bank.id} {bank.version})"


def _describe_sources(states: set[str], questions: set[str], reviews: set[str]) -> str:
    if states == questions | reviews:
        return "any question phase or review"
    if states == questions | reviews | {"summary"}:
        return "any phase after the welcome"
    return ", ".join(sorted(states))


def flow_graph(bank: Bank, detail: list[str]) -> Graph:
    """The main path through the phases; the questions of the phases in ``detail``."""
    from flows.machine import SUMMARY, states_for
    from question_banks.conditions import describe

    phases = bank.phases()
    states = states_for(phases)
    moves = machine_edges(phases)
    g = Graph(title=_title(bank))
    for state in states:
        g.add(Node(state, _state_label(bank, state), _state_kind(state)))
    for src, dst in pairwise(states):
        triggers = [t for t in moves.get((src, dst), []) if t in FORWARD]
        if triggers:
            g.edges.append(Edge(src, dst, " | ".join(triggers)))

    # What else the machine allows, in words (drawing it all is --machine).
    question_states = set(phases)
    review_states = {s for s in states if s.endswith("_review")}
    by_trigger: dict[str, tuple[set[str], set[str]]] = {}
    for (src, dst), triggers in moves.items():
        for t in triggers:
            if src != dst:
                srcs, dsts = by_trigger.setdefault(t, (set(), set()))
                srcs.add(src)
                dsts.add(dst)
    if "finish" in by_trigger:
        srcs, _ = by_trigger["finish"]
        g.note.append(f"finish: from {_describe_sources(srcs, question_states, review_states)} to the summary")
    nav = [t for t in ("back", "jump") if t in by_trigger]
    if nav:
        srcs = set().union(*(by_trigger[t][0] for t in nav))
        dsts = set().union(*(by_trigger[t][1] for t in nav))
        where = "any question phase" if dsts == question_states else ", ".join(sorted(dsts))
        g.note.append(f"{', '.join(nav)}: from {_describe_sources(srcs, question_states, review_states)} to {where}")
    g.note.append("after a revision: on to the open question, or the summary")
    g.note_on = SUMMARY

    used: set[str] = set(g.nodes)
    ids: dict[str, str] = {}
    for q in bank.questions:
        base = "q_" + re.sub(r"[^A-Za-z0-9_]", "_", q.id)
        node_id, n = base, 1
        while node_id in used:
            n += 1
            node_id = f"{base}_{n}"
        used.add(node_id)
        ids[q.id] = node_id
    for phase in detail:
        questions = bank.in_dimension(phase)
        for q in questions:
            g.add(Node(ids[q.id], f"{q.id} · {_short(q.text)}", "question", parent=phase))
        core = [q for q in questions if q.ask_if is None]
        if core:
            g.edges.append(Edge(phase, ids[core[0].id], kind="entry"))
        for a, b in pairwise(core):
            g.edges.append(Edge(ids[a.id], ids[b.id], kind="next"))
        for q in questions:
            if q.ask_if is None:
                continue
            label = describe(q.ask_if)
            refs = list(dict.fromkeys(q.ask_if.refs()))
            inside = [r for r in refs if bank.dimension_of.get(r) == phase]
            outside = [r for r in refs if r not in inside]
            for r in inside:
                g.edges.append(Edge(ids[r], ids[q.id], label, kind="followup"))
            if not inside:
                # Triggered from another phase: from that question when it is drawn, else from this phase.
                sources = [ids[r] for r in outside if bank.dimension_of.get(r) in detail] or [phase]
                for src in dict.fromkeys(sources):
                    g.edges.append(Edge(src, ids[q.id], label, kind="followup"))
    return g


def machine_graph(bank: Bank) -> Graph:
    """Every legal move of the phase machine (internal moves as loops marked "stays")."""
    from flows.machine import states_for

    phases = bank.phases()
    g = Graph(title=_title(bank) + ": every legal move of the phase machine")
    for state in states_for(phases):
        g.add(Node(state, _state_label(bank, state), _state_kind(state)))
    for (src, dst), triggers in machine_edges(phases).items():
        label = " | ".join(triggers) + (" (stays)" if src == dst else "")
        g.edges.append(Edge(src, dst, label))
    return g


# -- rendering -------------------------------------------------------------------
def _mermaid_text(text: str, label: bool = False) -> str:
    """Text safe inside a mermaid state description (or, with ``label``, after a transition's colon)."""
    text = text.replace('"', "'").replace("\n", " ")
    return text.replace(":", "\u2236").replace(";", ",") if label else text


def render_mermaid(g: Graph) -> str:
    from flows.machine import SUMMARY, WELCOME

    lines = [
        "stateDiagram-v2",
        f"  %% {_mermaid_text(g.title)}",
        "  %% generated by `ceder graph`; do not edit by hand",
    ]
    lines.append("  direction TB")
    top = [n for n in g.nodes.values() if n.parent is None]
    for n in top:
        kids = g.children(n.id)
        if not kids:
            lines.append(f'  state "{_mermaid_text(n.label)}" as {n.id}')
            continue
        lines.append(f'  state "{_mermaid_text(n.label)}" as {n.id} {{')
        for k in kids:
            lines.append(f'    state "{_mermaid_text(k.label)}" as {k.id}')
        inner: list[str] = []
        for e in g.edges:
            if g.nodes[e.dst].parent != n.id:
                continue
            # A follow-up triggered from another phase enters from this phase's start:
            # mermaid cannot join states that sit inside different composite states.
            src = e.src if g.nodes[e.src].parent == n.id else "[*]"
            label = f" : {_mermaid_text(e.label, label=True)}" if e.label else ""
            inner.append(f"    {src} --> {e.dst}{label}")
        lines.extend(dict.fromkeys(inner))
        lines.append("  }")
    if WELCOME in g.nodes:
        lines.append(f"  [*] --> {WELCOME}")
    for e in g.edges:
        if g.nodes[e.src].parent is None and g.nodes[e.dst].parent is None:
            label = f" : {_mermaid_text(e.label, label=True)}" if e.label else ""
            lines.append(f"  {e.src} --> {e.dst}{label}")
    if SUMMARY in g.nodes:
        lines.append(f"  {SUMMARY} --> [*]")
    if g.note:
        lines.append(f"  note right of {g.note_on}")
        lines.append("    Also legal (ceder graph --machine draws every move):")
        lines.extend(f"    {_mermaid_text(n)}" for n in g.note)
        lines.append("  end note")
    return "\n".join(lines) + "\n"


def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render_dot(g: Graph) -> str:
    shapes = {"terminal": "doubleoctagon", "phase": "ellipse", "review": "ellipse", "question": "box"}
    lines = [
        "digraph ceder {",
        "  // generated by `ceder graph --format dot`; do not edit by hand",
        f"  graph [label={_dot(g.title)}, labelloc=t, rankdir=TB, fontname=Helvetica];",
        "  node [fontname=Helvetica, fontsize=11, style=rounded];",
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    for n in g.nodes.values():
        if n.parent is not None:
            continue
        kids = g.children(n.id)
        node = f"{n.id} [label={_dot(n.label)}, shape={shapes[n.kind]}];"
        if not kids:
            lines.append(f"  {node}")
            continue
        lines.append(f"  subgraph cluster_{n.id} {{")
        lines.append(f"    label={_dot(n.label)}; style=rounded; color=gray60;")
        lines.append(f"    {node}")
        lines.extend(f"    {k.id} [label={_dot(k.label)}, shape=box];" for k in kids)
        lines.append("  }")
    styles = {
        "entry": " style=dashed,",
        "next": "",
        "followup": " color=darkorange3, fontcolor=darkorange4,",
        "flow": "",
    }
    for e in g.edges:
        attrs = styles[e.kind] + (f" label={_dot(e.label)}" if e.label else "")
        attrs = attrs.strip().rstrip(",")
        lines.append(f"  {e.src} -> {e.dst}" + (f" [{attrs}];" if attrs else ";"))
    if g.note:
        text = "Also legal (ceder graph --machine draws every move):\n" + "\n".join(g.note)
        lines.append(f"  note [label={_dot(text)}, shape=note, fontsize=9];")
        lines.append(f"  {g.note_on} -> note [style=dotted, arrowhead=none];")
    lines.append("}")
    return "\n".join(lines) + "\n"
