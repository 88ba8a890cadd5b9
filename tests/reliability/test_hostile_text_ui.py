"""Hostile text on screen: the TUI shows it literally; neither the TUI nor plain mode passes escapes to the terminal.

- Pilot: each kind of hostile text is pasted as a free-text answer and as a note; what is
  painted (the screen exported as SVG, read back as text) holds the typed words and markup
  literally, the session holds the text exactly, and the summary screen opens on it.
- A real terminal: ``ceder`` runs in a pseudo-terminal on a session whose answers and notes
  carry terminal escapes; none of the user's escape sequences reaches the terminal's bytes.
- Plain mode prints the same texts with no control character at all.
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

import pytest

from flows import Assessment, load_session, save_session
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.helpers.terminal import Terminal
from tests.reliability.conftest import ceder, ceder_env
from tests.reliability.test_hostile_text import CONTROL, HOSTILE, readable

textual = pytest.importorskip("textual")


def at_free_text(bank: Bank, path: Path, note: str | None = None, answer: str | None = None) -> Assessment:
    """A saved session waiting on E1a (free text); optionally with a note on E1 and an answer to E1a."""
    a = Assessment(bank, path=path)
    a.start()
    for value in ("live", "dashboard", "people", ["arrest"], 5):
        a.answer(value)
    a.proceed()
    a.answer("no")
    if note is not None:
        a.note("E1", note)
    if answer is not None:
        a.answer(answer)
    return a


def painted(app: object) -> str:
    """The screen as a person sees it: the SVG screenshot's text, row by row."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return "\n".join("".join(t for _, t in sorted(cells)).replace("\xa0", " ") for _, cells in sorted(rows.items()))


SHORT = [k for k in HOSTILE if k != "paste-1mb"]


@pytest.mark.parametrize(
    "kind",
    [k for k in HOSTILE],
)
async def test_tui_shows_pasted_text_literally(kind: str, small_bank: Bank, tmp_path: Path) -> None:
    from assistant.tui.app import make_app

    text = HOSTILE[kind]
    path = tmp_path / "s.json"
    at_free_text(small_bank, path)
    app = make_app(small_bank, session_path=path, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        prompt = app.screen.query_one("#prompt")
        prompt.value = text  # type: ignore[attr-defined]  # as a paste would leave it
        started = time.perf_counter()
        await pilot.press("enter")
        await pilot.pause()
        assert time.perf_counter() - started < 20
        assert app.is_running
        saved = load_session(path)
        assert saved.answers["E1a"].value == text.strip()
        screen = painted(app)
        assert CONTROL.search(screen) is None
        if kind != "paste-1mb":
            flat = " ".join(screen.split())
            for word in readable(text.strip()):
                assert word in flat, (word, flat[-800:])
        await pilot.press("ctrl+r")  # the summary screen lists the answer
        await pilot.pause()
        assert app.is_running
        assert CONTROL.search(painted(app)) is None


@pytest.mark.parametrize("kind", ["rich-markup", "textual-markup", "ansi-osc", "right-to-left", "combining"])
async def test_tui_note_dialog_keeps_hostile_text(kind: str, small_bank: Bank, tmp_path: Path) -> None:
    from assistant.tui.app import make_app

    text = HOSTILE[kind]
    path = tmp_path / "s.json"
    at_free_text(small_bank, path)
    app = make_app(small_bank, session_path=path, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen.query_one("#dialog-input")
        dialog.value = text  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert load_session(path).notes["E1a"] == text.strip()


# -- a real terminal ------------------------------------------------------------------
TERMINAL_ATTACKS = {
    "title": "\x1b]0;PWNED-TITLE\x07",
    "hyperlink": "\x1b]8;;http://evil.example/PWNED\x07click\x1b]8;;\x07",
    "colour": "\x1b[38;5;196mPWNED-RED",
    "clear": "\x1b[2J\x1b[HPWNED-CLEAR",
    "c1-csi": "\x9b31mPWNED-C1",
}
NEEDLES = [b"\x1b]0;PWNED", b"evil.example/PWNED", b"\x1b[38;5;196mPWNED", b"\x1b[HPWNED", "\x9b31mPWNED".encode()]


def _pty_run(args: list[str], keys: list[bytes], env: dict[str, str], size: tuple[int, int] = (30, 100)) -> bytes:
    """Everything ``args`` writes to a pseudo-terminal: 6 s to start, then each key and 1.5 s to draw it."""
    term = Terminal(args, env=env, size=size)
    try:
        term.drain(6)
        for key in keys:
            term.write(key)
            term.drain(1.5)
    finally:
        term.kill()
    return bytes(term.out)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal test written for Linux")
def test_no_user_escape_sequence_reaches_the_terminal(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    attack = " ".join(TERMINAL_ATTACKS.values())
    a = at_free_text(small_bank, path, note=attack, answer=attack)
    a.set_project(name=attack, assessor=attack)
    save_session(path, a.session)
    out = _pty_run(
        [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), "--session", str(path)],
        [b"\x02", b"\x12"],  # ctrl+b: back to E1a, showing the answer; ctrl+r: the summary with notes
        ceder_env(),
    )
    assert len(out) > 2000, out[:500]  # the app did draw
    assert b"PWNED" in out, "the attack text is shown (as text)"
    for needle in NEEDLES:
        assert needle not in out, needle


def test_plain_mode_prints_no_control_characters(small_bank: Bank, tmp_path: Path) -> None:
    for kind in SHORT:
        path = tmp_path / f"{kind}.json"
        text = HOSTILE[kind]
        at_free_text(small_bank, path, note=text).set_project(name=text)
        run = ceder(
            "--bank", str(SMALL_BANK), "--plain", "--session", str(path), input=text.replace("\n", " ") + "\n/summary\n"
        )
        assert run.code == 0, run.err
        bad = CONTROL.search(run.out)
        assert bad is None, (kind, run.out[max(0, bad.start() - 60) : bad.start() + 20])
        assert "\x1b" not in run.out and "\x9b" not in run.out
        flat = " ".join(run.out.split())
        for word in readable(text):
            assert word in flat or kind == "bidi-controls", (kind, word)
