"""RSS 2.0 and Atom feeds of the latest items: one pair site-wide, one per first-level catalog node.

XML is built with ElementTree, so titles such as `<script>` travel as text; an RSS
description, which readers render as HTML, is escaped once more (Atom's summary is text).
Links are absolute when mkdocs.yml sets site_url; otherwise they are relative
to the feed's own location (Atom resolves them against the feed's address).
Every date comes from the items, never from the clock: two builds are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from pathlib import Path

from xxgk.core import safetext
from xxgk.core.model import Item
from xxgk.core.site import Site
from xxgk.core.urls import feed_url, item_url, node_url

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
CST = dt.timezone(dt.timedelta(hours=8))  # dates in front matter are Beijing dates


def write_feeds(site_dir: Path, site: Site, site_url: str | None) -> list[str]:
    """Write every feed under site_dir; returns their site-relative URLs."""
    name = site.opts.site_name
    channels: list[tuple[str | None, str, str, list[Item]]] = [(None, name, "", site.rel.items)]
    channels += [
        (root.id, f"{name} - {root.name}", node_url(root.id), site.rel.by_category.get(root.id, []))
        for root in site.content.catalog.roots
    ]
    written = []
    for node_id, title, home, items in channels:
        latest = items[:FEED_SIZE]
        for kind, render in (("rss", _rss), ("atom", _atom)):
            url = feed_url(kind, node_id)
            links = _Links(site_url, url)
            tree = ET.ElementTree(render(site, title, home, latest, links, node_id))
            ET.indent(tree)
            target = site_dir / url
            target.parent.mkdir(parents=True, exist_ok=True)
            tree.write(target, encoding="utf-8", xml_declaration=True)
            written.append(url)
    return written


class _Links:
    """Turns site-relative URLs into what a feed at `feed` should carry."""

    def __init__(self, site_url: str | None, feed: str):
        self.base = (site_url.rstrip("/") + "/") if site_url else None
        self.feed_dir = posixpath.dirname(feed)

    def __call__(self, url: str) -> str:
        if self.base:
            return self.base + url
        rel = posixpath.relpath(url or ".", self.feed_dir)
        return rel + "/" if url.endswith("/") or not url else rel

    def item_id(self, item: Item) -> str:
        return self(item_url(item.index_no)) if self.base else f"urn:xxgk:{item.index_no}"


def _moment(day: dt.date | None) -> dt.datetime:
    return dt.datetime.combine(day or dt.date(1970, 1, 1), dt.time(), CST)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:  # load refuses control characters (E113); a member's data may still hold them
        el.text = safetext.strip_forbidden(text)
    return el


def _rss(site: Site, title: str, home: str, items: list[Item], link, node_id: str | None) -> ET.Element:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", link(home))
    _sub(channel, "description", f"{title}：最新公开信息")
    _sub(channel, "language", "zh-CN")
    if items:
        _sub(channel, "pubDate", format_datetime(_moment(items[0].published)))
    departments = site.content.departments
    for item in items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", link(item_url(item.index_no)))
        _sub(entry, "guid", link.item_id(item), isPermaLink="true" if link.base else "false")
        _sub(entry, "pubDate", format_datetime(_moment(item.published)))
        if item.summary:
            # RSS readers take <description> as HTML: escaped once more, a summary stays text
            _sub(entry, "description", html.escape(item.summary, quote=False))
        publisher = departments.get(item.publisher)
        _sub(entry, "category", publisher.name if publisher else item.publisher)
    return rss


def _atom(site: Site, title: str, home: str, items: list[Item], link, node_id: str | None) -> ET.Element:
    ET.register_namespace("", ATOM_NS)
    q = "{%s}%%s" % ATOM_NS

    def sub(parent, tag, text=None, **attrib):
        return _sub(parent, q % tag, text, **attrib)

    feed = ET.Element(q % "feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    sub(feed, "title", title)
    sub(feed, "id", link(home) if link.base else f"urn:xxgk:feed:{home or 'site'}")
    sub(feed, "updated", _moment(items[0].published if items else None).isoformat())
    sub(feed, "link", rel="alternate", href=link(home))
    sub(feed, "link", rel="self", href=link(feed_url("atom", node_id)))
    author = sub(feed, "author")
    sub(author, "name", site.opts.extra.get("agency") or site.opts.site_name)
    departments = site.content.departments
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "title", item.title)
        sub(entry, "id", link.item_id(item))
        sub(entry, "link", href=link(item_url(item.index_no)))
        sub(entry, "updated", _moment(item.published).isoformat())
        if item.summary:
            sub(entry, "summary", item.summary)
        publisher = departments.get(item.publisher)
        if publisher:
            sub(sub(entry, "author"), "name", publisher.name)
    return feed
