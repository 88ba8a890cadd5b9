"""A contradiction is raised in the conversation at the moment the answer that causes it is given."""

from __future__ import annotations

from conversation.core import Conversation
from conversation.turns import Strong
from flows import Assessment
from question_banks.loader import load_bank

GIVEN = {"S1": "live", "S2": "statistical", "S3": "personal", "S4": "part3", "S5": "in_house", "C1": "people"}
GIVEN |= {"C1a": ["oocd"], "C2": "recommendation"}


def test_the_answer_that_contradicts_an_earlier_one_brings_an_inconsistency_turn() -> None:
    a = Assessment(load_bank())
    talk = Conversation(a, keys=False)
    talk.open(resumed=False)
    a.start()
    while a.current is None or a.current.id != "E7":
        if a.in_review:
            a.proceed()
            continue
        q = a.current
        assert q is not None
        reply = talk.choose(GIVEN[q.id]) if q.id in GIVEN else talk.say("x" if q.kind == "text" else "/skip")
        assert "inconsistency" not in reply.kinds()
    reply = talk.choose("none")
    turn = next(t for t in reply.turns if t.kind == "inconsistency")
    words = " ".join(p.text if isinstance(p, Strong) else str(p) for block in turn.blocks for p in block.parts)
    assert "Earlier you said" in words and "which is right?" in words and "/revise C2" in words
    assert turn.extra["ids"] == ["C2", "E7"]
