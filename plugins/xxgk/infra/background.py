"""Work done beside the build: indexing the search shards and putting reused pages into the
site while MkDocs renders, reading half the written pages for the link check after it. On
Linux it runs in a forked process, elsewhere in a thread.

A fork inherits what the build already holds, so nothing is sent to it, and it has a
GIL of its own. In a thread, work that is pure Python (cutting words) took the GIL from
rendering; work that makes many short system calls (a folder and a link per page) got
the GIL back only once per switch interval while rendering held it, and took seconds
where `cp -al` takes two."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Generic, TypeVar

from xxgk.infra import heap

T = TypeVar("T")
R = TypeVar("R")


class Background(Generic[T]):
    """`work()` started now; wait() gives its result, or raises what it raised. A fork that
    ended without answering (killed, out of memory) raises lost(its exit code)."""

    def __init__(self, work: Callable[[], T], name: str, lost: Callable[[int | None], Exception]):
        self._work, self._lost = work, lost
        self._result: T | None = None
        self._error: BaseException | None = None
        self._answer: Connection | None = None
        self._done = False
        if sys.platform == "linux":
            context = multiprocessing.get_context("fork")
            self._answer, told = context.Pipe(duplex=False)
            self._worker: threading.Thread | BaseProcess = context.Process(
                target=self._in_process, args=(told,), name=name, daemon=True
            )
            with heap.for_fork():
                self._worker.start()
            told.close()
        else:
            self._worker = threading.Thread(target=self._in_thread, name=name)
            self._worker.start()

    def _in_thread(self) -> None:
        try:
            self._result = self._work()
        except Exception as exc:  # raised in the building thread by wait()
            self._error = exc

    def _in_process(self, told: Connection) -> None:
        """The answer goes into a file of its own and the pipe carries its name: sent down the
        pipe, a large answer (the search job's digests: megabytes at 100,000 items) kept the
        fork, and the copy of the build's objects it had made, alive until the build read it,
        which was after the link check (a gigabyte of the peak at 100,000)."""
        answer: tuple[T | None, Exception | None]
        try:
            answer = (self._work(), None)
        except Exception as exc:
            answer = (None, exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a result or an error pickle cannot carry: the error's words
            data = pickle.dumps((None, RuntimeError(str(answer[1]))))
        try:
            handle, name = tempfile.mkstemp(prefix="xxgk-answer-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            told.send(name)
        except OSError:  # no writable temporary folder (or it is full): down the pipe after all
            told.send(data)

    def wait(self) -> T:
        if not self._done:
            self._done = True
            if self._answer is not None:
                try:
                    self._result, self._error = _take_answer(self._answer.recv())
                except (EOFError, OSError):  # ended without answering
                    self._worker.join()
                    self._error = self._lost(getattr(self._worker, "exitcode", None))
                self._answer.close()
            self._worker.join()
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]


def _take_answer(name: str | bytes) -> tuple:
    """The answer a fork left in the file `name`, which is then removed (or the answer itself)."""
    if isinstance(name, bytes):
        return pickle.loads(name)
    path = Path(name)
    try:
        return pickle.loads(path.read_bytes())
    finally:
        path.unlink(missing_ok=True)


def halves(items: list, work: Callable[[list], R], name: str, here: Callable[[list], R] | None = None) -> tuple[R, R]:
    """(here(items[::2]), work(items[1::2])), the second in a Background at the same time, so
    that pure work on many items takes two cores. `here` defaults to `work`. If the helper
    fails or is killed, this process does its half too, where an error shows as it is."""
    theirs = items[1::2]
    helper = Background(partial(work, theirs), name, lambda code: RuntimeError(f"exit code {code}"))
    mine = (here or work)(items[::2])
    try:
        return mine, helper.wait()
    except Exception:
        return mine, work(theirs)
