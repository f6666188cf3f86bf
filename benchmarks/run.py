"""Measure wegokg at 10^3 to 10^6 triples against the rdflib-only baseline and bare pyoxigraph.

    python benchmarks/run.py [--quick] [--scales 1e3,1e4,1e5,1e6] [--out docs/performance]

For each scale it generates (or reuses) a synthetic repository with generate.py, then runs every
task of tasks.py in a fresh subprocess, repeated (median of 3 up to 10^5, one run at 10^6), and
records median wall time per step and the child's peak memory (ru_maxrss). It also times the
targets of issue 8 section 4 on the real data. It writes results.json, tables.md and scaling.png
into --out, saving results.json after every task so that a long run can be stopped and reported.
--quick (scales up to 10^4, one repetition, short time limits) is the CI smoke check.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PYTHON = sys.executable
LEFT_OUT: set[str] = set()  # tasks the caller asked not to run
SLOW = 30  # seconds: a task this slow is run once, for the deadline's sake
VALIDATION_LIMIT = 300  # seconds: 5 times the 60 s target, enough to call it missed
MEMORY_LIMIT = 14 * 2**30  # keep the machine below 16 GB even if a task runs away
ENGINE_TASKS = {  # table row -> how its load and queries are measured
    "wegokg, rdflib": "wegokg-rdflib",
    "wegokg, pyoxigraph in memory": "wegokg-oxigraph-memory",
    "wegokg engine, pyoxigraph on disk": "wegokg-oxigraph-disk",
    "wegokg endpoint, Oxigraph server": "server",
    "baseline: rdflib only": "baseline-rdflib",
    "floor: bare pyoxigraph": "bare-pyoxigraph",
}


# -- running one measured subprocess ---------------------------------------------------------


def run_child(command: list[str], timeout: float, limit_memory: bool = False, cwd=None) -> dict:
    """Run ``command``; return its JSON steps, first output times, wall time, peak memory, status.

    Each stdout line is timestamped as it arrives (for "time to first violation"); a child that
    outlives ``timeout`` is killed with its process group and reported with what it printed.
    """

    def limits() -> None:
        os.setsid()
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=limits,
        cwd=cwd,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    lines: list[tuple[float, str]] = []
    errors: list[str] = []
    readers = [
        threading.Thread(target=_read, args=(process.stdout, lines, start), daemon=True),
        threading.Thread(target=_read, args=(process.stderr, errors, None), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(timeout=5)
    steps, cpu, extra = {}, {}, {}
    for _, line in lines:
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            steps[record["step"]] = record["seconds"]
            cpu[record["step"]] = record.get("cpu")
            extra[record["step"]] = {
                k: v for k, v in record.items() if k not in ("step", "seconds", "cpu")
            }
    first_error = next((t for t, line in lines if "ERROR" in line), None)
    result = {
        "status": "timeout"
        if timed_out.is_set()
        else ("ok" if process.returncode == 0 else "error"),
        "exit": process.returncode,
        "wall": round(wall, 4),
        "cpu_total": round(usage.ru_utime + usage.ru_stime, 4),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "steps": steps,
        "cpu": cpu,
        "extra": extra,
        "first_error_line_s": None if first_error is None else round(first_error, 4),
    }
    if result["status"] == "error":
        result["stderr"] = "".join(errors)[-2000:]
    return result


def _read(stream, sink: list, start: float | None) -> None:
    for line in stream:
        sink.append((time.perf_counter() - start, line.rstrip("\n")) if start is not None else line)


def task_command(task: str, root: Path, scratch: Path, **options: object) -> list[str]:
    command = [PYTHON, str(HERE / "tasks.py"), task, str(root), "--out", str(scratch)]
    for name, value in options.items():
        if value is not None:
            command += [f"--{name}", str(value)]
    return command


def repeated(measure, repeats: int) -> dict:
    """Median of each step over ``repeats`` runs (stopping early on failure or a slow run)."""
    runs = []
    for _ in range(repeats):
        runs.append(measure())
        if runs[-1]["status"] != "ok" or runs[-1]["wall"] > SLOW:
            break  # a slow task is run once: the deadline matters more than its spread
    ok = [r for r in runs if r["status"] == "ok"] or runs
    steps, cpu = {}, {}
    for step in ok[0]["steps"]:
        values = [r["steps"][step] for r in ok if step in r["steps"]]
        steps[step] = round(statistics.median(values), 4)
        cpus = [r.get("cpu", {}).get(step) for r in ok]
        if all(c is not None for c in cpus):
            cpu[step] = round(statistics.median(cpus), 4)
    return {
        "status": runs[-1]["status"] if not any(r["status"] == "ok" for r in runs) else "ok",
        "repeats": len(ok),
        "steps": steps,
        "cpu": cpu,
        "wall": round(statistics.median(r["wall"] for r in ok), 4),
        "peak_mb": max(r["peak_mb"] for r in ok),
        "extra": ok[0]["extra"],
        **({"stderr": runs[-1]["stderr"]} if "stderr" in runs[-1] else {}),
    }


# -- datasets --------------------------------------------------------------------------------


def ensure_dataset(folder: Path, triples: int, fraction: float = 0.0) -> dict:
    manifest_path = folder / "generated.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest["requested_triples"] == triples and manifest["violation_fraction"] == fraction:
            return manifest
        shutil.rmtree(folder)
    return generate.generate(triples, folder, seed=1, fraction=fraction)


def graph_files(root: Path) -> list[tuple[str, str]]:
    """(file, named graph) for every Turtle file, as wegokg.load assigns them."""
    import pyoxigraph

    from wegokg.core.loading import CURATED_GRAPH, IMPORTS_GRAPH, ONTOLOGY_GRAPH

    documents = {
        "https://w3id.org/wegokg/ontology#NewsArticle",
        "https://w3id.org/wegokg/ontology#ReferenceDocument",
    }
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    files = [(root / "ontology" / "wego.ttl", str(ONTOLOGY_GRAPH))]
    files += [
        (p, str(IMPORTS_GRAPH)) for p in sorted((root / "ontology" / "imports").glob("*.ttl"))
    ]
    files += [(p, str(CURATED_GRAPH)) for p in sorted((root / "data" / "curated").glob("*.ttl"))]
    for folder in ("articles", "reference"):
        for path in sorted((root / "data" / folder).glob("*.ttl")):
            for triple in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
                if triple.predicate.value == rdf_type and triple.object.value in documents:
                    files.append((path, triple.subject.value))
                    break
    return [(str(path), graph) for path, graph in files]


def violation_fraction_for(count: int, triples: int) -> float:
    """The --violations fraction that gives ``count`` violations at ``triples`` triples."""
    state = generate.State()
    for _ in generate.plan(triples, 1.0, 1, state):
        pass
    if state.cities < count:
        raise SystemExit(f"{triples} triples hold only {state.cities} cities: too few for {count}")
    return (count + 0.5) / state.cities


# -- the measurements ------------------------------------------------------------------------


def measure_scale(
    root: Path, scratch: Path, repeats: int, timeout: float, skip: set[str], quick: bool
):
    """Every engine and baseline on one dataset; yields (task, result) as each finishes."""
    manifest = json.loads((root / "generated.json").read_text(encoding="utf-8"))
    params = json.dumps(manifest["query_parameters"])
    scratch.mkdir(parents=True, exist_ok=True)
    graphs = scratch / "graphs.json"
    graphs.write_text(json.dumps(graph_files(root)), encoding="utf-8")
    prepared = run_child(task_command("write-queries", root, scratch, params=params), timeout)
    if prepared["status"] != "ok":
        raise SystemExit(f"could not render the queries for {root}: {prepared.get('stderr')}")
    results = {}
    log(f"  {manifest['triples']} triples")

    def simple(task: str, limit: bool = True, cap: float | None = None) -> dict:
        def once() -> dict:
            folder = scratch / task
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copyfile(scratch / "queries.json", _mkdir(folder) / "queries.json")
            command = task_command(task, root, folder, params=params, graphs=graphs)
            return run_child(command, min(timeout, cap or timeout), limit_memory=limit)

        return repeated(once, repeats)

    # Fast tasks first, so that a run stopped at its deadline still has them at every scale.
    plan = [
        ("bare-pyoxigraph", lambda: simple("bare-pyoxigraph", limit=False)),
        ("wegokg-oxigraph-disk", lambda: simple("wegokg-oxigraph-disk", limit=False)),
        (
            "server",
            lambda: repeated(
                lambda: measure_server(root, scratch, params, graphs, timeout), repeats
            ),
        ),
        ("wegokg-oxigraph-memory", lambda: simple("wegokg-oxigraph-memory")),
        ("wegokg-export", lambda: simple("wegokg-export")),
        ("baseline-rdflib", lambda: simple("baseline-rdflib")),
        ("wegokg-rdflib", lambda: simple("wegokg-rdflib")),
        ("wegokg-validate", lambda: simple("wegokg-validate", cap=VALIDATION_LIMIT)),
        ("baseline-shacl", lambda: simple("baseline-shacl", cap=VALIDATION_LIMIT)),
    ]
    if quick:  # the smoke check validates only the smallest scale, and leaves out the slow baseline
        plan = [p for p in plan if p[0] != "baseline-shacl"]
        if manifest["requested_triples"] > 1_000:
            plan = [p for p in plan if p[0] != "wegokg-validate"]
    for task, measure in plan:
        if task in skip:
            reason = "left out (--skip)" if task in LEFT_OUT else "timed out at a smaller scale"
            results[task] = {"status": "skipped", "reason": reason}
        else:
            log(f"  {task} ...")
            results[task] = measure()
            done = results[task]
            log(f"  {task}: {done['status']} {done['steps']} peak {done.get('peak_mb')} MB")
        if results[task]["status"] == "timeout":
            skip.add(task)
        yield task, results[task]


def measure_server(root: Path, scratch: Path, params: str, graphs: Path, timeout: float) -> dict:
    """Load with `oxigraph load`, serve on 127.0.0.1, query through wegokg's endpoint engine."""
    folder = scratch / "server"
    shutil.rmtree(folder, ignore_errors=True)
    _mkdir(folder)
    binary = oxigraph_binary()
    nquads = run_child(task_command("server-nquads", root, folder, graphs=graphs), timeout)
    if nquads["status"] != "ok":
        return nquads
    store = folder / "store"
    loaded = run_child(
        [binary, "load", "--location", str(store), "--file", str(folder / "all.nq")], timeout
    )
    if loaded["status"] != "ok":
        loaded["stderr"] = loaded.get("stderr", "")
        return loaded
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_for(url, server)
        shutil.copyfile(scratch / "queries.json", folder / "queries.json")
        queries = run_child(
            task_command("wegokg-endpoint", root, folder, params=params, endpoint=url), timeout
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            _, _, usage = os.wait4(server.pid, 0)
            server_peak = round(usage.ru_maxrss / 1024, 1)
        except ChildProcessError:
            server_peak = None
    steps = {
        "nquads": nquads["steps"].get("nquads"),
        "oxigraph-load": loaded["wall"],
        "load": round(nquads["steps"].get("nquads", 0) + loaded["wall"], 4),
        **queries["steps"],
    }
    cpu = {
        "nquads": nquads["cpu"].get("nquads"),
        "oxigraph-load": loaded["cpu_total"],
        "load": round((nquads["cpu"].get("nquads") or 0) + loaded["cpu_total"], 4),
        **queries["cpu"],
    }
    return {
        "status": queries["status"],
        "cpu": cpu,
        "wall": round(nquads["wall"] + loaded["wall"] + queries["wall"], 4),
        "peak_mb": max(nquads["peak_mb"], loaded["peak_mb"], server_peak or 0, queries["peak_mb"]),
        "server_peak_mb": server_peak,
        "steps": steps,
        "extra": queries["extra"],
        **({"stderr": queries["stderr"]} if "stderr" in queries else {}),
    }


def oxigraph_binary() -> str:
    beside = Path(PYTHON).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise SystemExit("the oxigraph server is missing: pip install -e '.[dev]' installs it")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    ask = url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"oxigraph serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(ask, timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"oxigraph serve did not answer at {url} within {seconds} s")


# -- the targets of issue 8 section 4 ----------------------------------------------------------


def farm_bench(
    command: list[str], runs: int, versus: str | None = None, timeout: int = 300
) -> dict:
    """Whole-process figures from farm-bench (median wall, peak memory), if it is installed."""
    tool = shutil.which("farm-bench")
    if tool is None:
        return {"status": "farm-bench missing"}
    call = [tool, "-n", str(runs), "--timeout", str(timeout)]
    if versus:
        call += ["--vs", versus]
    output = subprocess.run(
        call + ["--", *command], capture_output=True, text=True, cwd=REPOSITORY, check=False
    ).stdout
    figures = {}
    for line in output.splitlines():
        match = re.match(r"^(A|B|A/B)\s+(.+?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", line)
        if match:
            who, what, low, median, high = match.groups()
            figures[f"{who} {what}"] = {
                "min": float(low),
                "median": float(median),
                "max": float(high),
            }
    return {"status": "ok", "figures": figures, "output": output.splitlines()[1:]}


def measure_targets(scratch: Path) -> dict:
    wegokg = str(Path(PYTHON).with_name("wegokg"))
    targets = {}
    log("target: wegokg --help")
    targets["help"] = farm_bench([wegokg, "--help"], runs=5)
    scratch.mkdir(parents=True, exist_ok=True)
    query_file = scratch / "award-winners.rq"
    from wegokg import QueryCatalog

    query_file.write_text(
        QueryCatalog.from_folder(REPOSITORY / "queries").get("award-winners").render(),
        encoding="utf-8",
    )
    log("target: query run award-winners --engine oxigraph, against bare pyoxigraph")
    targets["query-run"] = farm_bench(
        [wegokg, "query", "run", "award-winners", "--engine", "oxigraph"],
        runs=5,
        versus=f"{PYTHON} {HERE / 'bare_query.py'} {REPOSITORY} {query_file}",
    )
    log("target: wegokg validate on the real data")
    targets["validate-real"] = farm_bench([wegokg, "validate"], runs=3)
    return targets


def measure_many_violations(data: Path, scratch: Path, count: int, timeout: float) -> dict:
    """`wegokg validate` on a generated repository holding ``count`` deliberate violations."""
    triples = int(count / 0.02 * 1.05)  # about 2 cities per 100 triples
    fraction = violation_fraction_for(count, triples)
    root = data / f"violations-{count}"
    manifest = ensure_dataset(root, triples, fraction)
    log(f"target: validate {root} ({manifest['triples']} triples, {manifest['violations']})")
    wegokg = str(Path(PYTHON).with_name("wegokg"))
    env_command = ["env", f"WEGOKG_ROOT={root}", wegokg, "validate"]
    result = run_child(env_command, timeout, limit_memory=True, cwd=_mkdir(scratch))
    result["dataset"] = {k: manifest[k] for k in ("triples", "violations")}
    return result


# -- output ----------------------------------------------------------------------------------


def machine() -> dict:
    memory = next(
        (int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        None,
    )  # fmt: skip
    packages = {}
    for name in (
        "wegokg",
        "rdflib",
        "pyshacl",
        "pyoxigraph",
        "oxigraph",
        "SPARQLWrapper",
        "matplotlib",
    ):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "load_average": os.getloadavg(),
    }


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    temporary = out / ".results.json.tmp"
    temporary.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, out / "results.json")


def parse_scales(text: str) -> list[int]:
    try:
        return [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--scales takes numbers like 1e3,1e4 (got {text!r})"
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="up to 10^4, one run: a smoke check")
    parser.add_argument("--scales", type=parse_scales, default=None)
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "performance")
    parser.add_argument("--data", type=Path, default=Path("/tmp/wegokg-benchmark-data"),
                        help="where the generated repositories are kept and reused")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=None, help="runs per task (default 3)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per task")
    parser.add_argument("--violations", type=int, default=10_000,
                        help="violations in the many-violations target (0: none)")  # fmt: skip
    parser.add_argument("--report-only", action="store_true", help="redraw from results.json")
    parser.add_argument("--merge", type=Path, action="append", default=[],
                        help="with --report-only: add another results.json")  # fmt: skip
    parser.add_argument("--skip", default="", help="tasks not to run, comma-separated")
    parser.add_argument("--skip-targets", action="store_true", help="measure the scales only")
    args = parser.parse_args(argv)
    scales = args.scales or ([1_000, 10_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000])
    if args.quick and max(scales) > 10_000:
        parser.error("--quick goes up to 10^4 triples")

    from report import write_report  # noqa: PLC0415  (matplotlib only when it is needed)

    if args.report_only:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        for other in args.merge:
            more = json.loads(other.read_text(encoding="utf-8"))
            results["scales"].update(more["scales"])
            results["targets"].update(more["targets"])
            results.setdefault("merged_runs", []).append(more["machine"])
        results["scales"] = dict(sorted(results["scales"].items(), key=lambda kv: int(kv[0])))
        save(results, args.out)
        write_report(results, args.out)
        return 0

    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"wegokg-benchmark-{os.getpid()}"
    results = {"machine": machine(), "quick": args.quick, "scales": {}, "targets": {}}
    started = time.time()
    try:
        if not args.quick and not args.skip_targets:
            results["targets"].update(measure_targets(scratch / "targets"))
            save(results, args.out)
        LEFT_OUT.update(task for task in args.skip.split(",") if task)
        skip = set(LEFT_OUT)
        for scale in scales:
            repeats = args.repeats or (1 if args.quick or scale >= 1_000_000 else 3)
            timeout = args.timeout or (120 if args.quick else 300 if scale <= 10_000 else 600)
            root = args.data / f"scale-{scale}"
            log(f"scale {scale}: generating {root}")
            clock = time.perf_counter()
            manifest = ensure_dataset(root, scale)
            entry = {
                "requested": scale,
                "triples": manifest["triples"],
                "generate_seconds": round(time.perf_counter() - clock, 2),
                "repeats": repeats,
                "timeout": timeout,
                "tasks": {},
            }
            results["scales"][str(scale)] = entry
            for task, result in measure_scale(
                root, scratch / str(scale), repeats, timeout, skip, args.quick
            ):
                entry["tasks"][task] = result
                save(results, args.out)
            if scale == 100_000 and args.violations and not args.quick:
                results["targets"]["many-violations"] = measure_many_violations(
                    args.data, scratch / "violations", args.violations, VALIDATION_LIMIT
                )
                save(results, args.out)
        results["machine"]["load_average_end"] = os.getloadavg()
        results["machine"]["total_minutes"] = round((time.time() - started) / 60, 1)
        save(results, args.out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_report(results, args.out)
    # A slow task is a figure; a task that crashed means the benchmark (or wegokg) is broken.
    failed = [
        f"{scale}: {task}: {(result.get('stderr') or '').strip().splitlines()[-1:]}"
        for scale, entry in results["scales"].items()
        for task, result in entry["tasks"].items()
        if result["status"] == "error"
    ]
    for line in failed:
        log(f"FAILED {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
