"""Where a headless command's time goes: one fresh process doing a command's work in stages, each timed.

    python -m benchmarks.cli_stages COMMAND [ARGS...]     # prints one JSON line: stage -> ms

Run by ``python -m benchmarks.cli --stages``, which repeats it in fresh processes and
gives medians. The stages follow the command's own order, with the libraries every
command shares first, so each figure is what that stage adds: the command line, pydantic's
model machinery (which the floor, ``import pydantic, yaml``, does not load: pydantic
imports it lazily), ceder's model classes, then the command's work. The interpreter's own
start-up is not in it (see the ``python -c pass`` floor).
"""

from __future__ import annotations

import time

_START = time.perf_counter()

import io  # noqa: E402 - the clock starts before anything is imported
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def stages(argv: list[str]) -> dict[str, float]:
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    def quietly(call: Callable[[], Any]) -> Any:
        real, sys.stdout = sys.stdout, io.StringIO()
        try:
            return call()
        finally:
            sys.stdout = real

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as assistant.cli.main does
    from assistant import cli

    args = cli._parse(argv)
    args.bank = bank_dir = getattr(args, "bank", None)  # as cli.main does
    mark("the command line (assistant.cli, argparse, parsing)")
    import pydantic

    mark("import pydantic (the floor's own import; the floor also imports yaml)")
    from pydantic import BaseModel  # noqa: F401

    mark("pydantic's BaseModel (pydantic.main, the schema generator)")
    import pydantic.fields  # noqa: F401 - what the first model class with a field imports

    mark("pydantic.fields (pydantic.types, annotated_types), needed by any model class")
    import question_banks.schema

    mark("the bank's model classes (question_banks.schema, .conditions)")
    from assistant.shared import load_bank_or_fail

    command = argv[0]
    if command == "questions":
        bank = load_bank_or_fail(bank_dir)
        mark("the bank from the cache (key, unpickling)")
        cli.load_bank_or_fail = lambda _: bank  # type: ignore[assignment] - already loaded: time the listing alone
        quietly(lambda: cli.cmd_questions(args))
        mark("the listing")
    elif command == "validate":
        import question_banks.loader  # noqa: F401

        mark("the loader and linter, PyYAML")
        import importlib.metadata

        mark("importlib.metadata (pydantic looks for plugins before its first validator)")
        quietly(lambda: cli.cmd_validate(args))
        mark("reading, validating (validators built) and linting the files; the report")
    else:
        import flows.engine

        mark("the engine's and summary's model classes, transitions")
        import importlib.metadata  # noqa: F401

        mark("importlib.metadata (pydantic looks for plugins before its first validator)")
        if command == "report":
            from flows import load_session

            session = load_session(Path(args.session))
            mark("the session file read and validated (validators built)")
            bank = load_bank_or_fail(bank_dir)
            mark("the bank from the cache (key, unpickling)")
            assessment = flows.engine.Assessment(bank, session)
            mark("the assessment (state machine, scores)")
        else:
            bank = load_bank_or_fail(bank_dir)
            mark("the bank from the cache (key, unpickling)")
            from flows.answers_file import read_answers, run_answers

            answers = read_answers(Path(args.answers))
            mark("the answers file read (PyYAML imported)")
            assessment = run_answers(bank, answers).assessment
            mark("the assessment run (state machine, scores, session validated)")
        summary = assessment.summary(final=True)
        mark("the summary")
        import jinja2  # noqa: F401

        mark("Jinja2's import")
        from assistant.shared import render_or_fail

        render_or_fail(summary, args.format, bank)
        mark("the report (view, template from the cache, rendering)")
    out: dict[str, float] = {}
    before = _START
    for name, at in marks:
        out[name] = (at - before) * 1000
        before = at
    return out


if __name__ == "__main__":
    print(json.dumps(stages(sys.argv[1:])))
