"""The documents a project lead must produce anyway (ATRS record, DPIA), as data.

Two kinds of data, both YAML:

- the *standards* shipped with ceder (``question_banks/standards``): every field of the
  Algorithmic Transparency Recording Standard (v3.0 ids, with each later version's
  renames, merges, drops and additions) and the sections of a DPIA for each regime;
- a bank's *mapping* (``documents.yaml`` beside ``bank.yaml``): which answers, project
  details and summary items fill which field. An organisation's own bank brings its own
  mapping, so a new question or a new version of the standard is a data change, not code.

The mapping is validated here, with its references to questions, options, fields and
sections checked, so ``ceder validate`` reports a broken mapping like any other bank problem.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from question_banks.schema import CHOICE_KINDS, DIMENSIONS, Question

DOCUMENTS = "documents.yaml"
"""The mapping's file name in a bank folder."""
Regime = Literal["part3", "uk_gdpr"]
ProjectItem = Literal["name", "organisation", "assessor", "role", "sro", "contact"]
SummaryItem = Literal[
    "assessment",
    "verdict",
    "impact_tier",
    "blockers",
    "conditions",
    "risks",
    "harms",
    "measures",
    "actions",
    "evidence_gaps",
    "date",
    "standard_version",
]
"""Items worked out from the whole assessment rather than read from one answer.

``harms`` are the risks to the people affected that the plan's gaps leave open (for a DPIA's
risk assessment), ``measures`` the plan's entries grouped by the risk each mitigates, ``risks``
both together (for a published record); ``blockers``, ``conditions`` and ``actions`` are
ceder's own findings and plan, as listed in the summary."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


# -- the standards --------------------------------------------------------------
class StdField(_Data):
    id: str
    label: str
    required: bool
    meaning: str
    ref: str = ""
    new: bool = False
    """Added by a later version whose machine names are not published: the id is ceder's."""

    @property
    def key(self) -> str:
        return self.ref or self.id


class StdSection(_Data):
    id: str
    title: str
    tier: int
    fields: list[StdField]
    ref: str = ""
    note: str = ""


class Facet(_Data):
    key: str
    source: str = Field(alias="from")
    required: bool


class Merge(_Data):
    into: str
    sources: list[str] = Field(alias="from")
    label: str = ""


class FieldAdd(_Data):
    after: str
    field: StdField


class SectionAdd(_Data):
    after: str
    section: StdSection


class Changes(_Data):
    drop_sections: list[str] = Field(default_factory=list)
    drop_fields: list[str] = Field(default_factory=list)
    section_titles: dict[str, str] = Field(default_factory=dict)
    merge: list[Merge] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)
    meanings: dict[str, str] = Field(default_factory=dict)
    add: list[FieldAdd] = Field(default_factory=list)
    add_sections: list[SectionAdd] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Version(_Data):
    version: str
    changes: Changes


class Standard(_Data):
    id: str
    title: str
    base_version: str
    sections: list[StdSection]
    facets: list[Facet] = Field(default_factory=list)
    versions: list[Version]

    @property
    def current(self) -> str:
        return self.versions[-1].version


class RecordField(StdField):
    """A field as a given version of the standard lays it out."""

    merged: list[str] = Field(default_factory=list)
    """Ids of earlier fields whose content this field now holds (a v4.0 merge)."""


class RecordSection(StdSection):
    fields: list[RecordField]  # type: ignore[assignment]


class Layout(_Data):
    standard: str
    version: str
    sections: list[RecordSection]
    notes: list[str]


def layout(standard: Standard, version: str | None = None) -> Layout:
    """The record's sections and fields in ``version`` (default: the current one), changes applied in order."""
    target = version or standard.current
    if target not in [v.version for v in standard.versions]:
        raise ValueError(f"{standard.title} has no version {target!r}")
    sections = [_record_section(s) for s in standard.sections]
    notes: list[str] = []
    for v in standard.versions:
        sections = _apply(sections, v.changes)
        notes = list(v.changes.notes) or notes
        if v.version == target:
            break
    return Layout(standard=standard.title, version=target, sections=sections, notes=notes)


def _key(f: RecordField) -> str:
    return f.ref or f.id


def _apply(sections: list[RecordSection], ch: Changes) -> list[RecordSection]:
    by_key = {_key(f): f for s in sections for f in s.fields}
    for m in ch.merge:
        into = by_key[m.into]
        parts = [by_key[k] for k in m.sources]
        by_key[m.into] = into.model_copy(
            update={
                "label": m.label or into.label,
                "merged": [*into.merged, *(p.id for p in parts)],
                "required": into.required or any(p.required for p in parts),
            }
        )
    gone = set(ch.drop_fields) | {k for m in ch.merge for k in m.sources}
    for key, label in ch.labels.items():
        by_key[key] = by_key[key].model_copy(update={"label": label})
    for key, meaning in ch.meanings.items():
        by_key[key] = by_key[key].model_copy(update={"meaning": meaning})
    out: list[RecordSection] = []
    for s in sections:
        if s.id in ch.drop_sections:
            continue
        fields = [by_key[_key(f)] for f in s.fields if _key(f) not in gone]
        for add in ch.add:
            at = next((i for i, f in enumerate(fields) if add.after in (f.ref, f.id)), None)
            if at is not None:
                fields.insert(at + 1, RecordField(**add.field.model_dump()))
        out.append(s.model_copy(update={"fields": fields, "title": ch.section_titles.get(s.id, s.title)}))
    for sa in ch.add_sections:
        at = next(i for i, s in enumerate(out) if s.id == sa.after)
        out.insert(at + 1, _record_section(sa.section))
    return out


def _record_section(s: StdSection) -> RecordSection:
    return RecordSection.model_validate({**s.model_dump(), "fields": [f.model_dump() for f in s.fields]})


class DpiaPart(_Data):
    id: str
    title: str
    prompt: str
    law: str = ""


class DpiaSection(_Data):
    id: str
    title: str
    required: bool
    prompt: str
    ref: str = ""
    law: str = ""
    parts: list[DpiaPart] = Field(default_factory=list)


class DpiaTemplate(_Data):
    regime: Regime
    title: str
    basis: str
    sections: list[DpiaSection]

    def keys(self) -> list[str]:
        """The mapping keys of this template: ``section`` or ``section.part``."""
        out: list[str] = []
        for s in self.sections:
            out.append(s.id)
            out.extend(f"{s.id}.{p.id}" for p in s.parts)
        return out


class DpiaStandard(_Data):
    id: str
    title: str
    templates: list[DpiaTemplate]

    def template(self, regime: str) -> DpiaTemplate:
        return next(t for t in self.templates if t.regime == regime)


@cache
def _standard_file(name: str) -> Any:
    import yaml  # only when a document is drafted or a mapping checked: a cached bank loads without PyYAML

    # Beside this module, as the shipped bank is (``importlib.resources`` costs about 15 ms of imports at start-up).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((Path(__file__).resolve().parent / "standards" / name).read_text(encoding="utf-8"), loader)


@cache
def _mapping_keys() -> tuple[frozenset[str], frozenset[str]]:
    """The ATRS field ids and DPIA section keys a mapping may name, read without building the models.

    The linter needs only these, and every bank load with a mapping runs it.
    """
    atrs = _standard_file("atrs.yaml")
    ids = {f["id"] for s in atrs["sections"] for f in s["fields"]}
    for v in atrs["versions"]:
        ch = v.get("changes") or {}
        ids |= {a["field"]["id"] for a in ch.get("add", [])}
        ids |= {f["id"] for a in ch.get("add_sections", []) for f in a["section"]["fields"]}
    keys = set()
    for t in _standard_file("dpia.yaml")["templates"]:
        for s in t["sections"]:
            keys.add(s["id"])
            keys |= {f"{s['id']}.{p['id']}" for p in s.get("parts", [])}
    versions = frozenset(str(v["version"]) for v in atrs["versions"])
    return frozenset(ids), frozenset(keys) | {f"@{v}" for v in versions}


@cache
def atrs_standard() -> Standard:
    """The ATRS field list shipped with ceder (validated; a broken file is a packaging bug)."""
    return Standard.model_validate(_standard_file("atrs.yaml"))


@cache
def dpia_standard() -> DpiaStandard:
    return DpiaStandard.model_validate(_standard_file("dpia.yaml"))


# -- a bank's mapping -----------------------------------------------------------
class Source(_Data):
    """One piece of a field's text: an answer (with its note), a project detail, a summary item or fixed text."""

    answer: str | None = None
    values: dict[str, str] = Field(default_factory=dict)
    """For a choice answer: the wording each option becomes in the document (others give nothing)."""
    note: bool = True
    """Add the user's note on the question after the answer."""
    project: ProjectItem | None = None
    summary: SummaryItem | None = None
    dimensions: list[str] = Field(default_factory=list)
    """For a summary list: only the items of these dimensions."""
    text: str | None = None
    label: str = ""
    """Shown before the value, as ``label: value``."""
    only_if: dict[str, list[str]] = Field(default_factory=dict)
    """Give this source only when each named question's answer is one of these options (wording by regime)."""
    unless: dict[str, list[str]] = Field(default_factory=dict)
    """Leave this source out when any named question's answer is one of these options."""
    requires: bool = False
    """When this source gives text, the field is mandatory for this project and the text says what it must
    describe: a note to the team, never the field's content (ATRS 2.3.6 where automated-decision rules apply)."""

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        kinds = [k for k in ("answer", "project", "summary", "text") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of answer, project, summary or text")
        if self.values and self.answer is None:
            raise ValueError("values apply only to an answer")
        if self.dimensions and self.summary is None:
            raise ValueError("dimensions apply only to a summary item")
        return self


class AtrsMap(_Data):
    version: str | None = None
    """The version of the standard to draft (default: the current one)."""
    fields: dict[str, list[Source]] = Field(default_factory=dict)


def _part3() -> list[Regime]:
    return ["part3"]


class RegimeRule(_Data):
    question: str | None = None
    values: dict[str, list[Regime]] = Field(default_factory=dict)
    default: list[Regime] = Field(default_factory=_part3)


class DpiaStatusRule(_Data):
    """The answer that records the DPIA's status, and which of its options mean it is done (or not needed)."""

    question: str | None = None
    complete: list[str] = Field(default_factory=list)


class DpiaMap(_Data):
    regime: RegimeRule = Field(default_factory=RegimeRule)
    status: DpiaStatusRule = Field(default_factory=DpiaStatusRule)
    sections: dict[str, list[Source]] = Field(default_factory=dict)


class DocumentMap(_Data):
    atrs: AtrsMap = Field(default_factory=AtrsMap)
    dpia: DpiaMap = Field(default_factory=DpiaMap)


Found = tuple[tuple[int | str, ...], str, str]
"""A problem in a mapping: where (a path into the YAML), the question id or ``-``, and the message."""


def check_mapping(data: Any, by_id: dict[str, Question]) -> tuple[DocumentMap | None, list[Found]]:
    """Validate a bank's ``documents.yaml`` content and check every reference in it."""
    try:
        mapping = DocumentMap.model_validate(data)
    except ValidationError as exc:
        return None, [
            (tuple(e["loc"]), "-", f"{'.'.join(map(str, e['loc'])) or '(document)'}: {e['msg']}")
            for e in exc.errors(include_url=False)
        ]
    found: list[Found] = []
    known, keys = _mapping_keys()
    if mapping.atrs.version is not None and f"@{mapping.atrs.version}" not in keys:
        found.append((("atrs", "version"), "-", f"atrs.version: no ATRS version {mapping.atrs.version!r}"))
    for name, sources in mapping.atrs.fields.items():
        at = ("atrs", "fields", name)
        if name not in known:
            found.append((at, "-", f"atrs.fields: {name!r} is not an ATRS field"))
        found.extend(_check_sources(sources, at, by_id))
    for name, sources in mapping.dpia.sections.items():
        at = ("dpia", "sections", name)
        if name not in keys or name.startswith("@"):
            sections = ", ".join(sorted(k for k in keys if not k.startswith("@")))
            found.append((at, "-", f"dpia.sections: {name!r} is not a DPIA section (one of {sections})"))
        found.extend(_check_sources(sources, at, by_id))
    rule = mapping.dpia.regime
    if rule.question is not None:
        found.extend(_check_answer(rule.question, list(rule.values), ("dpia", "regime"), by_id))
    elif rule.values:
        found.append((("dpia", "regime"), "-", "dpia.regime: values need a question"))
    status = mapping.dpia.status
    if status.question is not None:
        found.extend(_check_answer(status.question, status.complete, ("dpia", "status"), by_id))
    elif status.complete:
        found.append((("dpia", "status"), "-", "dpia.status: complete needs a question"))
    return (None if found else mapping), found


def _check_sources(sources: list[Source], at: tuple[int | str, ...], by_id: dict[str, Question]) -> list[Found]:
    found: list[Found] = []
    for i, s in enumerate(sources):
        where = (*at, i)
        if s.answer is not None:
            found.extend(_check_answer(s.answer, list(s.values), where, by_id))
        for qid, options in (*s.only_if.items(), *s.unless.items()):
            found.extend(_check_answer(qid, options, where, by_id))
        for dim in s.dimensions:
            if dim not in DIMENSIONS and dim != "profile":
                found.append((where, "-", f"{'.'.join(map(str, at))}: unknown dimension {dim!r}"))
    return found


def _check_answer(
    qid: str, options: list[str], where: tuple[int | str, ...], by_id: dict[str, Question]
) -> list[Found]:
    path = ".".join(map(str, where[:3]))
    q = by_id.get(qid)
    if q is None:
        return [(where, qid, f"{path}: unknown question {qid!r}")]
    if options and q.kind not in CHOICE_KINDS:
        return [(where, qid, f"{path}: values given for {qid}, which has no options")]
    ids = {o.id for o in q.options}
    return [(where, qid, f"{path}: {qid} has no option {o!r}") for o in options if o not in ids]
