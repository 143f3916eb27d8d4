"""Where each page of the site lives, as site-relative directory URLs.

Item URLs derive from the 索引号, so moving a file between folders never moves its page."""

from __future__ import annotations

import hashlib


def item_url(index_no: str) -> str:
    """Item URLs derive from index_no, so moving a file does not move its page."""
    return f"items/{index_no}/"


def node_url(node_id: str, page: int = 1) -> str:
    return f"catalog/{node_id}/" + (f"page/{page}/" if page > 1 else "")


def topic_url(name: str, page: int = 1) -> str:
    slug = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"topics/{slug}/" + (f"page/{page}/" if page > 1 else "")


def policy_list_url(state: str, slug: str, page: int = 1) -> str:
    return f"policies/{state}/{slug}/" + (f"page/{page}/" if page > 1 else "")


def src_of(url: str) -> str:
    return f"{url}index.md"
