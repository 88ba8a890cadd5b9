"""Safe YAML reading that remembers the line of every value and refuses aliases.

Aliases are refused outright: banks never need them, and refusing them removes
"billion laughs" expansion at the root. The C loader is used when PyYAML has it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from question_banks.files import FileRefused, read_limited

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment,unused-ignore]

MAX_BYTES = 1024 * 1024
"""Per file. The shipped bank's largest file is under 50 KB; parsing 1 MB takes well under a second."""
Path_ = tuple[int | str, ...]


class SourceError(Exception):
    """A file that cannot be read as YAML; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    plain: bool = False
    """The source has no backslash and no NEL, so no string in it can hold a control character
    (YAML refuses the others raw): :func:`controls` need not look."""

    def line_for(self, loc: Path_) -> int:
        """The line of the deepest known prefix of ``loc``."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return 1


_constructor = yaml.SafeLoader("")
_STR = "tag:yaml.org,2002:str"
_PLAIN_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_MERGE = "tag:yaml.org,2002:merge"


def _first_line(exc: yaml.YAMLError) -> str:
    """The reason alone: PyYAML appends the position on further lines, and problems are one line."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        return exc.problem
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _scalar(node: yaml.Node) -> Any:
    if node.tag == _STR:
        return node.value
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise SourceError(f"bad value: {_first_line(exc)}", node.start_mark.line + 1) from None
    except (ValueError, TypeError, OverflowError, IndexError) as exc:  # !!int x, 5,000 digits, month 13, !!int ""
        raise SourceError(f"bad value: {str(exc).splitlines()[0]}", node.start_mark.line + 1) from None
    finally:
        # The constructor caches every node it builds; drop them so nothing grows across loads.
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()


class _Builder:
    """Plain data and the line of every value, straight from the parser's events.

    This replaces ``yaml.compose`` and a walk over its node tree: that tree (about
    30 objects per question) was built only to be thrown away, and walking the
    events instead takes a third less time and a fraction of the memory, so large
    banks load in time linear in their size. The result is the same, and so are the
    errors and their precedence: the problems ``compose`` itself finds (syntax,
    undefined or duplicate anchors, a second document) come first, wherever they
    are in the file; then the first of ours (an alias, a merge key, a tag, a bad or
    duplicate key, a bad value), in document order.
    """

    def __init__(self, text: str, doc: Document) -> None:
        loader = _Loader(text)
        self._next: Callable[[], Any] = loader.get_event
        self._resolve: Callable[[type[yaml.Node], str | None, Any], str] = loader.resolve
        self._lines = doc.lines
        self._tags: dict[tuple[str, Any], str] = {}
        self._anchors: dict[str, tuple[Any, Any]] = {}
        """Anchor name -> (the anchored value's start mark, the value once built)."""
        self.error: Exception | None = None
        """The first of our problems, raised once the parser has found none of its own."""

    def _fail(self, message: str, mark: Any) -> None:
        if self.error is None:
            self.error = SourceError(message, mark.line + 1)

    def document(self) -> Any:
        self._next()  # StreamStartEvent
        event = self._next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        first = self._next()  # the root, after the DocumentStartEvent
        data = self._value(first, ())
        self._next()  # DocumentEndEvent
        event = self._next()
        if not isinstance(event, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                event.start_mark,
            )
        return data

    def _alias(self, event: Any) -> Any:
        anchored = self._anchors.get(event.anchor)
        if anchored is None:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        mark, value = anchored
        self._fail("YAML aliases are not allowed in banks", mark)
        return value

    def _anchor(self, event: Any, value: Any) -> None:
        anchor = event.anchor
        if anchor is None:
            return
        known = self._anchors.get(anchor)
        if known is not None:
            raise yaml.composer.ComposerError(
                "found duplicate anchor; first occurrence", known[0], "second occurrence", event.start_mark
            )
        self._anchors[anchor] = (event.start_mark, value)

    def _value(self, event: Any, path: Path_) -> Any:
        kind = type(event)
        if kind is yaml.AliasEvent:
            return self._alias(event)
        mark = event.start_mark
        self._lines[path] = mark.line + 1
        if kind is yaml.ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                # Keys and option ids repeat a lot: remember what each plain scalar resolved to.
                seen = (event.value, event.implicit)
                tag = self._tags.get(seen)
                if tag is None:
                    tag = self._tags[seen] = self._resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _STR:
                value: Any = event.value
            else:
                try:
                    value = _scalar(yaml.ScalarNode(tag, event.value, mark, event.end_mark, event.style))
                except Exception as exc:  # raised after parsing, as it was when the tree came first
                    if self.error is None:
                        self.error = exc
                    value = None
            self._anchor(event, value)
            return value
        is_map = kind is yaml.MappingStartEvent
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolve(yaml.MappingNode if is_map else yaml.SequenceNode, None, event.implicit)
        if tag not in _PLAIN_COLLECTIONS:
            self._fail(f"YAML tag {tag!r} is not allowed here", mark)
        if not is_map:
            items: list[Any] = []
            self._anchor(event, items)
            i = 0
            while not isinstance(event := self._next(), yaml.SequenceEndEvent):
                items.append(self._value(event, (*path, i)))
                i += 1
            return items
        out: dict[Hashable, Any] = {}
        self._anchor(event, out)
        while not isinstance(event := self._next(), yaml.MappingEndEvent):
            key_mark = event.start_mark
            if type(event) is yaml.ScalarEvent and (event.value == "<<" or event.tag == _MERGE):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = self._resolve(yaml.ScalarNode, event.value, event.implicit)
                if tag == _MERGE:
                    self._fail("YAML merge keys are not allowed in banks", key_mark)
            key = self._value(event, (*path, "<key>"))
            value_event = self._next()
            if not isinstance(key, Hashable):
                self._fail("mapping keys must be plain values", key_mark)
                self._value(value_event, (*path, "<key>", "<value>"))
                continue
            if key in out:
                self._fail(f"duplicate key {key!r}", key_mark)
            out[key] = self._value(value_event, (*path, str(key)))
        return out


def parse(text: str) -> Document:
    """Parse one YAML document into plain data plus a map of path -> line."""
    # Parsing allocates many small objects and no cycles; pausing the cycle collector
    # meanwhile makes a large file load about 40% faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        doc = _parse(text)
    finally:
        if paused:
            gc.enable()
    doc.plain = "\\" not in text and "\x85" not in text
    return doc


def _parse(text: str) -> Document:
    doc = Document(data=None)
    builder = _Builder(text, doc)
    try:
        doc.data = builder.document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise SourceError(f"YAML syntax error: {_first_line(exc)}", line) from None
    except yaml.reader.ReaderError as exc:  # a control character or similar: not a MarkedYAMLError
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 0
        raise SourceError(f"YAML error: {_first_line(exc)}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML error: {_first_line(exc)}") from None
    if builder.error is not None:
        raise builder.error
    return doc


def read(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse a YAML (or JSON) file: a regular file only, with a hard size cap, strict UTF-8."""
    try:
        raw = read_limited(path, max_bytes)
    except FileRefused as exc:
        raise SourceError(exc.reason) from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SourceError("file is binary, not YAML text", raw.count(b"\n", 0, nul) + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("file is not valid UTF-8 text", line) from None
    return parse(text)


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL and C1: characters a terminal acts on (ESC, CSI U+009B...)."""


def document_controls(doc: Document) -> Iterator[tuple[Path_, str]]:
    """:func:`controls` of a parsed file, skipped when its source cannot spell one (the usual case: fast)."""
    return iter(()) if doc.plain else controls(doc.data)


def controls(data: Any, loc: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Where a string (value or key) in ``data`` holds a control character, and which one (``U+001B``)."""
    if isinstance(data, str):
        found = CONTROL.search(data)
        if found:
            yield loc, f"U+{ord(found.group()):04X}"
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from controls(key, (*loc, str(key)))
            yield from controls(value, (*loc, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from controls(value, (*loc, i))


def control_message(loc: Path_, char: str) -> str:
    where = ".".join(str(p) for p in loc) or "text"
    return f"{where}: contains the control character {char} (text must be plain, without terminal escapes)"
