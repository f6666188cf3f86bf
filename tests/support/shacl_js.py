"""Run the independent JavaScript SHACL engine (shacl-engine) and pyshacl on the same files.

Both engines' reports are reduced to the same shape (`JsReport` / `JsResult`) so that tests can
compare them as sets of ``(focus_node, shape, path, component)`` tuples (`JsReport.keys()`).

Normalisation rules, identical for both engines (the JavaScript side lives in
``tests/shacl_js/validate.mjs``):

* terms as strings: IRIs plain, literals as their lexical form, blank nodes as ``_:`` + label
  (blank-node labels differ between engines, so only IRI focus nodes compare meaningfully);
* ``shape``: a blank-node shape is replaced by the IRI of the shape that reaches it through
  ``sh:property`` (walking up until an IRI is found; the smallest IRI wins on ties);
* ``path``: the IRI of a predicate path; otherwise a SPARQL-like string with IRIs in angle
  brackets (``^<p>``, ``<p>/<q>``, ``(<p>|<q>)``, ``<p>*``, ``<p>+``, ``<p>?``); None without path.

validate.mjs also hands shacl-engine the data's ``rdfs:subClassOf`` triples (and drops the shapes
graph's), because shacl-engine otherwise resolves subclasses for ``sh:targetClass``/``sh:class`` in
the shapes graph, where SHACL (and pyshacl) use the data graph. It exits 2 on shapes that
shacl-engine 1.1.2 would silently misvalidate (e.g. two ``sh:pattern`` or two ``sh:sparql`` values
on one shape), so `validate_js` raises RuntimeError for them.

Install the JavaScript side with ``npm ci --prefix tests/shacl_js`` (Node >= 20.6).
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from support.layout import ROOT

HARNESS_DIR: Path = ROOT / "tests" / "shacl_js"
VALIDATE_MJS: Path = HARNESS_DIR / "validate.mjs"
INSTALL_HINT = "run: npm ci --prefix tests/shacl_js"
TIMEOUT_SECONDS = 600
MIN_NODE = (20, 6)  # node:module register(), used by validate.mjs


@dataclass(frozen=True)
class JsResult:
    focus_node: str
    shape: str
    path: str | None
    component: str
    severity: str
    messages: tuple[str, ...] = ()
    value: str | None = None  # sh:value, informative only (not part of `key`)

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        return (self.focus_node, self.shape, self.path, self.component)


@dataclass(frozen=True)
class JsReport:
    conforms: bool
    results: list[JsResult]

    def keys(self) -> set[tuple[str, str, str | None, str]]:
        """The results as a set of ``(focus_node, shape, path, component)`` tuples."""
        return {r.key for r in self.results}


def _node_path() -> str | None:
    return shutil.which("node")


@functools.cache
def _node_version(node: str) -> tuple[int, ...]:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=60).stdout
    return tuple(int(part) for part in re.findall(r"\d+", out)[:3])


def shacl_js_available() -> str | None:
    """None if the JavaScript engine can run, else a human-readable reason why not."""
    node = _node_path()
    if node is None:
        return f"node not found on PATH (install Node.js >= 20.6, then {INSTALL_HINT})"
    version = _node_version(node)
    if version < MIN_NODE:
        found = ".".join(map(str, version)) or "unknown"
        return f"{node} is version {found}; validate.mjs needs Node.js >= 20.6"
    for package in ("shacl-engine", "n3", "@rdfjs/dataset", "@rdfjs/data-model"):
        if not (HARNESS_DIR / "node_modules" / package / "package.json").is_file():
            return f"{HARNESS_DIR / 'node_modules' / package} is missing ({INSTALL_HINT})"
    return None


_install_lock = threading.Lock()  # the cross-check installs from a background thread


@functools.cache
def install_shacl_js() -> str | None:
    """Install the harness's pinned npm packages once if node is here but they are not.

    Returns the reason it is still unavailable, or None. npm reads only the lock file, from the
    npm registry, so the versions are exactly the committed ones. Safe to call from several
    threads and processes (pytest-xdist workers) at once: one installs, the others wait."""
    with _install_lock:
        return _install_once()


def _install_once() -> str | None:
    reason = shacl_js_available()
    npm = shutil.which("npm")
    if reason is None or _node_path() is None or npm is None or "is missing" not in reason:
        return reason
    with open(HARNESS_DIR / "package.json", "rb") as lock:  # a file every checkout has
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if shacl_js_available() is None:  # another process installed it meanwhile
                return None
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(HARNESS_DIR)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    if done.returncode != 0:
        return f"npm ci failed: {done.stderr.strip()[-500:]}"
    return shacl_js_available()


def require_shacl_js() -> None:
    """Skip the calling test when the JavaScript engine is unavailable; fail instead in CI.

    The first call installs the harness's npm packages if node is present and they are not."""
    import pytest

    reason = install_shacl_js()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"shacl-engine harness unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"shacl-engine harness unavailable: {reason}")


def run_validate_mjs(
    shapes: Sequence[Path], data: Sequence[Path], *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run validate.mjs and return the completed process (any exit code)."""
    node = _node_path()
    if node is None:
        raise RuntimeError("node not found on PATH")
    args = [node, str(VALIDATE_MJS)]
    for path in shapes:
        args += ["--shapes", str(path)]
    for path in data:
        args += ["--data", str(path)]
    args += extra
    return subprocess.run(
        args, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT_SECONDS
    )


def validate_js(shapes: Sequence[Path], data: Sequence[Path], *extra: str) -> JsReport:
    """Validate with shacl-engine (all data files merged; all shapes files merged)."""
    proc = run_validate_mjs(shapes, data, *extra)
    if proc.returncode not in (0, 1):
        raise RuntimeError(
            f"validate.mjs failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout}"
        )
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"validate.mjs printed invalid JSON ({exc}): {proc.stdout[:500]!r}"
        ) from exc
    report = JsReport(
        conforms=bool(payload["conforms"]),
        results=[
            JsResult(
                focus_node=r["focusNode"],
                shape=r["shape"],
                path=r["path"],
                component=r["component"],
                severity=r["severity"],
                messages=tuple(r["message"]),
                value=r.get("value"),
            )
            for r in payload["results"]
        ],
    )
    if report.conforms != (proc.returncode == 0):
        raise RuntimeError(
            f"validate.mjs exit code {proc.returncode} contradicts conforms={report.conforms}"
        )
    return report


# --- pyshacl --------------------------------------------------------------------------------


def _load(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(Path(path), format="turtle")
    return graph


def term_to_str(term: Node) -> str:
    """IRI -> the IRI, literal -> its lexical form, blank node -> "_:" + label."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _opt_str(term: Node | None) -> str | None:
    return None if term is None else term_to_str(term)


def owning_shape(shape: Node, shapes: Graph) -> str:
    """The shape's IRI; for a blank-node shape, the nearest IRI reaching it via sh:property."""
    if not isinstance(shape, BNode):
        return term_to_str(shape)
    frontier: list[Node] = [shape]
    seen = {shape}
    while frontier:
        parents = [p for node in frontier for p in shapes.subjects(SH.property, node)]
        iris = sorted(str(p) for p in parents if isinstance(p, URIRef))
        if iris:
            return iris[0]
        frontier = []
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    return term_to_str(shape)


_PATH_SUFFIXES = ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?"))


def path_to_str(path: Node, graph: Graph, top: bool = True) -> str:
    """Render a SHACL property path like validate.mjs does."""
    if isinstance(path, URIRef):
        return str(path) if top else f"<{path}>"
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_to_str(step, graph, top=False) for step in Collection(graph, path))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return (
            "("
            + "|".join(path_to_str(a, graph, top=False) for a in Collection(graph, alternatives))
            + ")"
        )
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_to_str(inverse, graph, top=False)
    for predicate, suffix in _PATH_SUFFIXES:
        inner = graph.value(path, predicate)
        if inner is not None:
            return path_to_str(inner, graph, top=False) + suffix
    return term_to_str(path)


def pyshacl_focus_shape_keys(shapes: Sequence[Path], data: Sequence[Path]) -> set[tuple[str, str]]:
    """(focus node, shape) of pyshacl's top-level results, normalized like validate_pyshacl.

    pyshacl runs as in wegokg.validate (advanced=True, inference="none", over a pyoxigraph
    store), which is about ten times faster than over the rdflib graph validate_pyshacl uses.
    """
    import pyoxigraph
    import pyshacl

    shapes_graph = _load(shapes)
    store = pyoxigraph.Store()
    store.load(
        _load(data).serialize(format="nt", encoding="utf-8"),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    _, results, text = pyshacl.validate(
        store, shacl_graph=shapes_graph, inference="none", advanced=True
    )
    if not isinstance(results, Graph):
        raise RuntimeError(f"pyshacl failed: {text}")
    return {
        (
            term_to_str(results.value(result, SH.focusNode)),
            owning_shape(results.value(result, SH.sourceShape), shapes_graph),
        )
        for result in results.objects(None, SH.result)
    }


def validate_pyshacl(shapes: Sequence[Path], data: Sequence[Path]) -> JsReport:
    """Validate with pyshacl (advanced=True, inference="none") and normalise like validate_js."""
    from pyshacl import validate

    shapes_graph = _load(shapes)
    data_graph = _load(data)
    conforms, results_graph, text = validate(
        data_graph, shacl_graph=shapes_graph, advanced=True, inference="none"
    )
    if not isinstance(results_graph, Graph):  # pyshacl.errors.ValidationFailure
        raise RuntimeError(f"pyshacl failed: {text}")
    results = []
    for result in results_graph.objects(None, SH.result):
        path = results_graph.value(result, SH.resultPath)
        if path is not None:
            # pyshacl copies complex paths into the report; fall back to the shapes graph.
            has_structure = isinstance(path, URIRef) or (path, None, None) in results_graph
            path_str = path_to_str(path, results_graph if has_structure else shapes_graph)
        else:
            path_str = None
        results.append(
            JsResult(
                focus_node=term_to_str(results_graph.value(result, SH.focusNode)),
                shape=owning_shape(results_graph.value(result, SH.sourceShape), shapes_graph),
                path=path_str,
                component=term_to_str(results_graph.value(result, SH.sourceConstraintComponent)),
                severity=term_to_str(results_graph.value(result, SH.resultSeverity)),
                messages=tuple(
                    sorted(str(m) for m in results_graph.objects(result, SH.resultMessage))
                ),
                value=_opt_str(results_graph.value(result, SH.value)),
            )
        )
    results.sort(
        key=lambda r: (r.focus_node, r.shape, r.path or "", r.component, r.messages, r.value or "")
    )
    return JsReport(conforms=bool(conforms), results=results)
