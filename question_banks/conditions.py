"""Follow-up conditions: a closed set of data nodes, never code.

Every node evaluates against a mapping of question id to :class:`Fact`. A question
that is missing from the mapping is unanswered (or not relevant); comparisons on a
missing answer are ``False`` and ``answered`` tests presence of a real answer.
"Don't know" and "skip" are kept as the sentinel strings below so that rules can
test for them explicitly (``{op: equals, question: D1, value: dont_know}``).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping
from typing import Annotated, Literal, NamedTuple, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

DONT_KNOW = "dont_know"
SKIP = "skip"
SENTINELS = frozenset({DONT_KNOW, SKIP})

Scalar = str | int | float | bool
AnswerValue = str | float | list[str]


class Fact(NamedTuple):
    """What a condition may see of one answer: its value and the points it earned."""

    value: AnswerValue
    points: float | None = None


Facts = Mapping[str, Fact]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @abstractmethod
    def evaluate(self, facts: Facts) -> bool:
        """Whether the condition holds on these answers."""

    @abstractmethod
    def refs(self) -> Iterator[str]:
        """The question ids the condition reads."""

    def witnesses(self, facts: Facts) -> list[str]:
        """The question ids whose answers make this (true) condition true."""
        return list(dict.fromkeys(self.refs()))


class _Leaf(_Node):
    question: str = Field(min_length=1)

    def refs(self) -> Iterator[str]:
        yield self.question


def _same(a: object, b: object) -> bool:
    # YAML may give 3 where the answer is 3.0, or "3" for a scale option id.
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return str(a) == str(b)


class Equals(_Leaf):
    """True when the answer is ``value`` (for multi-select: when ``value`` is selected)."""

    op: Literal["equals"]
    value: Scalar

    def evaluate(self, facts: Facts) -> bool:
        fact = facts.get(self.question)
        if fact is None:
            return False
        if isinstance(fact.value, list):
            return any(_same(v, self.value) for v in fact.value)
        return _same(fact.value, self.value)


class In(_Leaf):
    """True when the answer is one of ``values`` (multi-select: any overlap)."""

    op: Literal["in"]
    values: list[Scalar] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> bool:
        fact = facts.get(self.question)
        if fact is None:
            return False
        chosen = fact.value if isinstance(fact.value, list) else [fact.value]
        return any(_same(c, v) for c in chosen for v in self.values)


class Range(_Leaf):
    """Inclusive bounds on a number answer, or on the points of a choice answer."""

    op: Literal["range"]
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Range:
        if self.min is None and self.max is None:
            raise ValueError("range needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("range min is greater than max")
        return self

    def evaluate(self, facts: Facts) -> bool:
        fact = facts.get(self.question)
        if fact is None:
            return False
        number: float | None
        if isinstance(fact.value, int | float) and not isinstance(fact.value, bool):
            number = float(fact.value)
        else:
            # A multi-select's value is a list (unhashable): test membership only for text.
            number = fact.points if not (isinstance(fact.value, str) and fact.value in SENTINELS) else None
        if number is None:
            return False
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


class Answered(_Leaf):
    """True when the question has a real answer (not don't know, not skipped)."""

    op: Literal["answered"]

    def evaluate(self, facts: Facts) -> bool:
        fact = facts.get(self.question)
        return fact is not None and not (isinstance(fact.value, str) and fact.value in SENTINELS)


class Count(_Leaf):
    """Bounds on how many options of a multi-select were chosen."""

    op: Literal["count"]
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> Count:
        if self.min is None and self.max is None:
            raise ValueError("count needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("count min is greater than max")
        return self

    def evaluate(self, facts: Facts) -> bool:
        fact = facts.get(self.question)
        if fact is None or not isinstance(fact.value, list):
            return False
        n = len(fact.value)
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)


class All(_Node):
    op: Literal["all"]
    conditions: list[Condition] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> bool:
        return all(c.evaluate(facts) for c in self.conditions)

    def refs(self) -> Iterator[str]:
        for c in self.conditions:
            yield from c.refs()

    def witnesses(self, facts: Facts) -> list[str]:
        out: list[str] = []
        for c in self.conditions:
            out.extend(c.witnesses(facts))
        return list(dict.fromkeys(out))


class Any(_Node):
    op: Literal["any"]
    conditions: list[Condition] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> bool:
        return any(c.evaluate(facts) for c in self.conditions)

    def refs(self) -> Iterator[str]:
        for c in self.conditions:
            yield from c.refs()

    def witnesses(self, facts: Facts) -> list[str]:
        for c in self.conditions:
            if c.evaluate(facts):
                return c.witnesses(facts)
        return []


class Not(_Node):
    op: Literal["not"]
    condition: Condition

    def evaluate(self, facts: Facts) -> bool:
        return not self.condition.evaluate(facts)

    def refs(self) -> Iterator[str]:
        yield from self.condition.refs()


Condition = Annotated[
    Union[Equals, In, Range, Answered, Count, All, Any, Not],  # noqa: UP007
    Field(discriminator="op"),
]

# The recursive nodes are built (``defer_build``) on first validation, when ``Condition`` is defined.


def leaves(condition: Condition) -> Iterator[Equals | In | Range | Answered | Count]:
    """Every leaf node of a condition tree, in order."""
    if isinstance(condition, All | Any):
        for c in condition.conditions:
            yield from leaves(c)
    elif isinstance(condition, Not):
        yield from leaves(condition.condition)
    else:
        yield condition


def describe(condition: Condition) -> str:
    """A compact, readable rendering for docs and diagrams."""
    if isinstance(condition, Equals):
        return f"{condition.question} = {condition.value}"
    if isinstance(condition, In):
        return f"{condition.question} in {{{', '.join(map(str, condition.values))}}}"
    if isinstance(condition, Range):
        lo = "" if condition.min is None else f"{condition.min:g} ≤ "
        hi = "" if condition.max is None else f" ≤ {condition.max:g}"
        return f"{lo}{condition.question}{hi}"
    if isinstance(condition, Count):
        lo = "" if condition.min is None else f"{condition.min} ≤ "
        hi = "" if condition.max is None else f" ≤ {condition.max}"
        return f"{lo}#{condition.question}{hi}"
    if isinstance(condition, Answered):
        return f"{condition.question} answered"
    if isinstance(condition, All):
        return " and ".join(f"({describe(c)})" for c in condition.conditions)
    if isinstance(condition, Any):
        return " or ".join(f"({describe(c)})" for c in condition.conditions)
    return f"not ({describe(condition.condition)})"
