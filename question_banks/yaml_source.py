"""Safe YAML reading that remembers the line of every value and refuses aliases.

Aliases are refused outright: banks never need them, and refusing them removes
"billion laughs" expansion at the root. The C loader is used when PyYAML has it.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. !!int x, a 5,000-digit number, month 13
        raise SourceError(f"bad value: {str(exc).splitlines()[0]}", node.start_mark.line + 1) from None
    finally:
        # The constructor caches every node it builds; drop them so nothing grows across loads.
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()


def _convert(node: yaml.Node, path: Path_, doc: Document, seen: set[int]) -> Any:
    if id(node) in seen:
        raise SourceError("YAML aliases are not allowed in banks", node.start_mark.line + 1)
    seen.add(id(node))
    doc.lines[path] = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTIONS:
        raise SourceError(f"YAML tag {node.tag!r} is not allowed here", node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SourceError("YAML merge keys are not allowed in banks", key_node.start_mark.line + 1)
            key = _convert(key_node, (*path, "<key>"), doc, seen)
            if not isinstance(key, Hashable):
                raise SourceError("mapping keys must be plain values", key_node.start_mark.line + 1)
            if key in out:
                raise SourceError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            out[key] = _convert(value_node, (*path, str(key)), doc, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, (*path, i), doc, seen) for i, v in enumerate(node.value)]
    return _scalar(node)


def parse(text: str) -> Document:
    """Parse one YAML document into plain data plus a map of path -> line."""
    # Parsing allocates many small objects and no cycles; pausing the cycle collector
    # meanwhile makes a large file load about 40% faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text)
    finally:
        if paused:
            gc.enable()


def _parse(text: str) -> Document:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise SourceError(f"YAML syntax error: {_first_line(exc)}", line) from None
    except yaml.reader.ReaderError as exc:  # a control character or similar: not a MarkedYAMLError
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 0
        raise SourceError(f"YAML error: {_first_line(exc)}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML error: {_first_line(exc)}") from None
    doc = Document(data=None)
    if node is None:
        return doc
    doc.data = _convert(node, (), doc, set())
    return doc


def read(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse a YAML (or JSON) file with a size cap and strict UTF-8."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise SourceError(f"file is too large ({size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:g} MB)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SourceError("file is binary, not YAML text", raw.count(b"\n", 0, nul) + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("file is not valid UTF-8 text", line) from None
    return parse(text)
