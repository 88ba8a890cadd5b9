"""Deliberate defects, one per guarantee, to prove that the reliability tests can fail.

Each mutant breaks the code in one way, the way a careless change might; the runner
(``python -m tests.reliability.mutants``) runs the tests named for it with the mutant
applied, in the test process and in every ``ceder`` process the tests start (through
``sitecustomize``), and reports whether they failed ("killed") as they must.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

R = "tests/reliability/"


@dataclass(frozen=True)
class Mutant:
    what: str
    apply: Callable[[], None]
    tests: tuple[str, ...]


def _atomic_in_place() -> None:
    from flows import persistence

    def write(path: Path, data: bytes, mode: int = 0o600, **_: Any) -> None:
        with open(path, "wb") as fh:  # straight over the old file: a kill leaves it half written
            for i in range(0, len(data), 4096):
                fh.write(data[i : i + 4096])
                fh.flush()

    persistence.atomic_write = write


def _no_folder_fsync() -> None:
    from flows import persistence

    real = os.open

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.isdir(path):  # as on a platform without directory handles: the folder is never fsynced
            raise OSError("no directory handles")
        return real(path, flags, *args, **kwargs)

    os.open = open_  # the module persistence calls
    del persistence


def _world_readable() -> None:
    from flows import persistence

    real = persistence.atomic_write
    persistence.atomic_write = lambda path, data, mode=0o600, **kw: real(path, data, 0o644, **kw)


def _lazy_autosave() -> None:
    from flows import engine

    real = engine.Assessment._commit
    count = {"n": 0}

    def commit(self: Any, result: Any) -> Any:
        count["n"] += 1
        if count["n"] % 2:  # every other change stays in memory only
            return result
        return real(self, result)

    engine.Assessment._commit = commit  # type: ignore[method-assign]


def _refused_move_mutates() -> None:
    from flows import engine
    from flows.machine import SUMMARY

    def proceed(self: Any) -> Any:  # the order before the fix: cursor moved, then the move refused
        nxt = self.tracker.first_pending()
        if nxt is None:
            self.session.current = None
            self._fire("proceed", SUMMARY)
        else:
            self._show(nxt)
            self._fire("proceed", self.phase_of(nxt.id))
        return self._commit(engine.StepResult(self.session.current))

    engine.Assessment.proceed = proceed  # type: ignore[method-assign]


def _stale_relevance() -> None:
    from flows import scoring

    real = scoring.Tracker.update

    def update(self: Any, question_id: str) -> Any:
        saved = self.dependents
        self.dependents = [[] for _ in saved]  # forget follow-ups: relevance goes stale
        try:
            return real(self, question_id)
        finally:
            self.dependents = saved

    scoring.Tracker.update = update  # type: ignore[method-assign]


def _blockers_ignored() -> None:
    from flows import engine

    real = engine.Assessment.summary

    def summary(self: Any, final: bool | None = None) -> Any:
        s = real(self, final)
        if s.verdict == "not_ready" and s.blockers:
            s.verdict = "ready_with_conditions"
        return s

    engine.Assessment.summary = summary  # type: ignore[method-assign]


def _orphans_dropped() -> None:
    from flows import engine

    def sync(self: Any, *args: Any) -> None:
        self.session.answers = dict(self._answers)

    setattr(engine.Assessment, "_sync_answers", sync)  # noqa: B010  (whatever its signature)


def _history_trusted() -> None:
    from flows import scoring

    def is_relevant(self: Any, question_id: str) -> bool:
        return bool(self.relevant[self.bank.position[question_id]])

    scoring.Tracker.is_relevant = is_relevant  # type: ignore[method-assign]


def _future_sessions_accepted() -> None:
    from flows import persistence

    def migrate(raw: dict[str, Any], current: int | None = None) -> dict[str, Any]:
        return raw

    setattr(persistence, "SCHEMA_VERSION", 10**9)  # noqa: B010  (not exported; set all the same)
    persistence.migrate = migrate


def _bad_session_replaced() -> None:
    from flows import persistence
    from flows.session import BankRef, Session

    real = persistence.load_session

    def load(path: Path) -> Any:
        try:
            return real(path)
        except persistence.SessionFileError:  # "recover" with a blank session, to be saved over the file
            return Session(bank=BankRef(id="fixture-small", version="1.0"))

    persistence.load_session = load
    import flows

    flows.load_session = load


def _aliases_allowed() -> None:
    from question_banks import yaml_source

    def alias(self: Any, event: Any) -> Any:  # an alias quietly stands for its anchor's value
        anchored = self._anchors.get(event.anchor)
        return None if anchored is None else anchored[1]

    setattr(yaml_source._Builder, "_alias", alias)  # noqa: B010


def _multi_line_yaml_errors() -> None:
    from question_banks import yaml_source

    yaml_source._first_line = lambda exc: str(exc)  # PyYAML's message, position lines and all


def _no_size_cap() -> None:
    from question_banks import loader, yaml_source

    yaml_source.MAX_BYTES = 10**12
    loader.MAX_BANK_BYTES = 10**12
    real = yaml_source.read
    yaml_source.read = lambda path, max_bytes=10**12: real(path, 10**12)


def _slow_lint() -> None:
    import time

    from question_banks import loader

    real = loader.lint

    def lint(directory: Any) -> Any:
        time.sleep(1.2)
        return real(directory)

    loader.lint = lint
    import question_banks

    question_banks.lint = lint


def _nan_scores_accepted() -> None:
    from question_banks import loader

    loader.math.isfinite = lambda x: True  # type: ignore[attr-defined]


def _markdown_unescaped() -> None:
    from assistant.reports import text

    text.md_inline = lambda t: text.MdSafe(str(t))  # type: ignore[assignment]
    text.md_block = lambda t, prefix="": text.MdSafe(str(t))  # type: ignore[assignment]


def _escapes_kept() -> None:
    import re

    from assistant.reports import text

    text._ANSI = re.compile(r"(?!)")  # matches nothing: terminal escapes pass through
    text._CONTROL = re.compile(r"(?!)")


def _orphans_unreported() -> None:
    from flows import engine

    engine.Assessment.orphan_report = lambda self: []  # type: ignore[method-assign]


def _no_file_fsync() -> None:
    import tempfile

    from flows import persistence

    def write(path: Path, data: bytes, mode: int = 0o600, **_: Any) -> None:  # atomic_write without the file's fsync
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    persistence.atomic_write = write


def _surrogates_kept() -> None:
    from flows import engine, reading, values

    def unicode_text(text: str) -> str:
        return text

    for module in (engine, reading, values):
        module.unicode_text = unicode_text  # type: ignore[attr-defined]


def _overwrite_exports() -> None:
    from pathlib import Path as P

    real_exists = P.exists

    def exists(self: P, **kw: Any) -> bool:
        if self.name.startswith("existing-"):
            return False  # the "already exists" check never fires
        return real_exists(self, **kw)

    P.exists = exists  # type: ignore[method-assign]


def _phone_home() -> None:
    import socket

    from assistant import cli

    real = cli.main

    def main(argv: Any = None) -> int:
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=0.1).close()
        except OSError:
            pass
        return real(argv)

    cli.main = main


def _cache_keyed_on_times() -> None:
    from question_banks import cache

    def key(folder: Path) -> str:  # the key before issue 13: every file's name, size and time, recursively
        return repr(
            sorted((str(f.relative_to(folder)), f.stat().st_size, f.stat().st_mtime_ns) for f in folder.rglob("*"))
        )

    cache.content_key = key


def _open_data_folder() -> None:
    from assistant import paths

    def private(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    paths._private = private


MUTANTS: dict[str, Mutant] = {
    "no-file-fsync": Mutant(
        "the temporary file is renamed before it is on disk",
        _no_file_fsync,
        (f"{R}test_crash_safety.py::test_write_order_is_temp_fsync_replace_then_folder_fsync",),
    ),
    "escapes-kept": Mutant(
        "reports keep terminal escapes and control characters", _escapes_kept, (f"{R}test_hostile_text.py",)
    ),
    "orphans-unreported": Mutant(
        "orphaned answers kept but not reported",
        _orphans_unreported,
        (f"{R}test_bank_drift.py::test_report_command_names_the_orphans",),
    ),
    "atomic-write-in-place": Mutant(
        "session written in place, no temp file",
        _atomic_in_place,
        (f"{R}test_crash_safety.py::test_sigkill_during_fast_autosaves",),
    ),
    "atomic-write-in-place/failures": Mutant(
        "session written in place, no temp file",
        _atomic_in_place,
        (f"{R}test_crash_safety.py::test_a_failed_write_keeps_the_previous_file",),
    ),
    "no-folder-fsync": Mutant(
        "the rename is not made durable",
        _no_folder_fsync,
        (f"{R}test_crash_safety.py::test_write_order_is_temp_fsync_replace_then_folder_fsync",),
    ),
    "world-readable-files": Mutant("sessions and exports 0644", _world_readable, (f"{R}test_privacy.py",)),
    "lazy-autosave": Mutant(
        "every other change kept in memory only",
        _lazy_autosave,
        (f"{R}test_crash_safety.py::test_every_answer_is_saved_before_the_call_returns",),
    ),
    "lazy-autosave/plain-trials": Mutant(
        "every other change kept in memory only",
        _lazy_autosave,
        (f"{R}test_crash_safety.py::test_sigkill_plain_mode_at_random_moments",),
    ),
    "lazy-autosave/tui-trials": Mutant(
        "every other change kept in memory only",
        _lazy_autosave,
        (f"{R}test_crash_safety.py::test_sigkill_tui_at_random_moments",),
    ),
    "refused-move-mutates": Mutant(
        "a refused 'proceed' moves the cursor anyway", _refused_move_mutates, (f"{R}test_invariants.py",)
    ),
    "stale-relevance": Mutant(
        "follow-ups not re-evaluated after an answer", _stale_relevance, (f"{R}test_invariants.py",)
    ),
    "blockers-ignored": Mutant(
        "a blocker yields 'ready with conditions'", _blockers_ignored, (f"{R}test_invariants.py",)
    ),
    "orphans-dropped": Mutant(
        "answers the new bank cannot take are not saved", _orphans_dropped, (f"{R}test_bank_drift.py",)
    ),
    "history-trusted": Mutant(
        "questions removed from the bank still looked up", _history_trusted, (f"{R}test_bank_drift.py",)
    ),
    "future-sessions-accepted": Mutant(
        "no check of the session schema version", _future_sessions_accepted, (f"{R}test_bad_sessions.py",)
    ),
    "bad-session-replaced": Mutant(
        "an unreadable session is replaced by a blank one", _bad_session_replaced, (f"{R}test_bad_sessions.py",)
    ),
    "aliases-allowed": Mutant(
        "YAML aliases accepted",
        _aliases_allowed,
        (f"{R}test_malformed_inputs.py::test_malformed_bank_validate[alias]",),
    ),
    "multi-line-yaml-errors": Mutant(
        "YAML errors keep PyYAML's extra lines",
        _multi_line_yaml_errors,
        (f"{R}test_malformed_inputs.py::test_malformed_bank_validate[control-character]",),
    ),
    "no-size-cap": Mutant(
        "files of any size are parsed",
        _no_size_cap,
        (f"{R}test_malformed_inputs.py::test_malformed_bank_validate[too-large-in-total]",),
    ),
    "slow-lint": Mutant(
        "linting takes more than a second",
        _slow_lint,
        (f"{R}test_malformed_inputs.py::test_malformed_bank_validate[wrong-type-kind]",),
    ),
    "nan-scores-accepted": Mutant(
        "non-finite scores pass lint",
        _nan_scores_accepted,
        (f"{R}test_malformed_inputs.py::test_malformed_bank_validate[not-a-number-score]",),
    ),
    "markdown-unescaped": Mutant(
        "user text goes into Markdown as is", _markdown_unescaped, (f"{R}test_hostile_text.py",)
    ),
    "surrogates-kept": Mutant(
        "undecodable typed text kept, so autosave fails",
        _surrogates_kept,
        (f"{R}test_bad_sessions.py::test_undecodable_typed_text_is_stored_as_replacement_characters",),
    ),
    "exports-overwrite": Mutant(
        "existing output files overwritten without --force",
        _overwrite_exports,
        (f"{R}test_privacy.py::test_no_command_overwrites_an_existing_file_without_force",),
    ),
    "phone-home": Mutant(
        "every command opens a TCP connection",
        _phone_home,
        (f"{R}test_privacy.py::test_headless_commands_and_plain_mode_open_no_connection",),
    ),
    "open-data-folder": Mutant(
        "data folders left with the umask's mode",
        _open_data_folder,
        (f"{R}test_privacy.py::test_an_existing_open_data_folder_is_made_private",),
    ),
    "cache-keyed-on-times": Mutant(
        "the bank cache keyed on file names, sizes and times",
        _cache_keyed_on_times,
        (f"{R}test_bank_cache_content.py",),
    ),
}


def apply(name: str) -> None:
    MUTANTS[name].apply()
