"""Reproduce the validation slowdown that the profile in docs/performance.md points at.

    python benchmarks/pyshacl_truth_value.py plain|patched DIR

pyshacl builds each result's description with ``stringify_node(datagraph or sg, ...)``. The ``or``
asks for the data graph's truth value, which Python takes from ``__len__``, and pyshacl's
OxigraphDataGraph answers ``__len__`` with a COUNT over the whole store: one full scan per result,
including the discarded results of every failing ``sh:or`` alternative. "patched" gives the
wrapper a constant truth value and validates again; the violations must be the same.
"""

import sys
import time

import pyshacl.graph_abstraction as graph_abstraction

from wegokg.validation.run import validate

if sys.argv[1] == "patched":
    graph_abstraction.OxigraphDataGraph.__bool__ = lambda self: True
wall, cpu = time.perf_counter(), time.process_time()
report = validate(sys.argv[2])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
shapes = sorted({v.shape.rsplit("#", 1)[-1] for v in report.violations})
print(f"{sys.argv[1]}: {wall:.2f} s wall, {cpu:.2f} s CPU, {len(report.violations)} violations")
print(f"  shapes: {', '.join(shapes) or 'none'}")
