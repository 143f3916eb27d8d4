"""Issue 30, builds sharing a folder: a second build waits for the first (one lock per
repository) or stops with E310; an operating-system error ends in E311 in Chinese with the
old site kept, never a traceback."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time

import pytest

from conftest import BIN, run
from xxgk.publish import buildlock


def _hold(root, ready, release):
    buildlock.acquire(root)
    ready.set()
    release.wait(30)


def test_a_second_lock_waits_then_refuses(tmp_path):
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(tmp_path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        started = time.monotonic()
        with pytest.raises(buildlock.Busy, match="E310"):
            buildlock.acquire(tmp_path, wait=0.5)
        assert time.monotonic() - started >= 0.5
    finally:
        release.set()
        holder.join(10)
    buildlock.acquire(tmp_path, wait=5)  # released with the process that held it
    buildlock.acquire(tmp_path, wait=0)  # and held once per process (mkdocs serve rebuilds)


def test_two_builds_at_once_both_finish_with_a_whole_site(mini):
    cmd = [str(BIN / "mkdocs"), "build", "--clean"]
    env = {**__import__("os").environ, "XXGK_AS_OF": "2025-01-01"}
    first = subprocess.Popen(cmd, cwd=mini.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(cmd, cwd=mini.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for proc in (first, second):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert (mini.path / "site/index.html").is_file() and (mini.path / "site/catalog/index.html").is_file()
    assert (mini.path / "site/items").is_dir()


@pytest.mark.build
def test_an_os_error_is_e311_not_a_traceback(mini):
    (mini.path / "blocker").write_text("a file where site_dir's folder should be", encoding="utf-8")
    mini.edit("mkdocs.yml", "docs_dir: content\n", "docs_dir: content\nsite_dir: blocker/site\n")
    result = run([str(BIN / "mkdocs"), "build"], mini.path)
    assert result.code != 0 and "E311" in result.err and "Traceback" not in result.err, result.err


def test_the_hook_words_disk_full_in_chinese():
    code = "from xxgk.publish import oserrors\nimport errno\noserrors.install()\nraise OSError(errno.ENOSPC, 'No space left', '/site/x.html')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "E311" in proc.stderr and "磁盘空间已满" in proc.stderr and "/site/x.html" in proc.stderr
