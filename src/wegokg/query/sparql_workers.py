"""Run SPARQL queries in worker processes, so that a query can be stopped at its deadline.

pyoxigraph cannot cancel a query that runs in a thread, and a cross product over the graph with
ORDER BY runs for minutes. So each query runs in one of a few worker processes, each holding its
own in-memory store loaded from an N-Quads snapshot of the repository's files. A worker that
passes its deadline is killed (SIGKILL) and replaced; the other workers keep answering.

Workers serialize the answer themselves, with at most ``max_rows`` rows or triples, so that the
cost of writing a huge answer is bounded by the same deadline.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from pathlib import Path

from wegokg.query.sparql_jobs import (
    GRAPH_TYPES,
    PYTHON,
    RESULT_TYPES,
    Answer,
    Job,
    message_body,
    serve_queries,
)
from wegokg.query.worker_process import (
    DeadlineExceeded,
    WorkerProcess,
    death_reason,
)

# What the server takes from here, defined with the worker side in sparql_jobs.
__all__ = ["GRAPH_TYPES", "PYTHON", "RESULT_TYPES", "Answer", "Job", "QueryPool"]


class QueryPool:
    """``size`` worker processes for queries of any length, and one more, the short lane, so
    that runaway queries cannot keep a short one waiting (with a spare, ready to take over the
    lane the moment its worker is killed).

    A query takes a free worker if there is one. When all ``size`` are busy, it runs on the
    short lane for at most ``lane_limit`` seconds; if it needs longer, the lane's worker is
    killed and replaced, and the query waits for one of the others, where it gets the whole
    ``time_limit``. Waiting for the lane, the query of a client with fewer queries in progress
    goes first, and a client with a query that overran the lane goes last (and only while the
    spare is ready), so one client's runaways cannot queue ahead of another client's short
    query, however many arrive. Each worker may use ``max_memory`` bytes beyond the loaded
    data; a worker that dies or is killed is logged with the reason, and its client gets 503."""

    def __init__(
        self,
        snapshot: Path,
        size: int = 2,
        time_limit: float = 10.0,
        max_rows: int = 10_000,
        queue_limit: float = 30.0,
        max_memory: int | None = None,
        lane_limit: float = 0.5,
        log=None,
    ) -> None:
        self.snapshot = snapshot
        self.size = size
        self.time_limit = time_limit
        self.max_rows = max_rows
        self.queue_limit = queue_limit
        self.max_memory = max_memory
        self.lane_limit = min(lane_limit, time_limit)
        self.log = log or _log
        self._context = multiprocessing.get_context("spawn")
        self._idle = None  # an asyncio.Queue of general workers, made in start()
        self._lane: WorkerProcess | None = None  # the short lane's worker, when it is free
        self._lane_spare: WorkerProcess | None = None  # ready to replace it at once
        self._lane_in_service = False
        self._lane_waiters: list[tuple[int, str, object]] = []  # (order, client, future)
        self._in_progress: dict[str, int] = {}
        self._suspects: dict[str, int] = {}  # clients with a query that overran the lane
        self._order = itertools.count()
        self._workers: set[WorkerProcess] = set()
        self._closing = False

    async def start(self) -> None:
        import asyncio

        self._idle = asyncio.Queue()
        general = [self._spawn() for _ in range(self.size)]
        lane = [self._spawn(lane=True) for _ in range(2)]  # the lane's worker and its spare
        for worker in general:
            await worker.ready()
            self._idle.put_nowait(worker)
        for worker in lane:
            await worker.ready()
            self._enlist_on_lane(worker)

    async def run(self, job: Job, client: str = "") -> Answer:
        """Answer the job; ``client`` names who asked (its address), for the lane's order."""
        self._in_progress[client] = self._in_progress.get(client, 0) + 1
        try:
            return await self._run(job, client)
        finally:
            self._in_progress[client] -= 1
            if not self._in_progress[client]:
                del self._in_progress[client]

    async def _run(self, job: Job, client: str) -> Answer:
        import asyncio

        suspected = False
        try:
            if self._idle.empty():
                worker, lane = await self._wait_for_a_worker(client)
                if worker is None:
                    return self._busy()
                if lane:
                    answer = await self._ask(worker, job, self.lane_limit, lane=True)
                    if answer is not None or self.lane_limit >= self.time_limit:
                        return answer or self._overran()
                    # It needs longer than the lane allows: it waits for a general worker, and
                    # until it ends its client goes after the others for the lane.
                    self._suspects[client] = self._suspects.get(client, 0) + 1
                    suspected = True
                    worker = await asyncio.wait_for(self._idle.get(), self.queue_limit)
            else:
                worker = self._idle.get_nowait()
            return await self._ask(worker, job, self.time_limit, lane=False) or self._overran()
        except TimeoutError:
            return self._busy()
        except asyncio.CancelledError:  # shutting down while it waited: end the request quietly
            return Answer(
                503, body=message_body("the server is shutting down; the query was not run")
            )
        finally:
            if suspected:
                self._suspects[client] -= 1
                if not self._suspects[client]:
                    del self._suspects[client]
                self._dispatch_lane()

    async def _wait_for_a_worker(self, client: str):
        """(worker, on the lane?) for whichever frees first, or (None, False) after queue_limit."""
        import asyncio

        general = asyncio.ensure_future(self._idle.get())
        lane = asyncio.ensure_future(self._take_lane(client))
        try:
            await asyncio.wait({general, lane}, timeout=self.queue_limit,
                               return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
        finally:
            for waiting in (general, lane):
                waiting.cancel()
            await asyncio.gather(general, lane, return_exceptions=True)
        taken = [(w.result(), w is lane) for w in (general, lane) if not w.cancelled()]
        for worker, on_lane in taken[1:]:  # both came free at once: keep the first
            self._release_lane(worker) if on_lane else self._idle.put_nowait(worker)
        return taken[0] if taken else (None, False)

    async def _take_lane(self, client: str) -> WorkerProcess:
        import asyncio

        future = asyncio.get_running_loop().create_future()
        entry = (next(self._order), client, future)
        self._lane_waiters.append(entry)
        self._dispatch_lane()
        try:
            return await future
        except asyncio.CancelledError:
            if entry in self._lane_waiters:
                self._lane_waiters.remove(entry)
            if future.done() and not future.cancelled():
                self._release_lane(future.result())  # handed over just as we gave up
            raise

    def _release_lane(self, worker: WorkerProcess) -> None:
        self._lane = worker
        self._dispatch_lane()

    def _dispatch_lane(self) -> None:
        """Give a free lane to the waiting query whose client has the fewest queries in progress,
        clients with a query that overran the lane last. Such a client gets the lane only while
        its spare is ready, so that if it overruns again the lane is served again at once."""
        self._lane_waiters = [e for e in self._lane_waiters if not e[2].done()]  # given up
        if self._lane is None:
            return
        waiting = self._lane_waiters
        if self._lane_spare is None:
            waiting = [e for e in waiting if e[1] not in self._suspects]
        if not waiting:
            return
        entry = min(waiting, key=lambda e: (e[1] in self._suspects,
                                            self._in_progress.get(e[1], 0), e[0]))  # fmt: skip
        self._lane_waiters.remove(entry)
        worker, self._lane = self._lane, None
        entry[2].set_result(worker)

    async def _ask(
        self, worker: WorkerProcess, job: Job, limit: float, lane: bool
    ) -> Answer | None:
        """The worker's answer, or None when the query ran past ``limit`` (the worker is then
        replaced)."""
        import asyncio

        try:
            answer = await worker.ask_async((job, self.max_rows), limit)
        except DeadlineExceeded:
            where = "the short lane's limit" if lane else "the time limit"
            self.log(f"query worker {worker.process.pid} killed: its query ran past {where} of "
                     f"{limit:g} s")  # fmt: skip
            self._retire(worker, lane)
            return None
        except (EOFError, OSError):
            reason = self._reason_of_death(worker)
            self.log(f"query worker {worker.process.pid} stopped: {reason}")
            self._retire(worker, lane)
            return Answer(
                503, body=message_body(f"the query stopped its worker: {reason}; narrow the query")
            )
        except asyncio.CancelledError:
            # The server is shutting down and did not wait for this query: its worker is
            # mid-query and cannot be reused. Answering (rather than re-raising) ends the
            # request quietly instead of with a logged traceback.
            worker.kill()
            self._workers.discard(worker)
            return Answer(
                503, body=message_body("the server is shutting down; the query was stopped")
            )
        self._release_lane(worker) if lane else self._idle.put_nowait(worker)
        return answer

    def _overran(self) -> Answer:
        return Answer(
            503,
            body=message_body(
                f"the query ran longer than the time limit of {self.time_limit:g} s and was "
                "stopped; narrow it (fewer patterns, a LIMIT, no ORDER BY over a cross "
                "product) or run it on your own copy of the data"
            ),
        )

    def _busy(self) -> Answer:
        return Answer(
            503,
            body=message_body(
                f"the server is busy: no query worker became free within "
                f"{self.queue_limit:g} s; try again later"
            ),
        )

    def worker_pids(self) -> list[int]:
        return sorted(w.process.pid for w in self._workers if w.process.pid)

    async def close(self) -> None:
        self._closing = True
        for worker in list(self._workers):
            worker.stop()
        self._workers.clear()

    def _spawn(self, lane: bool = False) -> WorkerProcess:
        parent, child = self._context.Pipe()
        stderr = self.snapshot.with_name(f"worker-{next(self._order)}.stderr")
        process = self._context.Process(
            target=serve_queries,
            args=(child, str(self.snapshot), os.getpid(), self.max_memory, str(stderr), lane),
            name="wegokg-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = WorkerProcess(process, parent, stderr)
        self._workers.add(worker)
        return worker

    def _reason_of_death(self, worker: WorkerProcess) -> str:
        worker.process.join(5)
        try:
            said = worker.stderr.read_bytes()[-4000:] if worker.stderr else b""
        except OSError:
            said = b""
        return death_reason(worker.process.exitcode, said, self.max_memory)

    def _retire(self, worker: WorkerProcess, lane: bool = False) -> None:
        """Kill a worker that overran or died, and start its replacement."""
        import asyncio

        worker.kill()
        self._workers.discard(worker)
        if lane:
            self._lane_in_service = False
            if self._lane_spare is not None:
                spare, self._lane_spare = self._lane_spare, None
                self._enlist_on_lane(spare)
        if not self._closing:
            replacement = self._spawn(lane)
            asyncio.get_running_loop().create_task(self._enlist(replacement, lane))

    async def _enlist(self, worker: WorkerProcess, lane: bool) -> None:
        try:
            await worker.ready()
        except (EOFError, OSError, DeadlineExceeded) as error:
            self.log(f"a new query worker did not start: {error or type(error).__name__}")
            self._retire(worker, lane)
            return
        if self._closing:
            worker.stop()
        elif lane:
            self._enlist_on_lane(worker)
        else:
            self._idle.put_nowait(worker)

    def _enlist_on_lane(self, worker: WorkerProcess) -> None:
        """A ready worker serves the lane if it has none, else waits as its spare."""
        if self._lane_in_service:
            self._lane_spare = worker
            self._dispatch_lane()
        else:
            self._lane_in_service = True
            self._release_lane(worker)


def _log(message: str) -> None:
    print(f"wegokg: {message}", file=sys.stderr, flush=True)
