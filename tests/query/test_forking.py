"""The forked worker's process and pipes (query.forking): what WorkerProcess relies on."""

import signal

import pytest

from wegokg.query.forking import fork


def _echo(connection):
    while (message := connection.recv()) is not None:
        connection.send(message)


def test_messages_larger_than_a_pipe_go_both_ways_whole():
    process, connection = fork(_echo)
    big = {"rows": [("한국어", i, b"\x00" * 100) for i in range(20_000)]}  # a few MB
    connection.send(big)
    assert connection.poll(30)
    assert connection.recv() == big
    connection.send(None)
    process.join(10)
    assert process.exitcode == 0
    connection.close()


def test_a_child_that_raises_ends_with_status_1_and_its_pipe_reads_as_closed():
    def fail(connection):
        raise RuntimeError("on purpose")

    process, connection = fork(fail)
    process.join(10)
    assert process.exitcode == 1
    assert connection.poll(5)  # the end of the pipe is readable
    with pytest.raises(EOFError):
        connection.recv()
    connection.close()


def test_a_killed_child_reports_the_signal_and_poll_honours_its_timeout():
    process, connection = fork(_echo)
    assert not connection.poll(0.05)  # nothing sent, nothing to read
    assert process.is_alive()
    process.kill()
    process.join(10)
    assert process.exitcode == -signal.SIGKILL
    assert not process.is_alive()
    connection.close()
    connection.close()  # twice is harmless
