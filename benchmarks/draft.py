"""How long `wegokg draft` takes on each stored article, in a fresh process each time (Python's
start, the imports and kiwipiepy's start included), leave-one-out as in tests/curate/test_draft.py.

    .venv/bin/python benchmarks/draft.py [--runs 5]

Prints the wall and CPU seconds of each run and the best and median per article, and the load
average, since the machine is shared. The figures go into docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = {
    "seongnam-2021-10-20": "004_5b0afd051804e015.txt",
    "newspim-2021-10-13": "000_fa9aa0f98d6df127.txt",
}
WEGOKG = Path(sys.executable).with_name("wegokg")


def one_run(folder: Path, page: str, output: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(WEGOKG), "draft", f"data/sources/{page}", "-o", str(output), "--force"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, page in ARTICLES.items():
            folder = Path(scratch) / name
            for part in ("ontology", "data", "shapes", "queries"):
                shutil.copytree(ROOT / part, folder / part)
            (folder / "data" / "articles" / f"{name}.ttl").unlink()
            runs = [one_run(folder, page, folder / "draft.ttl") for _ in range(args.runs)]
            walls = [w for w, _ in runs]
            cpus = [c for _, c in runs]
            print(
                f"{name}: wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s, "
                f"worst {max(walls):.2f} s; CPU median {statistics.median(cpus):.2f} s "
                f"({args.runs} runs)"
            )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
