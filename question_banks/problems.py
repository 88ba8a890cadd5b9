"""What the bank linter reports: a problem at FILE:LINE, and where each question was found."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from question_banks import yaml_source
from question_banks.schema import Bank, Question


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.question_id}: {self.message}"


class BankError(Exception):
    """A bank that failed to load; ``problems`` holds every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0] if problems else Problem("?", 0, "-", "unknown problem")
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")


@dataclass
class Located:
    question: Question
    file: str
    line: int
    fields: dict[str, int] = field(default_factory=dict)
    """The line of each top-level field of the question, for precise messages."""

    def at(self, name: str) -> int:
        return self.fields.get(name.split(".")[0], self.line)


@dataclass
class LintResult:
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def pydantic_problems(
    exc: ValidationError, file: str, doc: yaml_source.Document, prefix: tuple[int | str, ...], qid: str
) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
        where = ".".join(str(p) for p in loc) or "(document)"
        msg = err["msg"]
        out.append(Problem(file, doc.line_for((*prefix, *loc)), qid, f"{where}: {msg}"))
    return out


_UNION_TAGS = {"equals", "in", "range", "answered", "count", "all", "any", "not"}
