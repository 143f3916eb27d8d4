"""Issue 30: a short coverage-guided fuzzing run of every parser of untrusted input
(xxgk_dev/fuzz.py; the long run and its findings are in docs/fuzzing.md). A target that
raises anything but its documented bad-input error fails here with the input libFuzzer saved."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("atheris")

RUNS = {"frontmatter": 400, "body": 300, "member": 400, "table": 150, "page": 40}


@pytest.mark.parametrize("target", sorted(RUNS))
def test_fuzz_target_runs_clean(target, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "xxgk_dev.fuzz", target, f"-runs={RUNS[target]}", "-max_total_time=60", "-timeout=20"],
        cwd=tmp_path,  # crash files land here, not in the repository
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
    )
    finding = (proc.stdout + proc.stderr).split("Uncaught Python exception", 1)[-1]
    assert proc.returncode == 0, finding[-3000:]
    assert "Done" in proc.stderr


def test_a_finding_fails_the_run(tmp_path):
    """The harness reports what it should: a target that raises an undocumented error stops atheris."""
    code = (
        "import atheris, sys\n"
        "from xxgk_dev import fuzz\n"
        "def boom(data):\n    if data: raise KeyError('found')\n"
        "atheris.Setup([sys.argv[0], '-runs=50'], boom)\natheris.Fuzz()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode != 0 and "Uncaught Python exception" in proc.stdout + proc.stderr
