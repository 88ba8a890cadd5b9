"""What a burst of keys must do in the TUI: a model of the answer area, written from the product's rules.

The model follows an independent engine (a probe :class:`Assessment` with no file) through
the keys one at a time, each against the question that is on screen when it is handled:

- a list of options (single choice, scale): a digit picks the option it labels (a digit
  that labels none does nothing); the arrows move the highlight (nothing is highlighted on
  a new question, the recorded answer on a revisited one; both ends wrap); Enter picks the
  highlighted option, and does nothing when none is;
- a multi-select: a digit or Space toggles (an exclusive option is chosen alone); Enter
  records the selection (an empty one only at the second Enter in a row);
- a number or text question: characters are typed, Enter sends the line (an empty one does nothing);
  revisited, it shows the recorded answer selected: Enter keeps it, typing replaces it;
- a dimension's recap: Enter continues;
- Ctrl+B goes back one question.

:func:`random_burst` draws keys the model can follow from a seed; :func:`expected`
replays them and says what must be recorded, in which order, and where the screen ends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from flows import Assessment, FlowError
from flows.matching import option_for_digit
from question_banks import Bank
from question_banks.schema import Question

ENTER, UP, DOWN, SPACE, BACK = "enter", "up", "down", "space", "ctrl+b"
TERMINAL = {ENTER: "\r", UP: "\x1b[A", DOWN: "\x1b[B", SPACE: " ", BACK: "\x02"}
"""What a terminal sends for each key (characters send themselves)."""


def where(a: Assessment) -> str:
    """Where the screen is: a question id, ``recap:DIMENSION`` or ``summary``."""
    if a.finished:
        return "summary"
    if a.in_review:
        return f"recap:{a.review_dimension}"
    assert a.current is not None
    return a.current.id


@dataclass
class Model:
    probe: Assessment
    recorded: list[tuple[str, object]] = field(default_factory=list)
    """(question id, value) for every answer, in the order they were recorded."""
    highlighted: int | None = None
    selected: set[str] = field(default_factory=set)
    typed: str = ""
    prefilled: object = None
    """A revisited number or text question shows its answer, selected: Enter keeps it, typing replaces it."""
    confirm_empty: bool = False

    def __post_init__(self) -> None:
        self._arrive()

    @property
    def question(self) -> Question | None:
        a = self.probe
        return None if a.finished or a.in_review else a.current

    def where(self) -> str:
        return where(self.probe)

    def _arrive(self) -> None:
        """A new question (or recap) is on screen: its answer area as the app draws it."""
        q, a = self.question, self.probe
        self.typed, self.selected, self.confirm_empty, self.prefilled = "", set(), False, None
        self.highlighted = 0 if q is None else None  # a recap's menu starts on "Continue"
        if q is None:
            return
        record = a.record_of(q.id)
        initial = record.value if record is not None and not record.is_gap else a.suggestion(q)
        ids = [o.id for o in q.options]
        if q.kind in ("single", "scale") and initial is not None and str(initial) in ids:
            self.highlighted = ids.index(str(initial))
        if q.kind in ("number", "text"):
            self.prefilled = initial
        if q.kind == "multi":
            self.highlighted = 0
            self.selected = {str(v) for v in initial} if isinstance(initial, list) else set()

    def _answer(self, value: object) -> None:
        q = self.question
        assert q is not None
        self.probe.answer(value)  # type: ignore[arg-type]
        self.recorded.append((q.id, value))
        self._arrive()

    def _toggle(self, q: Question, index: int) -> None:
        option = q.options[index]
        self.highlighted = index
        self.confirm_empty = False
        if option.id in self.selected:
            self.selected.discard(option.id)
            return
        self.selected.add(option.id)
        exclusive = {o.id for o in q.options if o.exclusive}
        self.selected = {option.id} if option.id in exclusive else self.selected - exclusive

    def press(self, key: str) -> None:
        q, a = self.question, self.probe
        if a.finished:
            return
        if key == BACK:
            if q is not None:
                try:
                    a.back()
                except FlowError:  # the first question: nothing to go back to
                    return
                self._arrive()
            return
        if q is None:  # a recap
            if key == ENTER:
                a.proceed()
                self._arrive()
            return
        if q.kind in ("number", "text"):
            if key == ENTER and self.typed:
                self._answer(float(self.typed) if q.kind == "number" else self.typed)
            elif key == ENTER and self.prefilled is not None:
                self._answer(self.prefilled)
            elif key != ENTER:  # (an empty line answers nothing)
                self.typed += " " if key == SPACE else key
                self.prefilled = None
            return
        n = len(q.options)
        if key in (UP, DOWN):
            step = 1 if key == DOWN else -1
            self.highlighted = (
                (0 if step == 1 else n - 1) if self.highlighted is None else (self.highlighted + step) % n
            )
        elif key.isdigit():
            option = option_for_digit(q, int(key))
            if option is None:
                return
            index = q.options.index(option)
            if q.kind == "multi":
                self._toggle(q, index)
            else:
                self.highlighted = index
                self._answer(option.id)
        elif key == SPACE and q.kind == "multi" and self.highlighted is not None:
            self._toggle(q, self.highlighted)
        elif key == ENTER and q.kind == "multi":
            if self.selected or self.confirm_empty:
                self._answer([o.id for o in q.options if o.id in self.selected])
            else:
                self.confirm_empty = True
        elif key == ENTER and self.highlighted is not None:
            self._answer(q.options[self.highlighted].id)


def _keys_for(model: Model, rng: random.Random) -> list[str]:
    """A few keys a quick typist might send for what is on screen (some do nothing: noise)."""
    q = model.question
    if q is None:
        return [ENTER]
    if q.kind == "number":
        return [*str(rng.randint(0, 500)), ENTER]
    if q.kind == "text":
        return [SPACE if c == " " else c for c in rng.choice(["agreed", "plan b", "owner named"])] + [ENTER]
    digits = [str(d) for d in range(10) if option_for_digit(q, d) is not None]
    roll = rng.random()
    if q.kind == "multi":
        if roll < 0.5:
            return [rng.choice(digits), ENTER]
        return [rng.choice([DOWN, UP]), SPACE, rng.choice([DOWN, SPACE, "9"]), ENTER]
    if roll < 0.45:
        return [rng.choice(digits)]
    if roll < 0.6:
        return [rng.choice(digits), ENTER]  # the Enter lands on the next question's list
    if roll < 0.8:
        return [rng.choice([DOWN, UP]) for _ in range(rng.randint(1, 4))] + [ENTER]
    if roll < 0.9:
        return ["9" if "9" not in digits else ENTER, rng.choice(digits)]  # a key that does nothing first
    return [BACK] if model.probe.session.history[:-1] else [rng.choice(digits)]


def random_burst(bank: Bank, rng: random.Random, most: int = 40) -> list[str]:
    """Keys for a started session, drawn so the burst stays inside the conversation (never past the summary)."""
    model = Model(started(bank))
    keys: list[str] = []
    while len(keys) < most:
        step = _keys_for(model, rng)
        trial = Model(started(bank))
        for key in [*keys, *step]:
            trial.press(key)
        if trial.probe.finished:
            break
        keys += step
        model = trial
    return keys


def started(bank: Bank) -> Assessment:
    a = Assessment(bank)
    a.start()
    return a


def expected(bank: Bank, keys: list[str]) -> Model:
    """The model after ``keys``, from a session on its first question."""
    model = Model(started(bank))
    for key in keys:
        model.press(key)
    return model


def terminal_bytes(keys: list[str]) -> bytes:
    return "".join(TERMINAL.get(k, k) for k in keys).encode()
