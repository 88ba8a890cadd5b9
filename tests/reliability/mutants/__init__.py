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


def _set(owner: Any, name: str, value: Any) -> None:
    """Replace ``owner.name``, which must exist: a mutant of something renamed away would break nothing."""
    if not hasattr(owner, name):
        raise AttributeError(f"mutant out of date: {getattr(owner, '__name__', owner)!r} has no {name!r}")
    setattr(owner, name, value)


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

    _set(persistence, "atomic_write", write)


def _no_folder_fsync() -> None:
    from flows import persistence

    real = os.open

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.isdir(path):  # as on a platform without directory handles: the folder is never fsynced
            raise OSError("no directory handles")
        return real(path, flags, *args, **kwargs)

    _set(os, "open", open_)  # the module persistence calls
    del persistence


def _world_readable() -> None:
    from flows import persistence

    real = persistence.atomic_write
    _set(persistence, "atomic_write", lambda path, data, mode=0o600, **kw: real(path, data, 0o644, **kw))


def _lazy_autosave() -> None:
    from flows import engine

    real = engine.Assessment._commit
    count = {"n": 0}

    def commit(self: Any, result: Any) -> Any:
        count["n"] += 1
        if count["n"] % 2:  # every other change stays in memory only
            return result
        return real(self, result)

    _set(engine.Assessment, "_commit", commit)


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

    _set(engine.Assessment, "proceed", proceed)


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

    _set(scoring.Tracker, "update", update)


def _blockers_ignored() -> None:
    from flows import engine

    real = engine.Assessment.summary

    def summary(self: Any, final: bool | None = None) -> Any:
        s = real(self, final)
        if s.verdict == "not_ready" and s.blockers:
            s.verdict = "ready_with_conditions"
        return s

    _set(engine.Assessment, "summary", summary)


def _orphans_dropped() -> None:
    from flows import engine

    def sync(self: Any, *args: Any) -> None:
        self.session.answers = dict(self._answers)

    _set(engine.Assessment, "_sync_answers", sync)  # (whatever its signature)


def _history_trusted() -> None:
    from flows import scoring

    def is_relevant(self: Any, question_id: str) -> bool:
        return bool(self.relevant[self.bank.position[question_id]])

    _set(scoring.Tracker, "is_relevant", is_relevant)


def _future_sessions_accepted() -> None:
    from flows import persistence

    def migrate(raw: dict[str, Any], current: int | None = None) -> dict[str, Any]:
        return raw

    _set(persistence, "SCHEMA_VERSION", 10**9)  # (not exported; set all the same)
    _set(persistence, "migrate", migrate)


def _bad_session_replaced() -> None:
    from flows import persistence
    from flows.session import BankRef, Session

    real = persistence.load_session

    def load(path: Path) -> Any:
        try:
            return real(path)
        except persistence.SessionFileError:  # "recover" with a blank session, to be saved over the file
            return Session(bank=BankRef(id="fixture-small", version="1.0"))

    _set(persistence, "load_session", load)
    import flows

    _set(flows, "load_session", load)


def _aliases_allowed() -> None:
    from question_banks import yaml_source

    def alias(self: Any, event: Any) -> Any:  # an alias quietly stands for its anchor's value
        anchored = self._anchors.get(event.anchor)
        return None if anchored is None else anchored[1]

    _set(yaml_source._Builder, "_alias", alias)


def _multi_line_yaml_errors() -> None:
    from question_banks import yaml_source

    _set(yaml_source, "_first_line", lambda exc: str(exc))  # PyYAML's message, position lines and all


def _no_size_cap() -> None:
    from question_banks import loader, yaml_source

    _set(yaml_source, "MAX_BYTES", 10**12)
    _set(loader, "MAX_BANK_BYTES", 10**12)
    real = yaml_source.read
    _set(yaml_source, "read", lambda path, max_bytes=10**12: real(path, 10**12))


def _nan_scores_accepted() -> None:
    from question_banks import loader

    _set(loader.math, "isfinite", lambda x: True)


def _markdown_unescaped() -> None:
    from assistant.reports import text

    _set(text, "md_inline", lambda t: text.MdSafe(str(t)))
    _set(text, "md_block", lambda t, prefix="": text.MdSafe(str(t)))


def _escapes_kept() -> None:
    import re

    from assistant.reports import text

    _set(text, "_ANSI", re.compile(r"(?!)"))  # matches nothing: terminal escapes pass through
    _set(text, "_CONTROL", re.compile(r"(?!)"))


def _orphans_unreported() -> None:
    from flows import drift

    _set(drift, "orphan_report", lambda bank, session, orphans: [])  # kept in the file, never named


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

    _set(persistence, "atomic_write", write)


def _surrogates_kept() -> None:
    from flows import reading, values

    def unicode_text(text: str) -> str:
        return text

    for module in (reading, values):  # where it is defined, and where it is imported
        _set(module, "unicode_text", unicode_text)


def _overwrite_exports() -> None:
    from assistant import shared

    real = shared.write_output
    _set(shared, "write_output", lambda text, out, force: real(text, out, True))  # as if --force were always given


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

    _set(cli, "main", main)


def _cache_keyed_on_times() -> None:
    from question_banks import cache

    def key(folder: Path) -> str:  # the key before issue 13: every file's name, size and time, recursively
        return repr(
            sorted((str(f.relative_to(folder)), f.stat().st_size, f.stat().st_mtime_ns) for f in folder.rglob("*"))
        )

    _set(cache, "content_key", key)


def _open_data_folder() -> None:
    from assistant import paths

    def checked(folder: Path, what: str) -> Path:  # made with the umask's mode, and taken whoever can write it
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    _set(paths, "checked_folder", checked)


# -- issue 13's newer guarantees --------------------------------------------------------------
def _lock_not_taken() -> None:
    from flows import locking

    _set(locking.SessionLock, "acquire", lambda self: self)  # every opener "holds" the session


def _lock_holder_unnamed() -> None:
    from flows import locking

    _set(locking.Holder, "describe", lambda self: "another ceder")


def _lock_never_released() -> None:
    from flows import locking

    _set(locking.SessionLock, "release", lambda self: None)


def _read_only_writes() -> None:
    from flows import engine

    real = engine.Assessment._commit

    def commit(self: Any, result: Any) -> Any:  # the read-only check forgotten: a second window saves
        reason, self.read_only = self.read_only, None
        try:
            return real(self, result)
        finally:
            self.read_only = reason

    _set(engine.Assessment, "_commit", commit)


def _writer_overwrites() -> None:
    from flows import persistence

    real = persistence.write_private
    _set(persistence, "write_private", lambda path, data, overwrite=False: real(path, data, overwrite=True))


def _writer_follows_links() -> None:
    from flows import persistence

    real = persistence.write_private

    def write(path: Path, data: bytes, overwrite: bool = False) -> None:
        if os.path.islink(path) and overwrite:  # through the link, onto its target
            Path(path).resolve().write_bytes(data)
            return
        real(path, data, overwrite=overwrite)

    _set(persistence, "write_private", write)


def _writer_not_private() -> None:
    from flows import persistence

    real = persistence.atomic_write
    _set(
        persistence,
        "atomic_write",
        lambda path, data, mode=0o600, **kw: real(path, data, 0o644 & ~os.umask(os.umask(0)), **kw),
    )


def _reader(read: Any) -> None:
    """Put ``read`` in place of ``read_limited`` wherever it is called from."""
    from flows import persistence
    from question_banks import files, yaml_source

    for module in (files, persistence, yaml_source):
        _set(module, "read_limited", read)


def _non_regular_files_read() -> None:
    def read(path: Path, limit: int) -> bytes:  # no check of what the file is: a FIFO blocks, a device is read
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            from question_banks import files

            raise files.FileRefused(Path(path), files.too_large(len(data), limit, growing=True))
        return data

    _reader(read)


def _size_trusted() -> None:
    def read(path: Path, limit: int) -> bytes:  # the limit checked against the size the file reports, then all read
        from question_banks import files

        size = os.stat(path).st_size
        if size > limit:
            raise files.FileRefused(Path(path), files.too_large(size, limit))
        with open(path, "rb") as fh:
            return fh.read()

    _reader(read)


def _controls_accepted() -> None:
    from question_banks import yaml_source

    _set(yaml_source, "controls", lambda data: iter(()))


def _failed_save_kept() -> None:
    from flows import engine

    _set(engine.Assessment, "_roll_back", lambda self: None)  # memory runs ahead of the file


def _keys_routed_by_textual() -> None:
    from textual.app import App

    from assistant.tui import app

    _set(app.CederApp, "on_event", App.on_event)  # keys queue on whichever widget had focus


def _dialogs_answer_twice() -> None:
    from textual.screen import Screen

    from assistant.tui.screens import once

    _set(once.AnswersOnce, "dismiss", lambda self, result=None: Screen.dismiss(self, result))


def _dialog_answers_posted() -> None:
    from textual.widgets import Input, OptionList

    from assistant.tui.screens import dialogs
    from assistant.tui.widgets import answers

    _set(dialogs.LineInput, "action_submit", Input.action_submit)  # a Submitted message, which nobody handles now

    def select(self: Any) -> None:  # OptionSelected, then a Picked message: an Escape behind it wins
        OptionList.action_select(self)

    _set(answers.ChoiceList, "action_select", select)


def _read_only_banner_hidden() -> None:
    from assistant.tui.widgets import banner

    _set(banner.ReadOnlyBanner, "show_for", lambda self, assessment: None)


def _no_cleanup_on_stop() -> None:
    import contextlib

    from flows import persistence

    _set(persistence, "removed_on_stop", lambda tmp: contextlib.nullcontext())


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
        "data folders made with the umask's mode, and used whoever can write them",
        _open_data_folder,
        (f"{R}test_data_folder.py",),
    ),
    "lock-not-taken": Mutant(
        "no session lock: two processes write one session",
        _lock_not_taken,
        (f"{R}test_session_lock.py::test_a_second_plain_mode_is_refused_in_one_line",),
    ),
    "lock-holder-unnamed": Mutant(
        "a second opener is not told who holds the session",
        _lock_holder_unnamed,
        (f"{R}test_session_lock.py::test_a_second_plain_mode_is_refused_in_one_line",),
    ),
    "lock-never-released": Mutant(
        "closing a session keeps its lock",
        _lock_never_released,
        (f"{R}test_session_lock.py::test_one_process_cannot_open_a_session_twice",),
    ),
    "read-only-writes": Mutant(
        "a read-only window saves its changes", _read_only_writes, (f"{R}test_session_lock.py",)
    ),
    "writer-overwrites": Mutant(
        "the safe writer replaces what exists", _writer_overwrites, (f"{R}test_safe_writer.py",)
    ),
    "writer-follows-links": Mutant(
        "the safe writer writes through a symlink",
        _writer_follows_links,
        (f"{R}test_safe_writer.py::test_overwrite_replaces_a_symlink_never_its_target",),
    ),
    "writer-not-private": Mutant(
        "the safe writer's files take the umask's mode",
        _writer_not_private,
        (f"{R}test_safe_writer.py::test_private_whatever_the_umask",),
    ),
    "non-regular-files-read": Mutant(
        "devices and FIFOs read as files", _non_regular_files_read, (f"{R}test_not_regular_files.py",)
    ),
    "size-trusted": Mutant(
        "the byte limit trusts the size a file reports",
        _size_trusted,
        (f"{R}test_not_regular_files.py::test_the_byte_limit_is_hard",),
    ),
    "controls-accepted": Mutant(
        "control characters in bank text pass lint",
        _controls_accepted,
        (f"{R}test_bank_text_is_data.py::test_the_linter_refuses_control_characters",),
    ),
    "failed-save-kept": Mutant(
        "a failed save leaves the change in memory", _failed_save_kept, (f"{R}test_save_failures.py",)
    ),
    "keys-routed-by-textual": Mutant(
        "a burst of keys queues on the list being replaced",
        _keys_routed_by_textual,
        (f"{R}test_key_bursts.py::test_a_burst_in_the_apps_queue_answers_each_question_in_turn",),
    ),
    "dialogs-answer-twice": Mutant(
        "a dialog closes once per key (no shared guard)",
        _dialogs_answer_twice,
        (f"{R}test_tui_no_traceback.py::test_two_quick_keys_on_any_dialog_answer_once",),
    ),
    "dialog-answers-posted": Mutant(
        "a dialog's answer is posted, and an Escape right behind overtakes it",
        _dialog_answers_posted,
        (f"{R}test_tui_no_traceback.py::test_two_quick_keys_on_any_dialog_answer_once",),
    ),
    "read-only-banner-hidden": Mutant(
        "the read-only view has no banner",
        _read_only_banner_hidden,
        (
            f"{R}test_session_lock.py::test_the_tui_read_only_view_has_a_banner_naming_the_holder_and_refuses_every_change",
        ),
    ),
    "no-cleanup-on-stop": Mutant(
        "SIGTERM or SIGHUP mid-export leaves the temporary file",
        _no_cleanup_on_stop,
        (f"{R}test_stopped_exports.py",),
    ),
    "cache-keyed-on-times": Mutant(
        "the bank cache keyed on file names, sizes and times",
        _cache_keyed_on_times,
        (f"{R}test_bank_cache_content.py",),
    ),
}


def apply(name: str) -> None:
    MUTANTS[name].apply()
