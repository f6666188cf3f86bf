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
    ("wegokg.publish.exports", "wegokg-export"),
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
        return f"skipped: {result.get('reason', 'timed out at a smaller scale')}"
    if status == "timeout":
        return "killed at the time limit"
    return f"failed: {(result.get('stderr') or '').strip().splitlines()[-1:] or status}"


def load_and_queries(result: dict, load_step: str = "load", kind: str = "steps") -> float | None:
    steps = result.get(kind, {})
    # A task killed later (during its export) still finished its load and its queries.
    if load_step not in steps or "queries" not in steps:
        return None
    return steps[load_step] + steps["queries"]


def tables(results: dict) -> str:
    out = []
    scales = results["scales"]
    for key, entry in scales.items():
        out.append(
            f"\n### {int(key):,} triples requested ({entry['triples']:,} data triples; "
            f"up to {entry['repeats']} run(s) per task, limit {entry['timeout']:.0f} s)\n"
        )
        out.append(
            "| engine | load s | all queries s | load + queries s | load + queries CPU s "
            "| peak MB | note |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---|")
        for label, task, step in ROWS:
            result = entry["tasks"].get(task, {})
            steps = result.get("steps", {})
            out.append(
                f"| {label} | {seconds(steps.get(step))} | {seconds(steps.get('queries'))} | "
                f"{seconds(load_and_queries(result, step))} | "
                f"{seconds(load_and_queries(result, step, 'cpu'))} | "
                f"{result.get('peak_mb', '–')} | "
                f"{status_note(result)} |"
            )
        out.append("\n| validation | seconds | CPU s | violations | peak MB | note |")
        out.append("|---|---:|---:|---:|---:|---|")
        for label, task, parts in VALIDATION_ROWS:
            result = entry["tasks"].get(task, {})
            steps = result.get("steps", {})
            total = sum(steps[p] for p in parts) if all(p in steps for p in parts) else None
            cpu = result.get("cpu", {})
            cpu_total = sum(cpu[p] for p in parts) if all(p in cpu for p in parts) else None
            found = result.get("extra", {}).get("validate", {}).get("violations", "–")
            out.append(
                f"| {label} | {seconds(total)} | {seconds(cpu_total)} | {found} | "
                f"{result.get('peak_mb', '–')} | "
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
        ("wegokg.validation", "wegokg-validate", ["validate"]),
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
    (out / "targets.md").write_text(targets_table(results), encoding="utf-8")
    plot(results, out / "scaling.png")


def _farm(results: dict, target: str, figure: str) -> float | None:
    return results["targets"].get(target, {}).get("figures", {}).get(figure, {}).get("median")


def _largest(results: dict, task: str, step: str) -> tuple[int | None, dict]:
    """The largest scale at which ``task`` ran, and its result there."""
    for key in sorted(results["scales"], key=int, reverse=True):
        result = results["scales"][key]["tasks"].get(task, {})
        if result.get("status") in ("ok", "timeout"):
            return int(key), result
    return None, {}


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**missed**")


def targets_table(results: dict) -> str:
    """The targets of issue 8 section 4, each marked met, missed or not measured."""
    rows = []
    help_wall = _farm(results, "help", "A wall s")
    help_cpu = _farm(results, "help", "A cpu s")
    rows.append(
        (
            "`wegokg --help`",
            "≤ 0.3 s",
            f"{seconds(help_wall)} s wall ({seconds(help_cpu)} s CPU)" if help_wall else "–",
            verdict(None if help_wall is None else help_wall <= 0.3),
        )
    )
    ratio = _farm(results, "query-run", "A/B wall")
    a_wall = _farm(results, "query-run", "A wall s")
    b_wall = _farm(results, "query-run", "B wall s")
    rows.append(
        (
            "`wegokg query run award-winners --engine oxigraph`, real data",
            "≤ 3× the bare pyoxigraph script",
            f"{ratio:.1f}× wall ({seconds(a_wall)} s against {seconds(b_wall)} s); "
            f"{_farm(results, 'query-run', 'A/B cpu'):.1f}× CPU"
            if ratio
            else "–",
            verdict(None if ratio is None else ratio <= 3),
        )
    )
    validate_wall = _farm(results, "validate-real", "A wall s")
    validate_cpu = _farm(results, "validate-real", "A cpu s")
    rows.append(
        (
            "`wegokg validate`, real data",
            "≤ 2 s",
            f"{seconds(validate_wall)} s wall ({seconds(validate_cpu)} s CPU)"
            if validate_wall
            else "–",
            verdict(None if validate_wall is None else validate_wall <= 2),
        )
    )
    million = results["scales"].get("1000000", {}).get("tasks", {})
    fast = load_and_queries(million.get("wegokg-oxigraph-memory", {}))
    baseline = load_and_queries(million.get("baseline-rdflib", {}))
    bare = load_and_queries(million.get("bare-pyoxigraph", {}))
    baseline_limit = results["scales"].get("1000000", {}).get("timeout") or 0
    if fast and bare:
        if baseline:
            speedup = f"{baseline / fast:.1f}× faster than rdflib only"
        elif million.get("baseline-rdflib", {}).get("status") == "timeout":
            speedup = (
                f"rdflib only killed at its {baseline_limit:.0f} s limit "
                f"(so more than {baseline_limit / fast:.1f}× faster)"
            )
        else:
            speedup = "rdflib only: –"
        measured = (
            f"{seconds(fast)} s (wegokg, pyoxigraph in memory); {speedup}; "
            f"{(fast / bare - 1) * 100:.0f} % over bare pyoxigraph ({seconds(bare)} s)"
        )
        ok = fast <= 1.1 * bare and (baseline is None or baseline / fast >= 20)
        rows.append(
            (
                "load plus every stored query at 10^6 triples, fast engine",
                "≥ 20× faster than rdflib only, ≤ 10 % over bare pyoxigraph",
                measured,
                verdict(ok if baseline else (False if fast > 1.1 * bare else None)),
            )
        )
    else:
        rows.append(("load plus every stored query at 10^6", "see above", "–", verdict(None)))
    scale, validation = _largest(results, "wegokg-validate", "validate")
    if scale is None:
        rows.append(("SHACL validation at 10^6 triples", "≤ 60 s", "–", verdict(None)))
    else:
        took = validation.get("steps", {}).get("validate")
        if validation.get("status") == "timeout" or scale < 1_000_000:
            limit = results["scales"][str(scale)].get("timeout")
            measured = (
                f"killed after {min(limit or 300, 300)} s at {scale:,} triples; not run at 10^6"
                if validation.get("status") == "timeout"
                else f"{seconds(took)} s at {scale:,} triples; not run at 10^6"
            )
            rows.append(("wegokg validation at 10^6 triples", "≤ 60 s", measured, "**missed**"))
        else:
            rows.append(
                ("wegokg validation at 10^6 triples", "≤ 60 s", f"{seconds(took)} s",
                 verdict(took <= 60))
            )  # fmt: skip
    many = results["targets"].get("many-violations")
    if many:
        first = many.get("first_error_line_s")
        status = many.get("status")
        dataset = many.get("dataset", {})
        planted = sum(dataset.get("violations", {}).values())
        measured = (
            f"{'killed after ' if status == 'timeout' else ''}{seconds(many['wall'])} s in all; "
            f"first violation shown at {seconds(first) + ' s' if first else 'never'} "
            f"({planted:,} planted in {dataset.get('triples', 0):,} triples)"
        )
        ok = status == "ok" and many["wall"] <= 30 and first is not None and first < 10
        rows.append(
            ("`wegokg validate` on data with 10^4 violations", "≤ 30 s, first shown < 10 s",
             measured, verdict(ok))
        )  # fmt: skip
    exported = million.get("wegokg-export", {})
    export = exported.get("steps", {}).get("export:ntriples")
    if export is None and exported.get("status") == "timeout":
        loaded = exported.get("steps", {}).get("load")
        measured = (
            f"not finished: killed at the {baseline_limit:.0f} s limit, after "
            f"{seconds(loaded)} s of load"
        )
        rows.append(("N-Triples export at 10^6 (`wegokg.publish.exports`)", "≤ 10 s", measured,
                     "**missed**"))  # fmt: skip
    else:
        rows.append(
            (
                "N-Triples export at 10^6 (`wegokg.publish.exports`, load not included)",
                "≤ 10 s",
                f"{seconds(export)} s" if export else "–",
                verdict(None if export is None else export <= 10),
            )
        )
    lines = ["| what | target | measured | verdict |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines) + "\n"
