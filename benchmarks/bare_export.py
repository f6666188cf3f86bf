"""The floor for `wegokg export --format ntriples`: pyoxigraph alone, no wegokg.

    python benchmarks/bare_export.py ROOT OUT.nt

It loads the same Turtle files (ontology, imports, data), each into a named graph of its own,
and writes every statement once, sorted, as N-Triples: what a user with pyoxigraph and no
wegokg would write. Compare with /usr/bin/time -f '%e %U %M' (docs/performance.md).
"""

import sys
from pathlib import Path

import pyoxigraph

root, out = Path(sys.argv[1]), Path(sys.argv[2])
store = pyoxigraph.Store()
files = [root / "ontology" / "wego.ttl", *sorted((root / "ontology" / "imports").glob("*.ttl"))]
files += sorted((root / "data").glob("*/*.ttl"))
for path in files:
    graph = pyoxigraph.NamedNode(path.resolve().as_uri())
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph)
union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
pyoxigraph.serialize(sorted(union, key=str), str(out), format=pyoxigraph.RdfFormat.N_TRIPLES)
