"""The portal's search door (issue 34, items 3 and 4): `xxgk portal-serve` between readers and
OpenSearch. What it refuses and how (400/404/405/413/429/503 as Chinese JSON, never a trace);
with a real engine, answers in window.xxgk.search's shape whose counts are the engine's
aggregations; behind Debian's nginx with docs/portal.md's lines, the portal's search page in
Chromium shows the engine's results and counts, and falls back to the static search, saying
so, when the door is stopped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import BIN, FIXTURES, SiteDir
from test_portal import member_repo
from xxgk.core.options import OptionsError, read_mkdocs_yml
from xxgk.portal import config, door, query
from xxgk_dev import nginx

LIMITS = query.Limits()
PORTAL = FIXTURES / "portal"
INDEX = "xxgk-door-test"


# ---------------------------------------------------------------- what a reader may ask


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({"query": "长" * 101}, "检索词不能超过 100 个字"),
        ({"limit": 51}, "limit（每页条数）"),
        ({"limit": "十"}, "limit（每页条数）"),
        ({"offset": 9_995, "limit": 10}, "只能翻到前 10000 条"),
        ({"sort": "title"}, "sort 应为 relevance"),
        ({"page": 2}, "不认识的参数：page"),
        ({"filters": {"secret": "x"}}, "不认识的筛选项“secret”"),
        ({"filters": {"year": [str(y) for y in range(51)]}}, "筛选项 year 最多 50 个值"),
        ({"filters": {"year": [2024]}}, "筛选项 year 的值应为"),
        ({"filters": ["year"]}, "filters 应为"),
        ({"query": {"match_all": {}}}, "query 应为文字"),
    ],
)
def test_a_request_outside_the_limits_is_refused_with_what_to_change(raw, says):
    with pytest.raises(query.BadAsk, match=says):
        query.ask(raw, LIMITS)


def test_a_request_inside_the_limits_is_taken_as_search_js_takes_it():
    asked = query.ask({"query": " 营商环境 ", "filters": {"year": "2024", "member": ["甲", ""]}, "limit": 50}, LIMITS)
    assert asked == query.Ask("营商环境", {"year": ["2024"], "member": ["甲"]}, "relevance", 50, 0)
    assert query.ask({"filters": {"policy": ["x"] * 5_000}}, LIMITS).filters["policy"] == ["x"] * 5_000


def test_the_rate_lets_a_burst_through_then_one_request_per_interval():
    rate = door.Rate(per_second=2, burst=3)
    assert [rate.take("a", 0.0) for _ in range(3)] == [0, 0, 0]
    assert rate.take("a", 0.0) == pytest.approx(0.5)
    assert rate.take("b", 0.0) == 0  # another reader has a bucket of their own
    assert rate.take("a", 0.5) == 0 and rate.take("a", 0.5) > 0


def test_the_rate_forgets_full_buckets_rather_than_grow_without_bound():
    rate = door.Rate(per_second=1, burst=1, clients=100)
    for n in range(1000):
        rate.take(f"10.0.{n // 256}.{n % 256}", float(n))
    assert len(rate._buckets) <= 100


@pytest.mark.parametrize("door", ["/search-api/search", "../search", ["x"]])
def test_portal_door_is_a_path_under_the_portal_or_an_address(tmp_path, door):
    repo = portal_repo(tmp_path / "portal", "http://127.0.0.1:9200")
    yml = repo / "mkdocs.yml"
    yml.write_text(
        yml.read_text("utf-8").replace("        members:\n", f"        door: {door}\n        members:\n"), "utf-8"
    )
    with pytest.raises(OptionsError, match="portal.door"):
        config.parse(read_mkdocs_yml(repo))


# ---------------------------------------------------------------- the door as `xxgk portal-serve` runs it


def portal_repo(target: Path, engine: str, door: str = "") -> Path:
    """The fixture portal's repository (tests/fixtures/portal), on `engine`, naming `door`."""
    shutil.copytree(PORTAL / "portal", target)
    yml = target / "mkdocs.yml"
    extra = f"        engine: {{hosts: [{engine}], index: {INDEX}}}\n" + (f"        door: {door}\n" if door else "")
    yml.write_text(yml.read_text(encoding="utf-8").replace("        members:\n", extra + "        members:\n"), "utf-8")
    return target


class Door:
    """`xxgk portal-serve` of a portal repository, as a child process on a free port of 127.0.0.1."""

    def __init__(self, repo: Path, *extra: str):
        self.port = nginx.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [str(repo), "--port", str(self.port), *extra]
        self.proc = subprocess.Popen([str(BIN / "xxgk"), "portal-serve", *args], stderr=subprocess.PIPE)
        nginx.wait_for_port(self.proc, self.port, "the door", seconds=20)

    def call(self, method: str, path: str = "/search", body: bytes | None = None, **params) -> tuple[int, Any, dict]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, r.headers, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, json.loads(exc.read())

    def stop(self) -> str:
        self.proc.terminate()
        return self.proc.communicate(timeout=10)[1].decode()


@pytest.fixture
def closed_door(tmp_path):
    """The door, its engine an address nobody listens on."""
    running = Door(
        portal_repo(tmp_path / "portal", f"http://127.0.0.1:{nginx.free_port()}"), "--rate", "5", "--burst", "5"
    )
    yield running
    running.stop()


@pytest.mark.cli
def test_every_refusal_is_chinese_json_never_a_trace(closed_door):
    d = closed_door
    cases = [
        (d.call("GET", query="长" * 101), 400, "检索词不能超过"),
        (d.call("GET", limit="100"), 400, "limit"),
        (d.call("POST", body=b"{not json"), 400, "请求内容应为 JSON"),
        (d.call("POST", body=b"[" * 200_000), 413, "不能超过 128 KB"),
        (d.call("POST", body=b"[" * 50_000), 400, "请求内容应为 JSON"),
        (d.call("GET", "/_search"), 404, "只有 /search"),
        (d.call("DELETE"), 405, "只接受 GET 和 POST"),
    ]
    for (status, headers, answer), code, says in cases:
        assert status == code, answer
        assert says in answer["error"], answer
        assert headers["Content-Type"] == "application/json"


@pytest.mark.cli
def test_an_engine_that_does_not_answer_is_a_503_and_only_the_log_says_why(closed_door):
    status, _, answer = closed_door.call("POST", body=json.dumps({"query": "营商环境"}).encode())
    assert (status, answer) == (503, {"error": "检索服务暂时无法访问，请稍后再试"})
    assert "ConnectionError" in closed_door.stop()


@pytest.mark.cli
def test_a_reader_over_the_rate_gets_429_with_when_to_retry(closed_door):
    codes = [closed_door.call("GET", limit="x")[0] for _ in range(5)]
    status, headers, answer = closed_door.call("GET")
    assert codes == [400] * 5 and status == 429
    assert int(headers["Retry-After"]) >= 1 and answer["error"] == "检索过于频繁，请稍后再试"


# ---------------------------------------------------------------- with a real engine, behind nginx, in Chromium

MEMBERS = {"czj": "测试市财政局", "jyj": "测试市教育局", "wjw": "测试市卫生健康委员会"}
DOOR_PATH = "search-api/search"
PHRASE = "管理办法"


@pytest.fixture(scope="module")
def portal(opensearch_node, tmp_path_factory):
    """The fixture portal's members built with their search records, indexed by `xxgk portal-index`
    into the session's OpenSearch node, the portal built naming its door; www holds the portal
    at / and each member under its path."""
    root = tmp_path_factory.mktemp("door-portal")
    for mid in MEMBERS:
        repo = member_repo(root, mid)
        repo.edit("mkdocs.yml", "  - xxgk:\n", "  - xxgk:\n      search_records: true\n")
        result = repo.build()
        assert result.code == 0, result.text
    repo = SiteDir(portal_repo(root / "portal", opensearch_node.hosts[0], DOOR_PATH))
    indexed = repo.xxgk("portal-index", str(repo.path))
    assert indexed.code == 0, indexed.text
    result = repo.build()
    assert result.code == 0, result.text
    www = root / "www"
    www.mkdir()
    for entry in (repo.path / "site").iterdir():
        (www / entry.name).symlink_to(entry)
    for mid in MEMBERS:
        (www / mid).symlink_to(root / mid / "site")
    return repo.path, www


@pytest.fixture(scope="module")
def door_up(portal):
    running = Door(portal[0], "--rate", "1000", "--burst", "1000")  # nginx's limit is the one tested here
    yield running
    running.stop()


@pytest.fixture(scope="module")
def served(portal, door_up, tmp_path_factory):
    maps, server = nginx.portal_with_door(portal[1], door_up.port)
    proxy = nginx.Nginx(tmp_path_factory.mktemp("nginx-door"), server, maps)
    yield f"http://127.0.0.1:{proxy.port}/"
    proxy.stop()


@pytest.fixture(scope="module")
def served_without_door(portal, tmp_path_factory):
    """The same portal and nginx lines, the door not running (stopped, or never started)."""
    maps, server = nginx.portal_with_door(portal[1], nginx.free_port())
    proxy = nginx.Nginx(tmp_path_factory.mktemp("nginx-nodoor"), server, maps)
    yield f"http://127.0.0.1:{proxy.port}/"
    proxy.stop()


def _post(url: str, ask: dict, method: str = "POST") -> tuple[int, Any]:
    data = json.dumps(ask).encode() if method != "GET" else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.build
@pytest.mark.browser
def test_the_door_answers_what_the_static_search_finds_with_the_engines_counts(served, browser):
    status, found = _post(served + DOOR_PATH, {"query": PHRASE, "limit": 50})
    assert status == 200, found
    tab = browser.new_page()
    tab.goto(served + "search/")
    tab.wait_for_function("typeof window.xxgk?.search === 'function'")
    static = tab.evaluate("(q) => window.xxgk.search(q, {limit: 1000})", PHRASE)
    tab.close()
    assert found["count"] == static["count"] > 3
    assert {r["url"] for r in found["results"]} == {r["url"].lstrip("/") for r in static["results"]}
    assert set(found["results"][0]) == set(static["results"][0])  # the same row shape
    assert sum(found["facets"]["member"].values()) == found["count"]
    assert set(found["facets"]["member"]) == set(MEMBERS.values())
    one = _post(served + DOOR_PATH, {"query": PHRASE, "filters": {"member": MEMBERS["jyj"]}, "limit": 50})[1]
    assert one["count"] == found["facets"]["member"][MEMBERS["jyj"]]
    assert {r["url"].split("/")[0] for r in one["results"]} == {"jyj"}
    assert one["facets"]["member"] == found["facets"]["member"]  # a facet counts under the other filters


@pytest.mark.build
@pytest.mark.browser
def test_the_engines_member_totals_are_the_counts_the_portal_shows(served, portal):
    totals = _post(served + DOOR_PATH, {"limit": 0})[1]
    shown = {
        MEMBERS[mid]: json.loads((portal[1] / mid / "xxgk-site.json").read_text("utf-8"))["items"] for mid in MEMBERS
    }
    assert totals["facets"]["member"] == shown  # 成员单位 and the members' pages say the same
    assert totals["count"] == sum(shown.values())


def _cache_hits(host: str) -> int:
    with urllib.request.urlopen(f"{host}/_nodes/stats/indices/request_cache", timeout=30) as r:
        nodes = json.loads(r.read())["nodes"].values()
    return sum(n["indices"]["request_cache"]["hit_count"] for n in nodes)


@pytest.mark.build
def test_a_repeated_search_is_answered_from_the_engines_result_cache(door_up, opensearch_node):
    """docs/portal.md: the engine keeps the door's result pages (scripts/opensearch's nodes are
    configured so); a page of results, not only the counts, is served again without scoring."""
    ask = json.dumps({"query": PHRASE, "filters": {"member": MEMBERS["czj"]}, "limit": 10, "offset": 0}).encode()
    first = door_up.call("POST", body=ask)
    hits = _cache_hits(opensearch_node.hosts[0])
    again = door_up.call("POST", body=ask)
    assert again[0] == first[0] == 200 and again[2] == first[2] and first[2]["results"]
    assert _cache_hits(opensearch_node.hosts[0]) > hits


@pytest.mark.build
@pytest.mark.browser
def test_nginx_passes_only_the_door_and_limits_the_rate(served):
    assert _post(served + DOOR_PATH, {}, "PUT")[0] == 403
    for path in ("search-api/_search", "search-api/search/../_cat/indices", "search-api/"):
        assert _post(served + path, {"query": PHRASE})[0] == 404, path
    # 40 at once, each one the door refuses at once (400): nginx lets the burst of 20 through
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: _post(served + DOOR_PATH + "?limit=x", {}, "GET")[0], range(40)))
    assert codes.count(400) >= 15 and 429 in codes and set(codes) == {400, 429}  # the PUT above took one


@pytest.mark.build
@pytest.mark.browser
def test_the_search_page_shows_the_engines_results_and_counts(served, browser):
    tab = browser.new_page(bypass_csp=False)  # under the pages' own policy: the door is same-origin
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(f"{r.method} {r.url}"))
    tab.goto(served + f"search/?q={PHRASE}")
    tab.wait_for_selector(".xx-sresult")
    status = tab.inner_text("#xx-sstatus")
    options = tab.eval_on_selector_all("#xx-f-member option", "os => os.map(o => [o.value, o.text])")
    tab.close()
    count = _post(served + DOOR_PATH, {"query": PHRASE, "limit": 0})[1]["count"]
    assert f"共找到 {count} 条结果" in status and "暂时无法访问" not in status
    assert f"POST {served}{DOOR_PATH}" in asked
    assert not [u for u in asked if "/pagefind/" in u], "the static index was asked"
    counted = {value: text for value, text in options if value}
    assert set(counted) == set(MEMBERS.values())
    assert all(re.fullmatch(rf"{re.escape(v)}（[\d,]+）", t) for v, t in counted.items()), counted


@pytest.mark.build
@pytest.mark.browser
def test_without_the_door_the_page_searches_the_members_and_says_so(served_without_door, browser):
    tab = browser.new_page()
    tab.goto(served_without_door + f"search/?q={PHRASE}")
    tab.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')", timeout=60_000)
    status = tab.inner_text("#xx-sstatus")
    hrefs = tab.eval_on_selector_all(".xx-sresult__title a", "els => els.map(a => a.getAttribute('href'))")
    options = tab.eval_on_selector_all("#xx-f-member option", "os => os.map(o => o.text)")
    tab.close()
    assert "全站检索服务暂时无法访问，已改为在浏览器中逐个检索各成员单位" in status
    assert hrefs and {h.split("/")[1] for h in hrefs} <= set(MEMBERS)
    assert set(options) == {"全部", *MEMBERS.values()}  # no counts without the engine
