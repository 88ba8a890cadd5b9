"""A new session's first screen, recorded and painted before the engine loads (assistant.tui.opening).

What is painted must be exactly what the engine would draw; a changed bank never paints
an old screen; keys pressed before the engine is ready are done in order, never lost and
never given to a question other than the one on screen when they were pressed.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.errors import CliError
from assistant.tui import opening as op
from assistant.tui.app import CederApp, make_app
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.widgets.chat import turn_text
from question_banks import load_bank
from tests.helpers.fresh import in_fresh_python
from tests.tui.conftest import settle


def transcript(app: CederApp) -> list[str]:
    """The log's turns as plain text, whichever widget draws them."""
    return [" ".join(turn_text(w).split()) for w in app.screen.query("#log > .turn")]


SHIPPED = Path(__file__).resolve().parents[2] / "question_banks" / "shipped"


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    return folder


async def record(bank_dir: Path, cache: Path, path: Path) -> None:
    """Open a new session the usual way (the engine first), which records its first screen."""
    app = make_app(load_bank(bank_dir), session_path=path, bank_dir=str(bank_dir), cache_dir=cache)
    async with app.run_test() as pilot:
        await settle(pilot)


def painted_app(bank_dir: Path, cache: Path, path: Path) -> CederApp:
    opening = op.load(bank_dir, cache)
    assert opening is not None, "no first screen was recorded"
    return make_app(None, session_path=path, opening=opening, bank_dir=str(bank_dir), cache_dir=cache)


async def ready(pilot: Pilot[None]) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    for _ in range(200):
        await pilot.pause(0.02)
        if not screen.starting and screen.conv is not None:
            return screen
    raise AssertionError("the engine never took over the painted screen")


async def test_the_painted_screen_is_the_one_the_engine_draws(bank_dir: Path, cache: Path, tmp_path: Path) -> None:
    await record(bank_dir, cache, tmp_path / "first.json")
    recorded = op.load(bank_dir, cache)
    assert recorded is not None
    # What the engine draws for a new session in another file, recorded as it is drawn...
    direct_path = tmp_path / "direct.json"
    direct = make_app(load_bank(bank_dir), session_path=direct_path, bank_dir=str(bank_dir), cache_dir=cache)
    seen: list[op.Opening] = []
    direct.keep_opening = seen.append  # type: ignore[method-assign]
    async with direct.run_test() as pilot:
        await settle(pilot)
        drawn = transcript(direct)
    assert len(seen) == 1
    # ...is what the recorded screen reads as for that file, and the name is the file's own.
    assert recorded.with_path(str(direct_path)) == seen[0].with_path(str(direct_path))
    assert any("direct.json" in line for line in drawn)
    # Painted for a third file and taken over by the engine: the same screen, never drawn again.
    path = tmp_path / "painted.json"
    app = painted_app(bank_dir, cache, path)
    redrawn: list[object] = []
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        original = screen.show

        async def spy(reply):  # type: ignore[no-untyped-def]
            redrawn.append(reply)
            await original(reply)

        screen.show = spy  # type: ignore[method-assign]
        screen = await ready(pilot)
        painted = transcript(app)
    assert not redrawn, "the engine's first screen was the painted one"
    assert any("painted.json" in line for line in painted) and len(painted) == len(drawn)


async def test_the_painted_screen_looks_exactly_like_the_engines(
    bank_dir: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawn without the Markdown widget, the painted turns look as the engine's Markdown turns do (every cell)."""
    await record(bank_dir, cache, tmp_path / "first.json")
    path = tmp_path / "s.json"
    direct = make_app(load_bank(bank_dir), session_path=path, bank_dir=str(bank_dir), cache_dir=None)
    async with direct.run_test(size=(100, 40)) as pilot:
        drawn = await steady_cells(pilot)
    path.unlink()
    Gate(monkeypatch)  # never opened: what is compared is the screen painted before the engine
    app = painted_app(bank_dir, cache, path)
    async with app.run_test(size=(100, 40)) as pilot:
        painted = await steady_cells(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.conv is None
    assert painted == drawn


async def steady_cells(pilot: Pilot[None]) -> list[list[tuple[str, str]]]:
    """The screen's cells once two looks in a row agree (the Footer is recomposed after the first frame)."""
    await settle(pilot)
    seen = cells(pilot.app)  # type: ignore[arg-type]
    for _ in range(50):
        await pilot.pause(0.05)
        now = cells(pilot.app)  # type: ignore[arg-type]
        if now == seen:
            return now
        seen = now
    return seen


def cells(app: CederApp) -> list[list[tuple[str, str]]]:
    """Every cell of the screen: its character and its style (colours, bold, italic...)."""
    out = []
    for strip in app.screen._compositor.render_strips():
        row: list[tuple[str, str]] = []
        for segment in strip:
            row.extend((char, str(segment.style)) for char in segment.text)
        out.append(row)
    return out


async def test_a_new_launch_paints_before_the_engine_and_then_adopts_it(
    bank_dir: Path, cache: Path, tmp_path: Path
) -> None:
    await record(bank_dir, cache, tmp_path / "first.json")
    path = tmp_path / "s.json"
    app = painted_app(bank_dir, cache, path)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = await ready(pilot)
        assert app.bank is not None and screen.session_path == path
        assert path.exists(), "the session is saved (and locked) once the engine takes over"
        assert any("What is the project called?" in line for line in transcript(app))


async def test_a_changed_bank_never_paints_the_old_screen(bank_dir: Path, cache: Path, tmp_path: Path) -> None:
    await record(bank_dir, cache, tmp_path / "first.json")
    assert op.load(bank_dir, cache) is not None
    manifest = bank_dir / "bank.yaml"
    text = manifest.read_text("utf-8")
    changed = text.replace("title: ", "title: X", 1)
    assert changed != text
    manifest.write_text(changed, "utf-8")
    assert op.load(bank_dir, cache) is None
    manifest.write_text(text, "utf-8")
    assert op.load(bank_dir, cache) is not None, "the same content is the same screen"


def test_a_changed_program_never_paints_the_old_screen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = op.code_key()
    code = tmp_path / "src" / "conversation"
    code.mkdir(parents=True)
    for folder in op._CODE:
        (tmp_path / "src" / folder).mkdir(parents=True, exist_ok=True)
    source = code / "words.py"
    source.write_text("WELCOME = 'hello'\n", "utf-8")
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setattr(op, "_ROOT", tmp_path / "src")
    first = op.code_key()
    assert op.code_key() == first, "the same program is the same key"
    seen = {before, first}

    def changed() -> str:
        key = op.code_key()
        assert key not in seen
        seen.add(key)
        return key

    source.write_text("WELCOME = 'hullo'\n", "utf-8")  # the same size, edited a second later
    os.utime(source, ns=(2_000_000_000, 2_000_000_000))
    changed()
    source.write_text("WELCOME = 'hullo!'\n", "utf-8")  # another size, the same time
    os.utime(source, ns=(2_000_000_000, 2_000_000_000))
    changed()
    replacement = code / "words.tmp"  # an editor's or installer's replace: a new file in the same tick
    replacement.write_text("WELCOME = 'hallo!'\n", "utf-8")
    os.utime(replacement, ns=(2_000_000_000, 2_000_000_000))
    os.replace(replacement, source)
    changed()
    (code / "sub").mkdir()
    (code / "sub" / "more.py").write_text("", "utf-8")  # a module added, in a package below
    changed()
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "words.cpython-311.pyc").write_bytes(b"compiled")
    assert op.code_key() in seen, "compiled bytecode is not the program's source"


class Gate:
    """Holds the engine back until the test has pressed its keys."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        real = CederApp.open_checked

        def held(app: CederApp, participant: str = ""):  # type: ignore[no-untyped-def]
            assert self.open.wait(20)
            return real(app, participant)

        monkeypatch.setattr(CederApp, "open_checked", held)


@pytest.fixture
async def held(bank_dir: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CederApp, Gate]:
    """A new launch painted from its recorded first screen, its engine held back until ``gate.open`` is set."""
    await record(bank_dir, cache, tmp_path / "first.json")
    gate = Gate(monkeypatch)
    return painted_app(bank_dir, cache, tmp_path / "s.json"), gate


def project_of(screen: ChatScreen) -> tuple[str, str]:
    assert screen.conv is not None
    project = screen.conv.a.session.project
    return project.name, project.organisation


async def typed(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text) if text else None
    await pilot.press("enter")
    await settle(pilot)


async def test_keys_pressed_before_the_engine_is_ready_are_done_in_order(
    held: tuple[CederApp, Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, gate = held
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.starting and screen.conv is None
        await typed(pilot, "Acme pilot")  # the project's name, on screen
        await pilot.press("ctrl+s")  # then skip the organisation
        await settle(pilot)
        assert len(screen.queued) == 2 and screen.conv is None
        gate.open.set()
        screen = await ready(pilot)
        assert project_of(screen) == ("Acme pilot", "")
        assert (
            screen.conv is not None and screen.conv.intake is not None and screen.conv.intake.detail.field == "assessor"
        )
        await typed(pilot, "Sam")  # and from here on, as usual
        assert screen.conv.a.session.project.assessor == "Sam"


async def test_a_second_answer_to_the_question_on_screen_is_refused(
    held: tuple[CederApp, Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, gate = held
    bells: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(None))
    async with app.run_test() as pilot:
        await settle(pilot)
        await typed(pilot, "Acme pilot")
        await typed(pilot, "Northshire")  # typed while the name was still the question on screen
        assert bells, "the person hears that it was not taken"
        gate.open.set()
        screen = await ready(pilot)
        assert project_of(screen) == ("Acme pilot", "")


async def test_an_answer_overtaken_by_an_earlier_command_is_not_given_to_the_next_question(
    held: tuple[CederApp, Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, gate = held
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")  # skip the name...
        await typed(pilot, "Acme pilot")  # ...and type it, while the name is still on screen
        gate.open.set()
        screen = await ready(pilot)
        assert project_of(screen) == ("", ""), "never recorded as the organisation"
        assert (
            screen.conv is not None
            and screen.conv.intake is not None
            and screen.conv.intake.detail.field == "organisation"
        )


async def test_a_session_that_cannot_be_opened_ends_with_its_reason(
    bank_dir: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await record(bank_dir, cache, tmp_path / "first.json")

    def refuse(app: CederApp, participant: str = "") -> None:
        raise CliError("s.json: cannot create the session file: Permission denied")

    monkeypatch.setattr(CederApp, "open_checked", refuse)
    app = painted_app(bank_dir, cache, tmp_path / "s.json")
    async with app.run_test() as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.startup_error is not None:
                break
    assert isinstance(app.startup_error, CliError) and "Permission denied" in str(app.startup_error)
    assert app.return_code == 1


def test_the_first_screen_is_painted_without_pydantic_or_the_engine(tmp_path: Path) -> None:
    """Everything the painted first screen needs imports neither pydantic, the engine, the conversation nor the
    Markdown parser."""
    code = (
        "import sys; import assistant.launch, assistant.cli, assistant.tui.app, assistant.tui.opening; "
        "from assistant.tui.screens.chat import ChatScreen; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'markdown_it') "
        "or m in ('flows.engine', 'conversation.core', 'conversation.commands', 'transitions')); "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    in_fresh_python(code)
