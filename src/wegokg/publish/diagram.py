"""Draw the data model: the vocabulary's classes and the relations between them, as Graphviz DOT.

Classes and subclass links come from the ontology; relations come from the object properties'
domains and ranges and from the shapes' sh:class constraints. The DOT text is committed beside the
SVG that Graphviz renders from it; the SVG carries the DOT's SHA-256, so a test can tell when the
picture is out of date.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from wegokg.core.errors import ToolError
from wegokg.core.namespaces import WEGO, shorten

if TYPE_CHECKING:
    from wegokg.core.repository import Repository

# Outside classes that stand for a group of ours in the picture.
STAND_INS = {
    "http://www.w3.org/ns/org#Organization": "org:Organization",
    "http://xmlns.com/foaf/0.1/Agent": "foaf:Agent",
}


class DiagramError(ToolError, RuntimeError):
    """The ontology or shapes cannot be read, or Graphviz is missing or failed."""


def ontology_dot(ontology: Graph, shapes: Graph) -> str:
    """DOT for the classes of our vocabulary, their subclass links and their relations.

    ``ontology`` holds our vocabulary and the imported extracts (for the subclass chains up to
    org:Organization and foaf:Agent); ``shapes`` holds the SHACL shapes."""
    classes = sorted(
        (c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(WEGO)), key=str
    )
    claims = set(ontology.transitive_subjects(RDFS.subClassOf, URIRef(WEGO + "Claim")))
    lines = [
        "digraph wego {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.6];',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica",'
        " fontsize=10];",
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    for cls in classes:
        label = _local(cls)
        colour = "#fff4e0" if cls in claims else "#eef3fb"
        lines.append(f'  "{label}" [fillcolor="{colour}"];')
    for label in STAND_INS.values():
        lines.append(f'  "{label}" [fillcolor="#f2f2f2", style="rounded,dashed,filled"];')
    for cls in classes:
        for parent in sorted(ontology.objects(cls, RDFS.subClassOf), key=str):
            if str(parent).startswith(WEGO):
                lines.append(
                    f'  "{_local(cls)}" -> "{_local(parent)}" [arrowhead=empty, style=dashed];'
                )
    edges: set[tuple[str, str, str]] = set()
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if not str(prop).startswith(WEGO) or (prop, OWL.inverseOf, None) in ontology:
            continue
        source = _node(ontology.value(prop, RDFS.domain), classes)
        target = _node(ontology.value(prop, RDFS.range), classes)
        if source and target:
            edges.add((source, target, shorten(str(prop))))
    for shape in set(shapes.subjects(SH.targetClass, None)):
        targets = list(shapes.objects(shape, SH.targetClass))
        if len(targets) != 1:
            continue  # a shape shared by several classes would draw the same edge many times
        for target_class in targets:
            for property_shape in shapes.objects(shape, SH.property):
                path = shapes.value(property_shape, SH.path)
                value_class = shapes.value(property_shape, SH["class"])
                source, target = _node(target_class, classes), _node(value_class, classes)
                if isinstance(path, URIRef) and source and target:
                    edges.add((source, target, shorten(str(path))))
    inherited = {
        (source, target, label)
        for source, target, label in edges
        for parent in ontology.transitive_objects(URIRef(WEGO + source), RDFS.subClassOf)
        if parent != URIRef(WEGO + source) and (_local(parent), target, label) in edges
    }
    for source, target, label in sorted(edges - inherited):
        lines.append(f'  "{source}" -> "{target}" [label="{label}"];')
    for cls in classes:
        parents = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        if not any(str(p).startswith(WEGO) for p in parents):
            for stand_in, label in STAND_INS.items():
                if URIRef(stand_in) in parents:
                    lines.append(f'  "{_local(cls)}" -> "{label}" [arrowhead=empty, style=dashed];')
                    break
    lines.append("}")
    return "\n".join(lines) + "\n"


def model_dot(repository: Repository | Path) -> str:
    """The DOT text for the repository's ontology, imports and shapes."""
    from wegokg.core.repository import Repository, UnreadableFileError

    if not isinstance(repository, Repository):
        repository = Repository(repository)
    try:
        return ontology_dot(repository.vocabulary, repository.shapes)
    except UnreadableFileError as error:  # the picture is drawn from these files: say which
        raise DiagramError(str(error)) from None


def write_diagram(repository: Repository | Path, folder: Path) -> list[Path]:
    """Write data-model.dot and the SVG that Graphviz draws from it."""
    dot = model_dot(repository)
    folder.mkdir(parents=True, exist_ok=True)
    dot_path, svg_path = folder / "data-model.dot", folder / "data-model.svg"
    render_svg(dot, svg_path)
    dot_path.write_text(dot, encoding="utf-8")
    return [dot_path, svg_path]


def render_svg(dot: str, svg_path: Path) -> None:
    """Render DOT to SVG with Graphviz, stamping the SVG with the DOT's SHA-256."""
    binary = shutil.which("dot")
    if binary is None:
        raise DiagramError("Graphviz 'dot' is not installed (Debian: apt-get install graphviz)")
    stamped = dot.replace("digraph wego {", f'digraph wego {{\n  comment="{dot_digest(dot)}";', 1)
    result = subprocess.run(
        [binary, "-Tsvg"], input=stamped.encode(), capture_output=True, timeout=60
    )
    if result.returncode != 0:
        raise DiagramError(f"Graphviz failed: {result.stderr.decode(errors='replace')}")
    svg_path.write_bytes(result.stdout)


def dot_digest(dot: str) -> str:
    return "dotsha256:" + hashlib.sha256(dot.encode()).hexdigest()


def _local(iri: object) -> str:
    return str(iri)[len(WEGO) :]


def _node(term: object, classes: list) -> str | None:
    if term in classes:
        return _local(term)
    return STAND_INS.get(str(term))
