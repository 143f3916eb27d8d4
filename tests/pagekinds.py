"""One page of every kind the demo site has, for the accessibility sweep and the 关怀版 and print tests.

Every page says its kind in `data-xx-kind` on #xx-main; `test_a11y` fails when the built site has
a kind that no entry below reaches. A new kind of page is one line in `fixed_pages` (or in
`demo_pages`, when the address has to be looked up in the built site)."""

from __future__ import annotations

import json
import re
from pathlib import Path

KIND = re.compile(r'id="xx-main"[^>]*data-xx-kind="([^"]+)"')


def fixed_pages() -> dict[str, str]:
    """Pages at known addresses: name -> site-relative URL."""
    return {
        "home": "",
        "catalog": "catalog/",
        "category": "catalog/zcwj/",
        "topics": "topics/",
        "现行有效": "policies/current/gfxwj/",
        "已废止、失效": "policies/repealed/gfxwj/",
        "statistics": "stats/",
        "search with results": "search/?q=自行车",
        "404": "404.html",
        "markdown page": "zhinan/",
        "无障碍声明": "accessibility/",
        "依申请公开": "apply/",
        "在某日有效": "policies/date/?date=2023-01-01&status=all",
    }


def demo_pages(site: Path) -> dict[str, str]:
    """`fixed_pages` plus pages found in the build: later list pages, a topic, and items that
    between them have every doc_type and every validity status (each banner)."""
    pages = fixed_pages()
    pages["category, later page"] = _first(site, "catalog/*/page/2/index.html")
    pages["topic"] = _first(site, "topics/*/index.html")
    for name, item in covering_items(site).items():
        pages[name] = item["url"]
    return pages


def catalog_items(site: Path) -> list[dict]:
    return json.loads((site / "catalog.json").read_text(encoding="utf-8"))["items"]


def covering_items(site: Path) -> dict[str, dict]:
    """Few items that together have every doc_type and every effective status in the site."""
    items = catalog_items(site)
    wanted = {("doc_type", i["doc_type"]) for i in items} | {("effective_status", i["effective_status"]) for i in items}
    chosen: dict[str, dict] = {}
    while wanted:
        best = max(
            items,
            key=lambda i: len(wanted & {("doc_type", i["doc_type"]), ("effective_status", i["effective_status"])}),
        )
        wanted -= {("doc_type", best["doc_type"]), ("effective_status", best["effective_status"])}
        chosen[f"item {best['doc_type']} {best['effective_status']}"] = best
    return chosen


def item_with_attachment(site: Path) -> str:
    """The longest item page with an attachment (several printed pages)."""
    urls = [i["url"] for i in catalog_items(site) if i["attachments"]]
    return max(urls, key=lambda u: (site / u / "index.html").stat().st_size)


def kind_of(site: Path, url: str) -> str | None:
    path = site / url.split("?")[0]
    found = KIND.search((path / "index.html" if path.is_dir() else path).read_text(encoding="utf-8"))
    return found.group(1) if found else None


def kinds_in(site: Path) -> dict[str, str]:
    """Every page kind in the built site -> one file that has it."""
    found: dict[str, str] = {}
    for page in sorted(site.rglob("*.html")):
        match = KIND.search(page.read_text(encoding="utf-8", errors="replace"))
        if match:
            found.setdefault(match.group(1), page.relative_to(site).as_posix())
    return found


def _first(site: Path, pattern: str) -> str:
    pages = sorted(site.glob(pattern))
    assert pages, f"the demo has no page like {pattern}"
    return pages[0].parent.relative_to(site).as_posix() + "/"
