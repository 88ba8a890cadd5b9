"""Banks built at test time: random shapes for the engine invariants, and drifted versions of a bank.

Everything here writes ordinary bank folders (YAML files) and loads them through the
real loader, so a generated bank is held to the same lint as a hand-written one.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from question_banks import Bank, lint
from question_banks.schema import DIMENSIONS
from tests.conftest import SMALL_BANK

FILES = {
    "profile": "00-profile.yaml",
    "complexity": "10-complexity.yaml",
    "ethics": "20-ethics.yaml",
    "data": "30-data.yaml",
    "efficacy": "40-efficacy.yaml",
    "readiness": "50-readiness.yaml",
}


def write_bank(folder: Path, manifest: dict[str, Any], sections: dict[str, dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bank.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    for dim, section in sections.items():
        (folder / FILES[dim]).write_text(yaml.safe_dump(section, sort_keys=False, allow_unicode=True))
    return folder


def load_clean(folder: Path) -> Bank:
    result = lint(folder)
    assert result.bank is not None, [str(p) for p in result.problems]
    return result.bank


# -- random shapes -------------------------------------------------------------
def _options(rng: random.Random, qid: str, n: int, scored: bool, exclusive: bool = False) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(n):
        opt: dict[str, Any] = {"id": f"o{i}", "label": f"{qid} option {i}"}
        if scored:
            opt["score"] = rng.choice([0, 0.5, 1, 2, 3])
        out.append(opt)
    if exclusive:
        out.append({"id": "none", "label": "None of these", "exclusive": True, **({"score": 0} if scored else {})})
    return out


def _condition(rng: random.Random, earlier: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A satisfiable condition on earlier questions, or None."""
    usable = [q for q in earlier if q["kind"] in ("single", "scale", "multi", "number")]
    if not usable or rng.random() < 0.35:
        return None

    def leaf() -> dict[str, Any]:
        q = rng.choice(usable)
        if q["kind"] == "number":
            return {"op": "range", "question": q["id"], "min": rng.choice([0, 5, 50])}
        ids = [o["id"] for o in q["options"]]
        pick = rng.random()
        if pick < 0.5:
            return {"op": "equals", "question": q["id"], "value": rng.choice(ids)}
        if pick < 0.8:
            return {"op": "in", "question": q["id"], "values": rng.sample(ids, k=min(2, len(ids)))}
        return {"op": "answered", "question": q["id"]}

    shape = rng.random()
    if shape < 0.6:
        return leaf()
    if shape < 0.8:
        return {"op": "any", "conditions": [leaf(), leaf()]}
    if shape < 0.9:
        return {"op": "not", "condition": leaf()}
    return {"op": "all", "conditions": [leaf(), {"op": "answered", "question": rng.choice(usable)["id"]}]}


def random_bank_files(seed: int) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A manifest and sections of a random shape: 0-4 profile questions, 1-5 per dimension, chains of follow-ups."""
    rng = random.Random(seed)
    earlier: list[dict[str, Any]] = []
    sections: dict[str, dict[str, Any]] = {}
    n = 0
    for dim in ("profile", *DIMENSIONS):
        count = rng.randint(0, 4) if dim == "profile" else rng.randint(1, 5)
        questions: list[dict[str, Any]] = []
        for _ in range(count):
            n += 1
            qid = f"Q{n}"
            scored = dim != "profile"
            kind = rng.choice(["single", "single", "scale", "multi", "number", "text"])
            q: dict[str, Any] = {
                "id": qid,
                "text": f"Question {qid} in {dim}?",
                "kind": kind,
                "help": "Guidance.",
                "references": ["Test reference"],
            }
            if kind in ("single", "scale"):
                q["options"] = _options(rng, qid, rng.randint(2, 4), scored)
            elif kind == "multi":
                q["options"] = _options(rng, qid, rng.randint(2, 4), scored, exclusive=rng.random() < 0.5)
            elif kind == "number":
                q["min"] = 0
            cond = _condition(rng, earlier)
            if cond is not None:
                q["ask_if"] = cond
            is_scored = kind in ("single", "scale", "multi") and scored
            if is_scored and dim != "complexity":
                q["action"] = f"Fix {qid}."
                if rng.random() < 0.4:
                    q["rules"] = [
                        {
                            "level": rng.choice(["blocker", "condition"]),
                            "when": {"op": "equals", "question": qid, "value": q["options"][0]["id"]},
                            "message": f"{qid} raised a flag.",
                        }
                    ]
            if rng.random() < 0.2 and earlier:
                other = _condition(rng, earlier)
                if other is not None:
                    q["variants"] = [{"when": other, "text": f"Variant wording of {qid}."}]
            questions.append(q)
            earlier.append(q)
        if questions:
            sections[dim] = {
                "id": f"rand-{dim}",
                "version": "1",
                "title": dim.title(),
                "dimension": dim,
                "provenance": "Generated for tests.",
                "questions": questions,
            }
    manifest = {
        "id": "random",
        "version": str(seed),
        "title": f"Random bank {seed}",
        "provenance": "Generated for ceder's reliability tests; not guidance.",
        "scoring": {"tier_minimums": {1: {"default": 1}, 2: {"default": 2}, 3: {"default": 3}, 4: {"default": 4}}},
    }
    return manifest, sections


def random_bank(folder: Path, seed: int) -> Bank:
    """The first clean random bank from ``seed`` onwards (a generated ``all`` can be unreachable)."""
    for attempt in range(seed, seed + 50):
        target = folder / f"bank-{attempt}"
        manifest, sections = random_bank_files(attempt)
        write_bank(target, manifest, sections)
        result = lint(target)
        if result.bank is not None:
            return result.bank
    raise AssertionError(f"no clean random bank from seed {seed}")


# -- drift ---------------------------------------------------------------------
def read_bank_files(folder: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    manifest = yaml.safe_load((folder / "bank.yaml").read_text())
    sections = {}
    for dim, name in FILES.items():
        path = folder / name
        if path.exists():
            sections[dim] = yaml.safe_load(path.read_text())
    return manifest, sections


def _mentions(cond: Any, gone_questions: set[str], gone_options: set[tuple[str, str]]) -> bool:
    if isinstance(cond, dict):
        q = cond.get("question")
        if q in gone_questions:
            return True
        values = [cond["value"]] if "value" in cond else cond.get("values", [])
        if any((q, str(v)) in gone_options for v in values):
            return True
        return any(_mentions(v, gone_questions, gone_options) for v in cond.values())
    if isinstance(cond, list):
        return any(_mentions(v, gone_questions, gone_options) for v in cond)
    return False


def drifted(
    source: Path,
    target: Path,
    remove: set[str],
    rename: dict[str, str],
    drop_options: dict[str, set[str]],
    version: str = "next",
) -> Path:
    """A later version of the bank in ``source``: questions removed or renamed, options dropped.

    Conditions that would dangle are removed with what they refer to, as a bank author would.
    """
    manifest, sections = read_bank_files(source)
    manifest["version"] = version
    gone_q = set(remove) | set(rename)
    gone_o = {(qid, o) for qid, opts in drop_options.items() for o in opts}
    for section in sections.values():
        kept = []
        for q in section["questions"]:
            if q["id"] in remove:
                continue
            if q["id"] in rename:
                q["id"] = rename[q["id"]]
            if q["id"] in drop_options:
                q["options"] = [o for o in q["options"] if str(o["id"]) not in drop_options[q["id"]]]
            if _mentions(q.get("ask_if"), gone_q, gone_o):
                del q["ask_if"]
            q["variants"] = [v for v in q.get("variants", []) if not _mentions(v["when"], gone_q, gone_o)]
            q["rules"] = [r for r in q.get("rules", []) if not _mentions(r["when"], gone_q, gone_o)]
            kept.append(q)
        section["questions"] = kept
    scoring = manifest.get("scoring", {})
    scoring["tier_floors"] = [f for f in scoring.get("tier_floors", []) if not _mentions(f["when"], gone_q, gone_o)]
    if target.exists():
        shutil.rmtree(target)
    return write_bank(target, manifest, {d: s for d, s in sections.items() if s["questions"]})


def small_bank_copy(target: Path) -> Path:
    shutil.copytree(SMALL_BANK, target)
    return target
