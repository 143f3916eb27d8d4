"""Where each page and file of the site lives, as site-relative URLs: the one route table.
Python builds every URL from it, templates read it as `xx_urls` (a Jinja global) and the
browser as `routes` in assets/xxgk/rules.js (search/browser.py); no site path is written
anywhere else (tests/test_routes.py).

Item URLs derive from the 索引号, so moving a file between folders never moves its page."""

from __future__ import annotations

import hashlib

ROUTES = {
    "home": "",
    "catalog": "catalog/",
    "topics": "topics/",
    "search": "search/",
    "stats": "stats/",
    "accessibility": "accessibility/",  # 无障碍声明
    "apply": "apply/",  # 依申请公开: how to apply, the form
    "apply_docx": "apply/zhengfu-xinxi-gongkai-shenqingbiao.docx",  # the same form to download
    "items": "items/",  # items/<index_no>/
    "policies": "policies/",  # policies/<state>/<slug>/
    "ondate": "policies/date/",  # 在某日有效, and its data beside it
    "ondate_data": "policies/date/policies.json",
    "ondate_texts": "policies/date/policies-text.json",
    "feeds": "feeds/",
    "open_json": "catalog.json",
    "open_csv": "catalog.csv",
    "open_schema": "catalog.schema.json",
    "pagefind": "pagefind/",  # the search shards and their runtime
    "search_manifest": "pagefind/manifest.json",
    "search_runtime": "pagefind/pagefind.js",
    "search_wasm": "pagefind/wasm.unknown.pagefind",
    "search_base": "pagefind/base/",  # a portal's: the empty index its members' shards merge into
    "assets": "assets/xxgk/",  # our CSS, images and browser code
    "members": "members/",  # a portal's
    "watch": "watch/",  # a portal's
}


def item_url(index_no: str) -> str:
    """Item URLs derive from index_no, so moving a file does not move its page."""
    return f"{ROUTES['items']}{index_no}/"


def _paged(url: str, page: int) -> str:
    return url + (f"page/{page}/" if page > 1 else "")


def node_url(node_id: str, page: int = 1) -> str:
    return _paged(f"{ROUTES['catalog']}{node_id}/", page)


def topic_url(name: str, page: int = 1) -> str:
    slug = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return _paged(f"{ROUTES['topics']}{slug}/", page)


def policy_list_url(state: str, slug: str, page: int = 1) -> str:
    return _paged(f"{ROUTES['policies']}{state}/{slug}/", page)


def feed_url(kind: str, node_id: str | None = None) -> str:
    """kind: rss | atom; per first-level catalog node, or the site's."""
    return f"{ROUTES['feeds']}{node_id + '/' if node_id else ''}{kind}.xml"


def src_of(url: str) -> str:
    return f"{url}index.md"


ROUTES |= {"rss": feed_url("rss"), "atom": feed_url("atom")}  # the site's own feeds
