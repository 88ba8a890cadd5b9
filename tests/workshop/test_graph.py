"""``ceder graph``: the flow from the real phase machine and the bank's conditions."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.commands.graph import flow_graph, machine_edges
from flows.machine import PhaseModel, build_machine
from question_banks import Bank, lint, shipped_bank_dir
from question_banks.conditions import describe
from tests.conftest import SMALL_BANK
from tests.workshop import flowdoc

BANK = ["--bank", str(SMALL_BANK)]
MERMAID_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def graph(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main([*BANK, "graph", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str | None]]]:
    """States (id -> description) and transitions (src, dst, label, enclosing composite) of our mermaid."""
    states: dict[str, str] = {}
    edges: list[tuple[str, str, str, str | None]] = []
    stack: list[str] = []
    for line in text.splitlines()[1:]:
        line = line.strip()
        if m := re.fullmatch(r'state "([^"]*)" as (\S+)( \{)?', line):
            states[m.group(2)] = m.group(1)
            if m.group(3):
                stack.append(m.group(2))
        elif line == "}":
            stack.pop()
        elif m := re.fullmatch(r"(\S+) --> (\S+)(?: : (.*))?", line):
            edges.append((m.group(1), m.group(2), m.group(3) or "", stack[-1] if stack else None))
    assert not stack, "unbalanced composite states"
    return states, edges


def test_machine_edges_are_what_transitions_graphmachine_draws(small_bank: Bank) -> None:
    phases = small_bank.phases()
    model = PhaseModel()
    build_machine(model, phases, "welcome", graph=True)
    drawn: set[tuple[str, str, str]] = set()
    for line in model.get_graph().draw(None).splitlines():  # type: ignore[attr-defined]
        if "-->" in line and "[*]" not in line:
            src, rest = (part.strip() for part in line.split("-->", 1))
            dst, triggers = rest.split(":", 1)
            for t in triggers.split("|"):
                drawn.add((src, dst.strip(), t.replace("[internal]", "").strip()))
    ours = {(src, dst, t) for (src, dst), ts in machine_edges(phases).items() for t in ts}
    assert ours == drawn
    assert ("readiness_review", "summary", "proceed") in ours
    assert ("welcome", "summary", "finish") not in ours  # the machine forbids it, so the graph never shows it


def test_mermaid_draws_the_main_path_through_the_phases(capsys: pytest.CaptureFixture[str]) -> None:
    states, edges = parse_mermaid(graph(capsys))
    top = [(s, d) for s, d, _, parent in edges if parent is None]
    path = ["welcome", "profile", "complexity", "complexity_review", "ethics", "ethics_review", "data",
            "data_review", "efficacy", "efficacy_review", "readiness", "readiness_review", "summary"]  # fmt: skip
    assert top == [("[*]", "welcome"), *pairwise(path), ("summary", "[*]")]
    labels = {(s, d): label for s, d, label, parent in edges if parent is None}
    assert labels[("complexity", "complexity_review")] == "answer | skip | dont_know"
    assert labels[("ethics_review", "data")] == "proceed"
    assert states["ethics_review"] == "Ethics · review"


def test_mermaid_draws_every_question_and_each_follow_up_with_its_condition(
    capsys: pytest.CaptureFixture[str], small_bank: Bank
) -> None:
    states, edges = parse_mermaid(graph(capsys))
    for q in small_bank.questions:
        assert f"q_{q.id}" in states and states[f"q_{q.id}"].startswith(f"{q.id} · ")
    inner = {(s, d): (label, parent) for s, d, label, parent in edges if parent is not None}
    assert inner[("[*]", "q_C1")] == ("", "complexity")
    assert inner[("q_C1", "q_C2")] == ("", "complexity")  # core questions in asking order
    assert inner[("q_C1", "q_C1a")] == ("C1 = people", "complexity")
    assert inner[("q_E1", "q_E1a")] == ("E1 in {no, partly}", "ethics")
    # D2 is brought by a profile answer: it enters the data phase from its start, naming P2.
    assert inner[("[*]", "q_D2")] == ("P2 = biometric", "data")
    for q in small_bank.questions:
        if q.ask_if is not None:
            assert any(d == f"q_{q.id}" and label == describe(q.ask_if) for (_, d), (label, _) in inner.items())


def test_mermaid_is_well_formed(capsys: pytest.CaptureFixture[str]) -> None:
    text = graph(capsys)
    assert text.startswith("stateDiagram-v2\n")
    states, edges = parse_mermaid(text)
    for state_id in states:
        assert MERMAID_ID.match(state_id), state_id
    for src, dst, label, _ in edges:
        assert src == "[*]" or src in states
        assert dst == "[*]" or dst in states
        assert ":" not in label and ";" not in label  # mermaid would cut the label there
    assert text.count("note right of") == text.count("end note") == 1


def test_phases_only_and_one_dimension(capsys: pytest.CaptureFixture[str]) -> None:
    states, _ = parse_mermaid(graph(capsys, "--phases"))
    assert not any(s.startswith("q_") for s in states)
    states, edges = parse_mermaid(graph(capsys, "--dimension", "data"))
    assert sorted(s for s in states if s.startswith("q_")) == ["q_D1", "q_D2"]
    assert ("[*]", "q_D2", "P2 = biometric", "data") in edges


def test_machine_view_draws_every_legal_move(capsys: pytest.CaptureFixture[str], small_bank: Bank) -> None:
    _, edges = parse_mermaid(graph(capsys, "--machine"))
    drawn = {(s, d) for s, d, _, _ in edges if "[*]" not in (s, d)}
    assert drawn == set(machine_edges(small_bank.phases()))
    assert ("complexity", "complexity", "answer | skip | dont_know | back | jump (stays)", None) in edges


def test_dot_draws_the_same_graph(capsys: pytest.CaptureFixture[str], small_bank: Bank) -> None:
    text = graph(capsys, "--format", "dot")
    assert text.startswith("digraph ceder {") and text.rstrip().endswith("}")
    unquoted = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    assert unquoted.count("{") == unquoted.count("}")  # balanced outside the quoted labels
    edges = set(re.findall(r"^\s+(\w+) -> (\w+)", text, re.M))
    expected = flow_graph(small_bank, small_bank.phases())
    assert edges == {(e.src, e.dst) for e in expected.edges} | {("summary", "note")}
    assert ("q_P2", "q_D2") in edges  # dot can join clusters: the real cross-phase edge
    assert 'q_C1 -> q_C1a [color=darkorange3, fontcolor=darkorange4, label="C1 = people"];' in text
    assert "subgraph cluster_ethics {" in text


def test_unknown_dimension_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BANK, "graph", "--dimension", "nonsense"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nonsense" in err and "ethics" in err


def test_graph_writes_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "flow.mmd"
    assert main([*BANK, "graph", "-o", str(out)]) == 0
    assert out.read_text().startswith("stateDiagram-v2")


def test_question_text_cannot_break_the_diagram(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    for f in SMALL_BANK.iterdir():
        (bank_dir / f.name).write_text(f.read_text())
    ethics = bank_dir / "20-ethics.yaml"
    tricky = """'Is the "legal power": identified; *really*?'"""
    ethics.write_text(ethics.read_text().replace("Is the legal power identified?", tricky))
    assert main(["--bank", str(bank_dir), "graph"]) == 0
    states, _ = parse_mermaid(capsys.readouterr().out)
    assert states["q_E1"] == "E1 · Is the 'legal power': identified; really?"


def test_docs_flow_matches_ceder_graph() -> None:
    if not lint(shipped_bank_dir()).ok:
        pytest.skip("the shipped bank does not validate yet; docs/flow.md is checked once it does")
    text = flowdoc.FLOW_DOC.read_text(encoding="utf-8")
    found = flowdoc.blocks(text)
    assert [args for args, _ in found] == ["--phases", ""]
    assert flowdoc.regenerate(text) == text, (
        "docs/flow.md no longer matches `ceder graph`: regenerate it with `.venv/bin/python -m tests.workshop.flowdoc`"
    )
