"""Hosting on any static server: self-contained output, sitemap/robots, atomic and reproducible
builds, and the site served from a sub-path in real Chromium (search included)."""

import filecmp
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DEMO_AS_OF, SiteDir
from xxgk_dev.devshots import serve

OUTSIDE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host
# What a browser fetches by itself. Links the reader may follow (<a href>, canonical,
# alternate) are addresses, not requests, and may point to other government sites.
ASSET_TAGS = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "embed": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "track": "src",
    "object": "data",
    "input": "src",
}
ASSET_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "mask-icon",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
# In JS only these fetch: static and dynamic imports, workers, fetch(), and source maps.
# Other URL strings in the bundles (licence headers, XML namespaces) are never requested.
JS_FETCH = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,]+from\s*)?\(?|importScripts\(|new\s+(?:Shared)?Worker\(|"""
    r"""\bfetch\(|sourceMappingURL=)\s*['"`]?((?:[a-z]+:)?//[^'"`\s)]+)""",
    re.I,
)


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.style = [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rels = set((a.get("rel") or "").lower().split())
        if tag == "link" and rels & ASSET_RELS:
            self.urls.append(a.get("href") or "")
        if tag in ASSET_TAGS and a.get(ASSET_TAGS[tag]):
            self.urls.append(a[ASSET_TAGS[tag]])
        if tag == "video" and a.get("poster"):
            self.urls.append(a["poster"])
        for candidate in (a.get("srcset") or "").split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])
        self.urls += [m.group(1) or m.group(2) for m in CSS_URL.finditer(a.get("style") or "")]
        self.style = tag == "style"

    def handle_data(self, data):
        if self.style:
            self.urls += [m.group(1) or m.group(2) for m in CSS_URL.finditer(data)]


def external_assets(site: Path) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            parser = _Assets()
            parser.feed(path.read_text(encoding="utf-8"))
            found += [f"{rel}: {u}" for u in parser.urls if OUTSIDE.match(u)]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [
                f"{rel}: {m.group(1) or m.group(2)}"
                for m in CSS_URL.finditer(text)
                if OUTSIDE.match(m.group(1) or m.group(2))
            ]
        elif path.suffix in (".js", ".mjs"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{rel}: {m.group(1)}" for m in JS_FETCH.finditer(text)]
    return found


def test_the_detector_sees_each_kind_of_outside_asset(tmp_path):
    (tmp_path / "a.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Noto">'
        '<link rel="canonical" href="https://xxgk.example/">'
        '<a href="https://www.gov.cn/">中国政府网</a>'
        '<img srcset="x.png 1x, //cdn.example/y.png 2x"><div style="background:url(http://e.example/b.png)">'
        '<style>@import "https://e.example/c.css";</style>',
        encoding="utf-8",
    )
    (tmp_path / "b.css").write_text(
        'a{background:url("data:image/png;base64,AA")} b{src:url(//cdn.example/f.woff2)}', encoding="utf-8"
    )
    (tmp_path / "c.js").write_text(
        'var ns="http://www.w3.org/2000/svg"; import("https://cdn.example/m.js");fetch("https://api.example/x")',
        encoding="utf-8",
    )
    assert [f.split(": ")[1] for f in external_assets(tmp_path)] == [
        "https://fonts.googleapis.com/css?family=Noto",
        "//cdn.example/y.png",
        "http://e.example/b.png",
        "https://e.example/c.css",
        "//cdn.example/f.woff2",
        "https://cdn.example/m.js",
        "https://api.example/x",
    ]


def test_built_site_loads_nothing_from_outside(demo_build):
    site = demo_build.path / "site"
    assert external_assets(site) == []
    assert (site / "404.html").is_file()


def test_sitemap_and_robots_with_site_url(demo_build):
    site = demo_build.path / "site"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    pages = sorted(
        p.parent.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if not p.relative_to(site).as_posix().startswith(("pagefind/", "assets/"))
    )
    base = "https://xxgk.yunxi.example/"
    assert sorted(locs) == sorted(base + ("" if p == "." else p + "/") for p in pages)
    assert "lastmod" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not (site / "sitemap.xml.gz").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"


@pytest.mark.build
def test_without_site_url_no_invalid_sitemap(mini):
    result = mini.build()
    assert result.code == 0
    assert "未设置 site_url" in result.text
    site = mini.path / "site"
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"


@pytest.mark.build
def test_failed_build_keeps_the_last_good_site(mini):
    assert mini.build().code == 0
    before = {p: p.read_bytes() for p in (mini.path / "site").rglob("*") if p.is_file()}
    mini.edit("content/items/2024/bgs/notice.md", "category: tzgg", "category: no-such-node")
    result = mini.build()
    assert result.code == 1 and "E108" in result.text
    after = {p: p.read_bytes() for p in (mini.path / "site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in mini.path.iterdir() if p.name.startswith(".site")) == []


def _rebuild_elsewhere(demo_build, target: Path, keep_search_cache: bool) -> Path:
    """Build the demo again in another folder, with newer file times; returns its site/."""
    ignore = ("site",) if keep_search_cache else ("site", ".cache")
    other = SiteDir(target)
    shutil.copytree(demo_build.path, other.path, ignore=shutil.ignore_patterns(*ignore))
    for path in (other.path / "content").rglob("*.md"):
        path.touch()
    assert other.build(env={"XXGK_AS_OF": DEMO_AS_OF}).code == 0
    return other.path / "site"


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _differences(first: Path, second: Path) -> list[str]:
    a, b = _files(first), _files(second)
    return sorted(set(a) ^ set(b)) + [
        n for n in a if n in set(b) and not filecmp.cmp(first / n, second / n, shallow=False)
    ]


def test_rebuild_is_byte_identical(demo_build, tmp_path):
    """Same commit, same as-of date, another folder and time: the same bytes (search shards
    come from the index cache, as on a build machine that keeps .cache/)."""
    second = _rebuild_elsewhere(demo_build, tmp_path / "elsewhere", keep_search_cache=True)
    assert any(n.startswith("pagefind/") for n in _files(second))
    assert _differences(demo_build.path / "site", second) == []


def test_fresh_index_is_byte_identical(demo_build, tmp_path):
    """Two builds that each index from scratch (no .cache/): Pagefind writes filters in Rust
    HashMap order, random per process, so this fails unless pagefind_stable sorts them."""
    second = _rebuild_elsewhere(demo_build, tmp_path / "fresh", keep_search_cache=False)
    assert len(list((second / "pagefind").glob("*/filter/*.pf_filter"))) > 1
    assert _differences(demo_build.path / "site", second) == []


def test_site_works_from_a_sub_path_search_included(demo_build, browser, tmp_path):
    shutil.copytree(demo_build.path / "site", tmp_path / "portal/xxgk")
    server = serve(tmp_path / "portal")
    base = f"http://127.0.0.1:{server.server_address[1]}/xxgk/"
    requests, failures = [], []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(base)
        page.click("nav.xx-columns >> text=法定主动公开内容")
        assert page.url == base + "catalog/"
        page.goto(base + "catalog/zcwj/")
        page.locator("#xx-main a[href*='items/']").first.click()
        assert page.url.startswith(base + "items/")
        page.goto(base + "search/?q=自行车")
        result = page.locator('#xx-main a[href*="items/"]').first
        result.wait_for(timeout=20000)
        result.click()
        page.wait_for_load_state()
        assert page.url.startswith(base + "items/"), page.url
        assert "自行车" in page.locator("h1").first.inner_text()
    finally:
        page.close()
        server.shutdown()
    assert failures == []
    assert [u for u in requests if not u.startswith(base)] == []
