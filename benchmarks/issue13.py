"""Measure issue 13's speed targets (a) to (c) as whole commands, and plot them with (e).

    python benchmarks/issue13.py measure --violations DIR --conforming DIR [--runs N]
    python benchmarks/issue13.py plot

``measure`` times each command from outside, start-up included, and writes the medians to
docs/performance/issue13.json ("after"), keeping its "before" figures (taken from the issue and
from docs/performance.md, each with where it comes from) and the suite's time, which is measured
by running the README's test command (``suite`` below). DIR are repositories written by
``benchmarks/generate.py --triples 1e6`` (``--violations 0.5`` for the first; none for the
second). Nothing is asserted: the figures are printed and written, and ``plot`` draws
docs/performance/issue13.png from the JSON, each target's before and after as a multiple of the
target (1 is the target; under 1 is met).

- (a) ``wegokg query run award-winners`` on the real data against ``benchmarks/bare_query.py``,
  in turn, the ratio taken pair by pair (CPU seconds, the process's own accounting).
- (b) ``wegokg validate`` at 10^6 triples with about 10^4 violations: wall seconds, and when the
  first line of the text report reached the pipe.
- (c) ``wegokg export --format ntriples`` (validation included) at 10^6 against
  ``benchmarks/bare_export.py``: wall seconds and peak memory, ratio of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = ROOT / "docs" / "performance" / "issue13.json"
PLOT = ROOT / "docs" / "performance" / "issue13.png"
BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict | None = None) -> dict:
    """Run ``command`` once; its wall seconds, CPU seconds, peak memory (MB), exit status, and the
    seconds until its first line of standard output."""
    start = time.perf_counter()
    environment = {**os.environ, **(env or {})}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment
    )
    first = None
    for _line in process.stdout:
        if first is None:
            first = time.perf_counter() - start
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "status": process.returncode,
        "first_output": first,
    }


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def bound_query(name: str) -> Path:
    """The stored query's text with its parameters bound as ``query run`` binds them (none for
    award-winners), for the bare script."""
    text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    path = Path(tempfile.mkdtemp()) / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def measure_query(runs: int) -> dict:
    query = bound_query("award-winners")
    wegokg = [str(BIN / "wegokg"), "query", "run", "award-winners"]
    bare = [sys.executable, str(HERE / "bare_query.py"), str(ROOT), str(query)]
    timed(wegokg), timed(bare)  # warm the file cache
    pairs = [(timed(wegokg), timed(bare)) for _ in range(runs)]
    return {
        "wegokg_cpu": statistics.median(a["cpu"] for a, _ in pairs),
        "bare_cpu": statistics.median(b["cpu"] for _, b in pairs),
        "wegokg_wall": statistics.median(a["wall"] for a, _ in pairs),
        "bare_wall": statistics.median(b["wall"] for _, b in pairs),
        "ratio_cpu": statistics.median(a["cpu"] / b["cpu"] for a, b in pairs),
        "ratio_wall": statistics.median(a["wall"] / b["wall"] for a, b in pairs),
        "runs": runs,
    }


def measure_validate(repository: Path, runs: int) -> dict:
    command = [str(BIN / "wegokg"), "validate"]
    results = [timed(command, {"WEGOKG_ROOT": str(repository)}) for _ in range(runs)]
    return {
        "wall": median_of(results, "wall"),
        "cpu": median_of(results, "cpu"),
        "first_output": median_of(results, "first_output"),
        "peak_mb": median_of(results, "peak_mb"),
        "status": sorted({r["status"] for r in results}),
        "runs": runs,
    }


def measure_export(repository: Path, runs: int) -> dict:
    scratch = Path(tempfile.mkdtemp())
    wegokg = [str(BIN / "wegokg"), "export", "--format", "ntriples", "-o", str(scratch / "out")]
    bare = [sys.executable, str(HERE / "bare_export.py"), str(repository), str(scratch / "bare.nt")]
    env = {"WEGOKG_ROOT": str(repository)}
    pairs = [(timed(wegokg, env), timed(bare)) for _ in range(runs)]
    ours, floor = [a for a, _ in pairs], [b for _, b in pairs]
    return {
        "wegokg_wall": median_of(ours, "wall"),
        "wegokg_cpu": median_of(ours, "cpu"),
        "wegokg_peak_mb": median_of(ours, "peak_mb"),
        "bare_wall": median_of(floor, "wall"),
        "bare_cpu": median_of(floor, "cpu"),
        "bare_peak_mb": median_of(floor, "peak_mb"),
        "ratio_wall": statistics.median(a["wall"] / b["wall"] for a, b in pairs),
        "ratio_peak": median_of(ours, "peak_mb") / median_of(floor, "peak_mb"),
        "status": sorted({a["status"] for a in ours}),
        "runs": runs,
    }


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def load_results() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}


def write_results(results: dict) -> None:
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def measure(args: argparse.Namespace) -> None:
    results = load_results()
    after = results.setdefault("after", {})
    after["machine_at_start"] = machine()
    print("(a) query run award-winners against the bare script …", flush=True)
    after["a_query_run"] = measure_query(args.query_runs)
    print(json.dumps(after["a_query_run"], indent=2), flush=True)
    print("(b) validate at 10^6 with planted violations …", flush=True)
    after["b_validate"] = measure_validate(args.violations, args.runs)
    print(json.dumps(after["b_validate"], indent=2), flush=True)
    print("(c) export --format ntriples at 10^6 against the bare script …", flush=True)
    after["c_export"] = measure_export(args.conforming, args.runs)
    print(json.dumps(after["c_export"], indent=2), flush=True)
    after["machine_at_end"] = machine()
    write_results(results)
    print(f"written: {RESULTS.relative_to(ROOT)}")


def plot(args: argparse.Namespace) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = load_results()
    before, after, targets = results["before"], results["after"], results["targets"]
    rows = [
        ("(a) query run ÷ bare script", before["a_ratio"], after["a_query_run"]["ratio_cpu"],
         targets["a_ratio"]),
        ("(b) validate 10^6, 10^4 violations (s)", before["b_wall"], after["b_validate"]["wall"],
         targets["b_wall"]),
        ("(b) first violation shown (s)", before["b_first"], after["b_validate"]["first_output"],
         targets["b_first"]),
        ("(c) export 10^6 ÷ bare, time", before["c_ratio"], after["c_export"]["ratio_wall"],
         targets["c_ratio"]),
        ("(c) export 10^6 ÷ bare, memory", before["c_peak_ratio"], after["c_export"]["ratio_peak"],
         targets["c_peak_ratio"]),
        ("(e) test suite (s)", before["e_wall"], after["e_wall"], targets["e_wall"]),
    ]  # fmt: skip
    keys = ["a_ratio", "b_wall", "b_first", "c_ratio", "c_peak_ratio", "e_wall"]
    figure, axes = plt.subplots(figsize=(8, 4.2))
    labels = [row[0] for row in rows]
    y = range(len(rows))
    axes.barh([i + 0.2 for i in y], [r[1] / r[3] for r in rows], 0.4, label="before", color="#bbb")
    axes.barh([i - 0.2 for i in y], [r[2] / r[3] for r in rows], 0.4, label="after", color="#36c")
    at_least = set(before.get("at_least", []))  # a run killed at its limit: a lower bound
    for i, (_, old, new, target) in enumerate(rows):
        bound = "≥ " if keys[i] in at_least else ""
        axes.text(old / target, i + 0.2, f" {bound}{old:g}", va="center", fontsize=7)
        axes.text(new / target, i - 0.2, f" {new:.3g}", va="center", fontsize=7)
    axes.axvline(1, color="#c33", linestyle="--", label="target")
    axes.set_xscale("log")
    axes.set_yticks(list(y), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("multiple of the target (log scale; left of the line is met)")
    axes.set_title("Issue 13's speed targets, before and after", fontsize=10)
    axes.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    figure.savefig(args.out, dpi=110, metadata={"Software": None})
    print(f"written: {args.out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(required=True)
    run = commands.add_parser("measure", help="time (a) to (c) and write issue13.json")
    run.add_argument("--violations", type=Path, required=True)
    run.add_argument("--conforming", type=Path, required=True)
    run.add_argument("--runs", type=int, default=3)
    run.add_argument("--query-runs", type=int, default=9)
    run.set_defaults(action=measure)
    draw = commands.add_parser("plot", help="draw issue13.png from issue13.json")
    draw.add_argument("--out", type=Path, default=PLOT, help="where to write the PNG")
    draw.set_defaults(action=plot)
    args = parser.parse_args()
    args.action(args)


if __name__ == "__main__":
    main()
