"""A process forked from this one, and the pipes that carry pickled messages to and from it: what
``ForkedWorker`` needs of ``multiprocessing``, without its imports (socket, selectors,
subprocess: about a tenth of ``wegokg query run``'s start-up, for a worker that is only ever
forked). The server's pool, which spawns fresh interpreters, keeps ``multiprocessing``.

``Connection`` and ``ForkedProcess`` answer the calls ``WorkerProcess`` makes of
``multiprocessing.connection.Connection`` and ``multiprocessing.Process``, with the same meaning:
``recv`` raises EOFError when the other end is closed, and ``exitcode`` is minus the signal
number for a process that a signal ended.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable

_HEADER = 8  # bytes of a message's length, big-endian


class Connection:
    """One end of a pair of pipes: it reads from one and writes to the other."""

    def __init__(self, reading: int, writing: int) -> None:
        self._reading = reading
        self._writing = writing

    def fileno(self) -> int:
        return self._reading

    def send(self, message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(_HEADER, "big") + data)
        while view:
            view = view[os.write(self._writing, view) :]

    def recv(self) -> object:
        size = int.from_bytes(self._read(_HEADER), "big")
        return pickle.loads(self._read(size))

    def poll(self, timeout: float | None = 0.0) -> bool:
        """Whether a message (or the end of the pipe) can be read within ``timeout`` seconds
        (None: wait as long as it takes)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                readable, _, _ = select.select([self._reading], [], [], left)
            except InterruptedError:  # pragma: no cover (Python retries EINTR itself)
                continue
            return bool(readable)

    def close(self) -> None:
        for descriptor in (self._reading, self._writing):
            with contextlib.suppress(OSError):  # already closed
                os.close(descriptor)
        self._reading = self._writing = -1

    def _read(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = os.read(self._reading, min(left, 1 << 20))
            if not chunk:
                raise EOFError("the other end of the pipe is closed")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


class ForkedProcess:
    """A child forked from this process, as far as a worker's owner needs to know it."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: int | None = None

    def is_alive(self) -> bool:
        return self._reap(os.WNOHANG) is None

    def join(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._reap(os.WNOHANG) is None:
            if deadline is not None and time.monotonic() >= deadline:
                return
            time.sleep(0.005)

    def kill(self) -> None:
        if self.exitcode is None:
            os.kill(self.pid, signal.SIGKILL)

    def _reap(self, options: int) -> int | None:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, options)
            except ChildProcessError:  # reaped elsewhere: its status is lost
                self.exitcode = -signal.SIGKILL
                return self.exitcode
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode


def fork(target: Callable[[Connection], object]) -> tuple[ForkedProcess, Connection]:
    """Fork a child that runs ``target(connection)`` and then ends (with status 1 if it raised),
    never returning into this process's code; this side's connection talks to it."""
    to_child_read, to_child_write = os.pipe()
    to_parent_read, to_parent_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return, never run this process's exit handlers
        status = 1
        try:
            os.close(to_child_write)
            os.close(to_parent_read)
            target(Connection(to_child_read, to_parent_write))
            status = 0
        except BaseException:  # noqa: BLE001 (whatever happened, the child must end here)
            import traceback

            traceback.print_exc()
        finally:
            with contextlib.suppress(BaseException):
                sys.stderr.flush()
            os._exit(status)
    os.close(to_child_read)
    os.close(to_parent_write)
    return ForkedProcess(pid), Connection(to_parent_read, to_child_write)
