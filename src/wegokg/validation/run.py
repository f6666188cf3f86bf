"""Run the checkers: every registered checker (``wegokg.validation.checker_registry.CHECKERS``), in
its order, over one shared ``ValidationContext``, into one ``ValidationReport``.

On a machine with two cores or more, and data of a megabyte or more, they run on two at once. The
checkers that read only the files (``reads = "files"``: the term check, the stored queries) run in
a worker process forked before the pyoxigraph store is loaded, while it loads. Once it is loaded,
the first checker that reads it (SHACL, which finds the most kinds of fault) runs in this process,
and the others run in a second worker forked then, which shares the loaded store instead of loading
it again (``wegokg.query.worker_process.ForkedWorker``). Timing changes nothing that is reported:
each violation is passed to ``on_violation`` in the calling thread, once, as soon as any checker
finds it; the report is sorted; the notes keep the checkers' order; and if checkers fail, the error
raised is that of the first in run order, as when they run one after the other.
"""

from __future__ import annotations

import contextlib
import gc
import os
import queue
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from wegokg.core.loading import _repository
from wegokg.core.progress import step
from wegokg.core.repository import Repository
from wegokg.validation.checker_registry import CHECKERS, reads_files
from wegokg.validation.context import Checker, ValidationContext
from wegokg.validation.report import ValidationReport, Violation

# Bytes of Turtle from which the checkers run on two cores (10^5 triples are about 6.6 MB).
TWO_CORES_FROM = 1_000_000


def default_checkers() -> list[Checker]:
    """Every registered checker, in run order (``wegokg.validation.checker_registry.CHECKERS``)."""
    return CHECKERS.checkers()


def validate(
    root: Path | str | Repository | None = None,
    extra_files: Iterable[Path] = (),
    checkers: Sequence[Checker] | None = None,
    on_violation: Callable[[Violation], None] | None = None,
    context: ValidationContext | None = None,
) -> ValidationReport:
    """Validate ontology plus data with every checker. Raises LoadError if a file cannot be
    parsed at all, and a ToolError if a checker cannot run (unusable shapes, a broken check).

    ``on_violation``, if given, is called with each violation as soon as a checker finds it (each
    once, in the order found), so that a report can be shown while the other checkers run.
    ``context``, if given, is the one to validate in (its repository, not ``root``): the caller
    keeps what the checkers loaded, such as the pyoxigraph store that an export writes from."""
    if context is None:
        context = ValidationContext(_repository(root, extra_files))
    checkers = default_checkers() if checkers is None else checkers
    violations = list(found_violations(context, checkers, on_violation))
    return ValidationReport(
        violations, checks=tuple(c.name for c in checkers), notes=tuple(context.notes)
    )


def found_violations(
    context: ValidationContext,
    checkers: Sequence[Checker],
    on_violation: Callable[[Violation], None] | None = None,
) -> Iterator[Violation]:
    """Each checker's violations as they are found, each distinct violation once."""
    seen: set[Violation] = set()
    if (
        len(checkers) > 1
        and not all(map(reads_files, checkers))
        and _two_cores()
        and _data_bytes(context) >= TWO_CORES_FROM
    ):
        found = _on_two_cores(context, checkers)
    else:
        found = (v for _, kind, v in _Checkers(context, checkers).run() if kind == "violation")
    for violation in found:
        if violation not in seen:
            seen.add(violation)
            if on_violation is not None:
                on_violation(violation)
            yield violation


def _two_cores() -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1 and hasattr(os, "fork")


def _data_bytes(context: ValidationContext) -> int:
    """The size of the files to validate: below ``TWO_CORES_FROM`` the two workers' forks cost
    more than they save (the repository's own data, about 0.2 MB, validates in half a second)."""
    total = 0
    for item in context.repository.file_graphs():
        with contextlib.suppress(OSError):  # the loader says what is wrong with it
            total += item.path.stat().st_size
        if total >= TWO_CORES_FROM:
            break
    return total


class _Checkers:
    """The checkers over one context, run in order: in this process, or in a worker forked from
    it (``ForkedWorker.stream("run", ...)``), which sees the context as it was then.

    ``run`` yields (checker's index, kind, value): ``start`` as each checker starts, then a
    ``violation`` for each violation it finds, then ``notes``, the lines it added to
    ``context.notes``. A worker passes them on as they come."""

    worker = None  # what ForkedWorker sets in the worker (an engine's attribute)

    def __init__(self, context: ValidationContext, checkers: Sequence[Checker]) -> None:
        self.context = context
        self.checkers = checkers

    def run(self, indices: Iterable[int] | None = None) -> Iterator[tuple[int, str, object]]:
        for index in range(len(self.checkers)) if indices is None else indices:
            checker = self.checkers[index]
            yield index, "start", None
            before = len(self.context.notes)
            with step(f"validating: {checker.name}"):
                for violation in checker.check(self.context):
                    yield index, "violation", violation
            yield index, "notes", self.context.notes[before:]

    def run_then_index(self, indices: list[int]) -> Iterator[tuple[int, str, object]]:
        """``run``, then the repository's source index (where each subject is written): the files
        lane reads every file anyway and ends first, and a violation found in this process is
        shown at once when it need not build the index itself (2 s of CPU at 10^6 triples)."""
        yield from self.run(indices)
        yield indices[-1], "source_index", self.context.repository.source_index


def _on_two_cores(context: ValidationContext, checkers: Sequence[Checker]) -> Iterator[Violation]:
    """The checkers on two cores (see the module's text), their violations as found."""
    from wegokg.query.worker_process import ForkedWorker

    files = [i for i, checker in enumerate(checkers) if reads_files(checker)]
    store = [i for i, checker in enumerate(checkers) if not reads_files(checker)]
    everything = _Checkers(context, checkers)
    workers: list[ForkedWorker] = []
    lanes: list[tuple[list[int], Iterator]] = []

    def fork(indices: list[int], method: str = "run") -> None:
        worker = ForkedWorker(everything, None, None, capture_stderr=False)
        workers.append(worker)
        lanes.append((indices, worker.stream(method, indices)))

    try:
        if files:
            fork(files, "run_then_index")
        context.store  # noqa: B018 (loaded here, while the worker checks the files)
        if len(store) > 1:
            fork(store[1:])
        lanes.append((store[:1], everything.run(store[:1])))
        yield from _merged(context, lanes)
    finally:
        for worker in workers:
            worker.close()


def _merged(context: ValidationContext, lanes: list[tuple[list[int], Iterator]]) -> Iterator:
    """The violations of every lane (the indices of its checkers, and what ``_Checkers.run``
    yields for them), each passed on in this thread as soon as it comes; then the notes in run
    order, or the error of the first checker in run order that failed."""
    messages: queue.Queue = queue.Queue()
    stop = threading.Event()  # set when no one reads on: a lane in this process stops too
    done = float("inf")

    def pump(lane: int, indices: list[int], items: Iterator) -> None:
        index = indices[0]
        try:
            for index, kind, value in items:
                if stop.is_set():
                    items.close()  # here: what a checker holds is dropped in its own thread
                    break
                messages.put((lane, index, kind, value))
        except BaseException as error:  # noqa: BLE001 (raised in the calling thread)
            messages.put((lane, index, "error", _without_locals(error)))
        gc.collect()  # and what the lane's checkers left, in their own thread
        messages.put((lane, done, "done", None))

    # Garbage left in this thread is collected here, not by whichever lane's thread happens to
    # start a collection: pyoxigraph's query solutions may be dropped only where they were made.
    gc.collect()
    for lane, (indices, items) in enumerate(lanes):
        threading.Thread(target=pump, args=(lane, indices, items), daemon=True).start()
    at = {lane: indices[0] for lane, (indices, _) in enumerate(lanes)}  # the checker each runs
    notes = {-1: list(context.notes)}
    errors: dict[int, BaseException] = {}
    try:
        # Until every lane is done, or past the first checker that failed: only a checker
        # before it in run order could still raise the error to raise.
        while min(at.values()) < min(errors, default=done):
            lane, index, kind, value = messages.get()
            at[lane] = index
            if kind == "error":
                errors[index] = value
            elif kind == "notes":
                notes[index] = value
            elif kind == "source_index":  # unless this process has built its own meanwhile
                context.repository.__dict__.setdefault("source_index", value)
            elif kind == "violation" and index < min(errors, default=done):
                yield value
    finally:
        stop.set()
    if errors:
        raise errors[min(errors)]
    context.notes[:] = [note for index in sorted(notes) for note in notes[index]]


def _without_locals(error: BaseException) -> BaseException:
    """``error``, with the frames it (and the errors it arose from) went through cleared of their
    local variables: pyoxigraph's query results may be dropped only in the thread that made them,
    and the error is raised, and dropped, in another."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        traceback.clear_frames(cause.__traceback__)
        cause = cause.__context__
    return error
