"""The measured steps of the benchmark, each run by run.py in a fresh subprocess.

    python benchmarks/tasks.py TASK ROOT --out DIR [--params JSON] [--graphs FILE] [--endpoint URL]

A task prints one JSON object per line on stdout as each step finishes: {"step": ..., "seconds":
...} (plus extra fields), so that a task killed at its time limit still reports the steps it
finished. Only the standard library is imported at the top: each task imports what it measures,
and the import is timed as part of its first step.

wegokg-* tasks go through the wegokg library API, so that a faster wegokg shows when this is
re-run; baseline-rdflib and bare-pyoxigraph use the libraries directly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

UNION_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


LAST_CPU = [time.process_time()]


def emit(step: str, seconds: float, cpu_since: float | None = None, **extra: object) -> None:
    """One finished step: its wall seconds, and the CPU seconds this process spent since the
    previous step or ``cpu_since`` (on a shared machine, CPU time is the steadier figure)."""
    now = time.process_time()
    cpu, LAST_CPU[0] = now - (LAST_CPU[0] if cpu_since is None else cpu_since), now
    record = {"step": step, "seconds": round(seconds, 6), "cpu": round(cpu, 6), **extra}
    print(json.dumps(record), flush=True)


class Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        LAST_CPU[0] = time.process_time()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.start = now - self.start, now
        return elapsed


def rendered_queries(root: Path, params: dict[str, str]) -> list[tuple[str, str]]:
    """Every stored query with its parameters bound (those it declares, from ``params``)."""
    from wegokg.query.catalog import QueryCatalog

    queries = []
    for query in QueryCatalog.from_folder(root / "queries"):
        declared = {p.name for p in query.parameters}
        queries.append(
            (query.name, query.render({k: v for k, v in params.items() if k in declared}))
        )
    return queries


def run_queries(select, queries: list[tuple[str, str]]) -> None:
    total, cpu_start = 0.0, time.process_time()
    for name, text in queries:
        clock = Clock()
        rows = select(text)
        seconds = clock.lap()
        total += seconds
        emit(f"query:{name}", seconds, rows=rows)
    emit("queries", total, cpu_since=cpu_start, count=len(queries))


def wegokg_rdflib(args: argparse.Namespace) -> None:
    clock = Clock()
    from wegokg.core.loading import load
    from wegokg.query.engines import RdflibEngine

    dataset = load(args.root)
    emit("load", clock.lap(), quads=len(dataset))
    engine = RdflibEngine(dataset)
    run_queries(lambda q: len(engine.select(q).rows), rendered_queries(args.root, args.params))


def wegokg_oxigraph_memory(args: argparse.Namespace) -> None:
    clock = Clock()
    from wegokg.core.loading import load
    from wegokg.query.engines import make_engine

    dataset = load(args.root)
    engine = make_engine("oxigraph", dataset=dataset)
    emit("load", clock.lap(), quads=len(dataset))
    run_queries(lambda q: len(engine.select(q).rows), rendered_queries(args.root, args.params))


def wegokg_oxigraph_disk(args: argparse.Namespace) -> None:
    """wegokg has no on-disk store of its own: pyoxigraph loads it, wegokg's engine queries it."""
    clock = Clock()
    import pyoxigraph

    from wegokg.core.loading import union_default_graph
    from wegokg.query.engines import OxigraphEngine

    store = pyoxigraph.Store(str(args.out / "store"))
    # One bulk load for all files: a bulk_load call per file costs a RocksDB ingestion each.
    store.bulk_extend(
        pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(graph))
        for path, graph in args.graphs
        for t in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    )
    union_default_graph(store)  # the set union as the default graph, as wegokg's stores hold it
    store.flush()
    emit("load", clock.lap(), quads=len(store))
    engine = OxigraphEngine(store)
    run_queries(lambda q: len(engine.select(q).rows), rendered_queries(args.root, args.params))


def wegokg_endpoint(args: argparse.Namespace) -> None:
    """Queries through wegokg's endpoint engine; run.py loaded and started the server."""
    from wegokg.query.engines import make_engine

    engine = make_engine(endpoint=args.endpoint)
    run_queries(lambda q: len(engine.select(q).rows), rendered_queries(args.root, args.params))


def server_nquads(args: argparse.Namespace) -> None:
    """The N-Quads file that `oxigraph load` reads (one file keeps the named graphs)."""
    clock = Clock()
    import pyoxigraph

    store = pyoxigraph.Store()
    for path, graph in args.graphs:
        store.bulk_load(
            path=path, format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(graph)
        )
    store.dump(str(args.out / "all.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    emit("nquads", clock.lap(), quads=len(store))


def wegokg_validate(args: argparse.Namespace) -> None:
    clock = Clock()
    from wegokg.validation.run import validate

    report = validate(args.root)
    errors = [v for v in report.violations if v.severity == "ERROR"]
    emit("validate", clock.lap(), violations=len(errors), conforms=report.conforms)


def wegokg_export(args: argparse.Namespace) -> None:
    clock = Clock()
    from wegokg.core.loading import load_store
    from wegokg.core.repository import Repository
    from wegokg.publish.exports import export

    store = load_store(Repository(args.root))
    emit("load", clock.lap())
    for fmt in ("ntriples", "turtle"):
        export(store, args.out / fmt, [fmt], version="benchmark")
        emit(f"export:{fmt}", clock.lap())


def baseline_rdflib(args: argparse.Namespace) -> None:
    """What a small project does with rdflib alone: parse, SPARQL, serialize."""
    clock = Clock()
    from rdflib import Dataset, URIRef

    dataset = Dataset(default_union=True)
    for path, graph in args.graphs:
        dataset.graph(URIRef(graph)).parse(path, format="turtle")
    emit("load", clock.lap(), quads=len(dataset))
    queries = _plain_queries(args)
    run_queries(lambda q: len(list(dataset.query(q))), queries)
    clock.lap()
    union = dataset.query(UNION_QUERY).graph
    union.serialize(str(args.out / "baseline.nt"), format="nt", encoding="utf-8")
    emit("export:ntriples", clock.lap())
    union.serialize(str(args.out / "baseline.ttl"), format="turtle", encoding="utf-8")
    emit("export:turtle", clock.lap())


def baseline_shacl(args: argparse.Namespace) -> None:
    """pyshacl on one rdflib Graph holding ontology and data."""
    clock = Clock()
    import pyshacl
    from rdflib import Graph

    data = Graph()
    for path, _ in args.graphs:
        data.parse(path, format="turtle")
    shapes = Graph()
    for path in sorted((args.root / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    emit("parse", clock.lap(), triples=len(data))
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True
    )
    from rdflib.namespace import SH

    emit("validate", clock.lap(), violations=len(list(results.objects(None, SH.result))))


def bare_pyoxigraph(args: argparse.Namespace) -> None:
    """The floor: pyoxigraph alone, no wegokg."""
    clock = Clock()
    import pyoxigraph

    store = pyoxigraph.Store()
    for path, graph in args.graphs:
        store.bulk_load(
            path=path, format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(graph)
        )
    emit("load", clock.lap(), quads=len(store))
    queries = _plain_queries(args)
    run_queries(lambda q: len(list(store.query(q, use_default_graph_as_union=True))), queries)
    clock.lap()
    for fmt, name in (
        (pyoxigraph.RdfFormat.N_TRIPLES, "ntriples"),
        (pyoxigraph.RdfFormat.TURTLE, "turtle"),
    ):
        triples = store.query(UNION_QUERY, use_default_graph_as_union=True)
        pyoxigraph.serialize(triples, str(args.out / f"bare.{name}"), format=fmt)
        emit(f"export:{name}", clock.lap())


def _plain_queries(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The rendered query texts, written by run.py, so that the baselines need no wegokg."""
    return json.loads((args.out / "queries.json").read_text(encoding="utf-8"))


TASKS = {
    "wegokg-rdflib": wegokg_rdflib,
    "wegokg-oxigraph-memory": wegokg_oxigraph_memory,
    "wegokg-oxigraph-disk": wegokg_oxigraph_disk,
    "wegokg-endpoint": wegokg_endpoint,
    "server-nquads": server_nquads,
    "wegokg-validate": wegokg_validate,
    "wegokg-export": wegokg_export,
    "baseline-rdflib": baseline_rdflib,
    "baseline-shacl": baseline_shacl,
    "bare-pyoxigraph": bare_pyoxigraph,
    "write-queries": None,  # run.py's helper, below
}


def write_queries(args: argparse.Namespace) -> None:
    queries = rendered_queries(args.root, args.params)
    (args.out / "queries.json").write_text(json.dumps(queries), encoding="utf-8")


TASKS["write-queries"] = write_queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One measured benchmark task (run by run.py).")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("root", type=Path)
    parser.add_argument("--params", type=json.loads, default={})
    parser.add_argument("--graphs", type=Path, help="JSON list of [file, graph IRI]")
    parser.add_argument("--endpoint")
    parser.add_argument("--out", type=Path, required=True, help="scratch folder")
    args = parser.parse_args(argv)
    args.graphs = json.loads(args.graphs.read_text(encoding="utf-8")) if args.graphs else []
    args.out.mkdir(parents=True, exist_ok=True)
    TASKS[args.task](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
