"""scripts/bench-portal: a portal over M synthetic members of N items each, measured.

    scripts/bench-portal members DIR [--members 30] [--items 2000] [--records]   # generate and build, once
    scripts/bench-portal portal DIR [--copies 1]                     # build the portal, search in Chromium
    scripts/bench-portal engine DIR [--copies 50] [--nodes 1] [--reuse]  # the same members on OpenSearch
    scripts/bench-portal build DIR [--copies 50]                     # the portal build alone, measured

`build` (issue 34) writes the portal of `portal` (every member listed `--copies` times: 4 × 50 =
200 members) and builds it twice, first from an empty `.cache/xxgk/portal/`, then with the
members unchanged: wall, CPU and peak memory of each build alone (wait4), the load average, and
the size of the portal's open data and of its whole output. No browser.

`engine` (issue 34) lists the members `--copies` times (4 members built with `--records` × 50 =
200 members; `--copies` smaller for a smaller run), starts OpenSearch on free ports of 127.0.0.1
(scripts/opensearch, `--nodes` of them), indexes every member's published search records with
`xxgk portal-index`, runs the search door (`xxgk portal-serve`) behind nginx with docs/portal.md's
lines and measures: indexing time, throughput and CPU (the indexer's and the engine's), the index's
size, the door's latency over 50 phrases at 1 and 10 concurrent readers, each phrase's count
against the sum of the members' own records that hold it (the static search's rule, exact), the
bytes a reader's browser downloads for a first and a later search, and the portal build's time,
CPU and peak memory reading every member's descriptor.

Members are generated and built once (DIR/members/m00 …) and reused: `members` skips a member
whose site/ is there. `portal` writes DIR/portal (its mkdocs.yml lists every member, `--copies`
times under different ids, to measure merging more shards than there are members), builds it,
serves DIR/www (the portal at /, members under /mNN/) and measures in Chromium: the bytes the
first search and a second search download, and the time to the first result on the search page.
Prints one JSON object."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from xxgk_dev.synthetic import DEMO_ROOT, generate

BIN = Path(sys.executable).parent
QUERIES = ("营商环境", "义务教育")


def _cpu() -> float:
    """CPU seconds of finished child processes: the machine is shared, wall time is not the build's own."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _build(repo: Path) -> float:
    started = time.monotonic()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=repo, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{repo}: build failed\n{done.stdout}{done.stderr}")
    return time.monotonic() - started


def members(root: Path, count: int, items: int, records: bool = False) -> dict:
    timings = {}
    for k in range(count):
        repo = root / "members" / f"m{k:02d}"
        if (repo / "site" / "xxgk-site.json").is_file():
            continue
        shutil.rmtree(repo, ignore_errors=True)
        generate(items, repo, seed=k + 1, member=k)
        if records:  # the search records a portal's engine indexes (search/published.py)
            yml = repo / "mkdocs.yml"
            yml.write_text(
                yml.read_text(encoding="utf-8").replace("  - xxgk:\n", "  - xxgk:\n      search_records: true\n")
            )
        timings[repo.name] = round(_build(repo), 1)
        print(f"{repo.name}: {timings[repo.name]} s", file=sys.stderr)
    return {"built": timings}


PORTAL_YML = """\
site_name: 云溪市政府信息公开平台（合成数据）
docs_dir: content
theme: {{name: material, language: zh, font: false}}
plugins:
  - xxgk:
      latest_count: 20
      portal:
        stale_days: 400
        members:
{members}
nav:
  - 首页: index.md
  - 主动公开目录: catalog/index.md
  - 成员单位: members/index.md
  - 信息公开统计: stats/index.md
  - 更新监测: watch/index.md
extra:
  agency: 云溪市人民政府
"""


def _portal_repo(root: Path, copies: int) -> tuple[Path, list[str]]:
    repo = root / "portal"
    (repo / "content").mkdir(parents=True, exist_ok=True)
    shutil.rmtree(repo / "catalog", ignore_errors=True)
    shutil.copytree(DEMO_ROOT / "catalog", repo / "catalog")  # the standard catalog the members share
    built = sorted(p.name for p in (root / "members").iterdir() if (p / "site" / "xxgk-site.json").is_file())
    ids = [f"{m}c{c}" if c else m for c in range(copies) for m in built]
    lines = [f"          - {{id: {i}, source: ../members/{i.split('c')[0]}/site, url: {i}/}}" for i in ids]
    (repo / "mkdocs.yml").write_text(PORTAL_YML.format(members="\n".join(lines)), encoding="utf-8")
    return repo, ids


def _www(root: Path, repo: Path, ids: list[str]) -> Path:
    www = root / "www"
    shutil.rmtree(www, ignore_errors=True)
    www.mkdir()
    for entry in (repo / "site").iterdir():
        (www / entry.name).symlink_to(entry.resolve())
    for i in ids:
        (www / i).symlink_to((root / "members" / i.split("c")[0] / "site").resolve())
    return www


def _search_bytes(page, base: str, query: str, filters: dict | None = None) -> dict:
    got: list[tuple[str, int]] = []

    def note(response):
        try:
            got.append((response.url, len(response.body())))
        except Exception:  # redirects and aborted requests have no body
            pass

    page.on("response", note)
    started = time.monotonic()
    found = page.evaluate("([q, f]) => window.xxgk.search(q, {limit: 10, filters: f})", [query, filters or {}])
    seconds = time.monotonic() - started
    page.remove_listener("response", note)
    kinds: dict[str, float] = {}
    for url, n in got:  # by Pagefind file kind: meta, index and filter chunks, fragments, runtime
        kind = url.rsplit(".", 1)[-1] if "/pagefind/" in url else "other"
        kinds[kind] = round(kinds.get(kind, 0) + n / 1024, 1)
    return {
        "query": query,
        "count": found["count"],
        "seconds": round(seconds, 2),
        "requests": len(got),
        "kb": round(sum(n for _, n in got) / 1024, 1),
        "kb_by_kind": kinds,
    }


def _own_count(browser, base: str, member: str) -> int:
    page = browser.new_page()
    page.goto(f"{base}{member}/search/")
    page.wait_for_function("typeof window.xxgk?.search === 'function'")
    count = page.evaluate("(q) => window.xxgk.search(q, {limit: 1}).then((r) => r.count)", QUERIES[0])
    page.close()
    return count


def portal(root: Path, copies: int) -> dict:
    from playwright.sync_api import sync_playwright

    from xxgk_dev.devshots import CHROMIUM, CHROMIUM_ARGS, serve

    repo, ids = _portal_repo(root, copies)
    shutil.rmtree(repo / ".cache", ignore_errors=True)  # a first read: every member's files checked
    cpu = _cpu()
    seconds = _build(repo)
    cpu = _cpu() - cpu
    again = _build(repo)  # members unchanged: their catalog.json is not checked again
    manifest = json.loads((repo / "site" / "pagefind" / "manifest.json").read_text(encoding="utf-8"))
    server = serve(_www(root, repo, ids))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, object] = {
        "members": len(ids),
        "shards": len(manifest["shards"]),
        "portal_build_s": round(seconds, 1),
        "portal_build_cpu_s": round(cpu, 1),
        "portal_rebuild_s": round(again, 1),
        "portal_mb": round(sum(f.stat().st_size for f in (repo / "site").rglob("*") if f.is_file()) / 2**20, 1),
    }
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            started = time.monotonic()
            page.goto(f"{base}search/?q={QUERIES[0]}")
            page.wait_for_selector(".xx-sresult", timeout=120_000)
            out["first_result_s"] = round(time.monotonic() - started, 2)
            page.close()
            page = browser.new_page()  # a cold page again, for the bytes of a first search
            page.goto(f"{base}search/")
            page.wait_for_function("typeof window.xxgk?.search === 'function'")
            out["first_search"] = _search_bytes(page, base, QUERIES[0])
            out["next_search"] = _search_bytes(page, base, QUERIES[1])
            page.close()
            page = browser.new_page()  # cold again: one member's search (the 成员单位 filter)
            page.goto(f"{base}search/")
            page.wait_for_function("typeof window.xxgk?.search === 'function'")
            first = json.loads((root / "members" / ids[0].split("c")[0] / "site" / "xxgk-site.json").read_text())
            out["one_member_search"] = _search_bytes(page, base, QUERIES[0], {"member": first["agency"]})
            # recall: the portal finds what every member's own search finds, no more, no less
            out["members_own_count"] = sum(_own_count(browser, base, i) for i in dict.fromkeys(ids))
            browser.close()
    finally:
        server.shutdown()
    return out


def build(root: Path, copies: int) -> dict:
    from xxgk_dev.engine_bench import _run

    repo, ids = _portal_repo(root, copies)
    shutil.rmtree(repo / ".cache", ignore_errors=True)
    first = _run([str(BIN / "mkdocs"), "build", "-q"], repo)
    again = _run([str(BIN / "mkdocs"), "build", "-q"], repo)
    site = repo / "site"
    return {
        "members": len(ids),
        "items": json.loads((site / "catalog.json").read_text(encoding="utf-8"))["count"],
        "first_read": first,
        "members_unchanged": again,
        "open_data_kb": {n: round((site / n).stat().st_size / 1024) for n in ("catalog.json", "catalog.csv")},
        "portal_mb": round(sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scripts/bench-portal", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    m = sub.add_parser("members")
    m.add_argument("dir")
    m.add_argument("--members", type=int, default=30)
    m.add_argument("--items", type=int, default=2000)
    m.add_argument("--records", action="store_true", help="publish search records (for `engine`)")
    q = sub.add_parser("portal")
    q.add_argument("dir")
    q.add_argument("--copies", type=int, default=1)
    b = sub.add_parser("build")
    b.add_argument("dir")
    b.add_argument("--copies", type=int, default=50, help="times each built member is listed (4 × 50 = 200)")
    e = sub.add_parser("engine")
    e.add_argument("dir")
    e.add_argument("--copies", type=int, default=50, help="times each built member is listed (4 × 50 = 200)")
    e.add_argument("--nodes", type=int, default=1)
    e.add_argument("--heap", default="512m")
    e.add_argument("--reuse", action="store_true", help="measure again on the last run's index, without indexing")
    args = p.parse_args(argv)
    root = Path(args.dir).resolve()
    if args.what == "members":
        result = members(root, args.members, args.items, args.records)
    elif args.what == "portal":
        result = portal(root, args.copies)
    elif args.what == "build":
        result = build(root, args.copies)
    else:
        from xxgk_dev.engine_bench import engine

        result = engine(root, args.copies, args.nodes, args.heap, args.reuse)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
