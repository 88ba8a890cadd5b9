"""``ceder --plain``: line by line, through the engine, with piped input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import build_parser
from assistant.plain import run_plain
from flows import load_session
from tests.conftest import SMALL_BANK

ROOT = Path(__file__).resolve().parents[2]
# P1 design, P2 ML, C1 people -> C1a, C2, E1 no -> E1a (text), E2, D1, F1, R1: the whole small bank.
FULL_RUN = ["1", "2", "3", "1", "120", "no", "Legal review booked [bold]x[/]", "2", "2", "1", "1"]


def plain(session: Path, lines: list[str], *extra: str) -> tuple[int, str]:
    args = build_parser().parse_args(["--bank", str(SMALL_BANK), "--plain", "--session", str(session), *extra])
    out = io.StringIO()
    code = run_plain(args, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    return code, out.getvalue()


def test_piped_answers_run_to_the_markdown_summary(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code, out = plain(session, FULL_RUN)
    assert code == 0
    assert "# Readiness summary" in out and "## Verdict: Not ready" in out
    saved = load_session(session)
    assert saved.state == "summary"
    assert saved.answers["C1a"].value == ["arrest"]
    assert saved.answers["C2"].value == 120.0
    assert saved.answers["E1a"].value == "Legal review booked [bold]x[/]"
    assert oct(session.stat().st_mode & 0o777) == "0o600"


def test_user_text_is_never_interpreted_as_markup(tmp_path: Path) -> None:
    _, out = plain(tmp_path / "s.json", FULL_RUN)
    assert "Recorded: Legal review booked [bold]x[/]." in out
    assert "> Legal review booked [bold]x[/]" in out  # the echoed input, verbatim


def test_options_are_numbered_and_follow_ups_say_why(tmp_path: Path) -> None:
    _, out = plain(tmp_path / "s.json", FULL_RUN[:4])
    assert "P1. What stage is the project at?\n  1. Design or build\n  2. In live use\n" in out
    assert "That brings 1 follow-up question: C1a." in out
    assert "(Follow-up: asked because C1 was answered “Decisions about identifiable people”.)" in out


def test_scale_questions_number_options_by_their_ids(tmp_path: Path) -> None:
    _, out = plain(tmp_path / "s.json", FULL_RUN[:7])
    assert "E2. How confident are you in the human oversight?\n  0. None\n  1. Low\n" in out


def test_end_of_input_saves_and_exits_cleanly(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code, out = plain(session, ["2", "ml"])
    assert code == 0
    assert "End of input. Your answers are saved in" in out
    assert "ceder --bank" in out and "--plain --session" in out
    saved = load_session(session)
    assert {k: v.value for k, v in saved.answers.items()} == {"P1": "live", "P2": "ml"}
    assert saved.current == "C1"


def test_resuming_continues_where_it_stopped(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    plain(session, ["2", "ml"])
    code, out = plain(session, ["places"])
    assert code == 0
    assert "Welcome back" in out
    assert out.index("C1. What will the output be used for?") < out.index("Recorded: Place-based planning.")
    assert "P1. What stage" not in out
    assert load_session(session).answers["C1"].value == "places"


def test_each_answer_is_on_disk_before_the_next_question(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    for n, answer in enumerate(["1", "2", "2"], start=1):
        plain(session, [answer])
        assert len(load_session(session).answers) == n


def test_unclear_answers_get_a_clarifying_reply(tmp_path: Path) -> None:
    _, out = plain(tmp_path / "s.json", ["maybe", "blorp", "7", "live"])
    assert out.count("Sorry, I didn't catch that.") == 2
    assert "If you are not sure, answer “don't know” (/dontknow)" in out  # "maybe" is steered
    assert "Recorded: In live use." in out


def test_answers_match_by_prefix_and_as_lists(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    _, out = plain(session, ["1", "2", "p"])  # only "Place-based planning" starts with p
    assert "Recorded: Place-based planning." in out
    _, out = plain(tmp_path / "t.json", ["1", "2", "3", "a, b"])  # C1a: arrest and bail
    assert "Recorded: Arrest; Bail." in out


def test_skip_dont_know_and_words_for_them(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    plain(session, ["/skip", "don't know", "/dontknow"])
    answers = load_session(session).answers
    assert [(q, answers[q].status) for q in ("P1", "P2", "C1")] == [
        ("P1", "skipped"),
        ("P2", "dont_know"),
        ("C1", "dont_know"),
    ]


def test_back_revise_and_enter_keeps_an_answer(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    _, out = plain(session, ["1", "/back", "", "2", "/back", "/back", "live"])
    assert "You answered Design or build before. Answer again, or press Enter to keep it." in out
    saved = load_session(session)
    assert saved.answers["P1"].value == "live" and saved.answers["P2"].value == "ml"


def test_undo_puts_back_the_previous_answer(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    _, out = plain(session, ["1", "/back", "2", "/undo"])
    assert "Put back your earlier answer to “What stage is the project at?”: Design or build." in out
    assert load_session(session).answers["P1"].value == "design"
    _, out = plain(session, ["/undo"])
    assert "Nothing to undo." in out


def test_why_help_and_note(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    _, out = plain(session, ["/why", "1", "2", "3", "/why", "/help", "/note ask the [red]DPO[/red]", "/note"])
    assert "Why this question? It is part of the project profile" in out
    assert "Why this question? It follows up on your earlier answers:" in out
    assert "- What will the output be used for? You said: Decisions about identifiable people" in out
    assert "(Follow-up: asked because C1 was answered “Decisions about identifiable people”.)" in out
    assert "Help: Name the decisions." in out and "- ALGO-CARE Advisory" in out
    assert "Noted on C1a." in out
    assert "Now: ask the [red]DPO[/red]" in out  # /note alone asks, showing the note as it is
    assert load_session(session).notes == {"C1a": "ask the [red]DPO[/red]"}


def test_jump_summary_finish(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code, out = plain(session, ["/jump dat", "2", "/jump nowhere", "/summary", "/finish", "2"])
    assert code == 0
    assert "D1. Is the lawful basis documented?" in out
    assert "Which dimension? Type /jump with one of: complexity, ethics, data" in out
    assert "Finish the assessment now?\n  8 questions still open will count as unanswered evidence gaps." in out
    assert "The readiness summary so far (provisional" in out
    assert "That's every question." in out
    saved = load_session(session)
    assert saved.state == "summary" and saved.answers["D1"].value == "yes"


def test_quit_and_unknown_commands(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code, out = plain(session, ["/frobnicate", "//not a command", "/quit", "1"])
    assert code == 0
    assert "I don't know the command /frobnicate." in out
    assert "Your answers are saved in" in out and "End of input" not in out
    assert load_session(session).answers == {}  # nothing after /quit was read


def test_a_finished_session_shows_its_summary_and_can_be_revised(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    plain(session, FULL_RUN)
    code, out = plain(session, ["hello", "/jump efficacy", "yes"])
    assert code == 0
    assert "That's every question." in out
    assert "Every question is answered. Type /summary or /revise." in out
    assert load_session(session).answers["F1"].value == "yes"
    assert out.count("# Readiness summary") == 2  # on opening, and again after the revision


def test_group_mode_records_each_participants_answer(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code, out = plain(session, ["1", "1", "2", "3", "dashboard", "2", "3", "/dontknow"], "--group", "analyst, DPO")
    assert code == 0
    assert "analyst> 2" in out and "DPO> 3" in out
    assert "  analyst has answered.\n" in out and "analyst: Machine" not in out  # blind until all have answered
    assert "The answers differ:\n- Machine-learning model: analyst\n- Biometric matching: DPO" in out
    saved = load_session(session)
    assert saved.participants == ["analyst", "DPO"]
    assert saved.answers["P1"].by == {"analyst": "design", "DPO": "design"}
    assert saved.answers["P2"].value == "dashboard"
    assert saved.answers["P2"].by == {"analyst": "ml", "DPO": "biometric"}
    assert saved.answers["C1"].status == "dont_know"
    assert saved.answers["C1"].by == {"analyst": "places", "DPO": "people"}


def test_group_needs_two_names(tmp_path: Path) -> None:
    from assistant.cli import CliError

    with pytest.raises(CliError, match="at least two names"):
        plain(tmp_path / "s.json", [], "--group", "solo,")


def test_a_broken_session_file_is_refused_and_kept(tmp_path: Path) -> None:
    from assistant.cli import CliError

    session = tmp_path / "s.json"
    session.write_text('{"schema_version": 1, "bank": 3}')
    with pytest.raises(CliError, match="damaged session file"):
        plain(session, ["1"])
    assert session.read_text() == '{"schema_version": 1, "bank": 3}'


def test_without_a_session_it_resumes_the_latest_unfinished(_private_home: Path) -> None:
    args = build_parser().parse_args(["--bank", str(SMALL_BANK), "--plain"])
    out = io.StringIO()
    run_plain(args, stdin=io.StringIO("2\n"), stdout=out)
    files = list((_private_home / "sessions").glob("*.json"))
    assert len(files) == 1
    out = io.StringIO()
    run_plain(args, stdin=io.StringIO("ml\n"), stdout=out)
    assert "Welcome back" in out.getvalue()
    assert list((_private_home / "sessions").glob("*.json")) == files
    assert load_session(files[0]).answers["P2"].value == "ml"


# -- the real command line, as a user runs it -------------------------------------------
def run_ceder(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    probe = (
        "import sys\n"
        "from assistant.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('TEXTUAL IMPORTED' if 'textual' in sys.modules else 'no textual', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=60,
    )


def test_cli_plain_with_piped_input_never_imports_textual(tmp_path: Path) -> None:
    session = tmp_path / "p.json"
    result = run_ceder("\n".join(FULL_RUN) + "\n", "--bank", str(SMALL_BANK), "--plain", "--session", str(session))
    assert result.returncode == 0, result.stderr
    assert "no textual" in result.stderr and "Traceback" not in result.stderr
    assert "## Verdict: Not ready" in result.stdout
    assert json.loads(session.read_text())["state"] == "summary"


def test_cli_plain_end_of_input_exits_0(tmp_path: Path) -> None:
    result = run_ceder("1\n", "--bank", str(SMALL_BANK), "--plain", "--session", str(tmp_path / "p.json"))
    assert result.returncode == 0
    assert "End of input." in result.stdout


def test_cli_plain_bad_session_exits_1_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01garbage")
    result = run_ceder("", "--bank", str(SMALL_BANK), "--plain", "--session", str(bad))
    assert result.returncode == 1
    first, probe = result.stderr.splitlines()
    assert first.startswith("ceder: ") and str(bad) in first and probe == "no textual"


def test_cli_plain_survives_undecodable_input(tmp_path: Path) -> None:
    session = tmp_path / "p.json"
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), "--plain", "--session", str(session)],
        input=b"\xff\xfe\n2\n",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert load_session(session).answers["P1"].value == "live"


def plain_with_details(session: Path, lines: list[str]) -> str:
    """A new assessment as an interactive user meets it: the project's details first."""
    args = build_parser().parse_args(["--bank", str(SMALL_BANK), "--plain", "--session", str(session)])
    out = io.StringIO()
    run_plain(args, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out, ask_details=True)
    return out.getvalue()


def test_an_interactive_new_assessment_asks_the_project_details(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    text = plain_with_details(session, ["Custody triage", "", "Jo", "/back", "Jo Bloggs", "Analyst", "/skip", "", "1"])
    assert "What is the project called? (1 of 6)" in text
    assert text.index("Who should questions about this assessment go to?") < text.index("P1. What stage")
    saved = load_session(session)
    assert (saved.project.name, saved.project.organisation, saved.project.assessor, saved.project.role) == (
        "Custody triage",
        "",
        "Jo Bloggs",
        "Analyst",
    )
    assert saved.answers["P1"].value == "design"


def test_undo_while_the_details_are_asked_takes_back_a_detail_and_asks_it_again(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    text = plain_with_details(
        session, ["Custody triage", "Northshire", "/undo", "Southshire Police", "", "", "", "", "1"]
    )
    assert "Put back the project's earlier organisation (none)." in text
    undone = text.index("Put back the project's earlier organisation")
    assert "Which force or organisation is it for? (2 of 6)" in text[undone:]
    saved = load_session(session)
    assert (saved.project.name, saved.project.organisation) == ("Custody triage", "Southshire Police")
    assert saved.answers["P1"].value == "design"


def test_a_new_session_in_cedars_folder_takes_the_project_name_and_is_resumed_from_there(_private_home: Path) -> None:
    folder = _private_home / "sessions"
    args = build_parser().parse_args(["--bank", str(SMALL_BANK), "--plain"])
    out = io.StringIO()
    run_plain(args, stdin=io.StringIO("DV perpetrator triage\n\n\n\n\n\n1\n"), stdout=out, ask_details=True)
    (named,) = folder.glob("*.json")
    assert named.name.startswith("dv-perpetrator-triage-") and not list(folder.glob("assessment-*"))
    text = out.getvalue()
    assert f"Named after the project: your assessment is now saved in {named}." in text
    assert f"Your answers are saved in {named}. Resume with: " in text and f"--session {named}" in text
    assert load_session(named).answers["P1"].value == "design"
    out = io.StringIO()
    run_plain(args, stdin=io.StringIO("ml\n"), stdout=out)  # the resume list finds it by its new name
    assert "Welcome back" in out.getvalue() and list(folder.glob("*.json")) == [named]
    assert load_session(named).answers["P2"].value == "ml"
    assert not list(folder.glob(".*.lock"))


def test_a_session_named_with_session_keeps_its_name(tmp_path: Path) -> None:
    session = tmp_path / "assessment-20261130-161205.json"
    plain_with_details(session, ["DV perpetrator triage", "", "", "", "", "", "1"])
    assert [p.name for p in tmp_path.glob("*.json")] == [session.name]


def test_digits_that_are_not_ascii_are_refused_politely_everywhere(tmp_path: Path) -> None:
    """ "¹".isdigit() is true but int("¹") raises: once, that ended the session with an unexpected error."""
    odd = ["¹", "١", "²³"]
    lines = [*odd, "/jump ¹", "/jump", *odd, "", "/actions ¹", *FULL_RUN]
    code, out = plain(tmp_path / "s.json", lines)
    assert code == 0 and "unexpected error" not in out
    assert "## Verdict: Not ready" in out
    assert load_session(tmp_path / "s.json").answers["C1a"].value == ["arrest"]
