"""The small things a new user trips over (issue 15, item 7), and the progress line (item 5)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from assistant.tui.screens.chat import ChatScreen, choices_for
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.widgets.answers import ChoiceList
from assistant.tui.widgets.progress import ProgressSidebar
from conversation.words import option_label
from flows import Assessment
from question_banks import Bank
from tests.tui.conftest import press, settle, transcript, type_line


def chat(app) -> ChatScreen:  # type: ignore[no-untyped-def]
    screen = app.screen_stack[0]
    assert isinstance(screen, ChatScreen)
    return screen


def test_a_scale_option_shows_its_number_once_and_a_tenth_option_has_one(small_bank: Bank) -> None:
    e2 = small_bank.by_id["E2"]
    numbered = e2.model_copy(
        update={"options": [o.model_copy(update={"label": f"{o.id}: {o.label}"}) for o in e2.options]}
    )
    assert [option_label(numbered, o) for o in numbered.options] == ["None", "Low", "Medium", "High"]
    assert [c.label for c in choices_for(numbered)] == ["None", "Low", "Medium", "High"]
    c1a = small_bank.by_id["C1a"]
    many = c1a.model_copy(
        update={
            "options": [c1a.options[0].model_copy(update={"id": f"o{i}", "label": f"Option {i}"}) for i in range(1, 11)]
        }
    )
    tenth = choices_for(many)[9]
    assert tenth.digit is None and tenth.number == "10" and str(tenth.prompt()).startswith("10 ")


async def test_maybe_is_steered_to_dont_know(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_line(pilot, "maybe")
        reply = transcript(app)[-1]
        assert "answer “don't know” (/dontknow)" in reply and "counts as zero" in reply
        assert chat(app).assessment.record_of("P1") is None


async def test_a_recap_takes_a_typed_number(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "1")
        await type_line(pilot, "5")  # C2: the complexity recap
        assert chat(app).assessment.in_review
        await type_line(pilot, "3")  # "See the summary so far"
        assert isinstance(app.screen, SummaryScreen)


async def test_a_tier_change_after_a_revision_is_announced(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "3", "1", "enter")  # C1: people; C1a: arrest
        await type_line(pilot, "5000")
        await press(pilot, "enter")  # leave the recap
        before = chat(app).assessment.provisional_tier()
        await type_line(pilot, "/revise C1")
        await press(pilot, "1")  # back-office only: far less impact
        assert chat(app).assessment.provisional_tier() != before
        assert any("This changes the impact tier from" in t for t in transcript(app)[-4:])
        assert any("sets aside 1 earlier answer that no longer applies" in t for t in transcript(app)[-4:])


async def test_pageup_scrolls_the_conversation_from_the_options(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await type_line(pilot, "/commands")
        await press(pilot, "escape")  # from the prompt back to the options
        assert isinstance(app.focused, ChoiceList)
        log = chat(app).log_view
        bottom = log.scroll_y
        await press(pilot, "pageup")
        assert log.scroll_y < bottom
        await press(pilot, "pagedown")
        assert log.scroll_y == bottom


async def test_focus_returns_to_the_options_after_a_dialog(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+n")
        app.screen.query_one("#dialog-input", Input).value = "DPIA v2"
        await press(pilot, "enter")
        assert isinstance(app.focused, ChoiceList)
        assert chat(app).assessment.session.notes == {"P1": "DPIA v2"}
        await type_line(pilot, "/note")  # typed, then the dialog: back to the options as well
        await press(pilot, "escape")
        assert isinstance(app.focused, ChoiceList)


async def test_welcome_has_no_developer_instructions(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "--bank" not in transcript(app)[0] and "`" not in transcript(app)[0]


async def test_revise_list_is_grouped_by_dimension_and_narrows_as_you_type(
    app_factory, small_bank: Bank, session_path: Path
) -> None:
    a = Assessment(small_bank, path=session_path)
    a.start()
    for value in ("live", "ml", "people", ["arrest"], 5000):
        a.answer(value)
    a.proceed()
    for value in ("no", "Ask legal", "1"):
        a.answer(value)
    a.proceed()
    a.answer("yes")
    a.proceed()
    a.answer("yes")
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_line(pilot, "/revise")
        dialog_list = app.screen.query_one("#dialog-choices", ChoiceList)
        labels = [c.label for c in dialog_list.choices]
        assert len(labels) >= 10
        assert labels[0].startswith("Project profile · ") and labels[-1].startswith("Efficacy · ")
        await pilot.press(*"lawful")  # typed on the list: goes to the filter line
        await settle(pilot)
        assert [c.value for c in dialog_list.choices] == ["D1"]
        await press(pilot, "enter")
        assert chat(app).assessment.current.id == "D1"


async def test_progress_says_question_n_of_about_m_and_the_tier_is_provisional(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        sidebar = chat(app).query_one("#sidebar", ProgressSidebar)
        assert sidebar.where.startswith("Question 1 of 9, ")
        await press(pilot, "1", "1", "3")  # C1: people brings C1a
        assert sidebar.where.startswith("Question 4 of 10, ")
        assert sidebar.provisional  # complexity still open
        assert "provisional" in str(sidebar.render())
        await press(pilot, "1", "enter")
        await type_line(pilot, "500")
        assert not sidebar.provisional
        assert "provisional" not in str(sidebar.render())


def test_long_multi_select_options_are_also_given_in_full(small_bank: Bank) -> None:
    from conversation import words

    c1a = small_bank.by_id["C1a"]
    long_label = "Bail or remand decisions made by custody sergeants and courts, including later variations"
    q = c1a.model_copy(update={"options": [c1a.options[0], c1a.options[1].model_copy(update={"label": long_label})]})
    a = Assessment(small_bank)
    a.start()
    shown = words.question(a, q, None, keys=True).text()
    assert f"In full:\n2. {long_label}" in shown
    assert "In full" not in words.question(a, c1a, None, keys=True).text()  # short options: nothing extra
    assert "In full" not in words.question(a, q, None, keys=False).text()  # plain mode lists options in full


async def test_a_multi_select_marks_ticks_by_shape_not_only_colour() -> None:
    """Unticked boxes are empty, so a monochrome terminal, a projector or a printout still shows the choice."""
    from textual.app import App, ComposeResult

    from assistant.tui.widgets.answers import Choice, MultiChoice

    choices = [Choice("a", "In-house", "1"), Choice("b", "Supplier", "2"), Choice("c", "Academic", "3")]

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield MultiChoice(choices, initial=["b"])

    app = One()
    async with app.run_test(size=(60, 8)) as pilot:
        multi = app.query_one(MultiChoice)
        await pilot.press("3")
        await pilot.pause()
        rows = [multi.render_line(y).text for y in range(3)]
        assert [row[:3] for row in rows] == ["▐ ▌", "▐X▌", "▐X▌"], rows
        await pilot.press("2")
        await pilot.pause()
        assert multi.render_line(1).text[:3] == "▐ ▌"
