"""Turns drawn without the Markdown widget look exactly as the Markdown widget draws them, cell for cell.

The assistant's turns whose text has no Markdown syntax (its own words with emphasis, and
bank wording that is plain text) are drawn as one ``Static`` (:class:`PaintedTurn`), which
is much cheaper to mount and lay out than a Markdown widget and its blocks: every question
of the shipped bank, its dimension headings and the opening are compared here with the
Markdown rendering they replace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget

from assistant.tui.render import CLASSES, markdown, painted, plain
from assistant.tui.widgets.chat import PaintedTurn
from assistant.tui.widgets.turns import AssistantTurn
from conversation import words
from conversation.core import Conversation
from conversation.turns import Authored, Turn
from flows import Assessment
from question_banks import load_bank


class Side(App[None]):
    CSS_PATH = str(Path(__file__).parents[2] / "assistant" / "tui" / "ceder.tcss")

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="log")


def turns_of_the_shipped_bank() -> list[Turn]:
    """The opening, every dimension heading and every question as the conversation words them."""
    a = Assessment(load_bank())
    a.start()
    out = list(Conversation(a, None, keys=True).open(resumed=False, ask_details=True).turns)
    out += [words.heading(a, dim) for dim in ("complexity", "ethics", "data", "efficacy", "readiness")]
    out += [words.question(a, q, None, keys=True) for q in a.bank.questions]
    return [t for t in out if t.speaker != "user" and t.rich]


def cells(app: App[None], widget: Widget) -> list[list[tuple[str, str]]]:
    """Each painted row of ``widget``: every cell's character and style."""
    region = widget.region
    rows = app.screen._compositor.render_strips()[region.y : region.bottom]
    return [[(c, str(s.style)) for s in row.crop(region.x, region.right) for c in s.text] for row in rows]


@pytest.mark.parametrize("width", [80, 100])
async def test_plain_turns_look_as_their_markdown_would(width: int) -> None:
    turns = turns_of_the_shipped_bank()
    paintable = [t for t in turns if painted(t) is not None]
    assert len(paintable) >= 0.9 * len(turns), "nearly every question is plain text"
    app = Side()
    async with app.run_test(size=(width, 60)) as pilot:
        log = app.query_one("#log")
        for turn in paintable:
            classes = " ".join(c for c in (CLASSES.get(turn.kind, ""), turn.tone) if c)
            content = painted(turn)
            assert content is not None
            cheap, rich = PaintedTurn(content, classes=classes), AssistantTurn(markdown(turn.blocks), classes=classes)
            await log.remove_children()
            await log.mount_all([cheap, rich])
            await pilot.pause()
            await pilot.pause()
            assert cheap.region.height == rich.region.height > 0, turn.text()
            assert cells(app, cheap) == cells(app, rich), turn.text()


def test_bank_wording_with_any_markdown_is_left_to_the_markdown_widget() -> None:
    for text in [
        "a *significant decision*",
        "see gov.uk for more",
        "e.g. this",
        "two  spaces",
        "a line\nbreak",
        "- an item",
        "1. a step",
        "x & y",
        "a <b>tag</b>",
        "https://example.org",
        "name@example.org",
        " leading space",
        "`code`",
        "# heading",
    ]:
        assert not plain(Authored(text)), text
    assert plain(Authored("Who is affected if the tool is wrong, and how badly (roughly)?"))
