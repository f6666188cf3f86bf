"""Turn run.py's results.json into Markdown tables (tables.md) and a log-log plot (scaling.png)."""

from __future__ import annotations

from pathlib import Path

ROWS = [  # (label, task, load step)
    ("wegokg, rdflib engine", "wegokg-rdflib", "load"),
    ("wegokg, pyoxigraph in memory", "wegokg-oxigraph-memory", "load"),
    ("pyoxigraph on disk + wegokg engine", "wegokg-oxigraph-disk", "load"),
    ("Oxigraph server + wegokg endpoint", "server", "load"),
    ("baseline: rdflib only", "baseline-rdflib", "load"),
    ("floor: bare pyoxigraph", "bare-pyoxigraph", "load"),
]
VALIDATION_ROWS = [
    ("wegokg.validate (SHACL, evidence, terms, checks)", "wegokg-validate", ["validate"]),
    ("baseline: pyshacl on an rdflib Graph (parse + validate)", "baseline-shacl",
     ["parse", "validate"]),
]  # fmt: skip
EXPORT_ROWS = [
    ("wegokg.export", "wegokg-export"),
    ("baseline: rdflib serialize", "baseline-rdflib"),
    ("floor: bare pyoxigraph", "bare-pyoxigraph"),
]


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def status_note(result: dict) -> str:
    status = result.get("status")
    if status is None:
        return "not run"
    if status == "ok":
        return ""
    if status == "skipped":
        return "skipped (timed out at a smaller scale)"
    if status == "timeout":
        return "killed at the time limit"
    return f"failed: {(result.get('stderr') or '').strip().splitlines()[-1:] or status}"


def load_and_queries(result: dict, load_step: str = "load") -> float | None:
    steps = result.get("steps", {})
    if result.get("status") != "ok" or load_step not in steps or "queries" not in steps:
        return None
    return steps[load_step] + steps["queries"]


def tables(results: dict) -> str:
    out = []
    scales = results["scales"]
    for key, entry in scales.items():
        out.append(
            f"\n### {int(key):,} triples requested ({entry['triples']:,} data triples; "
            f"{entry['repeats']} run(s) per task, limit {entry['timeout']:.0f} s)\n"
        )
        out.append("| engine | load s | all queries s | load + queries s | peak MB | note |")
        out.append("|---|---:|---:|---:|---:|---|")
        for label, task, step in ROWS:
            result = entry["tasks"].get(task, {})
            steps = result.get("steps", {})
            out.append(
                f"| {label} | {seconds(steps.get(step))} | {seconds(steps.get('queries'))} | "
                f"{seconds(load_and_queries(result, step))} | {result.get('peak_mb', '–')} | "
                f"{status_note(result)} |"
            )
        out.append("\n| validation | seconds | violations | peak MB | note |")
        out.append("|---|---:|---:|---:|---|")
        for label, task, parts in VALIDATION_ROWS:
            result = entry["tasks"].get(task, {})
            steps = result.get("steps", {})
            total = sum(steps[p] for p in parts) if all(p in steps for p in parts) else None
            found = result.get("extra", {}).get("validate", {}).get("violations", "–")
            out.append(
                f"| {label} | {seconds(total)} | {found} | {result.get('peak_mb', '–')} | "
                f"{status_note(result)} |"
            )
        out.append("\n| export (load not included) | N-Triples s | Turtle s | peak MB | note |")
        out.append("|---|---:|---:|---:|---|")
        for label, task in EXPORT_ROWS:
            result = entry["tasks"].get(task, {})
            steps = result.get("steps", {})
            out.append(
                f"| {label} | {seconds(steps.get('export:ntriples'))} | "
                f"{seconds(steps.get('export:turtle'))} | {result.get('peak_mb', '–')} | "
                f"{status_note(result)} |"
            )
    out.append("\n### Each stored query, seconds\n")
    names = sorted(
        {
            step[6:]
            for entry in scales.values()
            for result in entry["tasks"].values()
            for step in result.get("steps", {})
            if step.startswith("query:")
        }
    )
    header = [f"{label} @ {int(k):.0e}" for k in scales for label, *_ in ROWS[:2]]
    out.append("| query | " + " | ".join(header) + " |")
    out.append("|---|" + "---:|" * len(header))
    for name in names:
        cells = [
            seconds(scales[k]["tasks"].get(task, {}).get("steps", {}).get(f"query:{name}"))
            for k in scales
            for _, task, _ in ROWS[:2]
        ]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = results["scales"]
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    for label, task, step in ROWS:
        points = [
            (entry["triples"], load_and_queries(entry["tasks"].get(task, {}), step))
            for entry in scales.values()
        ]
        points = [(x, y) for x, y in points if y]
        if points:
            left.plot(*zip(*points, strict=True), marker="o", label=label)
    left.set_title("load + every stored query")
    series = [
        ("wegokg.validate", "wegokg-validate", ["validate"]),
        ("pyshacl on rdflib (parse + validate)", "baseline-shacl", ["parse", "validate"]),
        ("wegokg.export N-Triples", "wegokg-export", ["export:ntriples"]),
        ("rdflib N-Triples", "baseline-rdflib", ["export:ntriples"]),
        ("bare pyoxigraph N-Triples", "bare-pyoxigraph", ["export:ntriples"]),
    ]
    for label, task, parts in series:
        points = []
        for entry in scales.values():
            steps = entry["tasks"].get(task, {}).get("steps", {})
            if all(p in steps for p in parts):
                points.append((entry["triples"], sum(steps[p] for p in parts)))
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=label)
    right.set_title("validation and N-Triples export")
    for axes in (left, right):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("data triples")
        axes.set_ylabel("median wall seconds")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_report(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "tables.md").write_text(tables(results), encoding="utf-8")
    plot(results, out / "scaling.png")
