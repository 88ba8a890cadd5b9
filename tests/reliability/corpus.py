"""Generators for the malformed-input corpus: broken banks and broken answers files.

Nothing large is committed: each case builds its input in a temporary folder at test
time (the 50 MB file included). A bank case starts from a copy of the clean fixture
bank and breaks it in one way; an answers case writes one answers file.

Every case names the file the error must point at and a fragment of the reason.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import SMALL_BANK

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    """Makes the input inside the given folder; returns the bank folder or the answers file."""
    file: str
    """The file name the first error line must start with ('' for the bank folder itself)."""
    reason: str
    """A fragment of the reason the error must give (case-insensitive)."""


# -- banks -------------------------------------------------------------------
def _bank(tmp: Path) -> Path:
    bank = tmp / "bank"
    shutil.copytree(SMALL_BANK, bank)
    return bank


def _replace(file: str, old: str, new: str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        bank = _bank(tmp)
        path = bank / file
        text = path.read_text()
        assert old in text, f"corpus: {old!r} not in {file}"
        path.write_text(text.replace(old, new, 1))
        return bank

    return build


def _write(file: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        bank = _bank(tmp)
        path = bank / file
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return bank

    return build


def _remove(file: str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        bank = _bank(tmp)
        (bank / file).unlink()
        return bank

    return build


def billion_laughs(levels: int = 12) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


QUESTION = """\
  - id: X{i}
    text: Is there an evidenced problem statement for workstream {i}?
    kind: single
    options:
      - {{id: "no", label: "No", score: 0}}
      - {{id: "yes", label: "Yes", score: 2}}
    help: Start from the problem.
    references: [APP Engage]
    action: Write an evidenced problem statement.
"""


def _largest_accepted(tmp: Path) -> Path:
    """A bank just under the size limit (about 3,400 questions) whose very last question is broken."""
    from question_banks.loader import MAX_BANK_BYTES

    bank = _bank(tmp)
    path = bank / "40-efficacy.yaml"
    others = sum(p.stat().st_size for p in bank.iterdir() if p != path)
    budget = MAX_BANK_BYTES - others - 200
    parts = [path.read_text()]
    size, i = len(parts[0]), 0
    while size + len(QUESTION) + 20 < budget:
        chunk = QUESTION.format(i=i)
        parts.append(chunk)
        size += len(chunk)
        i += 1
    parts.append("  - id: LAST\n    text: The broken one.\n    kind: slider\n")
    path.write_text("".join(parts))
    assert sum(p.stat().st_size for p in bank.iterdir()) <= MAX_BANK_BYTES
    return bank


def _fifty_megabytes(tmp: Path) -> Path:
    bank = _bank(tmp)
    with open(bank / "60-huge.yaml", "wb") as fh:
        line = b"# " + b"padding " * 12 + b"\n"
        fh.write(line * (50 * MB // len(line) + 1))
    return bank


def _too_large_in_total(tmp: Path) -> Path:
    """Two files each under the per-file limit that together exceed the bank limit."""
    bank = _bank(tmp)
    body = "".join(QUESTION.format(i=i) for i in range(2200))
    for name in ("60-more.yaml", "61-more.yaml"):
        (bank / name).write_text(
            "id: more\nversion: '1'\ntitle: More\ndimension: efficacy\nprovenance: x\nquestions:\n" + body
        )
    return bank


def _not_a_directory(tmp: Path) -> Path:
    path = tmp / "bank.yaml"
    path.write_text("id: x\n")
    return path


def _empty_directory(tmp: Path) -> Path:
    path = tmp / "empty"
    path.mkdir()
    return path


def _cycle(tmp: Path) -> Path:
    """E2 is asked if E1a is answered, and E1a's wording depends on E2: E1a -> E2 -> E1a."""
    bank = _replace("20-ethics.yaml", E2_HEAD, E2_HEAD + "    ask_if: {op: answered, question: E1a}\n")(tmp)
    path = bank / "20-ethics.yaml"
    old = 'values: ["no", partly]}'
    new = old + "\n    variants:\n      - when: {op: answered, question: E2}\n        text: Worded by E2"
    path.write_text(path.read_text().replace(old, new, 1))
    return bank


E2_HEAD = "  - id: E2\n    text: How confident are you in the human oversight?\n    kind: scale\n"

BANK_CASES: list[Case] = [
    # YAML that does not parse
    Case(
        "syntax-unclosed-bracket",
        _replace("30-data.yaml", "    kind: single\n", "    kind: [single\n"),
        "30-data.yaml",
        "YAML syntax error",
    ),
    Case(
        "syntax-tab-indentation",
        _replace("40-efficacy.yaml", "    kind: single\n", "\tkind: single\n"),
        "40-efficacy.yaml",
        "YAML syntax error",
    ),
    Case("syntax-two-documents", _write("60-extra.yaml", "id: a\n---\nid: b\n"), "60-extra.yaml", "YAML syntax error"),
    Case(
        "duplicate-yaml-key",
        _replace("40-efficacy.yaml", "    kind: single\n", "    kind: single\n    kind: multi\n"),
        "40-efficacy.yaml",
        "duplicate key 'kind'",
    ),
    Case(
        "deep-nesting",
        _write("60-deep.yaml", "x: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        "60-deep.yaml",
        "nesting depth",
    ),
    Case(
        "control-character",
        _replace("40-efficacy.yaml", "Start from the problem.", "Start from\x07 the problem."),
        "40-efficacy.yaml",
        "control characters are not allowed",
    ),
    # wrong types and shapes
    Case(
        "wrong-type-kind",
        _replace("40-efficacy.yaml", "kind: single", "kind: slider"),
        "40-efficacy.yaml",
        "kind: Input should be",
    ),
    Case("wrong-type-score", _replace("40-efficacy.yaml", "score: 2}", "score: lots}"), "40-efficacy.yaml", "score"),
    Case(
        "wrong-type-options",
        _replace("40-efficacy.yaml", "    options:\n", "    options: yes please\n    x_options:\n"),
        "40-efficacy.yaml",
        "options",
    ),
    Case(
        "question-not-a-mapping",
        _replace("40-efficacy.yaml", "questions:\n", "questions:\n  - just a string\n"),
        "40-efficacy.yaml",
        "should be a valid dictionary",
    ),
    Case(
        "questions-not-a-list",
        _write("60-extra.yaml", "id: x\nversion: '1'\ntitle: X\ndimension: data\nprovenance: x\nquestions: {a: 1}\n"),
        "60-extra.yaml",
        "questions: expected a list",
    ),
    Case(
        "top-level-list", _write("60-extra.yaml", "- a\n- b\n"), "60-extra.yaml", "expected a mapping at the top level"
    ),
    Case(
        "missing-required-field",
        _replace("40-efficacy.yaml", "    text: Is there an evidenced problem statement?\n", ""),
        "40-efficacy.yaml",
        "text: Field required",
    ),
    Case(
        "unknown-field",
        _replace("40-efficacy.yaml", "    kind: single\n", "    kind: single\n    colour: blue\n"),
        "40-efficacy.yaml",
        "Extra inputs are not permitted",
    ),
    Case(
        "bad-id-pattern",
        _replace("40-efficacy.yaml", "- id: F1", "- id: '1 bad id'"),
        "40-efficacy.yaml",
        "id: String should match pattern",
    ),
    Case(
        "reserved-option-id",
        _replace("40-efficacy.yaml", '{id: "no", label: "No", score: 0}', '{id: dont_know, label: "No", score: 0}'),
        "40-efficacy.yaml",
        "reserved",
    ),
    Case(
        "manifest-wrong-type",
        _replace("bank.yaml", 'version: "1.0"', "version: [1, 0]"),
        "bank.yaml",
        "version: Input should be a valid string",
    ),
    Case(
        "timestamp-not-text",
        _replace("bank.yaml", 'version: "1.0"', "version: 2026-03-02"),
        "bank.yaml",
        "version: Input should be a valid string",
    ),
    Case(
        "huge-integer",
        _replace("40-efficacy.yaml", "score: 2}", "score: 1" + "0" * 5000 + "}"),
        "40-efficacy.yaml",
        "bad value",
    ),
    Case(
        "not-a-number-score",
        _replace("40-efficacy.yaml", "score: 2}", "score: .nan}"),
        "40-efficacy.yaml",
        "finite number",
    ),
    Case(
        "infinite-score", _replace("40-efficacy.yaml", "score: 2}", "score: .inf}"), "40-efficacy.yaml", "finite number"
    ),
    Case(
        "unknown-yaml-tag",
        _replace("40-efficacy.yaml", "    kind: single\n", "    kind: !!python/name:os.system single\n"),
        "40-efficacy.yaml",
        "could not determine a constructor",
    ),
    Case(
        "python-object-tag",
        _replace(
            "40-efficacy.yaml", "references: [APP Engage]", "references: !!python/object/apply:os.system [echo pwned]"
        ),
        "40-efficacy.yaml",
        "is not allowed",
    ),
    # ids and references
    Case(
        "duplicate-question-id",
        _replace("50-readiness.yaml", "- id: R1", "- id: F1"),
        "50-readiness.yaml",
        "duplicate question id",
    ),
    Case(
        "duplicate-option-id",
        _replace("40-efficacy.yaml", '{id: "yes", label: "Yes", score: 2}', '{id: "no", label: "Yes", score: 2}'),
        "40-efficacy.yaml",
        "duplicate option id",
    ),
    Case(
        "dangling-condition",
        _replace("30-data.yaml", "question: P2, value: biometric", "question: P9, value: biometric"),
        "30-data.yaml",
        "unknown question 'P9'",
    ),
    Case(
        "forward-reference",
        _replace(
            "10-complexity.yaml",
            "ask_if: {op: equals, question: C1, value: people}",
            "ask_if: {op: answered, question: D1}",
        ),
        "10-complexity.yaml",
        "forward reference",
    ),
    Case("cyclic-condition", _cycle, "20-ethics.yaml", "cyclic condition: E1a -> E2 -> E1a"),
    Case(
        "self-reference",
        _replace(
            "10-complexity.yaml",
            "ask_if: {op: equals, question: C1, value: people}",
            "ask_if: {op: answered, question: C1a}",
        ),
        "10-complexity.yaml",
        "refers to itself",
    ),
    Case(
        "unknown-option-in-condition",
        _replace("30-data.yaml", "question: P2, value: biometric", "question: P2, value: facial"),
        "30-data.yaml",
        "has no option 'facial'",
    ),
    Case(
        "unknown-condition-op",
        _replace("30-data.yaml", "{op: equals, question: P2", "{op: equal, question: P2"),
        "30-data.yaml",
        "ask_if",
    ),
    Case(
        "condition-as-code",
        _replace(
            "30-data.yaml", "ask_if: {op: equals, question: P2, value: biometric}", "ask_if: \"P2 == 'biometric'\""
        ),
        "30-data.yaml",
        "ask_if",
    ),
    Case(
        "unreachable-question",
        _replace(
            "30-data.yaml",
            "ask_if: {op: equals, question: P2, value: biometric}",
            "ask_if: {op: all, conditions: [{op: equals, question: P2, value: biometric}, {op: equals, question: P2, value: ml}]}",
        ),
        "30-data.yaml",
        "unreachable",
    ),
    Case(
        "min-above-max",
        _replace("20-ethics.yaml", "{op: range, question: E2, max: 1}", "{op: range, question: E2, min: 3, max: 1}"),
        "20-ethics.yaml",
        "min is greater than max",
    ),
    Case(
        "option-without-score",
        _replace("40-efficacy.yaml", '{id: "no", label: "No", score: 0}', '{id: "no", label: "No"}'),
        "40-efficacy.yaml",
        "has no score",
    ),
    Case(
        "thresholds-out-of-order",
        _replace("bank.yaml", "tier_thresholds: [0.25, 0.5, 0.75]", "tier_thresholds: [0.75, 0.5, 0.25]"),
        "bank.yaml",
        "rising order",
    ),
    # hostile YAML features
    Case(
        "alias",
        _replace("40-efficacy.yaml", "references: [APP Engage]", "references: &r [APP Engage]\n    x: *r"),
        "40-efficacy.yaml",
        "aliases are not allowed",
    ),
    Case("alias-bomb", _write("60-bomb.yaml", billion_laughs()), "60-bomb.yaml", "aliases are not allowed"),
    Case("merge-key", _write("60-merge.yaml", "base: &b {id: x}\nq:\n  <<: *b\n"), "60-merge.yaml", "not allowed"),
    # sizes, encodings, missing pieces
    Case("fifty-megabytes", _fifty_megabytes, "60-huge.yaml", "too large"),
    Case("too-large-in-total", _too_large_in_total, "60-more.yaml", "bank is too large"),
    Case("largest-accepted-file-broken-at-the-end", _largest_accepted, "40-efficacy.yaml", "kind: Input should be"),
    Case("binary", _write("60-bin.yaml", bytes(range(256)) * 4), "60-bin.yaml", "binary"),
    Case("utf-16", _write("60-wide.yaml", "id: x\n".encode("utf-16")), "60-wide.yaml", "binary"),
    Case("non-utf-8", _write("60-latin.yaml", "id: café\n".encode("latin-1")), "60-latin.yaml", "not valid UTF-8"),
    Case("empty-section-file", _write("40-efficacy.yaml", b""), "40-efficacy.yaml", "found empty"),
    Case("empty-manifest", _write("bank.yaml", b""), "bank.yaml", "found empty"),
    Case("missing-manifest", _remove("bank.yaml"), "bank.yaml", "missing bank manifest"),
    Case("missing-dimension", _remove("40-efficacy.yaml"), "", "missing dimension 'efficacy'"),
    Case("not-a-directory", _not_a_directory, "bank.yaml", "not a directory"),
    Case("empty-directory", _empty_directory, "bank.yaml", "missing bank manifest"),
]


# -- answers files -------------------------------------------------------------
def _answers(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    return build


def _answers_huge(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    with open(path, "wb") as fh:
        fh.write(b"answers:\n  P1: design\n")
        line = b"# " + b"padding " * 12 + b"\n"
        fh.write(line * (50 * MB // len(line) + 1))
    return path


def _answers_missing(tmp: Path) -> Path:
    return tmp / "nowhere.yaml"


def _answers_folder(tmp: Path) -> Path:
    path = tmp / "folder.yaml"
    path.mkdir()
    return path


ANSWERS_CASES: list[Case] = [
    Case("empty", _answers("a.yaml", b""), "a.yaml", "expected a mapping"),
    Case("syntax-error", _answers("a.yaml", "answers:\n  P1: [design\n"), "a.yaml", "YAML syntax error"),
    Case("json-syntax-error", _answers("a.json", '{"answers": {"P1": "design",}'), "a.json", "YAML syntax error"),
    Case("top-level-list", _answers("a.yaml", "- P1\n- design\n"), "a.yaml", "expected a mapping"),
    Case("answers-not-a-mapping", _answers("a.yaml", "answers: [1, 2]\n"), "a.yaml", "expected a mapping"),
    Case(
        "another-programs-json",
        _answers("a.json", '{"name": "other app", "version": 3}'),
        "a.json",
        "expected a mapping",
    ),
    Case(
        "unknown-question",
        _answers("a.yaml", "answers:\n  P1: design\n  Z9: x\n"),
        "a.yaml",
        "unknown question id 'Z9'",
    ),
    Case("unknown-option", _answers("a.yaml", "answers:\n  P1: maybe\n"), "a.yaml", "'maybe' is not an option"),
    Case("answer-is-a-mapping", _answers("a.yaml", "answers:\n  P1: {a: 1}\n"), "a.yaml", "answer must be"),
    Case("answer-is-null", _answers("a.yaml", "answers:\n  P1:\n"), "a.yaml", "answer must be"),
    Case(
        "answer-is-boolean",
        _answers("a.yaml", "answers:\n  P1: design\n  P2: ml\n  C1: places\n  C2: 4\n  E1: yes\n"),
        "a.yaml",
        "quote it",
    ),
    Case(
        "list-for-single-choice", _answers("a.yaml", "answers:\n  P1: [design, live]\n"), "a.yaml", "is not an option"
    ),
    Case(
        "exclusive-combined",
        _answers("a.yaml", "answers:\n  P1: design\n  P2: ml\n  C1: people\n  C1a: [arrest, none]\n"),
        "a.yaml",
        "cannot be combined",
    ),
    Case(
        "number-not-a-number",
        _answers("a.yaml", "answers:\n  P1: design\n  P2: ml\n  C1: places\n  C2: lots\n"),
        "a.yaml",
        "is not a number",
    ),
    Case(
        "number-below-minimum",
        _answers("a.yaml", "answers:\n  P1: design\n  P2: ml\n  C1: places\n  C2: -5\n"),
        "a.yaml",
        "below the minimum",
    ),
    Case(
        "number-not-finite",
        _answers("a.yaml", "answers:\n  P1: design\n  P2: ml\n  C1: places\n  C2: .nan\n"),
        "a.yaml",
        "not a finite number",
    ),
    Case(
        "notes-not-text",
        _answers("a.yaml", "answers:\n  P1: design\nnotes:\n  P1: [a, b]\n"),
        "a.yaml",
        "notes must map",
    ),
    Case(
        "note-for-unknown-question",
        _answers("a.yaml", "answers:\n  P1: design\nnotes:\n  Q7: hello\n"),
        "a.yaml",
        "unknown question id 'Q7'",
    ),
    Case(
        "project-not-a-mapping",
        _answers("a.yaml", "answers:\n  P1: design\nproject: [x]\n"),
        "a.yaml",
        "project must be",
    ),
    Case(
        "alias-bomb",
        _answers("a.yaml", billion_laughs() + "answers:\n  P1: design\n"),
        "a.yaml",
        "aliases are not allowed",
    ),
    Case(
        "python-tag",
        _answers("a.yaml", "answers:\n  P1: !!python/object/apply:os.system [echo pwned]\n"),
        "a.yaml",
        "is not allowed",
    ),
    Case("binary", _answers("a.yaml", bytes(range(256))), "a.yaml", "binary"),
    Case("non-utf-8", _answers("a.yaml", "answers:\n  E1a: café\n".encode("latin-1")), "a.yaml", "not valid UTF-8"),
    Case(
        "control-character",
        _answers("a.yaml", "answers:\n  P1: design\nnotes:\n  P1: bell\x07\n"),
        "a.yaml",
        "control characters",
    ),
    Case(
        "huge-integer",
        _answers("a.yaml", "answers:\n  P1: design\n  P2: ml\n  C1: places\n  C2: 1" + "0" * 5000 + "\n"),
        "a.yaml",
        "bad value",
    ),
    Case(
        "deep-nesting",
        _answers("a.yaml", "answers: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        "a.yaml",
        "nesting depth",
    ),
    Case("fifty-megabytes", _answers_huge, "huge.yaml", "too large"),
    Case("missing-file", _answers_missing, "nowhere.yaml", "cannot read"),
    Case("a-folder", _answers_folder, "folder.yaml", "cannot read"),
]
