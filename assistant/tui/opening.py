"""The first screen of a new assessment, kept as plain data so that the TUI paints it before loading the engine.

Importing pydantic, the engine and the conversation layer takes most of ceder's start-up.
A new assessment always opens on the same screen for a given bank and code (the welcome,
the first question or detail, an empty progress panel), so the chat screen records what it
drew, once, in the private cache (:func:`save`), and a later launch paints that record
(:func:`load`) with Textual alone, then loads the engine and opens the session while the
person reads. Once the conversation is open, the screen compares what it would have drawn
with what it painted (:func:`assistant.tui.screens.painted.adopt`); a difference
is redrawn, never kept.

The record is keyed like the bank cache (``question_banks.cache``): the SHA-256 of the bank
files' content, plus the size and modification time of the source of everything that decides
what the first screen says (``assistant/tui``, ``conversation``, ``flows``; see :func:`code_key`). A changed bank or a changed program never
paints an old first screen. Only a new session's opening is recorded or painted; a resumed
session, a resume offer, group mode and ``ceder serve`` take the usual path.
Plain Python (no Textual): the launcher reads it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from assistant.tui.widgets.answers import Choice
    from conversation.turns import Turn

FORMAT = 2
"""Bumped whenever what is pickled changes shape (2: named tuples, not dataclasses: cheaper to import)."""
PATH = "\x00session-path\x00"
"""Stands for the session file's name in recorded turns (each launch has its own file)."""
_ROOT = Path(__file__).resolve().parent.parent.parent
_CODE = ("assistant/tui", "conversation", "flows")
"""Whose source decides what the first screen says (``question_banks`` is in the bank's own key)."""


class PromptView(NamedTuple):
    """The answer area as the chat screen draws it.

    ``kind``: ``line`` (the prompt line only), ``menu``, ``choices`` (a single choice) or
    ``multi``; ``placeholder`` and ``value`` None leave the prompt line's as they are.
    """

    kind: str
    placeholder: str | None
    title: str = ""
    turn: bool = False
    choices: tuple[Choice, ...] = ()
    initial: str | tuple[str, ...] | None = None
    value: str | None = None


class ProgressRow(NamedTuple):
    """One dimension's line in the progress panel (the fields of ``flows.values.Progress`` it shows)."""

    dimension: str
    asked: int
    answered: int
    remaining: int
    rating: str | None
    score_0_5: int | None


class ProgressView(NamedTuple):
    rows: tuple[ProgressRow, ...]
    current: str | None
    tier: int | None
    provisional: bool
    where: str


class Opening(NamedTuple):
    """Everything the chat screen draws for a new session, the session file's name as :data:`PATH`."""

    turns: tuple[Turn, ...]
    prompt: PromptView
    progress: ProgressView
    available: tuple[bool | None, ...]
    """Each key command's availability (the Footer shows the available ones)."""
    keys: tuple[tuple[str, str, str, bool], ...]
    """The registry's key bindings: key, action, description, shown in the Footer."""

    def with_path(self, shown: str) -> Opening:
        """The opening as it reads for the session file ``shown``."""
        return Opening(_swap(self.turns, PATH, shown), self.prompt, self.progress, self.available, self.keys)

    def recorded(self, shown: str) -> Opening:
        """The opening with ``shown``, the session file's name, replaced by :data:`PATH`, for keeping."""
        return Opening(_swap(self.turns, shown, PATH), self.prompt, self.progress, self.available, self.keys)


def _swap(turns: tuple[Turn, ...], old: str, new: str) -> tuple[Turn, ...]:
    """``turns`` with ``old`` replaced by ``new`` in the assistant's own text (never in bank Markdown)."""
    from dataclasses import replace

    from conversation.turns import Em, Item, Para, Strong

    def part(p: Any) -> Any:
        if isinstance(p, str):
            return p.replace(old, new)
        return type(p)(p.text.replace(old, new)) if isinstance(p, Strong | Em) else p

    def parts(ps: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(part(p) for p in ps)

    out = []
    for t in turns:
        blocks = tuple(Para(parts(b.parts), b.tight) if isinstance(b, Para) else Item(parts(b.parts)) for b in t.blocks)
        out.append(replace(t, blocks=blocks))
    return tuple(out)


def code_key() -> str:
    """A key that changes whenever the source deciding what the first screen says changes.

    Each source file's path, size, modification time (nanoseconds) and inode, not its
    content: the test Python itself applies to decide whether a module's bytecode is current
    (a ``.pyc`` records its source's size and mtime, to the second), so whenever the program
    that would run can differ, so does the key (the inode also catches a file replaced by an
    editor or an install within one clock tick). Stat-ing the ~70 files takes about 0.15 ms, where reading
    and hashing them took 1.5-2 ms of every launch. The bank stays keyed on its content
    (``question_banks.cache``), and what is painted is still checked against the engine's
    first reply (:func:`assistant.tui.screens.painted.adopt`).
    """
    found: list[str] = []
    for folder in _CODE:
        _sources(_ROOT / folder, folder, found)
    found.sort()
    return hashlib.sha256("\0".join([f"ceder-opening {FORMAT}", *found]).encode()).hexdigest()


def _sources(path: Path, shown: str, found: list[str]) -> None:
    """Append ``name size mtime inode`` for every ``*.py`` under ``path`` (``__pycache__`` skipped)."""
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _sources(Path(entry.path), f"{shown}/{entry.name}", found)
            elif entry.name.endswith(".py"):
                st = entry.stat()
                found.append(f"{shown}/{entry.name} {st.st_size} {st.st_mtime_ns} {st.st_ino}")


def _key_and_file(bank_dir: Path | None, cache_dir: Path) -> tuple[str, Path]:
    from question_banks.cache import SHIPPED, content_key

    folder = bank_dir if bank_dir is not None else SHIPPED
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return f"{content_key(folder)}:{code_key()}", cache_dir / f"opening-{name}.pickle"


def load(bank_dir: Path | None, cache_dir: Path | None) -> Opening | None:
    """The recorded opening for this bank and code, or None (none yet, stale, unreadable or not private)."""
    if cache_dir is None:
        return None
    from question_banks.cache import read_private

    try:
        key, path = _key_and_file(bank_dir, cache_dir)
        envelope = pickle.loads(read_private(path, cache_dir))
        if envelope.get("format") != FORMAT or envelope.get("key") != key:
            return None
        opening = envelope["opening"]
    except Exception:  # missing, corrupt, stale, foreign or not private: the usual start-up
        return None
    return opening if isinstance(opening, Opening) else None


def save(opening: Opening, bank_dir: Path | None, cache_dir: Path | None) -> None:
    """Keep ``opening`` (already :meth:`~Opening.recorded`) for the next launch; a failure only costs time."""
    if cache_dir is None:
        return
    from question_banks.cache import write_cache_file

    try:
        key, path = _key_and_file(bank_dir, cache_dir)
        data = {"format": FORMAT, "key": key, "opening": opening}
        write_cache_file(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # the cache is optional
        pass
