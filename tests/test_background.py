"""Work beside the build (infra/background.py): a fork that has done its work is gone, and
its memory with it, before the build asks for the answer; the answer arrives whole."""

import os
import sys
import tempfile
import time
from pathlib import Path

import pytest

from xxgk.infra.background import Background

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks on Linux only")


def _state(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("State:"):
            return line.split()[1]
    return ""


def test_a_fork_with_a_large_answer_ends_before_the_answer_is_read(tmp_path):
    pid_file = tmp_path / "pid"

    def work():
        pid_file.write_text(str(os.getpid()))
        return [str(n) * 3 for n in range(300_000)]  # megabytes: more than a pipe holds

    answers = set(Path(tempfile.gettempdir()).glob("xxgk-answer-*"))
    job = Background(work, "xxgk-test", lambda code: RuntimeError(code))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (pid_file.exists() and _state(int(pid_file.read_text())) == "Z"):
        time.sleep(0.05)
    assert _state(int(pid_file.read_text())) == "Z"  # exited (not yet reaped): not waiting for the build
    assert job.wait() == [str(n) * 3 for n in range(300_000)]
    assert set(Path(tempfile.gettempdir()).glob("xxgk-answer-*")) == answers  # the answer's file is removed


def test_an_error_in_the_fork_is_raised_by_wait():
    def work():
        raise ValueError("坏了")

    job = Background(work, "xxgk-test", lambda code: RuntimeError(code))
    with pytest.raises(ValueError, match="坏了"):
        job.wait()


def test_without_a_writable_temporary_folder_the_answer_comes_down_the_pipe(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    job = Background(lambda: {"答": 42}, "xxgk-test", lambda code: RuntimeError(code))
    assert job.wait() == {"答": 42}


def test_halves_does_every_other_item_in_a_fork_and_all_of_it_here_if_the_fork_dies():
    from xxgk.infra.background import halves

    def work(part):
        return [(n * n, os.getpid()) for n in part]

    mine, theirs = halves(list(range(10)), work, "xxgk-test")
    assert [v for v, _ in mine] == [n * n for n in range(0, 10, 2)]
    assert [v for v, _ in theirs] == [n * n for n in range(1, 10, 2)]
    assert {p for _, p in mine} == {os.getpid()} and os.getpid() not in {p for _, p in theirs}

    here = os.getpid()

    def dies_in_a_fork(part):
        if os.getpid() != here:
            os._exit(9)
        return work(part)

    mine, theirs = halves(list(range(10)), dies_in_a_fork, "xxgk-test")
    assert [v for v, _ in theirs] == [n * n for n in range(1, 10, 2)] and {p for _, p in theirs} == {here}
