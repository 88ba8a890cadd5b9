"""The one command registry: every command's name, aliases, one-line help, key, availability and handler.

``/help``, the TUI's command palette and Footer bindings, and plain mode's command list
are all generated from :data:`COMMANDS`. Adding a command means adding one
:class:`Command` here (and, if it needs new wording or engine calls, a handler beside
it); no front end changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from conversation import actions, words
from conversation.handlers import (
    _assessor,
    _back,
    _can_undo,
    _details,
    _dont_know,
    _facilitator,
    _finish,
    _group,
    _group_title,
    _has_history,
    _has_target,
    _jump,
    _note,
    _notes_title,
    _owner,
    _project,
    _quit,
    _revise,
    _skip,
    _summary,
    _tally,
    _tally_available,
    _undo,
    _why,
    jump_choices,
)
from conversation.turns import Block, Strong, Turn, item, para, said

if TYPE_CHECKING:
    from conversation.core import Conversation

Handler = Callable[["Conversation", "str | None"], None]


def _always(conv: Conversation) -> bool:
    return True


def _on_question(conv: Conversation) -> bool:
    return conv.a.current is not None


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    """One line of help: what it does."""
    title: str | Callable[[Conversation], str]
    """Its entry in a command palette."""
    handler: Handler
    aliases: tuple[str, ...] = ()
    usage: str = ""
    """What may follow the name (``TEXT``, ``DIMENSION``...); without it the command asks."""
    key: str | None = None
    """The key that runs it in the full-screen app (a Textual key name)."""
    footer: str = ""
    """Its label in the app's footer; empty: not shown there."""
    available: Callable[[Conversation], bool] = _always
    unavailable: str = ""
    """What to say when it is run but not available."""
    section: Literal["conversation", "workshop"] = "conversation"

    def key_label(self) -> str:
        if self.key is None:
            return ""
        return self.key.upper() if self.key.startswith("f") and self.key[1:].isdigit() else self.key

    def palette_title(self, conv: Conversation) -> str:
        return self.title(conv) if callable(self.title) else self.title


def _help(conv: Conversation, arg: str | None) -> None:
    q = conv.a.current
    conv.emit(words.question_help(conv.a, q) if q is not None else command_list(conv))


def _commands(conv: Conversation, arg: str | None) -> None:
    conv.emit(command_list(conv))


COMMANDS: tuple[Command, ...] = (
    Command(
        "help",
        "guidance and references for this question",
        "Help for this question",
        _help,
        ("?", "h"),
        key="f1",
        footer="Help",
    ),
    Command(
        "back",
        "go back to the previous question, to revise it",
        "Back",
        _back,
        ("b",),
        key="ctrl+b",
        footer="Back",
        available=_has_history,
        unavailable="Nothing has been answered yet.",
    ),
    Command(
        "skip",
        "skip this question for now (an evidence gap)",
        "Skip",
        _skip,
        key="ctrl+s",
        footer="Skip",
        available=_on_question,
        unavailable="There is no question to skip right now.",
    ),
    Command(
        "dontknow",
        "record that you don't know yet (an evidence gap to close)",
        "Don't know",
        _dont_know,
        ("dk", "idk", "dont_know", "dont-know"),
        key="ctrl+d",
        footer="Don't know",
        available=_on_question,
        unavailable="There is no question to answer “don't know” to right now.",
    ),
    Command(
        "why",
        "why this question is asked (which earlier answers brought it)",
        "Why am I asked this?",
        _why,
        key="f2",
        footer="Why?",
        available=_on_question,
        unavailable="There is no question to explain right now.",
    ),
    Command(
        "note",
        "attach a note or evidence to this answer",
        "Add a note or evidence",
        _note,
        usage="TEXT",
        key="ctrl+n",
        footer="Note",
        available=_has_target,
        unavailable="There is no question to attach a note to yet.",
    ),
    Command("jump", "go to a dimension", "Jump to a dimension", _jump, ("goto", "go"), usage="DIMENSION", key="ctrl+g"),
    Command("summary", "the readiness summary so far", "Summary so far", _summary, key="ctrl+r", footer="Summary"),
    Command(
        "undo",
        "take back your last change: an answer, a note, an owner, an action edit or a project detail",
        "Undo the last change",
        _undo,
        key="ctrl+z",
        available=_can_undo,
        unavailable="Nothing to undo.",
    ),
    Command("revise", "pick any earlier answer to change", "Revise an earlier answer", _revise, usage="[QUESTION]"),
    Command(
        "project",
        "set the project's name (shown on the summary and exports)",
        "Set the project name",
        _project,
        usage="NAME",
    ),
    Command("assessor", "who is doing this assessment", "Set the assessor", _assessor, usage="NAME"),
    Command(
        "owner",
        "who owns the action this answer raises (in the action plan)",
        "Set the owner of this action",
        _owner,
        usage="NAME",
        available=_has_target,
        unavailable="There is no answer to give an owner to yet.",
    ),
    Command(
        "actions",
        "the action plan: set each action's owner, due date and status",
        "Action plan: owners, due dates, status",
        actions.handle,
        ("plan", "action"),
        usage="[N owner|due|status VALUE]",
        key="f4",
    ),
    Command("finish", "end now; open questions become evidence gaps", "Finish now", _finish, ("done", "end")),
    Command(
        "details",
        "the project's details: name, organisation, assessor and role, senior responsible owner, contact",
        "Project details",
        _details,
    ),
    Command("commands", "list the commands and their keys", "List the commands", _commands, ("keys",)),
    Command("quit", "stop here; everything is saved, resume later", "Quit", _quit, ("exit", "q")),
    Command(
        "group",
        "group mode: several people answer each question in turn (/group off ends it)",
        _group_title,
        _group,
        usage="NAMES",
        section="workshop",
    ),
    Command(
        "tally",
        "group mode: how many chose each answer",
        "Tally for this question",
        _tally,
        usage="N=COUNT,…",
        key="ctrl+t",
        footer="Tally",
        available=_tally_available,
        unavailable="A tally is for group mode, on a question one option answers.",
        section="workshop",
    ),
    Command(
        "notes",
        "show or hide the facilitator notes under questions",
        _notes_title,
        _facilitator,
        ("facilitator",),
        key="f6",
        section="workshop",
    ),
)
REGISTRY: dict[str, Command] = {}
for _cmd in COMMANDS:
    for _word in (_cmd.name, *_cmd.aliases):
        REGISTRY[_word] = _cmd


def lookup(word: str) -> Command | None:
    """The command a typed word names (case, ``-``, ``_`` and apostrophes ignored)."""
    w = word.lower()
    return REGISTRY.get(w) or REGISTRY.get(w.replace("-", "").replace("_", "").replace("'", ""))


def run_command(conv: Conversation, word: str, arg: str | None, typed: str = "") -> None:
    cmd = lookup(word)
    if cmd is None:
        if typed:
            conv.emit(said(typed))
        names = " ".join(f"/{c.name}" for c in COMMANDS)
        conv.notice(
            f"I don't know the command /{words.one_line(word)}. Commands: {names}. (An answer that starts with / "
            "begins with //.)"
        )
        return
    if not cmd.available(conv):
        conv.notice(cmd.unavailable or f"/{cmd.name} is not available right now.")
        return
    cmd.handler(conv, arg)


def command_list(conv: Conversation) -> Turn:
    """Every command, with its key where the front end has keys, as one help turn."""
    blocks: list[Block] = [para(Strong("Commands"), " (type them" + (", or use the keys" if conv.keys else "") + "):")]
    for cmd in COMMANDS:
        usage = f" {cmd.usage}" if cmd.usage else ""
        key = f" ({cmd.key_label()})" if conv.keys and cmd.key else ""
        blocks.append(item(Strong(f"/{cmd.name}{usage}"), f"{key} {cmd.summary}"))
    blocks.append(para("Start with // to send text that begins with a slash."))
    return Turn("commands", tuple(blocks))


@dataclass(frozen=True)
class PaletteEntry:
    title: str
    help: str
    command: str
    arg: str | None = None


def palette(conv: Conversation) -> list[PaletteEntry]:
    """The commands available now, as palette entries (a jump per dimension, group mode off when on)."""
    out: list[PaletteEntry] = []
    for cmd in COMMANDS:
        if not cmd.available(conv):
            continue
        key = f" ({cmd.key_label()})" if cmd.key else ""
        out.append(PaletteEntry(cmd.palette_title(conv), f"{cmd.summary[:1].upper()}{cmd.summary[1:]}{key}", cmd.name))
        if cmd.name == "group" and conv.group_mode:
            out.append(PaletteEntry("Group mode off", "One answer per question from here (/group off)", "group", "off"))
    for dim, label in jump_choices(conv):
        title = conv.a.bank.title_of(dim)
        out.append(PaletteEntry(f"Jump to {title}", f"Go to the {title} questions: {label}", "jump", dim))
    return out
