"""The meta tags the national monitoring crawlers read on every page (《政府网站发展指引》
国办发〔2017〕47号, annex 网页设计规范): the site's (`SiteName`, `SiteDomain`, `SiteIDCode`), the
column's (`ColumnName`, `ColumnDescription`, `ColumnKeywords`, `ColumnType`) and, on an item's
page, the article's (`ArticleTitle`, `PubDate`, `ContentSource`, and `Keywords`, `Author`,
`Description`, `Image`, `Url` where the item has them). Computed here as (name, content) pairs; the
template writes them escaped."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from xxgk.core import identity
from xxgk.core.columns import column_type
from xxgk.core.model import CatalogNode, Item
from xxgk.core.options import Options

# A generated page that is no catalog node: its column type (core/columns.COLUMN_TYPES).
KIND_TYPES = {
    "home": "首页",
    "catalog": "信息公开目录",
    "topics": "信息公开目录",
    "topic": "信息公开目录",
    "policies": "政策文件",
    "ondate": "政策文件",
    "stats": "数据发布",
}


def pub_date(item: Item) -> str:
    """`YYYY-MM-DD HH:MM` where the item gives its time, else its day."""
    if item.published is None:
        return ""
    day = item.published.isoformat()
    return f"{day} {item.published_time}" if item.published_time else day


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)|<img\b[^>]*\bsrc=[\"']([^\"']+)")


def first_image(item: Item) -> str:
    """The site-relative address of the first image the body shows from the item's folder ("" if none)."""
    for m in _IMAGE.finditer(item.body):
        src = m.group(1) or m.group(2)
        if src and not urlsplit(src).scheme and not src.startswith("/"):
            return posixpath.normpath(posixpath.join(posixpath.dirname(item.src_uri), src))
    return ""


def node_type(node: CatalogNode) -> str:
    return node.column_type or column_type([node.name, *(a.name for a in reversed(node.ancestors))])


class Head:
    """What the frame of every page says about the site: its meta tags and footer identity.
    One per build, handed to the templates (`xx_head`)."""

    def __init__(self, opts: Options):
        self.opts = opts
        self.agency = str(opts.extra.get("agency") or opts.site_name)
        self.identity = identity.read(opts.extra)
        self.site_url = opts.site_url if opts.site_url.endswith("/") or not opts.site_url else opts.site_url + "/"
        # the site's own tags, the same on every page
        self.site_tags = [
            ("SiteName", opts.site_name),
            ("SiteDomain", urlsplit(self.site_url).netloc),
            ("SiteIDCode", self.identity.site_code),
        ]
        # a catalog node's tags, by id (the node held beside them, so its id is never another's)
        self.columns: dict[int, tuple[CatalogNode, list[tuple[str, str]]]] = {}

    def address(self, url: str | None) -> str:
        """A page's full address ("" without site_url in mkdocs.yml)."""
        return self.site_url + (url or "") if self.site_url else ""

    def jiucuo(self, url: str | None) -> str:
        return self.identity.jiucuo_url(self.address(url))

    def tags(self, spec, title: str | None, url: str | None) -> list[tuple[str, str]]:
        """The page's meta tags. `spec`: its output.pages.PageSpec (None for an ordinary page
        such as 指南 or the 404 page); `title`, `url`: MkDocs' own for the page."""
        tags = self.site_tags + self._column(spec, title or "")
        data = spec.data if spec is not None else None  # the page kind's dataclass (output/pagedata.py)
        item = getattr(data, "item", None) if spec is not None and spec.kind == "item" else None
        if item is not None:
            publisher = getattr(data, "publisher", None)
            source = publisher.name if publisher else self.agency
            tags += [("ArticleTitle", item.title), ("PubDate", pub_date(item)), ("ContentSource", source)]
            tags += [("Keywords", ",".join(item.keywords)), ("Author", source), ("Description", item.summary)]
            image = first_image(item)
            tags += [("Image", self.address(image) if image else ""), ("Url", self.address(url))]
        return [(name, content) for name, content in tags if content]

    def _column(self, spec, title: str) -> list[tuple[str, str]]:
        node = getattr(spec.data, "node", None) if spec is not None else None
        if isinstance(node, CatalogNode):
            if id(node) not in self.columns:  # its items share them
                trail = [*(a.name for a in node.ancestors), node.name]
                self.columns[id(node)] = (
                    node,
                    [
                        ("ColumnName", node.name),
                        ("ColumnDescription", node.description or f"{self.agency}{'：'.join(trail)}"),
                        ("ColumnKeywords", ",".join(dict.fromkeys([node.name, *reversed(trail), "政府信息公开"]))),
                        ("ColumnType", node_type(node)),
                    ],
                )
            return self.columns[id(node)][1]
        name = spec.title if spec is not None else title or "页面不存在"
        kind = KIND_TYPES.get(spec.kind, "其他") if spec is not None else column_type([name], "其他")
        return [
            ("ColumnName", name),
            ("ColumnDescription", f"{self.agency}{name}"),
            ("ColumnKeywords", f"{name},政府信息公开"),
            ("ColumnType", kind),
        ]
