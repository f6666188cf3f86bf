"""Worker processes: one process that runs queries and is killed at its deadline, and the
command line's worker, forked from this process for an embedded engine (``ForkedWorker``).

pyoxigraph cannot cancel a query that runs in a thread, so a query that must stop at a time or
memory limit runs in a process of its own. The server's pool of workers
(``wegokg.query.sparql_workers``) is built on the same ``WorkerProcess``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import GeneratorType

from wegokg.core.errors import DataError, ToolError, UsageError, WegokgError


class DeadlineExceeded(Exception):
    pass


class WorkerProcess:
    def __init__(self, process, connection, stderr: Path | None = None) -> None:
        self.process = process
        self.connection = connection
        self.stderr = stderr

    def ask(self, request: tuple, time_limit: float | None) -> object:
        self.connection.send(request)
        if not self.connection.poll(time_limit):
            raise DeadlineExceeded
        return self.connection.recv()

    async def ready(self, timeout: float = 60.0) -> None:
        if not await self._readable(timeout):
            raise DeadlineExceeded
        message = self.connection.recv()
        if message != "ready":
            raise OSError(f"the query worker could not load the data: {message}")

    async def ask_async(self, request: tuple, time_limit: float) -> object:
        """``ask`` without holding a thread: the event loop watches the pipe."""
        self.connection.send(request)
        if not await self._readable(time_limit):
            raise DeadlineExceeded
        return self.connection.recv()

    async def _readable(self, timeout: float) -> bool:
        import asyncio

        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        descriptor = self.connection.fileno()
        loop.add_reader(descriptor, lambda: readable.done() or readable.set_result(True))
        try:
            await asyncio.wait_for(readable, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(descriptor)

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.connection.close()
        if self.stderr is not None:
            with contextlib.suppress(OSError):
                self.stderr.unlink()

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it is busy or does not go."""
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(1)
        if self.process.is_alive():
            self.kill()
        else:
            self.connection.close()


def die_with_parent(parent_pid: int) -> None:
    """A worker busy with a runaway query must not outlive a server killed with SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(0)

    def watch() -> None:  # elsewhere, or if prctl failed: notice within a second
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


# -- The command line's worker: forked, sharing the loaded data ----------------------------


class QueryStoppedError(ToolError):
    """A query stopped by its limits (time, memory, Ctrl-C aside), or whose worker died."""


class ForkedWorker:
    """A query worker forked from this process for an embedded engine: it shares the data
    already loaded here, so it starts in a few milliseconds with nothing to write or read, and
    it runs the engine's queries one at a time. A query that runs past ``time_limit`` seconds,
    or that Ctrl-C interrupts, is stopped by killing the worker (the next query forks a new
    one); a query that needs more than ``max_memory`` bytes beyond the loaded data ends it.

    The engine may be any object whose methods the worker is to run (validation runs checkers
    so, beside the SHACL checker). The worker's standard error is kept in a file, read back as
    the reason if it dies; with ``capture_stderr=False`` it writes where this process writes
    (the progress lines of ``-v``)."""

    def __init__(
        self,
        engine: object,
        time_limit: float | None,
        max_memory: int | None,
        capture_stderr: bool = True,
    ) -> None:
        self.engine = engine
        self.time_limit = time_limit
        self.max_memory = max_memory
        self.capture_stderr = capture_stderr
        self._worker: WorkerProcess | None = None
        self._stderr = None

    def call(self, method: str, *args, **kwargs):
        """``engine.method(*args, **kwargs)``, run in the worker; its errors are raised here."""
        worker = self._worker or self._start()
        worker.connection.send((method, args, kwargs))
        outcome, value = self._receive(worker)
        if outcome == "error":
            raise value
        return _restored(value)

    def stream(self, method: str, *args, **kwargs) -> Iterator:
        """``engine.method(*args, **kwargs)``, a generator, run in the worker: the worker starts
        on it now, and the iterator returned gives each item as soon as the worker sends it (each
        item within ``time_limit`` seconds of the one before); an error the generator raises
        there is raised here, where its items stop."""
        worker = self._worker or self._start()
        worker.connection.send((method, args, kwargs))
        return self._items(worker)

    def _items(self, worker: WorkerProcess) -> Iterator:
        while True:
            outcome, value = self._receive(worker)
            if outcome == "item":
                yield value
            elif outcome == "error":
                raise value
            else:
                return

    def _receive(self, worker: WorkerProcess) -> tuple[str, object]:
        """The worker's next message, (outcome, value); a worker that dies, runs past its time
        limit or is interrupted by Ctrl-C is closed, and the reason raised."""
        try:
            if not worker.connection.poll(self.time_limit):
                raise DeadlineExceeded
            return worker.connection.recv()
        except DeadlineExceeded:
            self.close()
            raise QueryStoppedError(
                f"the query ran longer than its time limit of {self.time_limit:g} s (--timeout) "
                "and was stopped; narrow it (fewer patterns, a LIMIT, no ORDER BY over a cross "
                "product)"
            ) from None
        except (EOFError, OSError):
            reason = self._reason_of_death(worker)
            self.close()
            raise QueryStoppedError(f"the query stopped its worker: {reason}") from None
        except BaseException:  # Ctrl-C: the query cannot finish, nor the worker be reused
            self.close()
            raise

    def close(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _start(self) -> WorkerProcess:
        from wegokg.query.forking import fork

        self._stderr = _scratch_file() if self.capture_stderr else None
        stderr = self._stderr.fileno() if self._stderr is not None else None
        engine, parent, limit = self.engine, os.getpid(), self.max_memory
        for stream in (sys.stdout, sys.stderr):  # or the child would hold a copy of what waits
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        process, connection = fork(
            lambda child: _serve_engine(child, engine, parent, limit, stderr)
        )
        self._worker = WorkerProcess(process, connection)
        return self._worker

    def _reason_of_death(self, worker: WorkerProcess) -> str:
        worker.process.join(5)
        said = b""
        if self._stderr is not None:
            self._stderr.seek(0)
            said = self._stderr.read()[-4000:]
        return death_reason(worker.process.exitcode, said, self.max_memory)


def _scratch_file():
    """An anonymous file for the worker's standard error: in memory where Linux offers it
    (``memfd_create``, no import), else a temporary file."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):
            return open(os.memfd_create("wegokg-worker-stderr"), "w+b")  # noqa: SIM115
    import tempfile

    return tempfile.TemporaryFile()  # noqa: SIM115 (open while the worker lives)


def death_reason(exitcode: int | None, said: bytes, max_memory: int | None) -> str:
    """Why a worker process ended, from its exit status and the last thing it wrote."""
    lines = [line.strip() for line in said.decode(errors="replace").splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    allocation = [line for line in lines if line.startswith("memory allocation of")]
    if allocation or b"MemoryError" in said:
        limit = "the memory available"
        if max_memory:
            limit = f"its memory limit of {max_memory // 2**20} MB (--max-memory)"
        return f"it needed more than {limit}" + (f" ({allocation[0]})" if allocation else "")
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        cause = " (perhaps the system ran out of memory)" if -exitcode == signal.SIGKILL else ""
        return f"it was killed by {name}{cause}" + (f": {last}" if last else "")
    return f"it exited with status {exitcode}" + (f": {last}" if last else "")


def cap_memory(max_memory: int | None) -> None:
    """Let this process use at most ``max_memory`` bytes of address space beyond what it uses
    now (RLIMIT_AS, on Linux); past it, allocations fail and the worker ends."""
    if not max_memory:
        return
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = used + max_memory
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # not Linux: the time limit still holds


def _serve_engine(
    connection, engine, parent_pid: int, max_memory: int | None, stderr: int | None
) -> None:
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
    if stderr is not None:  # an abort's message is read back as the reason, not shown as it comes
        os.dup2(stderr, 2)
    engine.worker = None  # in here, queries run in-process
    cap_memory(max_memory)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        method, args, kwargs = request
        try:
            answer = getattr(engine, method)(*args, **kwargs)
            if isinstance(answer, GeneratorType):  # ForkedWorker.stream: each item as it comes
                for item in answer:
                    connection.send(("item", item))
                answer = None
            reply = ("ok", _portable(answer))
        except WegokgError as error:
            reply = ("error", _picklable(error))
        except MemoryError:
            reason = death_reason(None, b"MemoryError", max_memory)
            reply = ("error", QueryStoppedError(f"the query stopped: {reason}"))
        except Exception as error:  # never let one query take the worker down unexplained
            reply = ("error", ToolError(f"the query failed: {error}"))
        connection.send(reply)


def _portable(value: object) -> object:
    """An answer that pickles: a graph travels as its triples. (Without rdflib loaded, nothing
    is a graph: rows and booleans are not made to import it.)"""
    graphs = sys.modules.get("rdflib.graph")
    return ("graph", list(value)) if graphs and isinstance(value, graphs.Graph) else value


def _restored(value: object) -> object:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "graph":
        from rdflib import Graph

        graph = Graph()
        for triple in value[1]:
            graph.add(triple)
        return graph
    return value


def _picklable(error: WegokgError) -> WegokgError:
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # an error class whose arguments do not round-trip: keep its message
        kind = {1: DataError, 2: UsageError}.get(error.exit_code, ToolError)
        return kind(str(error))
    return error
