"""Safe YAML reading that remembers the line of every value and refuses aliases.

Aliases are refused outright: banks never need them, and refusing them removes
"billion laughs" expansion at the root. The C loader is used when PyYAML has it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment,unused-ignore]

MAX_BYTES = 5 * 1024 * 1024
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


def _convert(node: yaml.Node, path: Path_, doc: Document, seen: set[int]) -> Any:
    if id(node) in seen:
        raise SourceError("YAML aliases are not allowed in banks", node.start_mark.line + 1)
    seen.add(id(node))
    doc.lines[path] = node.start_mark.line + 1
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
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise SourceError(f"bad value: {exc}", node.start_mark.line + 1) from None


def parse(text: str) -> Document:
    """Parse one YAML document into plain data plus a map of path -> line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        reason = exc.problem or str(exc)
        raise SourceError(f"YAML syntax error: {reason}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML error: {exc}") from None
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
        raise SourceError(f"file is too large ({size / 1_048_576:.1f} MB; the limit is {max_bytes // 1_048_576} MB)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise SourceError("file is binary, not YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("file is not valid UTF-8 text", line) from None
    return parse(text)
