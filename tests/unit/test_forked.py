"""Work in a forked child: the same result as here, and where the child dies or raises, the
work done again here (so that an exception is raised where the run reports it). A spare
child forked ahead of its work does the same with the work it is sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.forked import Forked, Spare


def test_the_child_computes_what_this_process_would() -> None:
    job = Forked(lambda: {"pid": os.getpid(), "data": list(range(100_000))}, fork=True)
    assert job.forked
    value = job.result()
    assert value["pid"] != os.getpid()  # it ran in the child
    assert value["data"] == list(range(100_000))  # a result larger than a pipe's buffer


def test_without_fork_the_work_waits_for_result() -> None:
    ran: list[int] = []
    job = Forked(lambda: ran.append(os.getpid()) or 7, fork=False)
    assert not job.forked and ran == []
    assert job.result() == 7 and ran == [os.getpid()]
    assert job.result() == 7 and len(ran) == 1


def test_a_child_that_dies_is_replaced_by_this_process() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            os._exit(3)
        return 5

    job = Forked(work, fork=True)
    assert job.forked and job.result() == 5


def test_an_exception_in_the_child_is_raised_here() -> None:
    parent = os.getpid()
    seen: list[int] = []

    def work() -> int:
        seen.append(os.getpid())
        raise ValueError("bad spec")

    job = Forked(work, fork=True)
    with pytest.raises(ValueError, match="bad spec"):
        job.result()
    assert seen == [parent]  # the child's attempt happened in its own memory


def test_cancel_stops_the_child() -> None:
    job = Forked(lambda: time.sleep(60), fork=True)
    child = job._child
    job.cancel()
    assert child is not None and child.exitcode == -signal.SIGKILL  # killed, not finished
    assert job._child is None


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value


def test_a_spare_child_does_the_work_it_is_sent() -> None:
    warmed: list[int] = []
    spare = Spare(lambda: warmed.append(1))
    job = spare.submit(_pid_and, 4)
    assert job.forked
    pid, value = job.result()
    assert pid != os.getpid() and value == 4
    assert warmed == []  # the warm-up ran in the child's memory, not here


def _warmed(marker: Path) -> None:
    marker.write_text(str(os.getpid()))


def _wait_for(marker: Path) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not marker.exists():
        time.sleep(0.01)
    return marker.exists()


def test_a_deferred_spare_warms_up_only_when_told(tmp_path: Path) -> None:
    marker = tmp_path / "warmed"
    spare = Spare(lambda: _warmed(marker), deferred=True)
    time.sleep(0.2)
    assert not marker.exists()  # waiting
    spare.warm_up()
    assert _wait_for(marker)
    assert int(marker.read_text()) != os.getpid()
    pid, value = spare.submit(_pid_and, 5).result()
    assert pid == int(marker.read_text()) and value == 5  # the warmed child did the work


def test_a_deferred_spare_sent_work_unwarmed_does_it_without_the_warm_up(tmp_path: Path) -> None:
    marker = tmp_path / "warmed"
    spare = Spare(lambda: _warmed(marker), deferred=True)
    pid, value = spare.submit(_pid_and, 6).result()
    assert pid != os.getpid() and value == 6
    assert not marker.exists()


def test_a_spare_that_cannot_take_the_work_leaves_it_here() -> None:
    spare = Spare(lambda: None)
    job = spare.submit(lambda: os.getpid())  # a lambda does not pickle
    assert not job.forked and job.result() == os.getpid()


def test_a_failed_warm_up_or_work_is_done_here() -> None:
    spare = Spare(lambda: 1 / 0)
    assert spare.submit(_pid_and, 1).result()[1] == 1
    job = Spare(lambda: None).submit(int, "not a number")
    with pytest.raises(ValueError):
        job.result()


def test_a_closed_spare_is_gone() -> None:
    spare = Spare(lambda: None)
    child = spare._child
    spare.close()
    assert child is not None and child.exitcode == -signal.SIGKILL
    assert spare.submit(_pid_and, 2).result() == (os.getpid(), 2)


def test_a_spare_whose_parent_dies_goes_too(tmp_path: Path) -> None:
    """A parent killed before it sends work (no atexit, no close): the child sees the pipe
    end and exits instead of waiting forever."""
    script, pid_file = tmp_path / "parent.py", tmp_path / "pid"
    script.write_text(
        "import os, sys\n"
        "from generator.forked import Spare\n"
        "spare = Spare(lambda: None)\n"
        f"open({str(pid_file)!r}, 'w').write(str(spare._child.pid))\n"
        "os._exit(0)\n"
    )
    # No pipes to the parent: a child left waiting would hold them open.
    subprocess.run([sys.executable, str(script)], stdout=subprocess.DEVNULL, check=True)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited
        return stat.read().split(") ")[1][0] != "Z"
