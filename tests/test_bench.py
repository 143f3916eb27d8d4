"""scripts/bench's measure (xxgk_dev.bench): the CPU seconds of a build's whole process tree."""

from __future__ import annotations

import sys

import pytest

from xxgk_dev.bench import measure

pytestmark = pytest.mark.cli

BURN = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end:\n    pass\n"


def test_cpu_seconds_count_the_child_and_what_it_started_once_each(tmp_path):
    """A child burns 0.6 s of CPU and then waits for a grandchild that burns 0.6 s (as the build
    waits for Pagefind and its forks): both count, once, however busy the machine is."""
    script = tmp_path / "tree.py"
    grandchild = BURN.format(seconds=0.6)
    script.write_text(
        f"import subprocess, sys\n{BURN.format(seconds=0.6)}"
        f"subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)\n",
        encoding="utf-8",
    )
    measured = measure([sys.executable, str(script)], tmp_path, tmp_path / "log")
    assert measured.code == 0, (tmp_path / "log").read_text(encoding="utf-8")
    assert 1.2 <= measured.cpu_seconds < 2.5, measured
    assert measured.seconds > 0 and measured.peak_mb > 0


def test_the_kernels_part_is_reported_apart(tmp_path):
    """System time (reading /dev/zero, nearly all of it in the kernel) is reported apart from
    user time (a loop without system calls), and within the total."""
    script = tmp_path / "both.py"
    script.write_text(
        "n = 0\nfor i in range(30_000_000):\n    n += i\n"
        "import os, time\nf = os.open('/dev/zero', os.O_RDONLY)\nend = time.monotonic() + 3\n"
        "while os.times().system < 0.5 and time.monotonic() < end:\n    os.read(f, 1 << 20)\n",
        encoding="utf-8",
    )
    measured = measure([sys.executable, str(script)], tmp_path, tmp_path / "log")
    assert measured.code == 0, (tmp_path / "log").read_text(encoding="utf-8")
    assert 0.4 <= measured.cpu_system_seconds <= 1.0, measured
    assert measured.cpu_seconds - measured.cpu_system_seconds >= 0.8, measured  # the loop


def test_pairs_are_reported_each_with_the_median_and_the_worst_of_each_ratio():
    """--pairs: every pair's ratios, and their median and worst (the targets are judged on the
    worst); one pair gives the ratios as they were."""
    from xxgk_dev.bench import Run, summarise

    def pair(number: int, xxgk_cpu: float, baseline_cpu: float) -> list[Run]:
        return [
            Run("xxgk", 100, 50.0, 900, cpu_seconds=xxgk_cpu, pair=number),
            Run("xxgk-rebuild", 100, 5.0, 700, cpu_seconds=xxgk_cpu / 10, pair=number),
            Run("mkdocs", 100, 30.0, 200, cpu_seconds=baseline_cpu / 2, pair=number),
            Run("pagefind", 100, 20.0, 1000, cpu_seconds=baseline_cpu / 2, pair=number),
        ]

    row = summarise(pair(1, 120, 100) + pair(2, 150, 100) + pair(3, 130, 100))["per_size"]["synthetic quiet 100"]
    assert [p["cpu_over_baseline"] for p in row["pairs"]] == [1.2, 1.5, 1.3]
    assert row["cpu_over_baseline_median"] == 1.3 and row["cpu_over_baseline_worst"] == 1.5
    assert row["rebuild_cpu_share_worst"] == 0.1
    single = summarise(pair(1, 120, 100))["per_size"]["synthetic quiet 100"]
    assert single["cpu_over_baseline"] == 1.2 and "pairs" not in single
