"""The chat screen's first screen painted before the engine loads, and the keys pressed meanwhile.

See :mod:`assistant.tui.opening` for what is recorded and why; the chat screen calls
:func:`paint` and :func:`queue`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.tui.render import widget_for
from assistant.tui.views import prompt_view
from assistant.tui.widgets.banner import ReadOnlyBanner

if TYPE_CHECKING:
    from assistant.tui.opening import Opening
    from assistant.tui.screens.chat import ChatScreen
    from assistant.tui.sessions import Opened
    from conversation.core import Conversation
    from conversation.replies import Reply


async def paint(screen: ChatScreen, opening: Opening) -> None:
    """Paint the recorded first screen; the engine is loaded and the session opened once it is on screen."""
    screen.starting = True
    shown = screen.ceder.first_path()
    screen.ceder.sub_title = str(shown)
    painted = opening.with_path(str(shown))
    await screen.say(*(widget_for(turn) for turn in painted.turns))
    await screen._draw_answer_area(painted.prompt)
    screen._draw_progress(painted.progress)
    screen.refresh_progress()
    screen.call_after_refresh(screen.run_worker, load(screen), group="opening")


async def load(screen: ChatScreen) -> None:
    def open_session() -> tuple[Opened, Conversation, Reply, Path]:  # in a thread: the person reads meanwhile
        opened = screen.ceder.open_checked()
        import assistant.tui.screens.dialogs  # what the next screens need, loaded here too
        import assistant.tui.widgets.turns  # noqa: F401
        import conversation.commands  # noqa: F401

        return (opened, *screen._conversation(opened))

    worker = screen.run_worker(open_session, thread=True, group="engine", exit_on_error=False)
    try:
        opened, conv, reply, shown = await worker.wait()
    except Exception:  # WorkerFailed: the session cannot be opened (its reason ends the app)
        screen.ceder.start_failed(worker.error if isinstance(worker.error, Exception) else RuntimeError("failed"))
        return
    await adopt(screen, opened, conv, reply, shown)


async def adopt(screen: ChatScreen, opened: Opened, conv: Conversation, reply: Reply, shown: Path) -> None:
    """Take over the opened conversation behind the painted screen, then do what was queued meanwhile.

    What the conversation says first is compared with what was painted; anything different
    is drawn again from the conversation (and recorded anew), so no recorded screen outlives
    a change in the bank or the program.
    """
    assert screen.opening is not None
    painted = screen.opening.with_path(str(shown))
    screen.opening = None
    screen.conv = conv
    screen.ceder.sub_title = str(shown)
    screen.query_one(ReadOnlyBanner).show_for(opened.assessment)
    same = (
        tuple(reply.turns) == painted.turns
        and reply.ask is None
        and not reply.quit
        and prompt_view(conv, screen.prompt.value) == painted.prompt
    )
    if same:
        screen._shown_for = screen._question_on_screen()
        screen.refresh_progress()
    else:
        await screen.log_view.remove_children()
        await screen.show(reply)
        screen._keep_opening(opened, reply, shown)
    while screen.queued:  # keys pressed meanwhile (more may come while these are done: still queued)
        kind, value, drawn = screen.queued.pop(0)
        if drawn is not None and drawn != screen._prompt_drawn:
            screen.app.bell()
            screen.app.notify(
                "A key pressed while the assessment was opening was not used: the question had changed.",
                severity="warning",
                markup=False,
            )
            continue
        await do(screen, kind, value)
    screen.starting = False


def queue(screen: ChatScreen, kind: str, value: object, *, answer: bool) -> bool:
    """Keep what the person did before the engine was ready; one answer per question drawn (False: refused)."""
    drawn = screen._prompt_drawn if answer else None
    if answer and any(d == drawn for _, _, d in screen.queued):
        screen.app.bell()  # a second answer to a question whose answer is still waiting
        return False
    screen.queued.append((kind, value, drawn))
    return True


async def do(screen: ChatScreen, kind: str, value: object) -> None:
    conv = screen.conv
    assert conv is not None
    if kind == "run":
        await screen.run_command(str(value))
    elif kind == "text":
        async with screen._turn:
            await screen._say(str(value))
    elif kind == "choose":
        async with screen._turn:
            await screen.show(conv.choose(value))  # type: ignore[arg-type]
    elif kind == "toggle":
        conv.toggled()
