"""A draft Algorithmic Transparency Recording Standard (ATRS) record, in Markdown or JSON.

The record follows the current version of the standard as laid out by
:func:`question_banks.documents.layout` (v3.0 field ids with v4.0's renames, merges,
drops and additions applied); the bank's ``documents.yaml`` says which answers fill
which field. Every field the assessment cannot fill says "to complete", with what the
field is for, so the draft doubles as a checklist for the lead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from assistant.reports.documents import TO_COMPLETE, Filled, Filler
from assistant.reports.risks import open_items
from assistant.reports.templating import version
from assistant.reports.text import clean, long_date, md_inline
from flows.summary import Summary
from question_banks.documents import DocumentMap, Layout, RecordField, RecordSection, atrs_standard, layout

TIER_TITLES = {0: "Title information", 1: "Tier 1", 2: "Tier 2"}
BEFORE_PUBLICATION = (
    "For the team, not for publication: what the record needs before it can be published, beyond the fields "
    "marked to complete. None of it belongs in a field as written."
)


@dataclass
class Entry:
    section: RecordSection
    field: RecordField
    filled: Filled

    @property
    def required(self) -> bool:
        """Required by the standard, or for this project (an optional field the law makes mandatory here)."""
        return self.field.required or bool(self.filled.requirements)

    @property
    def name(self) -> str:
        return f"{self.field.ref} {self.field.label}".strip()


@dataclass
class Record:
    layout: Layout
    entries: list[Entry]
    facets: list[tuple[str, bool, Filled]]

    @property
    def missing(self) -> list[Entry]:
        return [e for e in self.entries if e.filled.to_complete]

    def before_publication(self, summary: Summary) -> list[str]:
        """What the team must do before the record can be published: ceder's prompts, kept out of every field."""
        out = [f"{e.name}: {req}" for e in self.entries for req in e.filled.requirements]
        return out + open_items(summary)


def build(summary: Summary, documents: DocumentMap | None) -> Record:
    """Fill every field of the record from the assessment."""
    standard = atrs_standard()
    mapping = documents.atrs if documents else None
    lay = layout(standard, mapping.version if mapping else None)
    filler = Filler(summary, standard_version=f"v{lay.version}")
    fields = mapping.fields if mapping else {}

    def fill(field_id: str, merged: list[str] = ()) -> Filled:  # type: ignore[assignment]
        out = filler.fill(fields.get(field_id, []))
        for other in merged:
            more = filler.fill(fields.get(other, []))
            out.lines += [line for line in more.lines if line not in out.lines]
            out.sources += [s for s in more.sources if s not in out.sources]
            out.hints += more.hints
        return out

    entries = [Entry(s, f, fill(f.id, f.merged)) for s in lay.sections for f in s.fields]
    facets = [(fc.key, fc.required, fill(fc.source)) for fc in standard.facets]
    return Record(lay, entries, facets)


# -- JSON -----------------------------------------------------------------------
def render_json(summary: Summary, documents: DocumentMap | None = None) -> str:
    rec = build(summary, documents)
    out: dict[str, object] = {
        "standard": rec.layout.standard,
        "standard_version": rec.layout.version,
        "field_ids": "ATRS v3.0 machine names, with this version's renames, merges and drops applied",
        "draft": True,
        "generated_by": f"ceder {version()}",
        "assessment": Filler(summary).assessment(),
        "to_complete_marker": TO_COMPLETE,
    }
    tier2: dict[str, dict[str, str]] = {}
    for e in rec.entries:
        section = out if e.section.tier < 2 else tier2
        target = section.setdefault(e.section.id, {})
        assert isinstance(target, dict)
        target[e.field.id] = e.filled.text
    out["tier_2"] = tier2
    out["publishing_metadata"] = {key: f.text for key, _, f in rec.facets}
    out["to_complete"] = [e.field.id for e in rec.missing]
    out["sources"] = {e.field.id: e.filled.sources for e in rec.entries if e.filled.sources}
    out["new_fields"] = [e.field.id for e in rec.entries if e.field.new]
    out["merged_fields"] = {e.field.id: e.field.merged for e in rec.entries if e.field.merged}
    out["notes"] = rec.layout.notes
    out["required_here"] = {e.field.id: " ".join(e.filled.requirements) for e in rec.entries if e.filled.requirements}
    out["before_publication"] = rec.before_publication(summary)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


# -- Markdown -------------------------------------------------------------------
def _field_md(e: Entry) -> list[str]:
    f = e.field
    ref = f"{f.ref} " if f.ref else ""
    required = ["required for this tool"] if e.filled.requirements and not f.required else []
    optional = [] if e.required else ["optional"]
    tags = required + optional + (["new field, id chosen by ceder"] if f.new else [])
    tag = f" · {md_inline(', '.join(tags))}" if tags else ""
    lines = [f"#### {md_inline(ref + f.label)}", "", f"*Field `{f.id}`{tag}*", ""]
    filled = e.filled
    lines += [f"*{md_inline(req)}*" for req in filled.requirements] + ([""] if filled.requirements else [])
    if filled.to_complete:
        why = f" ({md_inline('; '.join(dict.fromkeys(filled.hints)))})" if filled.hints else ""
        lines.append(f"**To complete.**{why} {md_inline(f.meaning)}")
    else:
        if len(filled.lines) == 1:
            lines.append(md_inline(filled.lines[0]))
        else:
            lines.extend(f"- {md_inline(line)}" for line in filled.lines)
        lines += ["", f"*From {md_inline(', '.join(filled.sources))}. The field asks for: {md_inline(f.meaning)}*"]
    if f.merged:
        lines += ["", f"*Also holds what v3.0 recorded separately as {', '.join(f'`{m}`' for m in f.merged)}.*"]
    return [*lines, ""]


def render_md(summary: Summary, documents: DocumentMap | None = None) -> str:
    rec = build(summary, documents)
    name = clean(summary.project.name).strip()
    total = len(rec.entries)
    missing = rec.missing
    required_missing = sum(1 for e in missing if e.required)
    out = [
        f"# ATRS record (draft){': ' + md_inline(name) if name else ''}",
        "",
        f"*{md_inline(rec.layout.standard)}, version {md_inline(rec.layout.version)} · drafted by ceder {md_inline(version())} "
        f"from a CEDER self-assessment · {md_inline(long_date(summary.project.date) if summary.project.date else 'undated')}*",
        "",
        f"> **Draft for the project team.** {total - len(missing)} of {total} fields are filled from the assessment; "
        f"{len(missing)} are marked *to complete* ({required_missing} of them required). Filled fields repeat the "
        "assessment's answers: rewrite them for the public before publishing. Records for tools still in "
        "pre-deployment stay internal; before publishing, get written clearance from the team, the senior "
        "responsible owner and communications. Police forces may send a completed record to "
        "algorithmic-transparency@dsit.gov.uk.",
        "",
    ]
    if documents is None:
        out += ["> **No mapping.** This question bank has no `documents.yaml`, so no field could be filled.", ""]
    for note in rec.layout.notes:
        out += [f"- {md_inline(note)}"]
    out.append("")
    todo = rec.before_publication(summary)
    if todo:
        out += ["## To complete before publication", "", BEFORE_PUBLICATION, ""]
        out += [f"- {md_inline(line)}" for line in todo] + [""]
    current_tier = -1
    for i, e in enumerate(rec.entries):
        first = i == 0 or rec.entries[i - 1].section.id != e.section.id
        if first:
            if e.section.tier != current_tier and e.section.tier == 2:
                out += ["## Tier 2", ""]
            current_tier = e.section.tier
            level = "###" if e.section.tier == 2 else "##"
            ref = (
                f"{e.section.ref} "
                if e.section.ref and e.section.tier == 2
                else "Tier 1: "
                if e.section.tier == 1
                else ""
            )
            out += [f"{level} {md_inline(ref + e.section.title)}", ""]
            if e.section.note:
                out += [f"*{md_inline(e.section.note)}*", ""]
        out += _field_md(e)
    out += [
        "## Suggested GOV.UK publishing metadata",
        "",
        "From v4.0 these are set by GDS in GOV.UK's publishing system; the values below are suggestions.",
        "",
        "| Key | Required | Suggested value |",
        "|:--|:--|:--|",
    ]
    for key, required, f in rec.facets:
        value = "*to complete*" if f.to_complete else md_inline("; ".join(f.lines))
        out.append(f"| `{key}` | {'yes' if required else 'no'} | {value} |")
    out += [
        "",
        "---",
        "",
        "*A draft from a self-assessment: the answers are the assessor's own and have not been independently verified.*",
    ]
    return "\n".join(out).rstrip() + "\n"
