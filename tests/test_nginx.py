"""The README's two nginx configurations, run with Debian's nginx on 127.0.0.1 (issue 14,
item 9): every file answers 200, a missing page gets the 404 page at any depth, the cache
headers are the README's table, the Content-Security-Policy is sent, and search works
through nginx in Chromium under that policy. The configurations are read from README.md,
so the text IT staff copy is the text tested."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import DEMO_AS_OF, copy_demo
from xxgk_dev import nginx

pytestmark = [pytest.mark.build, pytest.mark.browser]  # nginx serves a built demo
YEAR, HOUR, FIVE_MINUTES = "public, max-age=31536000, immutable", "public, max-age=3600", "public, max-age=300"


def _blocks(section: str) -> list[str]:
    return nginx.blocks("README.md", section)


class Nginx(nginx.Nginx):
    def get(self, path: str) -> tuple[int, dict, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


def _www(site: Path, www: Path) -> Path:
    shutil.copytree(site, www)
    return www


@pytest.fixture(scope="module")
def at_root(demo_build, tmp_path_factory):
    maps, server = _blocks("nginx at the site root")
    tmp = tmp_path_factory.mktemp("nginx-root")
    www = _www(demo_build.path / "site", tmp / "www/xxgk")
    server = server.replace("/var/www/xxgk", str(www))
    nginx = Nginx(tmp / "nginx", server, maps)
    yield nginx, "/", www
    nginx.stop()


@pytest.fixture(scope="module")
def at_sub_path(tmp_path_factory):
    (maps,) = _blocks("nginx at the site root")[:1]
    (locations,) = _blocks("nginx under a sub-path of an existing portal")
    tmp = tmp_path_factory.mktemp("nginx-sub")
    repo = copy_demo(tmp / "repo")
    repo.edit("mkdocs.yml", "site_url: https://xxgk.yunxi.example/", "site_url: https://portal.yunxi.example/xxgk/")
    built = repo.build(env={"XXGK_AS_OF": DEMO_AS_OF})
    assert built.code == 0, built.text
    www = _www(repo.path / "site", tmp / "www/xxgk")
    server = "server {\n    listen 443 ssl;\n    root %s;\n%s}\n" % (
        tmp / "portal",
        locations.replace("/var/www/xxgk/", f"{www}/"),
    )
    nginx = Nginx(tmp / "nginx", server, maps)
    yield nginx, "/xxgk/", www
    nginx.stop()


@pytest.fixture(params=["at_root", "at_sub_path"])
def hosted(request):
    return request.getfixturevalue(request.param)


def _files(www: Path) -> list[str]:
    return sorted(p.relative_to(www).as_posix() for p in www.rglob("*") if p.is_file())


def test_every_file_answers_200_with_the_policy(hosted):
    nginx, base, www = hosted
    files = _files(www)
    assert len(files) > 100
    for rel in files:
        status, headers, body = nginx.get(base + rel)
        assert status == 200, rel
        assert body == (www / rel).read_bytes(), rel
        assert "script-src 'self' 'wasm-unsafe-eval'" in headers.get("Content-Security-Policy", ""), rel
    for rel in files:
        if rel.endswith("/index.html"):
            assert nginx.get(base + rel[: -len("index.html")])[0] == 200, rel


def test_missing_pages_get_the_404_page_at_any_depth(hosted):
    nginx, base, www = hosted
    page = (www / "404.html").read_bytes()
    for missing in ("nothing", "nothing/", "items/no/such/deep/page/", "catalog/zcwj/missing.html"):
        status, headers, body = nginx.get(base + missing)
        assert status == 404 and body == page, missing
        assert "Content-Security-Policy" in headers
    links = re.findall(rb'(?:href|src)="([^"#]+)"', page)
    assert links and all(link.startswith(base.encode()) or b"//" in link for link in links), links


def test_cache_headers_follow_the_readme_table(hosted):
    nginx, base, www = hosted
    files = _files(www)

    def first(pattern: str) -> str:
        return next(f for f in files if re.search(pattern, f))

    expected = {
        first(r"^pagefind/[^/]+/fragment/"): YEAR,
        first(r"^pagefind/[^/]+/index/"): YEAR,
        first(r"^pagefind/[^/]+/filter/"): YEAR,
        first(r"^pagefind/[^/]+/[^/]+\.pf_meta$"): YEAR,
        first(r"^assets/stylesheets/"): YEAR,
        first(r"^assets/javascripts/"): YEAR,
        "pagefind/manifest.json": FIVE_MINUTES,
        first(r"^pagefind/[^/]+/pagefind-entry\.json$"): FIVE_MINUTES,
        "pagefind/pagefind.js": HOUR,
        first(r"^pagefind/wasm\.[^/]+\.pagefind$"): HOUR,
        "assets/xxgk/xxgk.css": HOUR,
        "index.html": FIVE_MINUTES,
        "feeds/rss.xml": FIVE_MINUTES,
        "sitemap.xml": FIVE_MINUTES,
        "robots.txt": FIVE_MINUTES,
        "catalog.json": FIVE_MINUTES,
        "xxgk-manifest.json": "no-cache",
    }
    for rel, value in expected.items():
        assert nginx.get(base + rel)[1].get("Cache-Control") == value, rel


def test_search_works_through_nginx_under_the_policy(hosted, browser):
    nginx, base, _ = hosted
    origin = f"http://127.0.0.1:{nginx.port}"
    violations, failures = [], []
    page = browser.new_page(bypass_csp=False)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(origin + base + "search/?q=自行车")
        result = page.locator('#xx-main a[href*="items/"]').first
        result.wait_for(timeout=20000)
        result.click()
        page.wait_for_load_state()
        assert page.url.startswith(origin + base + "items/"), page.url
        assert "自行车" in page.locator("h1").first.inner_text()
        page.goto(origin + base)
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert violations == [] and failures == []
