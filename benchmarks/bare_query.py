"""The floor for `wegokg query run NAME --engine oxigraph`: pyoxigraph alone, no wegokg.

    python benchmarks/bare_query.py ROOT QUERY_FILE

It loads the same Turtle files (ontology, imports, data) and runs the same query text (run.py
writes it with the parameters already bound), printing one tab-separated line per row.
"""

import sys
from pathlib import Path

import pyoxigraph

root, query = Path(sys.argv[1]), Path(sys.argv[2]).read_text(encoding="utf-8")
store = pyoxigraph.Store()
files = [root / "ontology" / "wego.ttl", *sorted((root / "ontology" / "imports").glob("*.ttl"))]
files += sorted((root / "data").glob("*/*.ttl"))
for path in files:
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
for row in store.query(query):
    print("\t".join("" if term is None else str(term) for term in row))
