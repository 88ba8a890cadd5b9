"""Regenerate docs/screenshot.svg: the assistant on the shipped bank, asking a follow-up with its "why".

.venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from textual.widgets import Input

from assistant.tui.app import make_app
from flows import Assessment
from question_banks import load_bank

OUT = Path(__file__).with_name("screenshot.svg")


async def main() -> None:
    bank = load_bank()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.json"
        a = Assessment(bank, path=path)
        a.start()
        a.set_project(name="Custody risk triage pilot", assessor="Project lead")
        # A machine-learning pilot built by a supplier, informing decisions about people.
        script = {"S1": "pilot", "S2": "ml", "S3": "personal", "S4": "part3", "S5": "supplier"}
        while a.current is not None and not (a.current.ask_if is not None and a.phase_of(a.current.id) != "profile"):
            q = a.current
            if q.id in script:
                a.answer(script[q.id])
            elif q.kind == "number":
                a.answer(5000)
            elif q.kind == "text":
                a.answer("Vendor model, hosted by the supplier")
            elif q.kind == "multi":
                a.answer([q.options[0].id])
            else:
                a.answer(q.options[-1].id)
        Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]  # a steady screen
        app = make_app(bank, session_path=path, export_dir=Path(tmp), screenshot_dir=Path(tmp))
        async with app.run_test(size=(110, 34)) as pilot:
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause(0.3)
            OUT.write_text(app.export_screenshot(title="ceder"), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
