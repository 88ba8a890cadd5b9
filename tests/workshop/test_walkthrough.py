"""``ceder walkthrough``: a demo scenario played step by step, as a trainer shows it on a projector."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from assistant.cli import main
from assistant.tui.screens.walkthrough import WalkthroughScreen, make_walkthrough_app
from assistant.walkthrough import ScenarioError, Walkthrough, build_walkthrough, find_scenario, load_walkthrough
from flows.answers_file import read_answers, run_answers
from question_banks import load_bank
from tests.conftest import SMALL_BANK

SCENARIO = """\
id: fixture-demo
title: Fixture demo (small bank)
narrative: >-
  A made-up project for the tests: a machine-learning model that informs arrests.
expected_verdict: not_ready
project:
  name: Demo project
  assessor: Trainer
answers:
  P1: live
  P2: ml
  C1: people
  C1a: [arrest]
  C2: 500
  E1: "no"
  E1a: Ask the force solicitor
  E2: "1"
  D1: "yes"
  F1: dont_know
  R1: "yes"
notes:
  E1: Legal advice requested in March.
"""
NOTES = {
    "C1a": "Ask who makes the arrest decision in practice.",
    "E1": "Ask which statute the team would cite to a court.",
}
SHIPPED = (
    "child-exploitation-risk-pilot",
    "crime-report-summariser-design",
    "demand-forecasting-dashboard",
    "live-facial-recognition",
)


@pytest.fixture
def demo_bank(tmp_path: Path) -> Path:
    """The small fixture bank with facilitator notes on C1a and E1, and one scenario in its scenarios folder."""
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    for name in ("10-complexity.yaml", "20-ethics.yaml"):
        path = bank / name
        lines = path.read_text(encoding="utf-8").splitlines()
        out = []
        current = None
        for line in lines:
            out.append(line)
            if line.startswith("  - id: "):
                current = line.split(": ", 1)[1].strip()
            if line.startswith("    references:") and current in NOTES:
                out.append(f"    facilitator: {NOTES[current]}")
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    (bank / "scenarios").mkdir()
    (bank / "scenarios" / "demo.yaml").write_text(SCENARIO, encoding="utf-8")
    return bank


@pytest.fixture
def demo(demo_bank: Path) -> Walkthrough:
    return load_walkthrough("fixture-demo", str(demo_bank))


def question(w: Walkthrough, qid: str):  # type: ignore[no-untyped-def]
    return next(s for s in w.steps if s.kind == "question" and s.question is not None and s.question.id == qid)


# -- the steps --------------------------------------------------------------------------------
def test_steps_follow_the_conversation_from_title_card_to_summary(demo: Walkthrough) -> None:
    kinds = [(s.kind, s.question.id if s.question else s.dimension) for s in demo.steps]
    assert kinds == [
        ("title", ""),
        ("question", "P1"),
        ("question", "P2"),
        ("question", "C1"),
        ("question", "C1a"),
        ("question", "C2"),
        ("review", "complexity"),
        ("question", "E1"),
        ("question", "E1a"),
        ("question", "E2"),
        ("review", "ethics"),
        ("question", "D1"),
        ("review", "data"),
        ("question", "F1"),
        ("review", "efficacy"),
        ("question", "R1"),
        ("review", "readiness"),
        ("summary", ""),
    ]
    assert demo.questions == 11
    assert question(demo, "C1a").in_dimension == (2, 3)
    assert demo.summary.verdict == "not_ready" and demo.matches_expectation is True


def test_a_follow_up_says_which_answer_brought_it(demo: Walkthrough) -> None:
    c1 = question(demo, "C1")
    assert [f.question_id for f in c1.brings] == ["C1a"]
    c1a = question(demo, "C1a")
    assert [(w.question_id, w.answer) for w in c1a.why] == [("C1", "Decisions about identifiable people")]
    assert c1a.condition == "C1 = people"
    assert c1a.chosen == ["arrest"] and c1a.answer == "Arrest"
    assert question(demo, "C1").why == []  # a core question needs no reason


def test_each_step_has_points_scores_flags_note_and_facilitator_note(demo: Walkthrough) -> None:
    e1 = question(demo, "E1")
    assert (e1.points, e1.max_points) == (0.0, 3.0)
    assert [(r.level, r.message) for r in e1.raised] == [("blocker", "No legal power identified.")]
    assert e1.note == "Legal advice requested in March."
    assert e1.facilitator == NOTES["E1"]
    ethics = next(p for p in e1.scores if p.dimension == "ethics")
    assert (ethics.answered, ethics.rating) == (1, "red")
    assert question(demo, "C1").facilitator == ""  # only where the bank has one
    c2 = question(demo, "C2")
    assert c2.tier is not None and c2.points is None  # a number: unscored, but the tier is running
    f1 = question(demo, "F1")
    assert f1.status == "dont_know" and f1.answer == "Don't know"


def test_the_wording_is_the_variant_the_earlier_answers_chose(demo: Walkthrough) -> None:
    assert question(demo, "R1").text == "Who owns the tool now that it is live?"


def test_nothing_is_saved(demo_bank: Path, _private_home: Path) -> None:
    load_walkthrough("fixture-demo", str(demo_bank))
    assert list(_private_home.rglob("*.json")) == []


@pytest.mark.parametrize("scenario", SHIPPED)
def test_each_shipped_scenario_ends_where_ceder_run_ends(scenario: str) -> None:
    w = load_walkthrough(scenario)
    headless = run_answers(w.bank, read_answers(w.path)).assessment.summary(final=True)
    assert w.summary.verdict == headless.verdict == w.expected_verdict
    assert w.summary.impact_tier == headless.impact_tier
    assert [(d.id, d.score, d.max_score) for d in w.summary.dimensions] == [
        (d.id, d.score, d.max_score) for d in headless.dimensions
    ]
    asked = [s.question.id for s in w.steps if s.question is not None]
    assert asked == headless.asked  # the same questions, in the order the assistant asks them
    assert any(s.facilitator for s in w.steps)


# -- finding the scenario -----------------------------------------------------------------------
def test_scenario_by_id_file_name_or_path(demo_bank: Path) -> None:
    path = demo_bank / "scenarios" / "demo.yaml"
    assert find_scenario("fixture-demo", str(demo_bank)) == path
    assert find_scenario("demo", str(demo_bank)) == path
    assert find_scenario(str(path)) == path
    assert find_scenario("live-facial-recognition").name == "live-facial-recognition.yaml"


def test_unknown_scenario_names_the_ones_there_are(demo_bank: Path) -> None:
    with pytest.raises(ScenarioError, match=r"no scenario 'nope' \(scenarios: demo;"):
        find_scenario("nope", str(demo_bank))
    with pytest.raises(ScenarioError, match=r"missing\.yaml: no such file"):
        find_scenario("missing.yaml")


def test_a_scenario_for_another_bank_is_a_one_line_error(demo_bank: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers:\n  P1: live\n  Q99: x\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yaml:3: unknown question id 'Q99'"):
        build_walkthrough(load_bank(demo_bank), bad)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("answers:\n  P1: someday\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"wrong.yaml:2: P1: 'someday' is not an option"):
        build_walkthrough(load_bank(demo_bank), wrong)


def test_cli_errors_are_one_line(demo_bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walkthrough", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ceder: no scenario 'nope'") and err.count("\n") == 1
    assert main(["--bank", str(demo_bank), "walkthrough", "demo", "--question", "99"]) == 1
    assert "has 11 questions; there is no question 99" in capsys.readouterr().err


def test_the_command_does_not_import_textual_before_it_opens_the_app() -> None:
    code = (
        "import sys; from assistant.cli import build_parser; build_parser().parse_args(['walkthrough', 'x']); "
        "from assistant.walkthrough import load_walkthrough; load_walkthrough('demand-forecasting-dashboard'); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- on screen ----------------------------------------------------------------------------------
def card_text(app) -> str:  # type: ignore[no-untyped-def]
    screen = app.screen
    parts = [str(w.content) for w in screen.query("#wt-card Static")]
    return "\n".join(parts)


def position(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#wt-position", Static).content)


async def test_trainer_steps_forward_and_back_with_the_keys(demo: Walkthrough) -> None:
    app = make_walkthrough_app(demo)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        text = card_text(app)
        assert "Fixture demo (small bank)" in text and "machine-learning model that informs arrests" in text
        assert "Not ready" not in text  # the expected verdict waits for the end
        for key in ("space", "right", "n"):
            await pilot.press(key)
        await pilot.pause()
        assert position(app).startswith("Question 3 of 11")
        assert "What will the output be used for?" in card_text(app)
        await pilot.press("space")
        await pilot.pause()
        text = card_text(app)
        assert "Asked because C1" in text and "“Decisions about identifiable people”" in text
        assert "The scenario's answer: Arrest" in text
        note = app.screen.query_one("#wt-facilitator", Static)
        assert note.display and NOTES["C1a"] in str(note.content)
        await pilot.press("left", "p")
        await pilot.pause()
        assert position(app).startswith("Question 2 of 11")
        assert not app.screen.query_one("#wt-facilitator", Static).display  # P2 has no note
        await pilot.press("end")
        await pilot.pause()
        text = card_text(app)
        assert "Verdict: Not ready" in text and "The scenario expects: Not ready" in text and "as expected" in text
        await pilot.press("space")  # nothing after the summary
        await pilot.pause()
        assert position(app).startswith("Readiness summary")
        await pilot.press("home")
        await pilot.pause()
        assert position(app).startswith("Introduction")


async def test_page_down_moves_a_whole_part_and_f_hides_the_notes(demo: Walkthrough) -> None:
    app = make_walkthrough_app(demo)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert position(app).startswith("Question 3 of 11")  # the first complexity question
        await pilot.press("pagedown")
        await pilot.pause()
        assert position(app).startswith("Question 6 of 11")  # E1, past the complexity review
        text = card_text(app)
        assert "Blocker raised: No legal power identified." in text
        assert "Note: Legal advice requested in March." in text
        assert app.screen.query_one("#wt-facilitator", Static).display
        await pilot.press("f")
        await pilot.pause()
        assert not app.screen.query_one("#wt-facilitator", Static).display
        await pilot.press("pageup")
        await pilot.pause()
        assert position(app).startswith("Question 3 of 11")
        await pilot.press("left")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        assert position(app).startswith("Question 2 of 11")


async def test_a_review_step_shows_the_dimensions_score_and_issues(demo: Walkthrough) -> None:
    ethics = next(i for i, s in enumerate(demo.steps) if s.kind == "review" and s.dimension == "ethics")
    app = make_walkthrough_app(demo, start=ethics)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        text = card_text(app)
        assert "ETHICS: DONE" in text and "Score 1/5" in text
        assert "Blocker: No legal power identified." in text


def test_walkthrough_step_snapshot(snap_compare, demo_bank: Path) -> None:  # type: ignore[no-untyped-def]
    w = load_walkthrough("fixture-demo", str(demo_bank))
    start = next(i for i, s in enumerate(w.steps) if s.question is not None and s.question.id == "C1a")
    assert snap_compare(make_walkthrough_app(w, start=start), terminal_size=(120, 35))
