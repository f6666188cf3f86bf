"""The report of a draft, on stdout: the extent with the lines kept and cut, the quotes, the names
linked, shared and unknown, the numbers and dates, and what only a person can add; as text, or as
JSON for tools (the same content)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wegokg.core.namespaces import shorten
from wegokg.curate.draft.drafting import DraftResult

PASSAGE_ROLES = ("furniture", "email")


def report_data(result: DraftResult, root: Path) -> dict[str, Any]:
    draft = result.draft
    extent = draft.extent

    def line(item) -> dict[str, Any]:
        return {"line": item.number, "text": item.stripped}

    def where(path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path)

    roles: dict[str, int] = {}
    for segment in draft.segments:
        roles[segment.role] = roles.get(segment.role, 0) + 1
    return {
        "output": where(result.output),
        "copied_to": where(result.copied_to),
        "source": shorten(draft.source_iri),
        "text_file": draft.text_file,
        "language": draft.language,
        "article_date": draft.article_date,
        "publisher": shorten(draft.publisher) if draft.publisher else None,
        "author": shorten(draft.author) if draft.author else None,
        "extent": {
            "start": extent.start,
            "end": extent.end,
            "guessed": extent.guessed,
            "first_kept": extent.first().text,
            "last_kept": extent.last().text,
            "cut_before": [line(x) for x in extent.cut_before],
            "cut_after": [line(x) for x in extent.cut_after],
        },
        "quotes": len(draft.quotes()),
        "passages": len(draft.passages()),
        "parts": roles,
        "linked": [
            {
                "iri": shorten(m.iri),
                "kind": m.kind,
                "name": m.surface,
                "start": m.start,
                "quote": shorten(draft.ids[m.segment]),
            }
            for m in draft.linked
        ],
        "ambiguous": [
            {
                "name": a.surface,
                "start": a.start,
                "quote": shorten(draft.ids[a.segment]),
                "candidates": [shorten(c) for c in a.candidates],
            }
            for a in draft.ambiguous
        ],
        "unknown": [
            {
                "name": u.surface,
                "tag": u.tag,
                "start": u.start,
                "quote": shorten(draft.ids[u.segment]),
                "sentence": draft.segments[u.segment].exact,
                "romanization": u.romanization,
                "suggested_iri": u.suggested_iri,
            }
            for u in draft.unknown
        ],
        "counts": [
            {
                "text": c.text,
                "value": c.value,
                "counter": c.counter,
                "approximate": c.approximate,
                "start": c.start,
                "quote": shorten(draft.ids[c.segment]),
                "sentence": draft.segments[c.segment].exact,
            }
            for c in draft.counts
        ],
        "dates": [
            {
                "text": d.text,
                "resolved": d.resolved,
                "start": d.start,
                "quote": shorten(draft.ids[d.segment]),
                "sentence": draft.segments[d.segment].exact,
            }
            for d in draft.dates
        ],
        "todo": draft.todo,
    }


def to_json(result: DraftResult, root: Path) -> str:
    return json.dumps(report_data(result, root), ensure_ascii=False, indent=2) + "\n"


def to_text(result: DraftResult, root: Path, width: int = 60) -> str:
    data = report_data(result, root)
    extent = data["extent"]

    def cut(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    out = [f"Draft of {data['text_file']} written to {data['output']}"]
    if data["copied_to"]:
        out.append(f"  (the page was copied to {data['copied_to']})")
    out.append(f"Source: {data['source']} ({data['language']}, dated {data['article_date']})")
    how = "guessed" if extent["guessed"] else "as given"
    out.append(f"Extent: {extent['start']}-{extent['end']} ({how})")
    out.append(f"  first line kept: {cut(extent['first_kept'])}")
    out.append(f"  last line kept:  {cut(extent['last_kept'])}")
    for side, label in (("cut_before", "cut before"), ("cut_after", "cut after")):
        lines = extent[side]
        shown = lines[-3:] if side == "cut_before" else lines[:3]
        out.append(f"  {label}: {len(lines)} line(s)")
        out.extend(f"    {x['line']:>4}  {cut(x['text'])}" for x in shown)
    quoted = ", ".join(f"{n} {r}" for r, n in data["parts"].items() if r not in PASSAGE_ROLES)
    passed = ", ".join(f"{n} {r}" for r, n in data["parts"].items() if r in PASSAGE_ROLES)
    out.append(f"Quotes: {data['quotes']} ({quoted})")
    out.append(f"Passages left uncited: {data['passages']}" + (f" ({passed})" if passed else ""))
    linked: dict[str, list[str]] = {}
    for item in data["linked"]:
        linked.setdefault(item["iri"], []).append(item["quote"])
    out.append(f"Names linked: {len(linked)} resources, {len(data['linked'])} mentions")
    for iri, quotes in linked.items():
        out.append(f"  {iri}  in {', '.join(dict.fromkeys(quotes))}")
    out.append(f"Names ambiguous: {len(data['ambiguous'])}")
    for item in data["ambiguous"]:
        out.append(
            f"  {item['name']} at {item['start']} ({item['quote']}): "
            f"{', '.join(item['candidates'])}"
        )
    out.append(f"Names unknown: {len(data['unknown'])} (candidates for data/curated/)")
    for item in data["unknown"]:
        out.append(
            f"  {item['name']} ({item['tag']}) at {item['start']} in {item['quote']}: "
            f"{item['suggested_iri']}, romanized {item['romanization']} (TODO: check)"
        )
    out.append(f"Numbers: {len(data['counts'])}")
    for item in data["counts"]:
        about = "about " if item["approximate"] else ""
        out.append(
            f"  {item['text']}  ({about}{item['value']} {item['counter']}) in {item['quote']}"
        )
    out.append(f"Dates: {len(data['dates'])}")
    for item in data["dates"]:
        resolved = f" = {item['resolved']}" if item["resolved"] else ""
        out.append(f"  {item['text']}{resolved} in {item['quote']}")
    out.append("Still for a person (TODO in the draft; `wegokg validate` lists what is missing):")
    out.extend(f"  - {item}" for item in data["todo"])
    return "\n".join(out) + "\n"
