"""One test per lint rule: each breaks the clean fixture bank in one way and expects that problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from question_banks import lint, maxima
from tests.conftest import SMALL_BANK


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the fixture bank with one text replacement in ``file``."""
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    path = bank / file
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1))
    return bank


def problems(bank: Path) -> list[str]:
    return [str(p) for p in lint(bank).problems]


def only(bank: Path) -> str:
    found = problems(bank)
    assert len(found) == 1, found
    return found[0]


LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<qid>[^:]+): (?P<msg>.+)$")


def test_fixture_bank_is_clean() -> None:
    result = lint(SMALL_BANK)
    assert result.problems == []
    assert result.bank is not None
    assert [q.id for q in result.bank.questions][:3] == ["P1", "P2", "C1"]


def test_problem_format_names_file_line_and_question(tmp_path: Path) -> None:
    bank = broken(tmp_path, "20-ethics.yaml", "help: A documented power is the starting point.", 'help: ""')
    m = LINE.match(only(bank))
    assert m is not None
    assert m["file"].endswith("20-ethics.yaml")
    assert m["qid"] == "E1"
    assert int(m["line"]) == 14  # the line of E1's help field
    assert "empty help" in m["msg"]


def test_yaml_syntax_error_reports_line(tmp_path: Path) -> None:
    bank = broken(tmp_path, "30-data.yaml", "    kind: single\n", "    kind: [single\n")
    msg = only(bank)
    assert "30-data.yaml:" in msg and "YAML syntax error" in msg


def test_type_error_reports_field(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", "kind: single", "kind: slider")
    msg = only(bank)
    assert ": F1: kind:" in msg


def test_wrong_score_type(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", "score: 2}", "score: lots}")
    msg = only(bank)
    assert "F1" in msg and "options.1.score" in msg


def test_duplicate_question_id_across_files(tmp_path: Path) -> None:
    bank = broken(tmp_path, "50-readiness.yaml", "- id: R1", "- id: F1")
    msg = only(bank)
    assert "duplicate question id" in msg and "40-efficacy.yaml" in msg


def test_duplicate_option_id(tmp_path: Path) -> None:
    bank = broken(
        tmp_path, "40-efficacy.yaml", '{id: "yes", label: "Yes", score: 2}', '{id: "no", label: "Yes", score: 2}'
    )
    assert "duplicate option id 'no'" in only(bank)


def test_unknown_reference(tmp_path: Path) -> None:
    bank = broken(tmp_path, "30-data.yaml", "question: P2, value: biometric", "question: P9, value: biometric")
    assert "refers to unknown question 'P9'" in only(bank)


def test_forward_reference(tmp_path: Path) -> None:
    bank = broken(
        tmp_path,
        "10-complexity.yaml",
        "ask_if: {op: equals, question: C1, value: people}",
        "ask_if: {op: answered, question: D1}",
    )
    assert "asked later (forward reference)" in only(bank)


def test_cyclic_reference(tmp_path: Path) -> None:
    bank = broken(
        tmp_path,
        "20-ethics.yaml",
        "  - id: E2\n    text: How confident are you in the human oversight?\n    kind: scale\n",
        "  - id: E2\n    text: How confident are you in the human oversight?\n    kind: scale\n    ask_if: {op: answered, question: E1a}\n",
    )
    # E1a now depends on E2 (forward), and E2 on E1a: a cycle.
    path = bank / "20-ethics.yaml"
    path.write_text(
        path.read_text().replace(
            'values: ["no", partly]}',
            'values: ["no", partly]}\n    variants:\n      - when: {op: answered, question: E2}\n        text: x',
        )
    )
    msgs = problems(bank)
    assert any("cyclic condition: E1a -> E2 -> E1a" in m for m in msgs), msgs


def test_self_reference(tmp_path: Path) -> None:
    bank = broken(
        tmp_path,
        "10-complexity.yaml",
        "ask_if: {op: equals, question: C1, value: people}",
        "ask_if: {op: answered, question: C1a}",
    )
    assert "refers to itself" in only(bank)


def test_unknown_option_in_condition(tmp_path: Path) -> None:
    bank = broken(tmp_path, "30-data.yaml", "question: P2, value: biometric", "question: P2, value: facial")
    assert "'P2' has no option 'facial'" in only(bank)


def test_option_without_score(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", '{id: "no", label: "No", score: 0}', '{id: "no", label: "No"}')
    assert "option 'no' has no score" in only(bank)


def test_unreachable_question(tmp_path: Path) -> None:
    bank = broken(
        tmp_path,
        "30-data.yaml",
        "ask_if: {op: equals, question: P2, value: biometric}",
        "ask_if: {op: all, conditions: [{op: equals, question: P2, value: biometric}, {op: equals, question: P2, value: ml}]}",
    )
    assert "D2: unreachable" in only(bank)


def test_unreachable_through_unreachable_parent(tmp_path: Path) -> None:
    bank = broken(
        tmp_path,
        "10-complexity.yaml",
        "ask_if: {op: equals, question: C1, value: people}",
        "ask_if: {op: all, conditions: [{op: equals, question: C1, value: people}, {op: equals, question: C1, value: places}]}",
    )
    msgs = problems(bank)
    assert any("C1a: unreachable" in m for m in msgs)


def test_empty_references(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", "references: [APP Engage]", "references: []")
    assert "no references" in only(bank)


def test_missing_dimension(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "40-efficacy.yaml").unlink()
    assert "missing dimension 'efficacy'" in only(bank)


def test_missing_manifest(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "bank.yaml").unlink()
    assert "missing bank manifest" in only(bank)


def test_yaml_alias_rejected(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", "references: [APP Engage]", "references: &r [APP Engage]\n    x: *r")
    msg = only(bank)
    assert "aliases are not allowed" in msg


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    (bank / "60-bomb.yaml").write_text("\n".join(bomb) + "\n")
    msgs = problems(bank)
    assert any("60-bomb.yaml" in m and "aliases are not allowed" in m for m in msgs)


def test_unknown_field_is_a_type_error(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", "    kind: single\n", "    kind: single\n    colour: blue\n")
    assert "colour: Extra inputs are not permitted" in only(bank)


def test_bad_condition_op(tmp_path: Path) -> None:
    bank = broken(tmp_path, "30-data.yaml", "{op: equals, question: P2", "{op: equal, question: P2")
    assert "D2" in only(bank) and "ask_if" in only(bank)


def test_range_with_min_above_max(tmp_path: Path) -> None:
    bank = broken(
        tmp_path, "20-ethics.yaml", "{op: range, question: E2, max: 1}", "{op: range, question: E2, min: 3, max: 1}"
    )
    assert "min is greater than max" in only(bank)


def test_many_problems_reported_at_once(tmp_path: Path) -> None:
    bank = broken(tmp_path, "40-efficacy.yaml", "references: [APP Engage]", "references: []")
    path = bank / "50-readiness.yaml"
    path.write_text(path.read_text().replace("help: Someone must own it.", 'help: " "'))
    (bank / "30-data.yaml").write_text("id: [unclosed\n")
    msgs = problems(bank)
    assert len(msgs) == 3, msgs  # no references, empty help, the YAML error
    assert any("30-data.yaml:2: -: YAML syntax error" in m for m in msgs)


def test_not_a_directory(tmp_path: Path) -> None:
    assert "not a directory" in only(tmp_path / "nope")


def test_maxima_per_dimension(small_bank) -> None:  # type: ignore[no-untyped-def]
    m = maxima(small_bank)
    assert m["complexity"] == (4.0, 8.0)  # C1 (4) core; C1a multi adds 2+2
    assert m["ethics"] == (6.0, 6.0)
    assert m["data"] == (2.0, 4.0)


@pytest.mark.parametrize("size_mb", [6])
def test_oversized_file_rejected(tmp_path: Path, size_mb: int) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "70-huge.yaml").write_bytes(b"# padding\n" * (size_mb * 110_000))
    assert any("too large" in m for m in problems(bank))


def test_binary_and_non_utf8_files(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "80-bin.yaml").write_bytes(b"\x00\x01\x02")
    (bank / "81-latin.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    msgs = problems(bank)
    assert any("80-bin.yaml" in m and "binary" in m for m in msgs)
    assert any("81-latin.yaml:1" in m and "UTF-8" in m for m in msgs)
