"""A long transcript keeps a bounded number of widgets; older turns fold into text, none is lost."""

from __future__ import annotations

from textual.app import App, ComposeResult

from assistant.tui.widgets.chat import AssistantNote, ChatLog, EarlierTurns, UserTurn, turn_text
from assistant.tui.widgets.turns import AssistantTurn


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield ChatLog(id="log")


async def test_old_turns_fold_into_one_block_and_every_word_stays() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        log = app.query_one(ChatLog)
        said: list[str] = []
        for i in range(90):
            turns = [UserTurn(f"answer {i} [b]literal[/b]"), AssistantTurn(f"**Question {i + 1}** with \\*stars\\*")]
            if i % 7 == 0:
                turns.append(AssistantNote(f"note {i}"))
            await log.say(*turns)
            said += [turn_text(t) for t in turns]
            widgets = sum(1 + len(w.walk_children()) for w in log.query(".turn"))
            assert widgets <= ChatLog.MOST
        await pilot.pause()
        earlier = log.query_one(EarlierTurns)
        assert log.children[0] is earlier  # the folded text stays above the live turns
        assert str(earlier.content).startswith(f"▸ {earlier.count} earlier turns")  # folded: one line
        assert earlier.region.height == 1
        folded = earlier.text
        live_text = [turn_text(t) for t in log.query(".turn")]
        assert len(live_text) >= ChatLog.NEWEST
        # Every turn is still there once, in order: folded ones as text, the newest as widgets.
        position = 0
        for text in said[: len(said) - len(live_text)]:
            found = folded.find(text, position)
            assert found >= 0, text
            position = found + len(text)
        assert live_text == said[len(said) - len(live_text) :]
        assert "**" not in folded and "\\*" not in folded
        assert "[b]literal[/b]" in folded  # the user's words stay literal, never markup
        earlier.focus()
        await pilot.press("enter")
        assert str(earlier.content).startswith("▾") and "Question 1 with *stars*" in str(earlier.content)
        await pilot.click(EarlierTurns)
        assert str(earlier.content).startswith("▸")
