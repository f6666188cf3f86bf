"""Validate the dataset: SHACL shapes, the evidence check, the term check and the quality checks,
gathered into one report in which every problem names its file, line, focus node and shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from wegokg.checks import load_checks, run_checks
from wegokg.engines import OxigraphEngine, QueryEngine
from wegokg.evidence import check_quotes
from wegokg.load import (
    GraphFile,
    LoadError,
    SourceIndex,
    build_dataset,
    find_root,
    load_shapes,
    read_graph_files,
)
from wegokg.report import ValidationReport, Violation
from wegokg.terms import check_terms

SEVERITY_NAMES = {SH.Violation: "ERROR", SH.Warning: "WARN", SH.Info: "INFO"}


def validate(root: Path | str | None = None, extra_files: Iterable[Path] = ()) -> ValidationReport:
    """Validate ontology plus data. Raises LoadError if a file cannot be parsed at all."""
    root = find_root() if root is None else Path(root)
    read = read_graph_files(root, extra_files)
    dataset = build_dataset(read)
    shapes = load_shapes(root)
    index = SourceIndex.build(item for item, _ in read)
    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)

    engine = OxigraphEngine.from_dataset(dataset)
    violations = shacl_violations(union, shapes, dataset, index)
    violations += evidence_violations(union, root / "data", index)
    violations += term_violations(read, root)
    violations += check_violations(engine, root, index)
    return ValidationReport(violations)


def shacl_violations(
    data: Graph, shapes: Graph, dataset: Graph, index: SourceIndex
) -> list[Violation]:
    """Run the SHACL shapes with pyshacl, over a pyoxigraph store for speed."""
    import pyoxigraph
    import pyshacl

    store = pyoxigraph.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    try:
        _, results, text = pyshacl.validate(
            store, shacl_graph=shapes, inference="none", advanced=True
        )
    except (SyntaxError, ValueError, RuntimeError) as error:  # e.g. a broken sh:select
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise LoadError(
            "shapes", None, f"the SHACL shapes cannot be used: {type(error).__name__}: {message}"
        ) from None
    if not isinstance(results, Graph):  # pyshacl hands back its error when a shape is unusable
        raise LoadError("shapes", None, f"the SHACL shapes cannot be used: {text}")
    violations = []
    # Only top-level results: a failed sh:node also lists its inner results via sh:detail.
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = _named_shape(shapes, results.value(result, SH.sourceShape))
        message = str(results.value(result, SH.resultMessage) or "")
        severity = SEVERITY_NAMES.get(results.value(result, SH.resultSeverity), "ERROR")
        file, line = _where(index, dataset, focus, path)
        violations.append(
            Violation(
                file=file,
                line=line,
                focus_node=str(focus),
                severity=severity,
                check="shacl",
                shape=shape,
                message=message,
                path=str(path) if isinstance(path, URIRef) else None,
                value=str(value) if value is not None and value != focus else None,
            )
        )
    return violations


def evidence_violations(data: Graph, data_dir: Path, index: SourceIndex) -> list[Violation]:
    violations = []
    for problem in check_quotes(data, data_dir):
        file, line = _where(index, data, URIRef(problem.focus_node), None)
        violations.append(
            Violation(
                file=file,
                line=line,
                focus_node=problem.focus_node,
                severity="ERROR",
                check="evidence",
                shape="evidence",
                message=problem.message,
                path=problem.path,
            )
        )
    return violations


def term_violations(read: list[tuple[GraphFile, Graph]], root: Path) -> list[Violation]:
    declarations = [graph for item, graph in read if item.kind in ("ontology", "imports")]
    files = [item.path for item, _ in read]
    files += sorted((root / "shapes").glob("*.ttl")) + sorted(
        (root / "shapes" / "checks").glob("*.rq")
    )
    files += sorted((root / "queries").glob("*.rq"))
    return [
        Violation(
            file=_relative(problem.path),
            line=problem.line,
            focus_node=problem.term,
            severity="ERROR",
            check="terms",
            shape="undeclared-term",
            message="this term is declared neither in ontology/wego.ttl nor in ontology/imports/: "
            "check its spelling, or declare it",
        )
        for problem in check_terms(declarations, files)
    ]


def check_violations(engine: QueryEngine, root: Path, index: SourceIndex) -> list[Violation]:
    violations = []
    for result in run_checks(engine, load_checks(root / "shapes" / "checks")):
        query = result.check.query
        located = index.locate(result.focus_node, result.graph)
        file, line = (_relative(located[0]), located[1]) if located else (_relative(query.path), 1)
        violations.append(
            Violation(
                file=file,
                line=line,
                focus_node=result.focus_node,
                severity=result.check.severity,
                check="quality",
                shape=result.check.name,
                message=f"{query.get('title')}. Fix: {query.get('fix')}",
                value=result.value,
            )
        )
    return violations


def _named_shape(shapes: Graph, shape: object) -> str:
    """The IRI of a shape, or of the node shape that owns a blank property shape."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        owner = shapes.value(None, SH.property, shape)
        if owner is None:
            break
        shape = owner
    return str(shape)


def _where(index: SourceIndex, dataset: Graph, focus: object, path: object) -> tuple[str, int]:
    """The file and line to blame: where the focus node's offending statement is written."""
    graph = None
    if isinstance(path, URIRef) and hasattr(dataset, "contexts"):
        for context in dataset.contexts((focus, path, None)):
            graph = str(context.identifier)
            break
    located = index.locate(str(focus), graph)
    if located is None:
        return "<unknown file>", 0
    return _relative(located[0]), located[1]


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
