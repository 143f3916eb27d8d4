"""The scale benchmark behind scripts/bench (not a test: it measures, it asserts nothing).

For each size N it generates a synthetic site (synthetic.py) and, on the same Markdown
bodies in the same run, builds:

- xxgk: `mkdocs build` of the synthetic site (pages, checks, sharded search index), from
  clean caches; then a rebuild after changing one item's body (page and search caches warm);
- baseline: plain MkDocs + Material (items out of the nav, no plugins) followed by stock
  Pagefind over its output (`python -m pagefind --site`);
- hugo: the same bodies with a minimal template, when `hugo` is installed.

Each run reports wall time, peak memory of the whole process tree (sampled from /proc,
so the Pagefind service counts), output size and search-index size; the summary gives
xxgk/baseline ratios and the growth exponent log(t2/t1)/log(n2/n1) between sizes.

The same machine gives the same build a fifth more or less CPU from one half hour to the
next (docs/benchmarks.md, run AA): `--pairs N` builds xxgk and the baseline N times in
turn, xxgk first in odd pairs and the baseline first in even ones, and reports every
pair's ratios with their median and their worst.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xxgk_dev.synthetic import generate

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Run:
    name: str
    n: int
    seconds: float
    peak_mb: float
    output_mb: float = 0.0
    index_mb: float = 0.0
    ok: bool = True
    note: str = ""
    cpu_seconds: float = 0.0
    cpu_by_command: dict = field(default_factory=dict)
    catalog: str = "synthetic"
    load: str = "quiet"  # or "busy": a CPU-bound process held the other core (see Load)
    cpu_system_seconds: float = 0.0  # the kernel's part of cpu_seconds (see Measured)
    pair: int = 1  # which of the --pairs (xxgk and the baseline built in turn)


def _memory_kb(pid: int) -> int:
    """The process's proportional set size (PSS): its own pages, and each page it shares
    with others (a fork's inherited ones, libraries) divided among them, so the sum over
    a tree counts every page once, which VmRSS does not. VmRSS where smaps_rollup is missing."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration):
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
        found.append(p)
    return found


def _tree_kb(pid: int) -> int | None:
    """Memory of a process and all its descendants, from /proc (_memory_kb); None when a
    process started or ended while they were read. Pages shared with a fork are split
    between the two, so a sum across a fork's start or end counts them one and a half
    times: the parent read alone, then its new fork with half of them."""
    before = _tree(pid)
    total = 0
    for p in before:
        try:
            total += _memory_kb(p)
        except (OSError, ValueError):
            return None
    return total if sorted(_tree(pid)) == sorted(before) else None


def _cpu_ticks(pid: int) -> tuple[str, int]:
    """(command name, user + system clock ticks so far) of one process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
    return name, int(rest[11]) + int(rest[12])  # utime, stime: fields 14 and 15 of stat


@dataclass
class Measured:
    seconds: float  # wall
    peak_mb: float  # PSS of the process tree, sampled
    code: int
    cpu_seconds: float  # user + system of the whole tree (wait4: the child and every descendant it waited for)
    cpu_by_command: dict[str, float]  # sampled from /proc: a lower bound per command (the last interval is lost)
    cpu_system_seconds: float  # the kernel's part, apart: it moves with the file system's state (settle)


def measure(cmd: list[str], cwd: Path, log: Path) -> Measured:
    """Runs `cmd` as a child, output to `log`. CPU: os.wait4 gives the child's rusage, which
    includes every descendant it waited for (Pagefind's processes, the build's forks), so the
    whole tree's user + system time is counted once and nothing of the bench's own."""
    peak = 0
    ticks: dict[int, tuple[str, int]] = {}
    with open(log, "ab") as out:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():
            """Every 50 ms, or ten times as long as a sample took: the kernel walks every page
            of a process to sum its PSS (183 ms for a 1.6 GB build on this 2-core machine), so
            a fixed 50 ms kept a core busy measuring, more the larger the build's tree."""
            nonlocal peak
            pause = 0.05
            while not done.wait(pause):
                began = time.monotonic()
                peak = max(peak, _tree_kb(proc.pid) or 0)
                for p in _tree(proc.pid):
                    with contextlib.suppress(OSError, ValueError, IndexError):
                        ticks[p] = _cpu_ticks(p)
                pause = max(0.05, 10 * (time.monotonic() - began))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        done.set()
        sampler.join()
    hz = os.sysconf("SC_CLK_TCK")
    by_command: dict[str, float] = {}
    for name, used in ticks.values():
        by_command[name] = round(by_command.get(name, 0.0) + used / hz, 2)
    return Measured(seconds, peak / 1024, proc.returncode, usage.ru_utime + usage.ru_stime, by_command, usage.ru_stime)


def size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def _bodies(site: Path):
    """(path relative to content/items, title, body) of every synthetic item."""
    items = site / "content" / "items"
    for path in sorted(items.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = next(line[7:] for line in front.splitlines() if line.startswith("title: "))
        yield path.relative_to(items).as_posix(), title, body


BASELINE_YML = """site_name: baseline
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
plugins: []
nav:
  - index.md
not_in_nav: |
  /items/
markdown_extensions:
  - tables
  - attr_list
  - toc:
      permalink: false
"""

HUGO_TOML = """baseURL = "https://baseline.example/"
languageCode = "zh-cn"
title = "baseline"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"""
HUGO_SINGLE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">首页</a></header><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1></main></body></html>
"""


def write_baselines(site: Path, mkdocs_dir: Path, hugo_dir: Path) -> None:
    """The synthetic items' bodies as plain pages: MkDocs (out of the nav) and Hugo."""
    (mkdocs_dir / "docs").mkdir(parents=True)
    (mkdocs_dir / "mkdocs.yml").write_text(BASELINE_YML, encoding="utf-8")
    (mkdocs_dir / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    for sub in ("content/items", "layouts/_default"):
        (hugo_dir / sub).mkdir(parents=True)
    (hugo_dir / "config.toml").write_text(HUGO_TOML, encoding="utf-8")
    (hugo_dir / "layouts/_default/single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    for name in ("list.html", "index.html"):
        (hugo_dir / "layouts/_default" / name).write_text(HUGO_LIST, encoding="utf-8")
    for rel, title, body in _bodies(site):
        for target, text in (
            (mkdocs_dir / "docs" / "items" / rel, f"# {title}\n\n{body}"),
            (
                hugo_dir / "content" / "items" / rel,
                f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n{body}",
            ),
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def query_bytes(index_root: Path, results_shown: int = 10) -> dict:
    """What one query downloads from the sharded index, estimated from the files: the runtime
    once, then per shard its entry file, metadata and one index chunk; plus the fragments shown."""
    shards = [p for p in sorted(index_root.iterdir()) if p.is_dir()] if index_root.is_dir() else []
    if not shards:
        return {}
    runtime = sum(
        f.stat().st_size
        for f in index_root.iterdir()
        if f.is_file() and (f.name.startswith("wasm.") or f.name == "pagefind.js")
    )
    per_shard, fragments = [], []
    for shard in shards:
        chunks = [f.stat().st_size for f in (shard / "index").iterdir()] if (shard / "index").is_dir() else [0]
        meta = sum(f.stat().st_size for f in shard.glob("*.pf_meta"))
        entry = (shard / "pagefind-entry.json").stat().st_size if (shard / "pagefind-entry.json").exists() else 0
        per_shard.append(entry + meta + sum(chunks) / len(chunks))
        fragments += [f.stat().st_size for f in (shard / "fragment").iterdir()] if (shard / "fragment").is_dir() else []
    mean_fragment = sum(fragments) / len(fragments) if fragments else 0
    return {
        "shards": len(shards),
        "runtime_kb": round(runtime / 1024, 1),
        "per_query_kb": round((runtime + sum(per_shard) + results_shown * mean_fragment) / 1024, 1),
        "without_runtime_kb": round((sum(per_shard) + results_shown * mean_fragment) / 1024, 1),
    }


class Load:
    """--busy: one CPU-bound process (a pure-Python loop, at the bench's own priority) for the
    whole of a run, so the build has one core to itself at most, as on a shared CI runner."""

    def __init__(self, busy: bool):
        self.proc = None
        if busy:
            self.proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])

    def __enter__(self) -> Load:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()


def page_cache_check(site: Path) -> dict:
    """What a rebuild spends making sure that a reused page is the page stored (pagecache.sound,
    in a fork beside the analysis: size and mtime, then the SHA-256 of its content, issue 30),
    over every entry of the cache the build left: CPU and wall seconds of this process, cold
    for the disk only as the build left it."""
    from xxgk.build import pagecache

    folder = site / ".cache" / "xxgk" / "pages"
    cpu, wall = time.process_time(), time.monotonic()
    found = pagecache.sound(folder)  # the very check a rebuild's fork runs
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    index = pagecache.read_index(folder)
    return {
        "pages": len(index),
        "sound": len(found),
        "mb": round(sum(index[key][0] for key in found if index[key][2] is not None) / 1024 / 1024, 1),
        "cpu_seconds": round(cpu, 2),
        "wall_seconds": round(wall, 2),
    }


# On ext4 without a journal (this machine's disk) a new file or folder is not given an inode
# deleted less than 60 s ago, or 360 s when its inode-table block is dirty: for every file
# made, the kernel scans past each such inode from the start of its block group
# (`recently_deleted`). A build dirties the very blocks it allocates in, so a removal 61 s
# after a sync still counted: perf put 7.8 % of a 5,000-item build's samples in that scan and
# its system time at 6.8 s, against 0.2 % and 3.6 s with nothing removed. So the bench
# removes nothing between runs: last outputs are set aside (a rename, on the same file
# system) and removed when every run is done, and a bench waits out the 360 s after the
# last one's removal (the stamp file). A run that removes files itself (none does: the
# rebuild keeps .site.old) would make its successors pay, not itself.
SETTLE_SECONDS = 61
RECENTLY_DELETED_SECONDS = 361
_REMOVED = ".removed"  # folder of set-aside outputs under the bench's work folder
_REMOVED_AT = ".removed-at"  # when the bench last removed them


def set_aside(path: Path, work: Path) -> None:
    if path.exists():
        aside = work / _REMOVED
        aside.mkdir(exist_ok=True)
        path.rename(aside / f"{time.time_ns()}-{path.name}")


def remove_set_aside(work: Path) -> None:
    if (work / _REMOVED).exists():
        shutil.rmtree(work / _REMOVED, ignore_errors=True)
        (work / _REMOVED_AT).touch()


def settle(work: Path) -> None:
    """Written back, and past ext4's window for whatever the bench last removed."""
    os.sync()
    stamp = work / _REMOVED_AT
    since = time.time() - stamp.stat().st_mtime if stamp.exists() else math.inf
    time.sleep(max(SETTLE_SECONDS, RECENTLY_DELETED_SECONDS - since))


def bench_size(
    n: int,
    work: Path,
    seed: int,
    hugo: str | None,
    stock_pagefind: bool,
    catalog: str = "synthetic",
    busy: bool = False,
    pair: int = 1,
) -> tuple[list[Run], dict]:
    root = work / f"{catalog}-n{n}"
    load = "busy" if busy else "quiet"
    if not (root / "ready").is_file():  # a busy run measures the quiet run's sites again (from clean caches)
        set_aside(root, work)
        root.mkdir(parents=True)
        generate(n, root / "xxgk", seed, realistic=catalog == "realistic")
        write_baselines(root / "xxgk", root / "mkdocs", root / "hugo")
        (root / "ready").touch()
    for built in ("xxgk/site", "xxgk/.cache", "xxgk/.site.old", "mkdocs/site", "hugo/public"):
        set_aside(root / built, work)
    settle(work)
    log = root / f"bench-{load}.log"
    site, base, hugo_dir = root / "xxgk", root / "mkdocs", root / "hugo"
    runs = []

    def run(name: str, cmd: list[str], cwd: Path, output: Path, index: Path | None, note: str = "") -> None:
        with Load(busy):
            m = measure(cmd, cwd, log)
        runs.append(
            Run(
                name,
                n,
                m.seconds,
                m.peak_mb,
                size_mb(output),
                size_mb(index) if index else 0.0,
                m.code == 0,
                "；".join(filter(None, (note, f"结束时负载 {loadavg()}"))),
                round(m.cpu_seconds, 2),
                m.cpu_by_command,
                catalog,
                load,
                round(m.cpu_system_seconds, 2),
                pair,
            )
        )

    def xxgk() -> dict:
        run("xxgk", [str(BIN / "mkdocs"), "build"], site, site / "site", site / "site" / "pagefind")  # log: progress
        shards = {**query_bytes(site / "site" / "pagefind"), "page_cache_check": page_cache_check(site)}
        changed = next((site / "content" / "items").rglob("*.md"))
        body = changed.read_text(encoding="utf-8")
        changed.write_text(body + "\n本条目已修改。\n", encoding="utf-8")
        run(
            "xxgk-rebuild",
            [str(BIN / "mkdocs"), "build"],
            site,
            site / "site",
            site / "site" / "pagefind",
            "一个条目正文修改后，使用 .cache/ 重建",
        )
        changed.write_text(body, encoding="utf-8")  # the same sites for the next run
        return shards

    def baseline() -> None:
        run("mkdocs", [str(BIN / "mkdocs"), "build", "-q"], base, base / "site", None)
        if stock_pagefind:
            cmd = [str(BIN / "python"), "-m", "pagefind", "--site", "site"]
            run("pagefind", cmd, base, base / "site", base / "site" / "pagefind")

    if pair % 2:
        shards = xxgk()
        baseline()
    else:  # what runs first after the settling may pay for the machine's state: each side in turn
        baseline()
        shards = xxgk()
    if pair == 1 and hugo:  # Hugo is no target: measured once
        run("hugo", [hugo, "--quiet", "-d", "public"], hugo_dir, hugo_dir / "public", None)
    elif pair == 1:
        runs.append(Run("hugo", n, 0.0, 0.0, ok=False, note="未安装 hugo，已跳过", catalog=catalog, load=load))
    return runs, shards


# The ratios the targets are judged by: with --pairs, each pair's, their median and their worst
RATIOS = ("xxgk_over_baseline", "cpu_over_baseline", "user_cpu_over_baseline", "rebuild_share", "rebuild_cpu_share")


def _compare(x: Run | None, m: Run | None, p: Run | None, rb: Run | None) -> dict:
    """One pair: xxgk (x; its rebuild rb) against the baseline (MkDocs m, stock Pagefind p)."""
    row: dict = {}
    if x and m and p:  # the baseline of the targets needs stock Pagefind (not run with --no-stock-pagefind)
        row["baseline_seconds"] = round(m.seconds + p.seconds, 2)
        row["xxgk_over_baseline"] = round(x.seconds / (m.seconds + p.seconds), 2)
        row["baseline_cpu_seconds"] = round(m.cpu_seconds + p.cpu_seconds, 2)
        if m.cpu_seconds + p.cpu_seconds:
            row["cpu_over_baseline"] = round(x.cpu_seconds / (m.cpu_seconds + p.cpu_seconds), 2)
        user = m.cpu_seconds - m.cpu_system_seconds + p.cpu_seconds - p.cpu_system_seconds
        if user > 0:  # the kernel's part moves with the file system's state (Measured)
            row["user_cpu_over_baseline"] = round((x.cpu_seconds - x.cpu_system_seconds) / user, 2)
        row["baseline_peak_mb"] = round(max(m.peak_mb, p.peak_mb), 1)
        row["xxgk_peak_mb"] = round(x.peak_mb, 1)
    if x and rb:
        row["rebuild_share"] = round(rb.seconds / x.seconds, 3)
        if x.cpu_seconds:
            row["rebuild_cpu_share"] = round(rb.cpu_seconds / x.cpu_seconds, 3)
    return row


def summarise(runs: list[Run]) -> dict:
    """Per catalog, load and size: xxgk over the baseline (MkDocs + stock Pagefind) in wall time
    and in CPU seconds, peaks, the rebuild's share (with several pairs: each pair's, and the
    median and worst of each ratio); growth between sizes (the first pair)."""
    by = {(r.catalog, r.load, r.name, r.n, r.pair): r for r in runs}
    groups = sorted({(r.catalog, r.load) for r in runs})
    rows = {}
    for catalog, load in groups:
        for n in sorted({r.n for r in runs if (r.catalog, r.load) == (catalog, load)}):
            pairs = sorted({r.pair for r in runs if (r.catalog, r.load, r.n) == (catalog, load, n)})
            compared = [
                _compare(
                    *(by.get((catalog, load, name, n, pair)) for name in ("xxgk", "mkdocs", "pagefind", "xxgk-rebuild"))
                )
                for pair in pairs
            ]
            row = compared[0]
            if len(compared) > 1:
                row = {"pairs": compared}
                for ratio in RATIOS:
                    values = [c[ratio] for c in compared if ratio in c]
                    if values:
                        row[f"{ratio}_median"] = round(statistics.median(values), 3)
                        row[f"{ratio}_worst"] = max(values)
            rows[f"{catalog} {load} {n}"] = row
    growth = {}
    for catalog, load in groups:
        sizes = sorted({r.n for r in runs if (r.catalog, r.load) == (catalog, load)})
        for name in ("xxgk", "mkdocs", "pagefind", "hugo"):
            for a, b in zip(sizes, sizes[1:]):
                ra, rb = by.get((catalog, load, name, a, 1)), by.get((catalog, load, name, b, 1))
                if ra and rb and ra.seconds > 0 and rb.seconds > 0:
                    growth[f"{catalog} {load} {name} {a}→{b}"] = {
                        "exponent": round(math.log(rb.seconds / ra.seconds) / math.log(b / a), 2),
                        "time_ratio_per_doubling": round(
                            (rb.seconds / ra.seconds) ** (math.log(2) / math.log(b / a)), 2
                        ),
                    }
    return {"per_size": rows, "growth": growth}


def loadavg() -> str:
    """The machine's load when a run ended: wall times mean little on a shared machine without it."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine() -> dict:
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def table(runs: list[Run], summary: dict) -> str:
    lines = [
        f"{'目录':<10} {'负载':<5} {'N':>7} {'对':>2} {'构建':<13} {'耗时(s)':>8} {'CPU(s)':>8} {'内核(s)':>8} {'峰值内存(MB)':>12} "
        f"{'输出(MB)':>9} {'索引(MB)':>9}"
    ]
    for r in runs:
        state = "" if r.ok else f"  {r.note or '失败'}"
        lines.append(
            f"{r.catalog:<10} {r.load:<5} {r.n:>7} {r.pair:>2} {r.name:<13} {r.seconds:>8.1f} {r.cpu_seconds:>8.1f} {r.cpu_system_seconds:>8.1f} "
            f"{r.peak_mb:>12.0f} {r.output_mb:>9.1f} {r.index_mb:>9.1f}{state}"
        )
    for key, row in summary["per_size"].items():
        for number, pair in enumerate(row.get("pairs", []), 1):
            lines.append(f"{key} 第 {number} 对: " + "，".join(f"{k}={v}" for k, v in pair.items()))
        lines.append(f"{key}: " + "，".join(f"{k}={v}" for k, v in row.items() if k != "pairs"))
    for k, v in summary["growth"].items():
        lines.append(f"增长 {k}: 指数 {v['exponent']}，规模翻倍耗时 ×{v['time_ratio_per_doubling']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description="xxgk 规模基准：与原生 MkDocs + Pagefind、Hugo 对比"
    )
    parser.add_argument("--sizes", default="1000,5000,20000", help="条目数列表，逗号分隔（默认 1000,5000,20000）")
    parser.add_argument("--work", default=".cache/bench", help="工作目录（默认 .cache/bench）")
    parser.add_argument("--json", default=None, help="结果 JSON 路径（默认 <work>/bench.json）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-stock-pagefind",
        action="store_true",
        help="不运行原生 Pagefind 基线（它把整个索引放在内存里，大规模时很耗内存）",
    )
    parser.add_argument(
        "--catalogs",
        default="synthetic,realistic",
        help="合成目录：synthetic（原生成器）、realistic（仿真实页面的篇幅与构成），逗号分隔（默认两者）",
    )
    parser.add_argument(
        "--load",
        choices=("quiet", "busy", "both"),
        default="both",
        help="quiet：不加负载；busy：另一核由一个占满 CPU 的进程占用；both（默认）：两者都测",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=1,
        help="每个目录与负载下 xxgk 与基线轮流构建几对（默认 1；报告每对及中位数、最差值）",
    )
    parser.add_argument("--search-queries", type=int, default=30, help="搜索测量的检索词个数（默认 30；0 不测）")
    parser.add_argument("--search-at", type=int, default=20000, help="在哪个规模测量搜索（默认 20000）")
    parser.add_argument("--search-only", action="store_true", help="只测搜索，使用工作目录中已构建的站点")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        assert sizes and min(sizes) > 0
    except (ValueError, AssertionError):
        print(f"scripts/bench: --sizes 应为正整数列表，例如 1000,5000（收到“{args.sizes}”）", file=sys.stderr)
        return 2
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    hugo = shutil.which("hugo")  # scripts/bench installs the Debian package when it can
    if not hugo:
        print("scripts/bench: 未找到 hugo，跳过 Hugo 基线", file=sys.stderr)
    if args.search_only:
        return _search(work, args, sizes)
    runs, shards = [], {}
    catalogs = [c for c in args.catalogs.split(",") if c]
    if not set(catalogs) <= {"synthetic", "realistic"}:
        print(f"scripts/bench: --catalogs 只能是 synthetic、realistic（收到“{args.catalogs}”）", file=sys.stderr)
        return 2
    if args.pairs < 1:
        print(f"scripts/bench: --pairs 应为正整数（收到“{args.pairs}”）", file=sys.stderr)
        return 2
    loads = {"quiet": [False], "busy": [True], "both": [False, True]}[args.load]
    for n in sizes:
        for catalog in catalogs:
            for busy in loads:
                for pair in range(1, args.pairs + 1):
                    size_runs, shards[f"{catalog} {n}"] = bench_size(
                        n, work, args.seed, hugo, not args.no_stock_pagefind, catalog, busy, pair
                    )
                    runs += size_runs
                    print(table(size_runs, summarise(size_runs)), flush=True)
    summary = summarise(runs)
    result = {
        "machine": machine(),
        "hugo": hugo and subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip(),
        "seed": args.seed,
        "runs": [asdict(r) for r in runs],
        "summary": summary,
        "query_bytes": shards,
    }
    out = Path(args.json) if args.json else work / "bench.json"
    # written before the search measurement too, so that nothing going wrong there loses the builds'
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.search_queries and args.search_at in sizes and not args.no_stock_pagefind and _browser():
        result["search"] = {f"{catalog} {args.search_at}": _search_at(work, args, catalog) for catalog in catalogs}
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    remove_set_aside(work)
    print(table(runs, summary))
    print(f"结果已写入 {out}")
    return 0 if all(r.ok or r.name == "hugo" for r in runs) else 1


def _browser() -> bool:
    from xxgk_dev.devshots import CHROMIUM

    if Path(CHROMIUM).is_file():
        return True
    print(
        f"scripts/bench: 找不到 Chromium（{CHROMIUM}），跳过搜索测量；运行 scripts/setup --browser 安装",
        file=sys.stderr,
    )
    return False


def _search_at(work: Path, args, catalog: str) -> dict:
    from xxgk_dev import searchbench

    root = work / f"{catalog}-n{args.search_at}"
    found = searchbench.measure(
        root / "xxgk" / "site", root / "mkdocs" / "site", searchbench.phrases(root / "xxgk", args.search_queries)
    )
    print(
        f"搜索（{catalog}，N={args.search_at}，Chromium，1.6 Mbit/s、150 ms）：\n" + searchbench.table(found),
        flush=True,
    )
    return found


def _search(work: Path, args, sizes: list[int]) -> int:
    """--search-only: the search measurement over sites a previous run built."""
    out = Path(args.json) if args.json else work / "search.json"
    if not _browser():
        return 1
    results = {}
    for n in sizes:
        args.search_at = n
        for catalog in args.catalogs.split(","):
            results[f"{catalog} {n}"] = _search_at(work, args, catalog)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"结果已写入 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
