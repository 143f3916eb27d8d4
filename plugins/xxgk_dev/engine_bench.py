"""scripts/bench-portal engine DIR: the portal of `portal_bench` on OpenSearch (issue 34, item 7).

The members built by `scripts/bench-portal members DIR --records` are listed `copies` times under
other ids and names (4 × 50 = 200 members of 2,500 items: 500,000 documents). Measured, with the
machine's load beside every figure (it is shared): indexing by `xxgk portal-index` (wall time,
documents a second, CPU of the indexer and of the engine), the index's size, the search door's
latency over 50 phrases at 1 and at 10 concurrent readers (from an empty result cache, then with
every phrase cached) and the engine's alone with no cache, every phrase's count against the sum
of the members' own records holding it (the static search's rule: each part of the query as
consecutive words, search/text.py), the bytes a reader's browser downloads for a first and a
later search through nginx, and the portal build's wall time, CPU and peak memory."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from xxgk_dev.synthetic import ACTS, DEMO_ROOT, OBJECTS, PURPOSES, SUBJECTS

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
DOOR = "search-api/search"
READERS = 10
# 50 phrases: subjects, objects, acts, the start of each purpose, and six of two parts typed apart
PHRASES = (
    list(SUBJECTS)
    + list(OBJECTS)
    + list(ACTS)
    + [p[:6] for p in PURPOSES]
    + [f"{s} {o}" for s, o in zip(SUBJECTS[:6], OBJECTS[:6], strict=True)]
)
assert len(PHRASES) == 50

PORTAL_YML = """\
site_name: 云溪市政府信息公开平台（合成数据，搜索引擎）
docs_dir: content
theme: {{name: material, language: zh, font: false}}
plugins:
  - xxgk:
      latest_count: 20
      portal:
        stale_days: 400
        door: {door}
        engine: {{hosts: {hosts}, index: xxgk-bench, timeout: 120}}
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


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _run(cmd: list[str], cwd: Path) -> dict:
    """A child to its end: wall seconds, CPU seconds and peak memory of it alone (wait4)."""
    started = time.monotonic()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out.decode(errors='replace')[-3000:]}")
    return {
        "wall_s": round(time.monotonic() - started, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "load": _load(),
    }


def _group_cpu(pgid: int) -> float:
    """CPU seconds of every process in a process group (an OpenSearch node and its java)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _portal_repo(root: Path, copies: int, hosts: list[str]) -> tuple[Path, list[tuple[str, str]]]:
    repo = root / "engine-portal"
    (repo / "content").mkdir(parents=True, exist_ok=True)
    shutil.rmtree(repo / "catalog", ignore_errors=True)
    shutil.copytree(DEMO_ROOT / "catalog", repo / "catalog")
    built = sorted(p.name for p in (root / "members").iterdir() if (p / "site" / "search-records").is_dir())
    if not built:
        raise SystemExit(f"{root}/members 下没有发布搜索记录的成员：先运行 scripts/bench-portal members DIR --records")
    # A portal counts a site once however often it is listed, by the site_url in its descriptor
    # (portal/levels.py); the copies here stand for distinct members, so the built members
    # declare none and each copy is known by its own address instead.
    for m in built:
        path = root / "members" / m / "site" / "xxgk-site.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("site_url"):
            path.write_text(json.dumps({**doc, "site_url": None}, ensure_ascii=False), encoding="utf-8")
    pairs = [(f"{m}c{c}", m) for c in range(copies) for m in built]
    lines = [f"          - {{id: {i}, source: ../members/{m}/site, url: {i}/, name: 合成成员{i}}}" for i, m in pairs]
    yml = PORTAL_YML.format(door=DOOR, hosts=json.dumps(hosts), members="\n".join(lines))
    (repo / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return repo, pairs


def _own_counts(site: Path) -> dict[str, int]:
    """How many of one member's records hold each phrase, by the static search's rule."""
    from xxgk.search.text import query_words, words

    docs = []
    for path in sorted((site / "search-records").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                text = "\0".join(words(r["text"], normalised=True))
                more = "\0".join(words(r["more"], normalised=True))
                docs.append(f"\0{text}\0\1\0{more}\0")
    counts = {}
    for phrase in PHRASES:
        parts = [f"\0{chr(0).join(query_words(part))}\0" for part in phrase.split()]
        counts[phrase] = sum(all(p in d for p in parts) for d in docs)
    return counts


def _ask(base: str, phrase: str) -> tuple[float, int, int]:
    """One search through the door: (seconds, count, bytes of the answer)."""
    body = json.dumps({"query": phrase, "limit": 10}).encode()
    request = urllib.request.Request(base, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as r:
        raw = r.read()
    return time.perf_counter() - started, json.loads(raw)["count"], len(raw)


def _ask_engine(host: str, phrase: str) -> tuple[float, int, int]:
    """The door's own request straight to the engine (what the door adds is the difference)."""
    from xxgk.portal import query

    body = json.dumps(query.body(query.ask({"query": phrase, "limit": 10}, query.Limits()))).encode()
    request = urllib.request.Request(  # computed every time: the engine's own cost of a search
        f"{host}/xxgk-bench/_search?request_cache=false", data=body, headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as r:
        raw = r.read()
    return time.perf_counter() - started, json.loads(raw)["hits"]["total"]["value"], len(raw)


def _latency(base: str, readers: int, ask=_ask) -> dict:
    """Every reader asks the 50 phrases (each from another start); p50/p95 of every request."""
    seconds: list[float] = []
    lock = threading.Lock()

    def reader(n: int) -> None:
        for k in range(len(PHRASES)):
            took = ask(base, PHRASES[(n * 5 + k) % len(PHRASES)])[0]
            with lock:
                seconds.append(took)

    started = time.monotonic()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ms = sorted(s * 1000 for s in seconds)
    return {
        "readers": readers,
        "requests": len(ms),
        "p50_ms": round(statistics.median(ms)),
        "p95_ms": round(ms[int(len(ms) * 0.95) - 1]),
        "max_ms": round(ms[-1]),
        "per_s": round(len(ms) / wall, 1),
        "load": _load(),
    }


def _clear_cache(host: str) -> None:
    request = urllib.request.Request(f"{host}/xxgk-bench/_cache/clear?request=true", method="POST")
    urllib.request.urlopen(request, timeout=60).close()


def _say(stage: str) -> None:
    """Progress on stderr: a run at full size takes a quarter of an hour."""
    print(f"{time.strftime('%H:%M:%S')} {stage} (load {_load()})", file=sys.stderr, flush=True)


def _index_size(host: str) -> dict:
    with urllib.request.urlopen(f"{host}/_cat/indices/xxgk-bench*?format=json&bytes=b", timeout=60) as r:
        rows = json.loads(r.read())
    return {
        "docs": sum(int(x["docs.count"]) for x in rows),
        "store_mb": round(sum(int(x["store.size"]) for x in rows) / 2**20, 1),
        "primary_mb": round(sum(int(x["pri.store.size"]) for x in rows) / 2**20, 1),
    }


def _browser_bytes(www: Path, door_port: int, tmp: Path) -> dict:
    """Through nginx with README's and docs/portal.md's lines: a cold page's first search, then another."""
    from playwright.sync_api import sync_playwright

    from xxgk_dev.devshots import CHROMIUM, CHROMIUM_ARGS
    from xxgk_dev.nginx import Nginx, portal_with_door

    maps, server = portal_with_door(www, door_port)
    nginx = Nginx(tmp / "nginx", server, maps)
    base = f"http://127.0.0.1:{nginx.port}/"
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(bypass_csp=True)  # the page's policy refuses playwright's predicates
            got: list[tuple[str, int]] = []

            def note(response):
                try:
                    got.append((response.url, len(response.body())))
                except Exception:  # redirects and aborted requests have no body
                    pass

            page.on("response", note)
            is_door = lambda r: r.url.endswith(DOOR)
            started = time.monotonic()
            with page.expect_response(is_door) as first:
                page.goto(f"{base}search/?q={PHRASES[0]}")
            page.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')")
            out["first_result_s"] = round(time.monotonic() - started, 2)
            page.wait_for_load_state("networkidle")  # every response of the page noted
            out["first_search"] = {
                "kb_all": round(sum(n for _, n in got) / 1024, 1),
                "requests": len(got),
                "kb_door": round(len(first.value.body()) / 1024, 1),
            }
            got.clear()
            with page.expect_response(is_door) as then:
                page.fill("#xx-sq", PHRASES[1])
                page.press("#xx-sq", "Enter")
            page.wait_for_function(
                f"document.querySelector('#xx-sstatus').textContent.includes('“{PHRASES[1]}”共找到')"
            )
            page.wait_for_load_state("networkidle")
            out["next_search"] = {
                "kb_all": round(sum(n for _, n in got) / 1024, 1),
                "requests": len(got),
                "kb_door": round(len(then.value.body()) / 1024, 1),
                "others": sorted({u.removeprefix(base) for u, _ in got if not u.endswith(DOOR)}),
            }
            out["status"] = page.inner_text("#xx-sstatus")
            browser.close()
    finally:
        nginx.stop()
    return out


def engine(root: Path, copies: int, nodes: int, heap: str, reuse: bool = False) -> dict:
    """`reuse`: measure again on the index the last run left in DIR/opensearch (same members and
    copies), without indexing: at full size indexing takes ten minutes, a search run five."""
    from xxgk_dev.opensearch import Cluster

    if reuse:
        cluster = Cluster.load(root / "opensearch")
        if cluster is None or len(cluster.nodes) != nodes:
            raise SystemExit(f"{root}/opensearch 中没有 {nodes} 个节点的索引可复用：先不带 --reuse 运行一次")
    else:
        cluster = Cluster.plan(root / "opensearch", nodes)
        shutil.rmtree(cluster.folder, ignore_errors=True)
    out: dict = {"load_at_start": _load(), "nodes": nodes, "heap": heap}
    cluster.start(heap=heap)
    repo, pairs = _portal_repo(root, copies, cluster.hosts)
    out["members"] = len(pairs)
    door = None
    try:
        groups = [n.pid() or 0 for n in cluster.nodes]
        if reuse:
            items = {
                m: json.loads((root / "members" / m / "site" / "xxgk-site.json").read_bytes())["items"]
                for _, m in pairs
            }
            out["index"] = {"reused": True} | _index_size(cluster.hosts[0])
            if out["index"]["docs"] != sum(items[m] for _, m in pairs):
                raise SystemExit(
                    f"复用的索引有 {out['index']['docs']} 条，成员共 {sum(items[m] for _, m in pairs)} 条：请不带 --reuse 重新运行"
                )
        else:
            engine_cpu = sum(_group_cpu(g) for g in groups)
            _say(f"indexing {len(pairs)} members")
            out["index"] = _run([str(BIN / "xxgk"), "portal-index", str(repo)], repo)
            out["index"]["engine_cpu_s"] = round(sum(_group_cpu(g) for g in groups) - engine_cpu, 1)
            out["index"] |= _index_size(cluster.hosts[0])
            out["index"]["docs_per_s"] = round(out["index"]["docs"] / out["index"]["wall_s"])
        _say("portal build")
        out["portal_build"] = _run([str(BIN / "mkdocs"), "build", "-q"], repo)

        from xxgk_dev.opensearch import free_port

        port = free_port()
        door = subprocess.Popen(
            [str(BIN / "xxgk"), "portal-serve", str(repo), "--port", str(port), "--rate", "1e6", "--burst", "1000000"]
        )
        base = f"http://127.0.0.1:{port}/search"
        for _ in range(100):
            try:
                _ask(base, PHRASES[0])
                break
            except OSError:
                time.sleep(0.2)
        _say("counts")
        # exact: the door's count against the sum of the members' own records
        own = {m: _own_counts(root / "members" / m / "site") for m in dict.fromkeys(m for _, m in pairs)}
        wrong = {}
        for phrase in PHRASES:
            expected = sum(own[m][phrase] for _, m in pairs)
            _, count, size = _ask(base, phrase)
            if count != expected:
                wrong[phrase] = [count, expected]
        out["counts"] = {
            "phrases": len(PHRASES),
            "exact": len(PHRASES) - len(wrong),
            "wrong": wrong,
            "example": {PHRASES[0]: sum(own[m][PHRASES[0]] for _, m in pairs)},
        }
        _say("latency")
        cpu = sum(_group_cpu(g) for g in groups)
        # Through the door as readers meet it: the engine keeps result pages in its request
        # cache (scripts/opensearch, docs/portal.md), so each run starts from an empty cache and
        # each phrase's first ask is computed, the other asks of it served from the cache.
        for readers in (1, READERS):
            _clear_cache(cluster.hosts[0])
            out[f"latency_{readers}"] = _latency(base, readers)
        out["latency_cached_10"] = _latency(base, READERS)  # every phrase asked before: all cached
        out["search_engine_cpu_s"] = round(sum(_group_cpu(g) for g in groups) - cpu, 1)
        cpu = sum(_group_cpu(g) for g in groups)
        out["engine_alone_1"] = _latency(cluster.hosts[0], 1, _ask_engine)
        out["engine_alone_10"] = _latency(cluster.hosts[0], READERS, _ask_engine)
        out["uncached_engine_cpu_ms_per_search"] = round(
            (sum(_group_cpu(g) for g in groups) - cpu) * 1000 / (len(PHRASES) * (1 + READERS))
        )
        out["answer_kb"] = round(_ask(base, PHRASES[0])[2] / 1024, 1)
        www = root / "engine-www"
        shutil.rmtree(www, ignore_errors=True)
        www.mkdir()
        for entry in (repo / "site").iterdir():
            (www / entry.name).symlink_to(entry.resolve())
        for i, m in pairs:
            (www / i).symlink_to((root / "members" / m / "site").resolve())
        _say("browser")
        out["browser"] = _browser_bytes(www, port, root)
        out["browser"]["status"] = re.sub(r"\s+", " ", out["browser"]["status"])
    finally:
        if door:
            door.terminate()
            door.wait()
        cluster.stop()
    out["load_at_end"] = _load()
    return out
